//===- Status.h - Error propagation helpers ---------------------*- C++ -*-===//
//
// absl::Status is the error vocabulary of every tinyplan library. This abseil
// version has no RETURN_IF_ERROR / ASSIGN_OR_RETURN, so they live here, once.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_SUPPORT_STATUS_H
#define TINYPLAN_SUPPORT_STATUS_H

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

/// Returns from the enclosing function if \p expr yields a non-OK status.
#define TP_RETURN_IF_ERROR(expr)                                              \
  do {                                                                         \
    ::absl::Status tpStatus_ = (expr);                                         \
    if (!tpStatus_.ok())                                                       \
      return tpStatus_;                                                        \
  } while (0)

#define TP_CONCAT_INNER_(a, b) a##b
#define TP_CONCAT_(a, b) TP_CONCAT_INNER_(a, b)

/// `TP_ASSIGN_OR_RETURN(auto x, makeX());` unwraps a StatusOr or returns its
/// error from the enclosing function.
#define TP_ASSIGN_OR_RETURN(lhs, expr)                                         \
  TP_ASSIGN_OR_RETURN_IMPL_(TP_CONCAT_(tpStatusOr_, __LINE__), lhs, expr)
#define TP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)                              \
  auto tmp = (expr);                                                           \
  if (!tmp.ok())                                                               \
    return std::move(tmp).status();                                            \
  lhs = std::move(tmp).value()

namespace tinyplan {

/// A model the user gave us is wrong or unsupported (exit status 1).
template <typename... Args> absl::Status modelError(const Args &...args) {
  return absl::InvalidArgumentError(absl::StrCat(args...));
}

/// Prefixes the message of \p status with \p prefix, keeping its code.
absl::Status withContext(const absl::Status &status, absl::string_view prefix);

} // namespace tinyplan

#endif
