//===- Conv.cpp - ONNX Conv: 1-D to 3-D, grouped, dilated -----------------===//
//
// Conv(X, W, B?) with X = [N, C, D...], W = [M, C/group, k...] and an optional
// bias of length M. The kernel size comes from W (kernel_shape, when given,
// must agree with it); strides, dilations, pads and auto_pad are resolved by
// the window geometry shared with the pools. Depthwise convolution is the
// group == C case.
//
// Passes may record an activation the kernel applies to every output element
// as it stores it: `fused_activation` ("Relu", "Tanh", "Clip", ...) with its
// parameters `fused_alpha`, `fused_beta`, `fused_min`, `fused_max` (see
// checkFusedActivation in OpUtils.h). They change no shape or cost.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

#include "absl/strings/str_join.h"

namespace tinyplan {
namespace {

/// "[3, 3]" for diagnostics about attribute lists.
std::string listStr(llvm::ArrayRef<int64_t> values) {
  return absl::StrCat("[", absl::StrJoin(values, ", "), "]");
}

class ConvOp final : public OpDef {
public:
  ConvOp() : OpDef("Conv", 2, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "X"));
    const TensorType &input = node.operand(0)->type();
    const TensorType &weight = node.operand(1)->type();
    if (weight.dtype != input.dtype)
      return modelError("weight has type ", dtypeName(weight.dtype).str(),
                        ", input has ", dtypeName(input.dtype).str());
    // ONNX allows any number of spatial axes; kernels exist for 1 to 3.
    TP_ASSIGN_OR_RETURN(int64_t group, checkConvShapes(node, input, weight));
    int64_t channels = input.shape[1];
    int64_t outChannels = weight.shape[0];
    if (weight.shape[1] != channels / group)
      return modelError("weight has ", weight.shape[1],
                        " input channels, input has ", channels, " (group ",
                        group, ")");
    if (outChannels % group != 0)
      return modelError("weight has ", outChannels,
                        " output channels, not divisible by group ", group);

    llvm::ArrayRef<int64_t> kernel =
        llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
    // kernel_shape is redundant with W; a disagreement means a broken model,
    // and silently trusting either one would compute something else.
    if (node.hasAttr("kernel_shape")) {
      TP_ASSIGN_OR_RETURN(std::vector<int64_t> kernelShape,
                          node.getInts("kernel_shape"));
      if (llvm::ArrayRef<int64_t>(kernelShape) != kernel)
        return modelError("kernel_shape ", listStr(kernelShape),
                          " does not match weight ", weight.str());
    }

    if (const Value *bias = node.operand(2)) {
      const TensorType &biasType = bias->type();
      if (biasType.dtype != input.dtype)
        return modelError("bias has type ", dtypeName(biasType.dtype).str(),
                          ", input has ", dtypeName(input.dtype).str());
      if (biasType.rank() != 1)
        return modelError("bias must be 1-D, got ", biasType.str());
      if (biasType.shape[0] != outChannels)
        return modelError("bias has ", biasType.shape[0],
                          " elements, weight has ", outChannels,
                          " output channels");
    }

    llvm::ArrayRef<int64_t> spatial =
        llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
    TP_ASSIGN_OR_RETURN(WindowGeometry geometry,
                        computeWindowGeometry(node, spatial, kernel,
                                              /*supportsCeilMode=*/false,
                                              /*supportsDilations=*/true));
    TP_RETURN_IF_ERROR(checkFusedActivation(node, input.dtype));
    Shape outShape = {input.shape[0], outChannels};
    outShape.append(geometry.outputSpatial.begin(),
                    geometry.outputSpatial.end());
    return TypeList{TensorType(input.dtype, outShape)};
  }

  /// N * M * prod(outSpatial) output elements, each a dot product of
  /// (C / group) * prod(kernel) = W[1] * prod(W[2:]) terms; W and B are the
  /// layer's parameters, even in the rare model that feeds them as inputs.
  OpCost cost(const Node &node) const override { return convCost(node, *node.result()); }

  bool acceptsFusedActivation(const Node &) const override { return true; }

  /// A patch is the convolution of a window of X, padded only where the
  /// window meets X's edges.
  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    return convPatch(node, 1);
  }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    return QdqFusion{QdqFusion::Kind::Conv, "QLinearConv", ""};
  }

  /// Output channel m is W[m] and B[m]; a missing bias can be created.
  std::optional<ChannelLinearity> channelLinearity(const Node &) const override {
    ChannelLinearity linearity;
    linearity.weightOperand = 1;
    linearity.weightAxis = 0;
    linearity.biasOperand = 2;
    return linearity;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<ConvOp>()); }

} // namespace tinyplan
