//===- Conv.cpp - ONNX Conv: 1-D to 3-D, grouped, dilated -----------------===//
//
// Conv(X, W, B?) with X = [N, C, D...], W = [M, C/group, k...] and an optional
// bias of length M. The kernel size comes from W (kernel_shape, when given,
// must agree with it); strides, dilations, pads and auto_pad are resolved by
// the window geometry shared with the pools. Depthwise convolution is the
// group == C case and needs nothing special here.
//
// Passes may record an activation the kernel applies to every output element
// as it stores it: `fused_activation` ("Relu", "Tanh", "Clip", ...) with its
// parameters `fused_alpha`, `fused_beta`, `fused_min`, `fused_max` (see
// checkFusedActivation in OpUtils.h). They change no shape or cost.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/CEmit.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/Checked.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include <limits>

namespace tinyplan {
namespace {

/// Direct convolution over NCHW (1-D runs as H = 1). The accumulator stays in
/// a local; the kernel rows and columns that fall into the padding are cut
/// off once per output row / element, so the inner loop has no bounds test.
/// $ACT applies the fused activation to v as the result is stored.
constexpr const char *kConv2dKernel = R"(static void $NAME(const $T *x, const $T *w, const $T *b, $T *y,
    int32_t N, int32_t C, int32_t H, int32_t W, int32_t M, int32_t OH, int32_t OW,
    int32_t KH, int32_t KW, int32_t SH, int32_t SW, int32_t DH, int32_t DW,
    int32_t PT, int32_t PL, int32_t G) {
  const int32_t CG = C / G, MG = M / G;
  int32_t n, m, oh, ow, c, kh, kw;
  for (n = 0; n < N; ++n)
    for (m = 0; m < M; ++m) {
      const $T *xg = x + (n * C + (m / MG) * CG) * H * W;
      const $T *wm = w + m * CG * KH * KW;
      const $T bias = b ? b[m] : ($T)0;
      $T *ym = y + (n * M + m) * OH * OW;
      for (oh = 0; oh < OH; ++oh) {
        const int32_t ih0 = oh * SH - PT;
        const int32_t kh0 = ih0 < 0 ? (DH - 1 - ih0) / DH : 0;
        int32_t kh1 = (H - ih0 + DH - 1) / DH;
        if (kh1 > KH)
          kh1 = KH;
        for (ow = 0; ow < OW; ++ow) {
          const int32_t iw0 = ow * SW - PL;
          const int32_t kw0 = iw0 < 0 ? (DW - 1 - iw0) / DW : 0;
          int32_t kw1 = (W - iw0 + DW - 1) / DW;
          $T acc = bias;
          if (kw1 > KW)
            kw1 = KW;
          for (c = 0; c < CG; ++c) {
            const $T *xc = xg + c * H * W;
            const $T *wc = wm + c * KH * KW;
            for (kh = kh0; kh < kh1; ++kh) {
              const $T *xr = xc + (ih0 + kh * DH) * W + iw0;
              const $T *wr = wc + kh * KW;
              for (kw = kw0; kw < kw1; ++kw)
                acc = $FMA(xr[kw * DW], wr[kw], acc);
            }
          }
          {
            const $T v = acc;
            ym[oh * OW + ow] = $ACT;
          }
        }
      }
    }
}
)";

/// "[3, 3]" for diagnostics about attribute lists.
std::string listStr(llvm::ArrayRef<int64_t> values) {
  return absl::StrCat("[", absl::StrJoin(values, ", "), "]");
}

/// a * b, saturating: costs are reported, never used to size memory, so a
/// huge but finite number is more useful than an error.
int64_t saturatingMul(int64_t a, int64_t b) {
  std::optional<int64_t> product = checkedMul(a, b);
  return product ? *product : std::numeric_limits<int64_t>::max();
}

