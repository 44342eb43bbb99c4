//===- QLinearGlobalAveragePool.cpp - C for QLinearGlobalAveragePool ------===//
//
// kernels/qlinear.c's tp_qlinear_gavgpool_<u8|i8> over N images of C
// channels, channels first or last as the op's channels_last says; scales
// and zero points are read at run time. Constant parameters that ONNX
// Runtime refuses (MLAS's CheckQLinearGlobalAveragePoolScaleAndSize: a
// scale x_scale / (y_scale * image) below 2^-32 or from 256 on, images of
// 2^24 pixels or more) are refused here too.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

namespace tinyplan {
namespace {

absl::Status emitQLinearGlobalAveragePool(const Node &node, CEmitContext &ctx) {
  if (ctx.channelsLast(node))
    return unsupportedKernel(node, "a channels-last layout");
  TP_ASSIGN_OR_RETURN(int64_t channelsLast, node.getInt("channels_last", 0));
  return emitQLinearGlobalAverage(node, ctx, channelsLast != 0);
}

} // namespace

absl::Status emitQLinearGlobalAverage(const Node &node, CEmitContext &ctx, bool channelsLast) {
  const TensorType &x = node.operand(0)->type();
  int64_t n = x.shape[0], c = channelsLast ? x.shape.back() : x.shape[1];
  int64_t image = x.numElements() / std::max<int64_t>(1, n * c);
  if (image >= (int64_t(1) << 24))
    return unsupportedKernel(node, "images of 2^24 pixels or more");
  const Tensor *xs = node.operand(1)->constant(), *ys = node.operand(3)->constant();
  if (xs && ys && image > 0) {
    float scale = float(xs->doubleAt(0)) / (float(ys->doubleAt(0)) * float(image));
    if (scale < 0x1.0p-32f || scale >= 256.0f)
      return unsupportedKernel(node, "x_scale / (y_scale * pixels) outside [2^-32, 256), which "
                                     "ONNX Runtime refuses");
  }
  std::string name =
      requireLibraryKernel(ctx, absl::StrCat("tp_qlinear_gavgpool_", cTypeSuffix(x.dtype)));
  if (x.numElements() == 0)
    return absl::OkStatus();
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        quantScaleC(ctx, *node.operand(1)), ", ",
                        quantZeroPointC(ctx, node.operand(2)), ", ", ctx.pointer(*node.result()),
                        ", ", quantScaleC(ctx, *node.operand(3)), ", ",
                        quantZeroPointC(ctx, node.operand(4)), ", ", n, ", ", c, ", ", image,
                        ", ", channelsLast ? 1 : 0, ");"));
  return absl::OkStatus();
}

TINYPLAN_REGISTER_KERNELS(registry) {
  addMicrosoftPortable(registry, "QLinearGlobalAveragePool", emitQLinearGlobalAveragePool);
}

} // namespace tinyplan
