//===- KernelLibrary.cpp - The C kernels of kernels/, embedded ------------===//
//
// 1. Split each file into lines; a comment block whose text has a line
//    `@kernel NAME [uses A B ...]` starts a kernel, `@instance NEW: a=b ...`
//    lines in it declare instances.
// 2. The definition runs from the line after the comment to the first line
//    that starts with `}` (the end of a function or of a table).
// 3. TP_KERNEL becomes `static`; instances replace identifiers at once.
// 4. Check the manifest: unique names, every declared use a kernel that the
//    text mentions, every kernel the text mentions declared, no cycles.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/str_join.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

namespace tinyplan {

namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Walks C text, calling \p onIdentifier for each identifier outside
/// comments, literals and numbers, and \p onOther for every other run of
/// characters, so the two together see the whole text in order.
void scanC(llvm::StringRef text, const std::function<void(llvm::StringRef)> &onIdentifier,
           const std::function<void(llvm::StringRef)> &onOther) {
  size_t i = 0, n = text.size();
  while (i < n) {
    size_t start = i;
    char c = text[i];
    if (text.substr(i).starts_with("/*")) {
      size_t end = text.find("*/", i + 2);
      i = end == llvm::StringRef::npos ? n : end + 2;
    } else if (text.substr(i).starts_with("//")) {
      size_t end = text.find('\n', i);
      i = end == llvm::StringRef::npos ? n : end;
    } else if (c == '"' || c == '\'') {
      ++i;
      while (i < n && text[i] != c && text[i] != '\n')
        i += text[i] == '\\' ? 2 : 1;
      i = std::min(n, i + 1);
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      // A preprocessing number: 0x1.8p+23f, 1e-5, 10u.
      ++i;
      while (i < n) {
        char d = text[i];
        if ((d == '+' || d == '-') && llvm::StringRef("eEpP").contains(text[i - 1]))
          ++i;
        else if (isIdentChar(d) || d == '.')
          ++i;
        else
          break;
      }
    } else if (isIdentStart(c)) {
      while (i < n && isIdentChar(text[i]))
        ++i;
      onIdentifier(text.slice(start, i));
      continue;
    } else {
      ++i;
    }
    onOther(text.slice(start, i));
  }
}

/// The text of one line of a comment block: without `/*`, `*/` and a
/// leading `*`.
llvm::StringRef commentLineText(llvm::StringRef line) {
  line = line.trim();
  if (line.starts_with("/*"))
    line = line.drop_front(2);
  if (line.ends_with("*/"))
    line = line.drop_back(2);
  line = line.trim();
  if (line.starts_with("*"))
    line = line.drop_front(1);
  return line.trim();
}

/// The comment of an instance: what it was made from, and how.
std::string instanceComment(llvm::StringRef prototype, llvm::StringRef file,
                            llvm::StringRef name, const IdentifierMap &map) {
  return absl::StrCat("/* @kernel ", name.str(), ": ", prototype.str(), " (kernels/", file.str(),
                      ") with ", absl::StrJoin(map, " ", absl::PairFormatter("=")), " */\n");
}

} // namespace

std::optional<IdentifierMap> parseIdentifierMap(llvm::StringRef text, char separator) {
  IdentifierMap map;
  llvm::SmallVector<llvm::StringRef, 8> pairs;
  text.split(pairs, separator, -1, /*KeepEmpty=*/false);
  for (llvm::StringRef pair : pairs) {
    auto [from, to] = pair.trim().split('=');
    if (from.empty() || to.empty())
      return std::nullopt;
    map.emplace_back(from.str(), to.str());
  }
  return map;
}

std::vector<std::string> cIdentifiers(llvm::StringRef text) {
  std::vector<std::string> result;
  scanC(
      text, [&](llvm::StringRef id) { result.push_back(id.str()); }, [](llvm::StringRef) {});
  return result;
}

std::string replaceCIdentifiers(llvm::StringRef text, const IdentifierMap &replacements) {
  llvm::StringMap<std::string> map;
  for (const auto &[from, to] : replacements)
    map[from] = to;
  std::string result;
  result.reserve(text.size());
  scanC(
      text,
      [&](llvm::StringRef id) {
        auto it = map.find(id);
        result += it == map.end() ? id.str() : it->second;
      },
      [&](llvm::StringRef other) { result += other.str(); });
  return result;
}

