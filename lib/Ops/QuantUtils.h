//===- QuantUtils.h - Checks shared by the quantized ops --------*- C++ -*-===//
//
// Private to lib/Ops. QuantizeLinear, DequantizeLinear, QLinearConv,
// ConvInteger, QLinearMatMul and MatMulInteger take the same kinds of
// quantization parameters: a quantized element type (int8 or uint8 here),
// float32 scales and zero points of the quantized type, each per tensor (a
// scalar or one element) or per axis (1-D, one per channel). These check
// them, and, when they are constants, their values: a scale must be
// finite and positive. Types tinyplan does not compute on (int16, uint16,
// float16 scales, blocked quantization) are refused as "not supported".
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_OPS_QUANTUTILS_H
#define TINYPLAN_LIB_OPS_QUANTUTILS_H

#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {

/// An "is not supported" error (absl::UnimplementedError): a valid model
/// tinyplan does not handle.
template <typename... Args> absl::Status quantUnsupported(const Args &...args) {
  return absl::UnimplementedError(absl::StrCat(args...));
}

/// OK for i8 and u8 (and i32 when \p allowI32, i16 and u16 when
/// \p allow16); else "not supported" for i16 and u16 and an error for any
/// other type. \p role names the tensor.
absl::Status checkQuantizedType(DType type, llvm::StringRef role, bool allowI32 = false,
                                bool allow16 = false);

/// Checks scale operand \p index's type, f32 (f16 / bf16 scales are not
/// supported), and, when constant, that every value is finite and
/// positive; not its shape.
absl::Status checkScaleValues(const Node &node, unsigned index, llvm::StringRef role);

/// Checks scale operand \p index: f32 (f16 / bf16 scales are not
/// supported), per tensor (rank 0, or rank 1 of one element) or, when
/// \p perAxisLength is given, 1-D of that many elements; when constant,
/// every value finite and positive.
absl::Status checkScaleOperand(const Node &node, unsigned index, llvm::StringRef role,
                               std::optional<int64_t> perAxisLength);

/// Checks zero-point operand \p index (absent is fine): its type must be
/// \p quantType and its element count the scale operand \p scaleIndex's
/// (per tensor, or per axis with the same length).
absl::Status checkZeroPointOperand(const Node &node, unsigned index, llvm::StringRef role,
                                   DType quantType, unsigned scaleIndex);

/// checkScaleOperand then checkZeroPointOperand for a per-tensor scale at
/// operand \p scaleIndex and its zero point at \p scaleIndex + 1 (the
/// order every QLinear op takes them in), named \p prefix + "_scale" and
/// \p prefix + "_zero_point".
absl::Status checkPerTensorParams(const Node &node, unsigned scaleIndex, llvm::StringRef prefix,
                                  DType quantType);

/// The cost of an integer matrix product: the elements of constant operands
/// as parameters, \p k multiply-adds per element of the result.
OpCost integerProductCost(const Node &node, int64_t k);

/// Whether operand \p index is a per-axis parameter (more than one element).
bool isPerAxis(const Node &node, unsigned index);

/// The operands of an integer product sum over (x - x_zp) * (w - w_zp)
/// (+ bias): which is which, and which axes of w the sum runs over.
struct IntegerProduct {
  IntegerProduct(unsigned x, unsigned xZeroPoint, unsigned w, unsigned wZeroPoint,
                 unsigned bias = ~0u)
      : x(x), xZeroPoint(xZeroPoint), w(w), wZeroPoint(wZeroPoint), bias(bias) {}

  unsigned x, xZeroPoint, w, wZeroPoint;
  /// ~0u: no bias operand.
  unsigned bias;
  /// The axes of w summed over for one output (Conv: all but 0; MatMul:
  /// rank - 2); w's other axes index the outputs.
  llvm::SmallVector<int64_t, 4> reducedAxes;
  /// The axis of w a per-axis w_zero_point runs along.
  int64_t zeroPointAxis = 0;
};

/// Refuses (as not supported) a product whose int32 accumulator can
/// overflow: with constant w, the bound for each output is
/// sum |w - w_zp| * max |x - x_zp| + max |bias| (max |x - x_zp| over x's
/// type, from a constant x_zp when there is one); with w computed at run
/// time, the sum has K terms of at most 255 * 255. It bounds every partial
/// sum too, so when it fits int32 no step of the kernel overflows.
absl::Status checkAccumulatorFits(const Node &node, const IntegerProduct &product);

} // namespace tinyplan

#endif
