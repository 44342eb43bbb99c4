//===- QLinearConv.cpp - C for QLinearConv and ConvInteger ----------------===//
//
// The direct integer convolution of kernels/quant.c, one instance per pair
// of activation and weight types: tp_conv_integer_<x>_<w> stores the int32
// accumulators, tp_qlinearconv_<x>_<w> requantizes them (the result has
// x's type). 1-D and 2-D convolutions run as 3-D ones with leading spatial
// dims of 1. Scales and zero points are read at run time; the per-channel
// multiplier (x_scale * w_scale[m]) / y_scale is computed by the kernel
// once per output channel, as ONNX Runtime computes it.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

#include "absl/strings/str_join.h"

namespace tinyplan {
namespace {

/// The call of an integer convolution of operands \p xIndex and \p wIndex
/// with those zero points: QLinearConv's (\p requant, its scales and bias
/// at operands 1, 4, 6, 7 and 8) or ConvInteger's.
absl::Status emitIntegerConv(const Node &node, CEmitContext &ctx, unsigned xIndex,
                             unsigned wIndex, const Value *xZeroPoint, const Value *wZeroPoint,
                             bool requant) {
  const TensorType &input = node.operand(xIndex)->type();
  const TensorType &weight = node.operand(wIndex)->type();
  const TensorType &output = node.result(0)->type();
  if (requant && output.dtype != input.dtype)
    return unsupportedKernel(node, "a result type other than the input's");
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
  llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(WindowGeometry g, computeWindowGeometry(node, spatial, kernel, false, true));
  TP_ASSIGN_OR_RETURN(int64_t group, node.getInt("group", 1));
  std::vector<int64_t> geometry = quantWindowTable(
      spatial, llvm::ArrayRef<int64_t>(output.shape).drop_front(2), g, /*withDilations=*/true);
  std::string types = absl::StrCat(cTypeSuffix(input.dtype), "_", cTypeSuffix(weight.dtype));
  std::string name = requant ? requireRequantKernel(ctx, "tp_qlinearconv_" + types, output.dtype)
                             : requireLibraryKernel(ctx, "tp_conv_integer_" + types);
  if (output.numElements() == 0)
    return absl::OkStatus();
  std::string wzp = wZeroPoint ? ctx.pointer(*wZeroPoint) : "0";
  int64_t wzpStep = wZeroPoint && wZeroPoint->type().numElements() > 1 ? 1 : 0;
  std::vector<std::string> args = {ctx.pointer(*node.operand(xIndex)),
                                   quantZeroPointC(ctx, xZeroPoint),
                                   ctx.pointer(*node.operand(wIndex)),
                                   wzp,
                                   absl::StrCat(wzpStep)};
  if (requant) {
    const Value *bias = node.operand(8);
    int64_t wsStep = node.operand(4)->type().numElements() > 1 ? 1 : 0;
    args.insert(args.end(), {bias ? ctx.pointer(*bias) : "0", ctx.pointer(*node.result(0)),
                             absl::StrCat(ctx.pointer(*node.operand(1)), "[0]"),
                             ctx.pointer(*node.operand(4)), absl::StrCat(wsStep),
                             absl::StrCat(ctx.pointer(*node.operand(6)), "[0]"),
                             quantZeroPointC(ctx, node.operand(7))});
  } else {
    args.insert(args.end(), {"0", ctx.pointer(*node.result(0)), "0", "0", "0", "0", "0"});
  }
  args.insert(args.end(), {absl::StrCat(input.shape[0]), absl::StrCat(input.shape[1]),
                           absl::StrCat(weight.shape[0]), absl::StrCat(group), "g"});
  ctx.emit(absl::StrCat("{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ", name,
                        "(", absl::StrJoin(args, ", "), ");\n}"));
  return absl::OkStatus();
}

absl::Status emitQLinearConv(const Node &node, CEmitContext &ctx) {
  return emitIntegerConv(node, ctx, 0, 3, node.operand(2), node.operand(5), true);
}

absl::Status emitConvInteger(const Node &node, CEmitContext &ctx) {
  return emitIntegerConv(node, ctx, 0, 1, node.operand(2), node.operand(3), false);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("QLinearConv", emitQLinearConv);
  registry.addPortable("ConvInteger", emitConvInteger);
}

} // namespace tinyplan