class ConvOp final : public OpDef {
public:
  ConvOp() : OpDef("Conv", 2, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "X"));
    const TensorType &input = node.operand(0)->type();
    const TensorType &weight = node.operand(1)->type();
    // ONNX allows any number of spatial axes; kernels exist for 1 to 3.
    if (input.rank() < 3 || input.rank() > 5)
      return modelError("input must have rank 3, 4 or 5 (N, C and 1 to 3 "
                        "spatial dims), got ",
                        input.str());
    if (weight.dtype != input.dtype)
      return modelError("weight has type ", dtypeName(weight.dtype).str(),
                        ", input has ", dtypeName(input.dtype).str());
    if (weight.rank() != input.rank())
      return modelError("weight has rank ", weight.rank(), ", input has rank ",
                        input.rank(), " (weight ", weight.str(), ", input ",
                        input.str(), ")");

    TP_ASSIGN_OR_RETURN(int64_t group, node.getInt("group", 1));
    if (group < 1)
      return modelError("group must be positive, got ", group);
    int64_t channels = input.shape[1];
    int64_t outChannels = weight.shape[0];
    if (channels % group != 0)
      return modelError("input has ", channels,
                        " channels, not divisible by group ", group);
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

  OpCost cost(const Node &node) const override {
    OpCost cost;
    // W and B are the layer's parameters, even in the rare model that feeds
    // them as graph inputs.
    for (unsigned i = 1; i < 3; ++i)
      if (const Value *operand = node.operand(i))
        cost.params += operand->type().numElements();

    const TensorType &weight = node.operand(1)->type();
    if (!node.result()->hasType() || weight.rank() < 2)
      return cost;
    // N * M * prod(outSpatial) output elements, each a dot product of
    // (C / group) * prod(kernel) = W[1] * prod(W[2:]) terms.
    int64_t macs = node.result()->type().numElements();
    for (int64_t dim : llvm::ArrayRef<int64_t>(weight.shape).drop_front(1))
      macs = saturatingMul(macs, dim);
    cost.macs = macs;
    return cost;
  }

  bool acceptsFusedActivation(const Node &) const override { return true; }

  absl::Status emitC(const Node &node, CEmitContext &ctx) const override {
    const TensorType &input = node.operand(0)->type();
    const TensorType &weight = node.operand(1)->type();
    const TensorType &output = node.result()->type();
    if (input.dtype != DType::F32 && input.dtype != DType::F64)
      return unsupportedKernel(node, absl::StrCat("element type ",
                                                  dtypeName(input.dtype).str()));
    if (input.rank() > 4)
      return unsupportedKernel(node, "3 spatial dims");
    llvm::ArrayRef<int64_t> spatial =
        llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
    llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
    TP_ASSIGN_OR_RETURN(WindowGeometry g,
                        computeWindowGeometry(node, spatial, kernel, false, true));
    // 1-D is 2-D with a height of 1.
    if (input.rank() == 3) {
      for (std::vector<int64_t> *v : {&g.kernel, &g.strides, &g.dilations})
        v->insert(v->begin(), 1);
      g.padsBegin.insert(g.padsBegin.begin(), 0);
      g.outputSpatial.insert(g.outputSpatial.begin(), 1);
    }
    int64_t H = input.rank() == 3 ? 1 : input.shape[2];
    int64_t W = input.shape[input.rank() - 1];
    TP_ASSIGN_OR_RETURN(int64_t group, node.getInt("group", 1));
    TP_ASSIGN_OR_RETURN(FusedActivationC act, fusedActivationC(node, input.dtype));
    std::string type = cType(input.dtype)->str();
    std::string name = absl::StrCat("tp_conv2d_", cTypeSuffix(input.dtype), act.suffix);
    ctx.requireKernel(name, absl::StrReplaceAll(
                                kConv2dKernel, {{"$NAME", name},
                                                {"$T", type},
                                                {"$FMA", input.dtype == DType::F32 ? "fmaf" : "fma"},
                                                {"$ACT", act.expression}}));
    const Value *bias = node.operand(2);
    ctx.emit(absl::StrCat(
        name, "(", ctx.pointer(*node.operand(0)), ", ", ctx.pointer(*node.operand(1)), ", ",
        bias ? ctx.pointer(*bias) : std::string("0"), ", ", ctx.pointer(*node.result()), ",\n  ",
        cIntList({input.shape[0], input.shape[1], H, W, output.shape[1], g.outputSpatial[0],
                  g.outputSpatial[1]}),
        ",\n  ",
        cIntList({g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.dilations[0],
                  g.dilations[1], g.padsBegin[0], g.padsBegin[1], group}),
        ");"));
    return absl::OkStatus();
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
