//===- ConvTranspose.cpp - ONNX ConvTranspose: 1-D to 3-D, grouped, dilated ===//
//
// ConvTranspose(X, W, B?) with X = [N, C, D...], W = [C, M/group, k...] and
// an optional bias of length M: every input element, times every tap of
// its channel's kernels, adds into the output element at i * stride + k *
// dilation - pad. The output's extent comes from `pads`, `output_shape` or
// auto_pad, plus `output_padding` at the end (convTransposeGeometry). The
// C computes each output element as a sum over the inputs that reach it
// (kernels/convtranspose.c), so the result never shares the input's bytes.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"
#include "tinyplan/Support/Checked.h"


namespace tinyplan {

namespace {

/// floor(a / 2) for any sign of a.
int64_t floorHalf(int64_t a) { return a >= 0 ? a / 2 : -((-a + 1) / 2); }

/// Spatial attribute bound: larger values would overflow the arithmetic
/// below long before they made sense.
constexpr int64_t kAttrLimit = int64_t(1) << 40;

} // namespace

absl::StatusOr<WindowGeometry> convTransposeGeometry(const Node &node,
                                                     llvm::ArrayRef<int64_t> inputSpatial,
                                                     llvm::ArrayRef<int64_t> kernel) {
  size_t count = inputSpatial.size();
  WindowGeometry g;
  if (kernel.size() != count)
    return modelError("kernel has ", kernel.size(), " spatial dims, input has ", count);
  for (int64_t k : kernel)
    if (k <= 0)
      return modelError("kernel size ", k, " must be positive");
  g.kernel.assign(kernel.begin(), kernel.end());
  TP_ASSIGN_OR_RETURN(g.strides, spatialAttr(node, "strides", count, 1, 1));
  TP_ASSIGN_OR_RETURN(g.dilations, spatialAttr(node, "dilations", count, 1, 1));
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> pads, spatialAttr(node, "pads", 2 * count, 0, 0));
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> outputPadding,
                      spatialAttr(node, "output_padding", count, 0, 0));
  TP_ASSIGN_OR_RETURN(std::string autoPad, node.getString("auto_pad", "NOTSET"));
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return modelError("auto_pad '", autoPad,
                      "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
  // output_shape lists the spatial dims (ONNX's shape inference, and so
  // ONNX Runtime, refuse the whole shape there).
  std::vector<int64_t> outputShape;
  if (node.hasAttr("output_shape")) {
    TP_ASSIGN_OR_RETURN(outputShape, node.getInts("output_shape"));
    if (outputShape.size() != count)
      return modelError("attribute 'output_shape' has ", outputShape.size(),
                        " entries, expected ", count);
  }
  for (size_t i = 0; i < count; ++i) {
    for (int64_t v : {g.strides[i], g.dilations[i], pads[i], pads[i + count], outputPadding[i]})
      if (v > kAttrLimit)
        return modelError("attributes along spatial axis ", i, " are too large");
    // The output before any padding is taken off (every operand below
    // 2^40, the input's dims below 2^31: the sum fits, but not always an
    // int64 product of two attributes, hence the checks).
    std::optional<int64_t> reach = checkedMul(g.strides[i], inputSpatial[i] - 1);
    std::optional<int64_t> span = checkedMul(g.kernel[i] - 1, g.dilations[i]);
    if (!reach || !span || *reach > kAttrLimit || *span > kAttrLimit)
      return modelError("output extent along spatial axis ", i, " is too large");
    int64_t full = *reach + outputPadding[i] + *span + 1;
    int64_t out, begin;
    if (!outputShape.empty() || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = !outputShape.empty() ? outputShape[i] : *reach + g.strides[i];
      if (out <= 0 || out > kAttrLimit)
        return modelError("output extent ", out, " along spatial axis ", i,
                          " must be positive");
      int64_t total = full - out;
      begin = autoPad == "SAME_UPPER" ? floorHalf(total) : total - floorHalf(total);
    } else {
      begin = autoPad == "VALID" ? 0 : pads[i];
      int64_t end = autoPad == "VALID" ? 0 : pads[i + count];
      out = full - begin - end;
      if (out <= 0)
        return modelError("pads along spatial axis ", i, " leave no output (", full,
                          " elements before padding)");
    }
    g.padsBegin.push_back(begin);
    g.padsEnd.push_back(full - out - begin);
    g.outputSpatial.push_back(out);
  }
  return g;
}

namespace {

class ConvTransposeOp final : public OpDef {
public:
  ConvTransposeOp() : OpDef("ConvTranspose", 2, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "X"));
    const TensorType &input = node.operand(0)->type();
    const TensorType &weight = node.operand(1)->type();
    if (weight.dtype != input.dtype)
      return modelError("weight has type ", dtypeName(weight.dtype).str(), ", input has ",
                        dtypeName(input.dtype).str());
    TP_ASSIGN_OR_RETURN(int64_t group, checkConvShapes(node, input, weight));
    int64_t channels = input.shape[1];
    if (weight.shape[0] != channels)
      return modelError("weight has ", weight.shape[0], " input channels, input has ",
                        channels);
    std::optional<int64_t> outChannels = checkedMul(weight.shape[1], group);
    if (!outChannels)
      return modelError("weight ", weight.str(), " with group ", group,
                        " has too many output channels");
    llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
    if (node.hasAttr("kernel_shape")) {
      TP_ASSIGN_OR_RETURN(std::vector<int64_t> kernelShape, node.getInts("kernel_shape"));
      if (llvm::ArrayRef<int64_t>(kernelShape) != kernel)
        return modelError("kernel_shape does not match weight ", weight.str());
    }
    if (const Value *bias = node.operand(2)) {
      const TensorType &biasType = bias->type();
      if (biasType.dtype != input.dtype)
        return modelError("bias has type ", dtypeName(biasType.dtype).str(), ", input has ",
                          dtypeName(input.dtype).str());
      if (biasType.rank() != 1 || biasType.shape[0] != *outChannels)
        return modelError("bias must be 1-D with ", *outChannels, " elements, got ",
                          biasType.str());
    }
    TP_ASSIGN_OR_RETURN(
        WindowGeometry geometry,
        convTransposeGeometry(node, llvm::ArrayRef<int64_t>(input.shape).drop_front(2), kernel));
    Shape outShape = {input.shape[0], *outChannels};
    outShape.append(geometry.outputSpatial.begin(), geometry.outputSpatial.end());
    return TypeList{TensorType(input.dtype, outShape)};
  }

  /// Every input element times every tap of its group's M / group kernels:
  /// N * C * prod(input spatial) * W[1] * prod(kernel) products (those that
  /// land in the padding included).
  OpCost cost(const Node &node) const override { return convCost(node, *node.operand(0)); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<ConvTransposeOp>()); }

} // namespace tinyplan
