//===- KernelLibrary.h - The C kernels of kernels/, embedded -----*- C++ -*-===//
//
// The kernels that are not specialised on a layer's geometry are real C99
// files in the top-level kernels/ folder, compiled and unit-tested on their
// own. The build embeds those files into tinyplan; this library parses them
// once into named kernels, each with the kernels it uses, so that model.c
// gets exactly the kernels it calls, dependencies first.
//
// A file marks each kernel with a comment holding `@kernel NAME [uses A B]`;
// the definition follows the comment and ends at the first line starting
// with `}`. `@instance NEW: from=to ...` lines in the same comment declare
// copies of it with identifiers replaced (float=double, fmaf=fma), written
// once in C. A kernel's uses are declared, and checked against the
// identifiers its text mentions; an instance uses the kernels its text
// mentions (kernels/README.md).
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_KERNELLIBRARY_H
#define TINYPLAN_CODEGEN_KERNELLIBRARY_H

#include "absl/status/statusor.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinyplan {

/// One kernel: a C definition (with its comment) that model.c can hold.
struct LibraryKernel {
  std::string name;
  /// The kernel file it comes from ("cmath.c").
  std::string file;
  /// Its comment (the `@kernel` line naming it) and its code, TP_KERNEL
  /// written as `static`: model.c holds the two, one after the other.
  std::string comment;
  std::string code;
  /// Kernels it calls or reads, as declared; they come before it in model.c.
  std::vector<std::string> uses;
  /// For an instance, the kernel it was made from; empty otherwise.
  std::string prototype;

  std::string text() const { return comment + code; }
};

/// A replacement of one C identifier by another in an instance.
using IdentifierMap = std::vector<std::pair<std::string, std::string>>;

class KernelLibrary {
public:
  /// The kernels of the kernels/ folder tinyplan was built with. The build
  /// checks them (tinyplan-kernels --check); an inconsistent library here is
  /// a fatal error.
  static const KernelLibrary &builtin();

  /// Parses kernel files given as (file name, contents): the markers, the
  /// definitions and instances. Fails on a malformed marker, a duplicate
  /// name, a declared use that is not a kernel or not mentioned, a kernel
  /// mentioned but not declared, or a cycle of uses.
  static absl::StatusOr<KernelLibrary>
  parse(llvm::ArrayRef<std::pair<std::string, std::string>> files);

  /// The kernel called \p name, or null.
  const LibraryKernel *find(llvm::StringRef name) const;

  /// Every kernel, sorted by name.
  std::vector<const LibraryKernel *> all() const;

  /// \p names and every kernel they use, transitively, each once, every
  /// kernel after the ones it uses; ties in the order given. Unknown names
  /// are skipped (callers check with find).
  std::vector<const LibraryKernel *> closure(llvm::ArrayRef<std::string> names) const;

  /// A new kernel called \p name: \p prototype's definition with the
  /// identifiers of \p replacements replaced (and its own name). Its uses
  /// are the library kernels its text then mentions. Fails when
  /// \p prototype is unknown.
  absl::StatusOr<LibraryKernel> instantiate(llvm::StringRef prototype, llvm::StringRef name,
                                            const IdentifierMap &replacements) const;

private:
  absl::Status add(LibraryKernel kernel);
  /// The library kernels \p kernel's code mentions, in order of appearance.
  std::vector<std::string> mentionedKernels(const LibraryKernel &kernel) const;
  absl::Status check() const;

  std::vector<LibraryKernel> kernels_;
  llvm::StringMap<size_t> index_;
};

/// `from=to` pairs separated by \p separator (`float=double fmaf=fma`), as
/// @instance lines and tinyplan-kernels write them; nullopt when a pair
/// lacks a side.
std::optional<IdentifierMap> parseIdentifierMap(llvm::StringRef text, char separator);

/// The C identifiers in \p text outside comments, string and character
/// literals and numbers, in order of appearance (with repeats).
std::vector<std::string> cIdentifiers(llvm::StringRef text);

/// \p text with each identifier (outside comments, literals and numbers)
/// that \p replacements maps replaced by its image; all at once, so the
/// order of the map does not matter.
std::string replaceCIdentifiers(llvm::StringRef text, const IdentifierMap &replacements);

} // namespace tinyplan

#endif
