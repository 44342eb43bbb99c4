//===- Checked.h - Overflow-checked arithmetic on sizes ---------*- C++ -*-===//
//
// Shapes come from untrusted files; every product of dims goes through here.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_SUPPORT_CHECKED_H
#define TINYPLAN_SUPPORT_CHECKED_H

#include <cstdint>
#include <optional>

namespace tinyplan {

/// a * b, or nullopt if it overflows int64 or either factor is negative.
inline std::optional<int64_t> checkedMul(int64_t a, int64_t b) {
  int64_t result;
  if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &result))
    return std::nullopt;
  return result;
}

/// a + b, or nullopt if it overflows int64.
inline std::optional<int64_t> checkedAdd(int64_t a, int64_t b) {
  int64_t result;
  if (__builtin_add_overflow(a, b, &result))
    return std::nullopt;
  return result;
}

/// The largest tensor tinyplan accepts, in bytes. No microcontroller comes
/// close; the bound keeps hostile files from making us allocate without limit.
constexpr int64_t kMaxTensorBytes = int64_t(1) << 31;
/// The most elements a tensor may have: the C kernels count in int32_t.
constexpr int64_t kMaxTensorElements = (int64_t(1) << 31) - 1;

} // namespace tinyplan

#endif