absl::Status KernelLibrary::add(LibraryKernel kernel) {
  if (index_.count(kernel.name))
    return absl::InternalError(
        absl::StrCat("kernels/", kernel.file, ": kernel ", kernel.name, " is defined twice"));
  index_[kernel.name] = kernels_.size();
  kernels_.push_back(std::move(kernel));
  return absl::OkStatus();
}

absl::StatusOr<KernelLibrary>
KernelLibrary::parse(llvm::ArrayRef<std::pair<std::string, std::string>> files) {
  KernelLibrary library;
  for (const auto &[file, contents] : files) {
    llvm::SmallVector<llvm::StringRef, 0> lines;
    llvm::StringRef(contents).split(lines, '\n');
    auto where = [&, &file = file](size_t line) {
      return absl::StrCat("kernels/", file, ":", line + 1, ": ");
    };
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!lines[i].trim().starts_with("/*"))
        continue;
      // The comment block [i, last].
      size_t last = i;
      while (last < lines.size() && !lines[last].contains("*/"))
        ++last;
      if (last == lines.size())
        return absl::InternalError(absl::StrCat(where(i), "unterminated comment"));
      std::string name;
      std::vector<std::string> uses;
      std::vector<std::pair<std::string, IdentifierMap>> instances;
      std::vector<size_t> instanceLines;
      for (size_t l = i; l <= last; ++l) {
        llvm::StringRef text = commentLineText(lines[l]);
        if (text.consume_front("@kernel ")) {
          llvm::SmallVector<llvm::StringRef, 8> words;
          text.split(words, ' ', -1, /*KeepEmpty=*/false);
          if (!name.empty() || words.empty() || (words.size() > 1 && words[1] != "uses") ||
              words.size() == 2)
            return absl::InternalError(
                absl::StrCat(where(l), "expected '@kernel NAME [uses A B ...]'"));
          name = words[0].str();
          for (size_t w = 2; w < words.size(); ++w)
            uses.push_back(words[w].str());
        } else if (text.consume_front("@instance ")) {
          auto [instanceName, mapText] = text.split(':');
          std::optional<IdentifierMap> map = parseIdentifierMap(mapText, ' ');
          if (!map)
            return absl::InternalError(
                absl::StrCat(where(l), "expected '@instance NAME: from=to ...'"));
          instances.emplace_back(instanceName.trim().str(), std::move(*map));
          instanceLines.push_back(l);
        } else if (text.starts_with("@")) {
          return absl::InternalError(absl::StrCat(where(l), "unknown marker '", text.str(), "'"));
        }
      }
      if (name.empty()) {
        if (!instances.empty())
          return absl::InternalError(absl::StrCat(where(i), "@instance without @kernel"));
        i = last;
        continue;
      }
      size_t end = last + 1;
      while (end < lines.size() && !lines[end].starts_with("}"))
        ++end;
      if (end == lines.size())
        return absl::InternalError(
            absl::StrCat(where(i), "kernel ", name, " has no line starting with '}'"));
      // The comment without its @instance lines, then the definition.
      std::string comment, definition;
      for (size_t l = i; l <= last; ++l)
        if (!llvm::is_contained(instanceLines, l))
          comment += lines[l].rtrim().str() + "\n";
      // A comment that ended on an @instance line still needs its `*/`.
      if (llvm::is_contained(instanceLines, last))
        comment += " */\n";
      for (size_t l = last + 1; l <= end; ++l)
        definition += lines[l].rtrim().str() + "\n";
      definition = replaceCIdentifiers(definition, {{"TP_KERNEL", "static"}});
      LibraryKernel kernel{name, file, comment, definition, uses, ""};
      TP_RETURN_IF_ERROR(library.add(kernel));
      for (auto &[instanceName, map] : instances) {
        IdentifierMap renamed = map;
        renamed.emplace_back(name, instanceName);
        LibraryKernel instance{instanceName, file, instanceComment(name, file, instanceName, map),
                               replaceCIdentifiers(definition, renamed), {}, name};
        // Its uses are the kernels its code mentions: the prototype's
        // declared uses as the replacements map them, and any kernel that
        // replaces a placeholder. (Known once every file is read.)
        TP_RETURN_IF_ERROR(library.add(std::move(instance)));
      }
      i = end;
    }
  }
  for (LibraryKernel &kernel : library.kernels_)
    if (!kernel.prototype.empty())
      kernel.uses = library.mentionedKernels(kernel);
  TP_RETURN_IF_ERROR(library.check());
  return library;
}

