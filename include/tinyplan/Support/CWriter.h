//===- CWriter.h - C source text with scopes and indentation ----*- C++ -*-===//
//
// The code that lib/CodeGen shapes to one layer (blocked Conv, Gemm and
// MatMul tiles) is built with this writer rather than by splicing strings:
// a line is a statement or declaration at the current depth, open() and
// close() bracket a scope, and the writer owns the indentation, so a
// generator says what the code is and never counts spaces. Every other
// kernel is a real C file in kernels/.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_SUPPORT_CWRITER_H
#define TINYPLAN_SUPPORT_CWRITER_H

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <utility>
#include <vector>

namespace tinyplan {

namespace cwriter_detail {
/// StrCat takes string_views; llvm::StringRef converts here.
inline absl::string_view piece(llvm::StringRef text) { return {text.data(), text.size()}; }
template <typename T> const T &piece(const T &value) { return value; }
} // namespace cwriter_detail

class CWriter {
public:
  /// Lines start at \p depth levels of two spaces.
  explicit CWriter(unsigned depth = 0) : depth_(depth) {}

  /// One line at the current depth: the pieces concatenated.
  template <typename... Args> CWriter &line(const Args &...pieces) {
    return addLine(absl::StrCat(cwriter_detail::piece(pieces)...));
  }

  /// `head {` (a bare `{` for an empty head), then the following lines one
  /// level deeper, until close().
  template <typename... Args> CWriter &open(const Args &...head) {
    std::string text = absl::StrCat(cwriter_detail::piece(head)...);
    addLine(text.empty() ? "{" : text + " {");
    ++depth_;
    return *this;
  }

  /// Ends the innermost scope with `}`, followed by \p after (`;` for a
  /// struct, `)` ...).
  CWriter &close(llvm::StringRef after = "");

  /// `} else if (condition) {` / `} else {`: ends the innermost scope and
  /// opens the next branch of the same if at the same depth.
  CWriter &elseIf(llvm::StringRef condition);
  CWriter &orElse();

  /// `head`, then the next lines one level deeper until dedent(): the body
  /// of an if or for without braces.
  template <typename... Args> CWriter &nest(const Args &...head) {
    addLine(absl::StrCat(cwriter_detail::piece(head)...));
    ++depth_;
    return *this;
  }
  CWriter &dedent();

  /// The lines of \p text (C formatted by another writer at depth 0),
  /// shifted to the current depth. Empty lines stay empty.
  CWriter &append(llvm::StringRef text);

  unsigned depth() const { return depth_; }
  const std::string &str() const { return text_; }

private:
  CWriter &addLine(llvm::StringRef text);

  unsigned depth_;
  std::string text_;
};

/// `T a = x, b = y;`: one declaration of several variables with their
/// initialisers (an empty initialiser declares without one).
std::string cDeclaration(llvm::StringRef type,
                         llvm::ArrayRef<std::pair<std::string, std::string>> variables);

/// `name(a, b, c)`.
std::string cCall(llvm::StringRef name, llvm::ArrayRef<std::string> arguments);

/// \p text as a C string literal: quotes, backslashes and every byte
/// outside printable ASCII escaped (octal), so any name is safe in it.
std::string cStringLiteral(llvm::StringRef text);

} // namespace tinyplan

#endif
