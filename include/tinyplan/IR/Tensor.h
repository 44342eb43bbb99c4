//===- Tensor.h - Constant tensor data --------------------------*- C++ -*-===//
//
// A constant owns its bytes (little-endian, row-major, exactly as the target
// stores them). A splat tensor stores one element that stands for all of
// them: exporters create huge all-same weights with ConstantOfShape, and we
// must not materialise gigabytes to reason about them.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_IR_TENSOR_H
#define TINYPLAN_IR_TENSOR_H

#include "tinyplan/IR/TensorType.h"
#include <cstring>
#include <vector>

namespace tinyplan {

class Tensor {
public:
  Tensor() = default;
  /// A dense tensor; \p bytes.size() must equal type.numBytes().
  Tensor(TensorType type, std::vector<uint8_t> bytes);
  /// A splat: \p element holds one element's bytes.
  static Tensor splat(TensorType type, llvm::ArrayRef<uint8_t> element);
  /// A dense int64 tensor of shape [values.size()] (or given shape).
  static Tensor fromInt64s(llvm::ArrayRef<int64_t> values);
  static Tensor fromInt64s(llvm::ArrayRef<int64_t> values,
                           llvm::ArrayRef<int64_t> shape);
  static Tensor fromFloats(llvm::ArrayRef<float> values,
                           llvm::ArrayRef<int64_t> shape);

  const TensorType &type() const { return type_; }
  DType dtype() const { return type_.dtype; }
  llvm::ArrayRef<int64_t> shape() const { return type_.shape; }
  int64_t numElements() const { return type_.numElements(); }
  bool isSplat() const { return splat_; }
  /// Raw storage: all elements, or one element for a splat.
  llvm::ArrayRef<uint8_t> rawBytes() const { return bytes_; }

  /// Element \p index converted to int64 / double (any dtype).
  int64_t intAt(int64_t index) const;
  double doubleAt(int64_t index) const;
  /// All elements as int64 (for small shape tensors).
  std::vector<int64_t> toInt64s() const;

  /// Same data, new shape (element count must match).
  Tensor reshaped(llvm::ArrayRef<int64_t> shape) const;

  /// Prints the values, abbreviated past \p maxElements.
  void printValues(llvm::raw_ostream &os, int64_t maxElements = 16) const;

private:
  TensorType type_;
  std::vector<uint8_t> bytes_;
  bool splat_ = false;
};

} // namespace tinyplan

#endif