absl::Status KernelLibrary::check() const {
  for (const LibraryKernel &kernel : kernels_) {
    std::set<std::string> mentioned;
    for (const std::string &id : cIdentifiers(kernel.code))
      if (id != kernel.name && find(id))
        mentioned.insert(id);
    std::set<std::string> declared(kernel.uses.begin(), kernel.uses.end());
    for (const std::string &use : declared)
      if (!find(use))
        return absl::InternalError(absl::StrCat("kernels/", kernel.file, ": kernel ",
                                                kernel.name, " uses ", use,
                                                ", which is not a kernel"));
    if (mentioned != declared)
      return absl::InternalError(absl::StrCat(
          "kernels/", kernel.file, ": kernel ", kernel.name, " declares uses {",
          absl::StrJoin(declared, " "), "} but mentions the kernels {",
          absl::StrJoin(mentioned, " "), "}"));
  }
  // Cycles: a depth-first walk that meets a kernel still on its path.
  std::vector<int> state(kernels_.size(), 0); // 0 new, 1 on the path, 2 done
  std::function<absl::Status(size_t)> visit = [&](size_t k) -> absl::Status {
    if (state[k] == 2)
      return absl::OkStatus();
    if (state[k] == 1)
      return absl::InternalError(
          absl::StrCat("kernels: the uses of ", kernels_[k].name, " form a cycle"));
    state[k] = 1;
    for (const std::string &use : kernels_[k].uses)
      TP_RETURN_IF_ERROR(visit(index_.lookup(use)));
    state[k] = 2;
    return absl::OkStatus();
  };
  for (size_t k = 0; k < kernels_.size(); ++k)
    TP_RETURN_IF_ERROR(visit(k));
  return absl::OkStatus();
}

std::vector<std::string> KernelLibrary::mentionedKernels(const LibraryKernel &kernel) const {
  std::vector<std::string> result;
  std::set<std::string> seen;
  for (const std::string &id : cIdentifiers(kernel.code))
    if (id != kernel.name && find(id) && seen.insert(id).second)
      result.push_back(id);
  return result;
}

const LibraryKernel *KernelLibrary::find(llvm::StringRef name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &kernels_[it->second];
}

std::vector<const LibraryKernel *> KernelLibrary::all() const {
  std::vector<const LibraryKernel *> result;
  for (const LibraryKernel &kernel : kernels_)
    result.push_back(&kernel);
  llvm::sort(result, [](const LibraryKernel *a, const LibraryKernel *b) {
    return a->name < b->name;
  });
  return result;
}

std::vector<const LibraryKernel *>
KernelLibrary::closure(llvm::ArrayRef<std::string> names) const {
  std::vector<const LibraryKernel *> result;
  std::vector<bool> seen(kernels_.size(), false);
  std::function<void(const std::string &)> visit = [&](const std::string &name) {
    auto it = index_.find(name);
    if (it == index_.end() || seen[it->second])
      return;
    seen[it->second] = true;
    for (const std::string &use : kernels_[it->second].uses)
      visit(use);
    result.push_back(&kernels_[it->second]);
  };
  for (const std::string &name : names)
    visit(name);
  return result;
}

absl::StatusOr<LibraryKernel>
KernelLibrary::instantiate(llvm::StringRef prototype, llvm::StringRef name,
                           const IdentifierMap &replacements) const {
  const LibraryKernel *proto = find(prototype);
  if (!proto)
    return absl::InternalError(absl::StrCat("no kernel ", prototype.str(), " to instantiate"));
  IdentifierMap renamed = replacements;
  renamed.emplace_back(proto->name, name.str());
  LibraryKernel instance{name.str(), proto->file,
                         instanceComment(proto->name, proto->file, name, replacements),
                         replaceCIdentifiers(proto->code, renamed), {}, proto->name};
  instance.uses = mentionedKernels(instance);
  return instance;
}

// The embedded files: {name, contents} pairs written by EmbedKernels.cmake.
static const std::pair<const char *, const char *> kEmbeddedKernelFiles[] = {
#include "KernelSources.inc"
};

const KernelLibrary &KernelLibrary::builtin() {
  static const KernelLibrary library = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto &[name, contents] : kEmbeddedKernelFiles)
      files.emplace_back(name, contents);
    absl::StatusOr<KernelLibrary> parsed = parse(files);
    if (!parsed.ok())
      llvm::report_fatal_error(llvm::Twine(std::string(parsed.status().message())));
    return *std::move(parsed);
  }();
  return library;
}

} // namespace tinyplan
