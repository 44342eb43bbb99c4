//===- QLinearLookup.cpp - C for com.microsoft QLinearSigmoid, LeakyRelu --===//
//
// Both ops are what ONNX Runtime makes them (qlinear_lookup_table.cc): a
// table of 256 bytes, byte b of X dequantized, passed through the float
// function and quantized. tinyplan computes the table at compile time, with
// the float operations ONNX Runtime's CPU kernels use, and model.c maps
// each byte through it (kernels/qlinear.c's tp_qlinear_lookup). The scales
// and zero points must be constants.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

#include <cmath>

namespace tinyplan {
namespace {

/// MLAS's logistic function as its AVX2/FMA3 kernel computes it
/// (MlasLogisticKernelFma3, x86_64/LogisticKernelFma3.S, with
/// logistic.cpp's constants): x clamped to [-18, 18], p and q polynomials
/// in x * x evaluated with fused multiply-adds, p * x / q + 0.5 clamped
/// below at 0.
float mlasLogistic(float x) {
  x = -18.0f > x ? -18.0f : x; // vmaxps, then vminps: a NaN x stays NaN
  x = 18.0f < x ? 18.0f : x;
  float x2 = x * x;
  float p = std::fma(x2, 4.37031012579801e-11f, 1.15627324459942e-07f);
  p = std::fma(x2, p, 6.08574864600143e-05f);
  p = std::fma(x2, p, 8.51377133304701e-03f);
  p = std::fma(x2, p, 2.48287947061529e-01f);
  float q = std::fma(x2, 6.10247389755681e-13f, 5.76102136993427e-09f);
  q = std::fma(x2, q, 6.29106785017040e-06f);
  q = std::fma(x2, q, 1.70198817374094e-03f);
  q = std::fma(x2, q, 1.16817656904453e-01f);
  q = std::fma(x2, q, 9.93151921023180e-01f);
  p = x * p;
  float r = p / q;
  r = r + 0.5f;
  return r > 0.0f ? r : 0.0f;
}

absl::Status emitQLinearLookup(const Node &node, CEmitContext &ctx,
                               const std::function<float(float)> &fn) {
  DType type = node.operand(0)->type().dtype;
  std::optional<ConstantQuantParams> x = constantQuantParams(node.operand(1), node.operand(2));
  std::optional<ConstantQuantParams> y = constantQuantParams(node.operand(3), node.operand(4));
  if (!x || !y)
    return unsupportedKernel(node, "scales or zero points computed at run time");
  std::string table = quantLookupTableC(ctx, node, "", *x, *y, type, fn);
  std::string name = requireLibraryKernel(ctx, "tp_qlinear_lookup");
  int64_t n = node.result()->type().numElements();
  if (n == 0)
    return absl::OkStatus();
  ctx.emit(absl::StrCat(name, "((const uint8_t *)", ctx.pointer(*node.operand(0)), ", ", table,
                        ", (uint8_t *)", ctx.pointer(*node.result()), ", ", n, ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  addMicrosoftPortable(registry, "QLinearSigmoid", [](const Node &node, CEmitContext &ctx) {
    return emitQLinearLookup(node, ctx, mlasLogistic);
  });
  addMicrosoftPortable(registry, "QLinearLeakyRelu", [](const Node &node, CEmitContext &ctx) {
    TP_ASSIGN_OR_RETURN(float alpha, node.getFloat("alpha", 0.01f));
    // qlinear_activations.cc: v >= 0 ? v : alpha * v.
    return emitQLinearLookup(node, ctx, [alpha](float v) { return v >= 0.0f ? v : alpha * v; });
  });
}

} // namespace tinyplan
