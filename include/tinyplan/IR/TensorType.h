//===- TensorType.h - Element type plus static shape ------------*- C++ -*-===//
//
// Every value in a tinyplan graph has a fully static shape: the planner needs
// exact byte sizes. Symbolic dims are resolved at import.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_IR_TENSORTYPE_H
#define TINYPLAN_IR_TENSORTYPE_H

#include "tinyplan/IR/DType.h"
#include "absl/status/statusor.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

namespace tinyplan {

using Shape = llvm::SmallVector<int64_t, 4>;

struct TensorType {
  DType dtype = DType::F32;
  Shape shape;

  TensorType() = default;
  TensorType(DType dtype, llvm::ArrayRef<int64_t> shape)
      : dtype(dtype), shape(shape.begin(), shape.end()) {}

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Product of dims. Only valid on types that passed checkType().
  int64_t numElements() const;
  int64_t numBytes() const { return numElements() * dtypeSize(dtype); }

  bool operator==(const TensorType &other) const {
    return dtype == other.dtype && shape == other.shape;
  }
  bool operator!=(const TensorType &other) const { return !(*this == other); }

  /// Prints "f32[1,6,28,28]"; a scalar is "f32[]".
  void print(llvm::raw_ostream &os) const;
  std::string str() const;
};

/// Prints "[1,6,28,28]".
void printShape(llvm::raw_ostream &os, llvm::ArrayRef<int64_t> shape);

/// Element count of \p shape, or an error if a dim is negative or the product
/// overflows; also rejects tensors over kMaxTensorBytes or kMaxTensorElements.
absl::StatusOr<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape,
                                           DType dtype);

} // namespace tinyplan

#endif
