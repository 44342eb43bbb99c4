//===- DType.h - Element types ----------------------------------*- C++ -*-===//
//
// The element types a tensor can have. Names in the IR dump are short and
// fixed ("f32", "i64", ...) so lit tests can match them.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_IR_DTYPE_H
#define TINYPLAN_IR_DTYPE_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace tinyplan {

enum class DType : uint8_t {
  F32,
  F16,
  BF16,
  F64,
  I8,
  U8,
  I16,
  U16,
  I32,
  U32,
  I64,
  U64,
  Bool,
};

/// Bytes one element occupies.
int64_t dtypeSize(DType type);
/// Short name as printed in the IR: f32, i64, bool, ...
llvm::StringRef dtypeName(DType type);
/// Inverse of dtypeName.
std::optional<DType> parseDType(llvm::StringRef name);
bool isFloat(DType type);
/// Signed or unsigned integer (not bool).
bool isInteger(DType type);
/// i8, i16, i32 or i64.
bool isSignedInteger(DType type);

} // namespace tinyplan

#endif
