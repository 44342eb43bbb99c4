//===- QLinearSoftmax.cpp - C for com.microsoft QLinearSoftmax ------------===//
//
// kernels/qlinear.c's tp_qlinear_softmax_<u8|i8> over outer x d x inner
// elements, with the table of 256 floats that ONNX Runtime's
// QlinearBuildLookupTableUint32 (qlinear_softmax.cc) makes from x_scale and
// the row length, computed here at compile time with the host's double exp
// and log: x_scale must be a constant. Below opset 13 a row is everything
// from the axis on; from 13 on it runs along the axis (ONNX Runtime
// transposes the axis last, which changes no bits).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

#include <cfloat>
#include <cmath>

namespace tinyplan {
namespace {

/// QlinearBuildLookupTableUint32 with EXP_OUT_DTYPE float: a shift that
/// keeps the sum of \p reduceLen exponentials below FLT_MAX (log of
/// FLT_MAX / reduceLen, that quotient in float, less 5 bits), then entry i
/// = (float)exp((i - 255 + shift) * x_scale) in double.
std::vector<float> softmaxTable(float xScale, int64_t reduceLen) {
  float quotient = FLT_MAX / float(reduceLen);
  double shift = std::log(double(quotient));
  shift = std::max(0.0, shift - 5.0) / double(xScale);
  std::vector<float> table(256);
  for (int32_t i = 0; i < 256; ++i)
    table[size_t(i)] = float(std::exp((double(i) - 255 + shift) * double(xScale)));
  return table;
}

absl::Status emitQLinearSoftmax(const Node &node, CEmitContext &ctx) {
  const TensorType &x = node.operand(0)->type();
  if (ctx.channelsLast(node))
    return unsupportedKernel(node, "a channels-last layout");
  TP_ASSIGN_OR_RETURN(int64_t opset, node.getInt("opset", 13));
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", -1));
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, x.rank()));
  int64_t outer = 1, d = 1, inner = 1;
  for (int64_t i = 0; i < x.rank(); ++i)
    (i < axis ? outer : i == axis || opset < 13 ? d : inner) *= x.shape[i];
  const Value *xScale = node.operand(1);
  if (!xScale->constant())
    return unsupportedKernel(node, "an x_scale computed at run time");
  if (d < 2)
    return unsupportedKernel(node, "rows of one element");
  std::vector<float> values = softmaxTable(float(xScale->constant()->doubleAt(0)), d);
  std::vector<int64_t> gather(256);
  for (int64_t i = 0; i < 256; ++i)
    gather[size_t(i)] = i;
  std::string table = ctx.constantTable(absl::StrCat("qsoftmax:", node.result()->id()),
                                        absl::StrCat(node.result()->name(), "_exp"),
                                        Tensor::fromFloats(values, {256}), gather);
  // ONNX Runtime's y_scale is floor(1 / y_scale) in float. With it, the
  // largest entry times y_scale must stay finite (ONNX Runtime converts
  // an infinity to an integer, which C leaves undefined).
  std::string yScale;
  if (const Tensor *ys = node.operand(3)->constant()) {
    float floored = std::floor(1.0f / float(ys->doubleAt(0)));
    if (std::isinf(values[255] * floored))
      return unsupportedKernel(node, "a y_scale so small that exp * (1 / y_scale) overflows");
    yScale = cFloatLiteral(floored, DType::F32);
  } else {
    yScale = absl::StrCat("floorf(1.0f / ", quantScaleC(ctx, *node.operand(3)), ")");
  }
  std::string name =
      requireLibraryKernel(ctx, absl::StrCat("tp_qlinear_softmax_", cTypeSuffix(x.dtype)));
  if (x.numElements() == 0)
    return absl::OkStatus();
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.result()), ", ", table, ", ", yScale, ", ",
                        quantZeroPointC(ctx, node.operand(4)), ", ", outer, ", ", d, ", ",
                        inner, ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  addMicrosoftPortable(registry, "QLinearSoftmax", emitQLinearSoftmax);
}

} // namespace tinyplan
