//===- OpParams.h - What an op's attributes and operands resolve to -*- C++ -*-===//
//
// The parameters of an op as ONNX defines them, resolved from its
// attributes, constant operands and opset: the axis of a Concat, the window
// of a Slice, the pads of a Pad, the rows a Softmax normalises. Each is
// defined in its op's file under lib/Ops, which uses it for inference and
// folding; the kernels in lib/CodeGen read the same, so the C and the folded
// constants cannot disagree about what a node means. Kernels see only nodes
// that passed inference, so the errors have been reported by then.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_OPS_OPPARAMS_H
#define TINYPLAN_OPS_OPPARAMS_H

#include "tinyplan/Ops/OpUtils.h"
#include "llvm/ADT/SmallBitVector.h"
#include <array>

namespace tinyplan {

//===----------------------------------------------------------------------===//
// Concat, Gather, Transpose
//===----------------------------------------------------------------------===//

/// Concat's axis in [0, \p rank): required since opset 4, 1 before.
absl::StatusOr<int64_t> concatAxis(const Node &node, int64_t rank, int64_t opset);

/// Gather's axis (default 0) in [0, rank of the data).
absl::StatusOr<int64_t> gatherAxis(const Node &node);

/// Transpose's 'perm', checked to be a permutation of the input's axes, or
/// the reversal when absent.
absl::StatusOr<std::vector<int64_t>> transposePermutation(const Node &node);

//===----------------------------------------------------------------------===//
// Slice
//===----------------------------------------------------------------------===//

/// The resolved window: for every dim of the input (sliced or not) the first
/// element, the step and the output extent.
struct SliceWindow {
  Shape starts;
  Shape steps;
  Shape shape;
};

/// Slice's starts, ends, axes and steps (attributes before opset 10,
/// constant operands since), clamped as ONNX specifies.
absl::StatusOr<SliceWindow> resolveSliceWindow(const Node &node, int64_t opset);

//===----------------------------------------------------------------------===//
// Split, Expand, Tile, DepthToSpace, SpaceToDepth
//===----------------------------------------------------------------------===//

/// A result made of its input's elements, moved: written densely in
/// row-major order over `dims` (the result's elements, seen as as many dims
/// as the move needs), the element at index (i0, ..., ik) being input
/// element offset + i0 * strides[0] + ... + ik * strides[k]. A stride of 0
/// repeats an element (Expand, Tile).
struct StridedRead {
  int64_t offset = 0;
  Shape dims, strides;
};

/// Result \p result of Split \p node: a window of the input along the axis,
/// sized by the `split` attribute (before opset 13) or input (since), or by
/// `num_outputs` (opset 18, the last part smaller), or equal parts.
absl::StatusOr<StridedRead> splitRead(const Node &node, unsigned result);

/// Expand: the input broadcast numpy-style to the result (stride 0 where
/// the input's dim is 1).
absl::StatusOr<StridedRead> expandRead(const Node &node, unsigned result);

/// Tile: the result's every dim seen as (repeat, input index).
absl::StatusOr<StridedRead> tileRead(const Node &node, unsigned result);

/// DepthToSpace (modes DCR and CRD) and SpaceToDepth on [N, C, H, W]: the
/// reshape, transpose and reshape ONNX defines them by, as one read.
absl::StatusOr<StridedRead> depthToSpaceRead(const Node &node, unsigned result);
absl::StatusOr<StridedRead> spaceToDepthRead(const Node &node, unsigned result);

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// How Pad fills outside the kept input. The C kernel takes these numbers.
enum class PadMode { Constant = 0, Edge = 1, Reflect = 2, Wrap = 3 };

/// The padding of every axis of the data (0 for axes `axes` leaves out).
struct PadSpec {
  PadMode mode = PadMode::Constant;
  std::vector<int64_t> begin, end;
};

/// One axis: output index o reads kept element o - offset (when in
/// [0, count)), which is input element first + (o - offset).
struct PadAxis {
  int64_t offset, first, count;
};

/// Axis \p axis (of size \p dim in the input) of \p spec.
PadAxis padAxis(const PadSpec &spec, size_t axis, int64_t dim);

/// Pad's mode and amounts for \p opset (attributes `paddings` / `pads`
/// before opset 11, a constant `pads` input and optional `axes` since).
absl::StatusOr<PadSpec> resolvePads(const Node &node, int64_t opset);

/// The padding value as a one-element tensor of the data's type: the
/// constant_value operand in \p operands (opset >= 11), the 'value'
/// attribute (before), or zero.
absl::StatusOr<Tensor> padValue(const Node &node, int64_t opset,
                                llvm::ArrayRef<const Tensor *> operands);

//===----------------------------------------------------------------------===//
// The Reduce family, Softmax, LogSoftmax
//===----------------------------------------------------------------------===//

/// A Reduce op's reduced axes as a mask over the data's axes; all false when
/// noop_with_empty_axes (opset 18, 13 for ReduceSum) asks for no reduction.
absl::StatusOr<llvm::SmallBitVector> reducedAxes(const Node &node, int64_t opset);

/// ArgMax's and ArgMin's rows: outer * inner rows of n elements along
/// `axis`, inner apart; whether the axis stays as a dim of 1, and whether a
/// tie goes to the last index (select_last_index, opset 12).
struct ArgReduce {
  int64_t axis = 0, outer = 1, n = 1, inner = 1;
  int64_t keepDims = 1;
  bool selectLast = false;
};
absl::StatusOr<ArgReduce> argReduce(const Node &node, int64_t opset);

/// CumSum's rows: outer * inner rows of n elements along `axis` (the
/// constant axis input), inner apart; whether each sum leaves its own
/// element out (exclusive) and whether it runs from the end (reverse).
struct CumSumRows {
  int64_t axis = 0, outer = 1, n = 1, inner = 1;
  bool exclusive = false, reverse = false;
};
absl::StatusOr<CumSumRows> cumSumRows(const Node &node);

/// TopK's rows: outer * inner rows of n elements along `axis`, inner apart,
/// of which the k largest (or smallest) are chosen; whether they come out
/// sorted (the kernel sorts them either way, which ONNX allows).
struct TopKRows {
  int64_t axis = 0, outer = 1, n = 1, inner = 1, k = 1;
  bool largest = true, sorted = true;
};
absl::StatusOr<TopKRows> topKRows(const Node &node, int64_t opset);

/// GroupNormalization's groups: batch * groups rows of channelsPerGroup
/// channels of `plane` elements each (the dims after C), normalised
/// together; scale and bias per group (opset 18) or per channel (opset 21);
/// epsilon and the type the statistics are computed in (stash_type).
struct GroupNormGroups {
  int64_t batch = 1, groups = 1, channelsPerGroup = 1, plane = 1;
  bool perChannel = true;
  float epsilon = 1e-5f;
  DType stashType = DType::F32;
};
absl::StatusOr<GroupNormGroups> groupNormGroups(const Node &node, int64_t opset);

/// LayerNormalization's rows: `rows` rows of n elements (every dim from
/// axis on), epsilon, and the type of the Mean / InvStdDev outputs.
struct LayerNormRows {
  int64_t axis = 0, rows = 1, n = 1;
  float epsilon = 1e-5f;
  DType stashType = DType::F32;
};
absl::StatusOr<LayerNormRows> layerNormRows(const Node &node);

/// The rows Softmax and LogSoftmax normalise: outer * inner rows of n
/// elements, inner apart. Before opset 13 a row is every dim from `axis` on
/// (the input coerced to 2-D), since then the single dim `axis`.
struct SoftmaxRows {
  int64_t outer = 1, n = 1, inner = 1;
};
absl::StatusOr<SoftmaxRows> softmaxRows(const Node &node, int64_t opset);

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

/// Whether pool \p node takes the maximum (MaxPool, GlobalMaxPool) rather
/// than the average.
bool isMaxPool(const Node &node);

/// Whether pool \p node reduces the whole spatial extent (GlobalAveragePool,
/// GlobalMaxPool) rather than windows.
bool isGlobalPool(const Node &node);

/// The window of a windowed pool: kernel_shape, strides, pads, auto_pad and
/// the dilations and ceil_mode its opset knows; with ceil_mode, a last
/// window that would start in the end padding is dropped.
absl::StatusOr<WindowGeometry> poolWindowGeometry(const Node &node, int64_t opset);

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

/// ConvTranspose's geometry for an input with spatial dims \p inputSpatial
/// and a kernel \p kernel: output element o along an axis sums the input
/// elements i and taps k with i * stride + k * dilation - padsBegin = o.
/// The pads come from `pads`, from `output_shape` or from auto_pad (the
/// ONNX formulas, total padding split with floor division, so that a
/// negative total, an output longer than the full one, puts the extra
/// elements at the end); padsEnd absorbs output_padding and may be
/// negative. outputSpatial holds the output's spatial dims.
absl::StatusOr<WindowGeometry> convTransposeGeometry(const Node &node,
                                                     llvm::ArrayRef<int64_t> inputSpatial,
                                                     llvm::ArrayRef<int64_t> kernel);

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// The float attributes of unary elementwise op \p node in order
/// (LeakyRelu: alpha; HardSigmoid: alpha, beta), ONNX defaults filled in;
/// 0 where the op has fewer. \p opType is the op whose attributes the node
/// carries (a tinyplan QLinearUnary carries its float op's); the node's own
/// op type by default.
absl::StatusOr<std::array<double, 2>> unaryFloatAttrs(const Node &node,
                                                      llvm::StringRef opType = "");

/// The shape PRelu's slope broadcasts as: its own, except before opset 7,
/// where a 1-D slope of C > 1 elements is per channel (axis 1 of an input
/// [N, C, ...]): [C, 1, ..., 1].
Shape preluSlopeShape(const Node &node, int64_t opset);

/// A bound of Clip before opset 11, the float attribute `min` (\p upper
/// false, default -FLT_MAX) or `max` (default FLT_MAX), as a one-element
/// tensor of the input's type.
absl::StatusOr<Tensor> clipAttributeBound(const Node &node, bool upper);

//===----------------------------------------------------------------------===//
// QuantizeLinear, DequantizeLinear
//===----------------------------------------------------------------------===//

/// The data of QuantizeLinear / DequantizeLinear \p node seen as outer x
/// channels x inner elements, channel c quantized with scale[c] and zero
/// point[c]: channels = 1 for a per-tensor scale, the extent of `axis`
/// for a per-axis one. With opset 21's block_size (blockSize > 0), element
/// (o, c, i) takes scale and zero point (o, c / blockSize, i) of tensors
/// outer x ceil(channels / blockSize) x inner.
struct QuantBlocks {
  int64_t outer = 1, channels = 1, inner = 1, blockSize = 0;
};
absl::StatusOr<QuantBlocks> quantizeLinearBlocks(const Node &node, int64_t opset);

} // namespace tinyplan

#endif
