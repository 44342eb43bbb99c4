//===- QLinearPool.cpp - C for com.microsoft QLinearAveragePool -----------===//
//
// kernels/quant.c's tp_qlinear_avgpool_<u8|i8> over the N x C planes, 1-D
// and 2-D pools as 3-D ones with leading spatial dims of 1; the scales and
// zero points are read at run time. A window of the whole unpadded input is
// the global pool's kernel, as in ONNX Runtime.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

namespace tinyplan {
namespace {

absl::Status emitQLinearAveragePool(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &output = node.result(0)->type();
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> kernel, node.getInts("kernel_shape"));
  TP_ASSIGN_OR_RETURN(WindowGeometry g, computeWindowGeometry(node, spatial, kernel, false, false));
  // ONNX Runtime computes a window of the whole unpadded input as
  // QLinearGlobalAveragePool does (qlinear_pool.cc, fallback_to_global).
  bool unpadded = llvm::all_of(g.padsBegin, [](int64_t p) { return p == 0; }) &&
                  llvm::all_of(g.padsEnd, [](int64_t p) { return p == 0; });
  if (unpadded && llvm::ArrayRef<int64_t>(kernel) == spatial)
    return emitQLinearGlobalAverage(node, ctx, /*channelsLast=*/false);
  TP_ASSIGN_OR_RETURN(int64_t includePad, node.getInt("count_include_pad", 0));
  std::vector<int64_t> geometry = quantWindowTable(
      spatial, llvm::ArrayRef<int64_t>(output.shape).drop_front(2), g, /*withDilations=*/false);
  geometry.push_back(includePad != 0);
  std::string name = requireLibraryKernel(
      ctx, absl::StrCat("tp_qlinear_avgpool_", cTypeSuffix(input.dtype)));
  if (output.numElements() == 0)
    return absl::OkStatus();
  ctx.emit(absl::StrCat(
      "{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ", name, "(",
      ctx.pointer(*node.operand(0)), ", ", ctx.pointer(*node.operand(1)), "[0], ",
      quantZeroPointC(ctx, node.operand(2)), ", ", ctx.pointer(*node.result(0)), ", ",
      ctx.pointer(*node.operand(3)), "[0], ", quantZeroPointC(ctx, node.operand(4)), ", ",
      quantRangeC(input.dtype), ", ", input.shape[0] * input.shape[1], ", g);\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  addMicrosoftPortable(registry, "QLinearAveragePool", emitQLinearAveragePool);
}

} // namespace tinyplan
