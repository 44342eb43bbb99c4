//===- Attribute.cpp - Typed node attributes ------------------------------===//
#include "tinyplan/IR/Attribute.h"

#include "llvm/ADT/StringExtras.h"
#include <cmath>
#include <cstdio>

namespace tinyplan {

llvm::StringRef attributeKindName(Attribute::Kind kind) {
  switch (kind) {
  case Attribute::Kind::Int: return "int";
  case Attribute::Kind::Float: return "float";
  case Attribute::Kind::String: return "string";
  case Attribute::Kind::Ints: return "ints";
  case Attribute::Kind::Floats: return "floats";
  case Attribute::Kind::Strings: return "strings";
  case Attribute::Kind::Tensor: return "tensor";
  }
  return "?";
}

void printFloat(llvm::raw_ostream &os, double value) {
  if (std::isnan(value)) {
    os << "nan";
    return;
  }
  if (std::isinf(value)) {
    os << (value < 0 ? "-inf" : "inf");
    return;
  }
  // Shortest of %.9g / %.17g that reads back exactly; always marked as float.
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  if (std::strtod(buffer, nullptr) != value &&
      float(std::strtod(buffer, nullptr)) != float(value))
    std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  llvm::StringRef text(buffer);
  os << text;
  if (text.find_first_of(".eE") == llvm::StringRef::npos)
    os << ".0";
}

static void printQuoted(llvm::raw_ostream &os, llvm::StringRef text) {
  os << '"';
  llvm::printEscapedString(text, os);
  os << '"';
}

void Attribute::print(llvm::raw_ostream &os) const {
  switch (kind()) {
  case Kind::Int:
    os << getInt();
    return;
  case Kind::Float:
    printFloat(os, getFloat());
    return;
  case Kind::String:
    printQuoted(os, getString());
    return;
  case Kind::Ints:
    os << '[';
    llvm::interleaveComma(getInts(), os);
    os << ']';
    return;
  case Kind::Floats:
    os << '[';
    llvm::interleaveComma(getFloats(), os, [&](float f) { printFloat(os, f); });
    os << ']';
    return;
  case Kind::Strings:
    os << '[';
    llvm::interleaveComma(getStrings(), os,
                          [&](const std::string &s) { printQuoted(os, s); });
    os << ']';
    return;
  case Kind::Tensor:
    os << "tensor<";
    getTensor().type().print(os);
    os << "> ";
    getTensor().printValues(os);
    return;
  }
}

} // namespace tinyplan
