//===- CWriter.cpp - C source text with scopes and indentation ------------===//
#include "tinyplan/Support/CWriter.h"

#include "llvm/ADT/SmallVector.h"
#include <cassert>
#include <cstdio>

namespace tinyplan {

CWriter &CWriter::addLine(llvm::StringRef text) {
  if (!text.empty())
    text_.append(2 * depth_, ' ');
  text_ += text.str();
  text_ += '\n';
  return *this;
}

CWriter &CWriter::close(llvm::StringRef after) {
  assert(depth_ > 0 && "close() without open()");
  --depth_;
  return addLine(absl::StrCat("}", after.str()));
}

CWriter &CWriter::elseIf(llvm::StringRef condition) {
  assert(depth_ > 0 && "elseIf() without open()");
  --depth_;
  addLine(absl::StrCat("} else if (", condition.str(), ") {"));
  ++depth_;
  return *this;
}

CWriter &CWriter::orElse() {
  assert(depth_ > 0 && "orElse() without open()");
  --depth_;
  addLine("} else {");
  ++depth_;
  return *this;
}

CWriter &CWriter::dedent() {
  assert(depth_ > 0 && "dedent() without nest()");
  --depth_;
  return *this;
}

CWriter &CWriter::append(llvm::StringRef text) {
  if (text.ends_with("\n"))
    text = text.drop_back();
  llvm::SmallVector<llvm::StringRef, 32> lines;
  text.split(lines, '\n');
  for (llvm::StringRef l : lines)
    addLine(l);
  return *this;
}

std::string cDeclaration(llvm::StringRef type,
                         llvm::ArrayRef<std::pair<std::string, std::string>> variables) {
  std::vector<std::string> parts;
  for (const auto &[name, init] : variables)
    parts.push_back(init.empty() ? name : absl::StrCat(name, " = ", init));
  return absl::StrCat(type.str(), " ", absl::StrJoin(parts, ", "), ";");
}

std::string cCall(llvm::StringRef name, llvm::ArrayRef<std::string> arguments) {
  return absl::StrCat(name.str(), "(", absl::StrJoin(arguments, ", "), ")");
}

std::string cStringLiteral(llvm::StringRef text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    // '?' too: "??" followed by some characters is a trigraph.
    if (c == '"' || c == '\\' || c == '?' || c < 0x20 || c >= 0x7f) {
      char octal[5];
      std::snprintf(octal, sizeof octal, "\\%03o", c);
      out += octal;
    } else {
      out += char(c);
    }
  }
  return out + "\"";
}

} // namespace tinyplan
