//===- OpUtils.h - Helpers shared by op definitions -------------*- C++ -*-===//
//
// Pieces of ONNX semantics more than one op file needs: numpy broadcasting,
// axis normalisation, constant operands, and the window geometry shared by
// convolutions and pools.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_OPS_OPUTILS_H
#define TINYPLAN_OPS_OPUTILS_H

#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {

/// Numpy-style (multidirectional) broadcast of two shapes.
absl::StatusOr<Shape> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                      llvm::ArrayRef<int64_t> b);

/// The element types of ONNX's matrix products (Gemm, MatMul): floats and
/// 32/64-bit integers.
bool isFloatOrWideInteger(DType type);

/// Error unless A of a matrix product has such a type and B the same one.
absl::Status checkMatrixProductTypes(const TensorType &a, const TensorType &b);

/// Row-major strides of \p shape, in elements.
Shape rowMajorStrides(llvm::ArrayRef<int64_t> shape);

/// A row-major tensor of \p shape seen along \p axis: `outer` blocks, each
/// shape[axis] runs of `inner` elements.
struct AxisBlocks {
  int64_t outer = 1, inner = 1;
};
AxisBlocks axisBlocks(llvm::ArrayRef<int64_t> shape, int64_t axis);

/// Maps a possibly negative \p axis into [0, rank); error when out of range.
absl::StatusOr<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// The values of operand \p index, which must be a constant (the shape input
/// of Reshape, the axes of Unsqueeze, ...). \p role names it in errors.
absl::StatusOr<std::vector<int64_t>>
constantIntsOperand(const Node &node, unsigned index, llvm::StringRef role);

/// Integer attribute \p name, which must be 0 or 1, as a bool (\p dflt when
/// absent): exclusive, reverse, largest, sorted, ...
absl::StatusOr<bool> getFlagAttr(const Node &node, llvm::StringRef name, bool dflt);

/// Our dtype for ONNX TensorProto.DataType \p code, or an error naming the
/// type tinyplan cannot compute on: strings, complex numbers, and the 8-, 4-
/// and 2-bit floats and integers that opsets 19 to 25 added.
absl::StatusOr<DType> dtypeFromOnnx(int64_t code);

/// The error for operand \p index that must be constant but is computed at
/// run time (a dynamic shape, which tinyplan does not support).
absl::Status notConstantError(const Node &node, unsigned index, llvm::StringRef role);

/// Error unless operand \p index exists and has a floating-point dtype.
absl::Status requireFloatOperand(const Node &node, unsigned index,
                                 llvm::StringRef role);
/// Error unless operand \p index has exactly rank \p rank.
absl::Status requireRank(const Node &node, unsigned index, int64_t rank,
                         llvm::StringRef role);

/// Checks the attributes the activation-fusion pass records on a Conv, Gemm
/// or MatMul: `fused_activation` (string: Relu, Clip, Tanh, Sigmoid,
/// LeakyRelu, HardSigmoid or HardSwish) and its float parameters
/// `fused_alpha` (LeakyRelu, HardSigmoid), `fused_beta` (HardSigmoid),
/// `fused_min` / `fused_max` (Clip; an absent bound is unbounded). A
/// parameter the activation does not take, or one without an activation,
/// is an error; so is an activation on a non-float result.
absl::Status checkFusedActivation(const Node &node, DType resultType);

/// What Conv, ConvTranspose and QLinearConv check alike: an input of rank 3
/// to 5 (N, C and 1 to 3 spatial dims), a weight of the same rank, a
/// positive `group` dividing the input's channels. Returns the group.
absl::StatusOr<int64_t> checkConvShapes(const Node &node, const TensorType &input,
                                        const TensorType &weight);

/// The cost of a convolution-like \p node with weight operand 1 and bias
/// operand 2: both are parameters, and each element of \p counted (the
/// output of a Conv, the input of a ConvTranspose) takes prod(W[1:])
/// multiply-adds (saturating: costs are reported, never used for memory).
OpCost convCost(const Node &node, const Value &counted);

/// The ints attribute \p name of \p node with one entry per spatial axis
/// (\p count of them, each \p dflt when absent), every entry at least
/// \p minimum (0 or 1).
absl::StatusOr<std::vector<int64_t>> spatialAttr(const Node &node, llvm::StringRef name,
                                                 size_t count, int64_t dflt, int64_t minimum);

/// Window geometry of a Conv or pool along the spatial axes.
struct WindowGeometry {
  std::vector<int64_t> kernel;
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> padsBegin;
  std::vector<int64_t> padsEnd;
  std::vector<int64_t> outputSpatial;
};

/// Resolves strides / dilations / pads / auto_pad / ceil_mode attributes of
/// \p node for an input with spatial dims \p inputSpatial and the given
/// \p kernel, and computes the output spatial dims (ONNX formulas). Rejects
/// non-positive strides, dilations or kernels, negative pads, and kernels
/// larger than the padded input.
absl::StatusOr<WindowGeometry>
computeWindowGeometry(const Node &node, llvm::ArrayRef<int64_t> inputSpatial,
                      llvm::ArrayRef<int64_t> kernel, bool supportsCeilMode,
                      bool supportsDilations);

/// The PatchWindow of a 2-D convolution or pool of operand 0 with window
/// \p geometry whose padding is its `pads`; nullopt unless \p node's
/// result is 4-D.
std::optional<PatchWindow> windowPatch(const Node &node, const WindowGeometry &geometry);

/// The PatchWindow of a convolution of operand 0 with the weight operand
/// \p weightIndex ([M, C/group, kH, kW]).
std::optional<PatchWindow> convPatch(const Node &node, unsigned weightIndex);

/// The PatchWindow of an elementwise op on operands \p dataOperands (the
/// others are parameters such as scales, read whole): each present data
/// operand either spans the result's rows and columns, or is a constant
/// that broadcasts along both. nullopt otherwise, or unless the result is
/// 4-D.
std::optional<PatchWindow> elementwisePatch(const Node &node,
                                            llvm::ArrayRef<unsigned> dataOperands);

} // namespace tinyplan

#endif
