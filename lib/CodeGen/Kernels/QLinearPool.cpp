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

#include <cstring>

namespace tinyplan {
namespace {

/// Pools of whole rows that sum at least this many values take them from a
/// table of the 256 dequantized values (1 KiB of flash) where the scale and
/// zero point are constants.
constexpr int64_t kDequantizedTableTerms = 2048;

/// The C of tp_qlinear_avgpool's table of dequantized values for \p node,
/// whose windows sum about \p terms values in all, or "0" for none.
std::string dequantizedTable(const Node &node, CEmitContext &ctx, int64_t terms) {
  const Value *scale = node.operand(1), *zeroPoint = node.operand(2);
  if (terms < kDequantizedTableTerms || !scale->isConstant() ||
      (zeroPoint && !zeroPoint->isConstant()))
    return "0";
  bool isSigned = node.operand(0)->type().dtype == DType::I8;
  float xs = float(scale->constant()->doubleAt(0));
  int64_t xzp = zeroPoint ? zeroPoint->constant()->intAt(0) : 0;
  // The kernel's own float arithmetic, x_scale * (float)(value - xzp).
  std::vector<uint8_t> bytes(256 * sizeof(float));
  for (int byte = 0; byte < 256; ++byte) {
    int64_t value = isSigned ? int64_t(int8_t(uint8_t(byte))) : byte;
    float term = xs * float(int32_t(value - xzp));
    std::memcpy(bytes.data() + byte * sizeof(float), &term, sizeof term);
  }
  std::vector<int64_t> gather(256);
  for (int64_t i = 0; i < 256; ++i)
    gather[size_t(i)] = i;
  return ctx.constantTable(absl::StrCat("qavgpool_dequantized:", node.result()->id()),
                           absl::StrCat(node.result()->name(), "_dequantized"),
                           Tensor(TensorType(DType::F32, {256}), std::move(bytes)), gather);
}

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
  // The kernel takes the table for windows of whole rows (each as wide as
  // the input, none padded across).
  int64_t window = 1;
  for (int64_t k : kernel)
    window *= k;
  bool wholeRows = kernel.back() >= spatial.back() && g.padsBegin.back() == 0 &&
                   g.padsEnd.back() == 0;
  std::string table = wholeRows ? dequantizedTable(node, ctx, output.numElements() * window) : "0";
  ctx.emit(absl::StrCat(
      "{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ", name, "(",
      ctx.pointer(*node.operand(0)), ", ", ctx.pointer(*node.operand(1)), "[0], ",
      quantZeroPointC(ctx, node.operand(2)), ", ", ctx.pointer(*node.result(0)), ", ",
      ctx.pointer(*node.operand(3)), "[0], ", quantZeroPointC(ctx, node.operand(4)), ", ",
      quantRangeC(input.dtype), ", ", input.shape[0] * input.shape[1], ", g, ", table, ");\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  addMicrosoftPortable(registry, "QLinearAveragePool", emitQLinearAveragePool);
}

} // namespace tinyplan
