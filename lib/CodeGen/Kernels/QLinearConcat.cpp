//===- QLinearConcat.cpp - C for com.microsoft QLinearConcat --------------===//
//
// One call of kernels/qlinear.c's tp_qlinear_concat_part per input: a copy
// where the input's scale and zero point equal Y's, else a table of 256
// bytes, each byte dequantized and quantized with Y's parameters, as ONNX
// Runtime's QLinearConcat builds it (qlinear_concat.cc). The tables are
// computed at compile time: every scale and zero point must be a constant.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

namespace tinyplan {
namespace {

absl::Status emitQLinearConcat(const Node &node, CEmitContext &ctx) {
  const TensorType &out = node.result()->type();
  if (ctx.channelsLast(node))
    return unsupportedKernel(node, "a channels-last layout");
  std::optional<ConstantQuantParams> y = constantQuantParams(node.operand(0), node.operand(1));
  if (!y)
    return unsupportedKernel(node, "scales or zero points computed at run time");
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 0));
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, out.rank()));
  AxisBlocks blocks = axisBlocks(out.shape, axis);
  std::string name = requireLibraryKernel(ctx, "tp_qlinear_concat_part");
  int64_t offset = 0;
  for (unsigned i = 2; i < node.numOperands(); i += 3) {
    const Value &input = *node.operand(i);
    std::optional<ConstantQuantParams> x =
        constantQuantParams(node.operand(i + 1), node.operand(i + 2));
    if (!x)
      return unsupportedKernel(node, "scales or zero points computed at run time");
    int64_t inner = input.type().shape[axis] * blocks.inner;
    std::string table = "0";
    if (x->scale != y->scale || x->zeroPoint != y->zeroPoint)
      table = quantLookupTableC(ctx, node, absl::StrCat(i), *x, *y, out.dtype,
                                [](float v) { return v; });
    if (input.type().numElements() > 0)
      ctx.emit(absl::StrCat(name, "((const uint8_t *)", ctx.pointer(input), ", ", table,
                            ", (uint8_t *)", ctx.pointer(*node.result()), " + ", offset, ", ",
                            blocks.outer, ", ", inner, ", ", out.shape[axis] * blocks.inner,
                            ");"));
    offset += inner;
  }
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  addMicrosoftPortable(registry, "QLinearConcat", emitQLinearConcat);
}

} // namespace tinyplan
