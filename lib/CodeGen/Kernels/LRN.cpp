//===- LRN.cpp - C for LRN (local response normalization) -----------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {
namespace {

/// outer * channels * inner elements; the sum runs over channels
/// [c - before, c + after] clipped, one position apart by `inner`
/// (kernels/lrn.c; f32 raises to beta with tp_lrn_pow_f32, not libm's powf).
/// Reads neighbouring channels, so the result may overlap its input only as
/// far as lrnOverlap allows.
absl::Status emitLrn(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, input.dtype));
  TP_ASSIGN_OR_RETURN(std::optional<int64_t> size, node.getOptionalInt("size"));
  TP_ASSIGN_OR_RETURN(float alpha, node.getFloat("alpha", 1e-4f));
  TP_ASSIGN_OR_RETURN(float beta, node.getFloat("beta", 0.75f));
  TP_ASSIGN_OR_RETURN(float bias, node.getFloat("bias", 1.0f));
  int64_t outer = input.shape[0], channels = input.shape[1], inner = 1;
  for (int64_t d = 2; d < input.rank(); ++d)
    inner *= input.shape[d];
  if (outer * channels * inner == 0)
    return absl::OkStatus();
  // floor((size-1)/2) channels before, ceil((size-1)/2) after.
  int64_t before = (*size - 1) / 2, after = *size / 2;
  std::string name = requireLibraryKernel(ctx, absl::StrCat("tp_lrn_", cTypeSuffix(input.dtype)));
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.result()), ", ", outer, ", ", channels, ", ",
                        inner, ", ", before, ", ", after, ", ",
                        cFloatLiteral(double(alpha) / double(*size), input.dtype), ", ",
                        cFloatLiteral(beta, input.dtype), ", ",
                        cFloatLiteral(bias, input.dtype), ");"));
  return absl::OkStatus();
}

/// tp_lrn_* goes channel by channel, position by position, and writes
/// y[c, i] after reading x[c - before .. c + after, i]. Later outputs read
/// no input element below x[c - before, i + 1], so y[c, i] may land on
/// x[c - before, i]: the result may start `before` channels below its input
/// (smaller channels below `before` read from channel 0 and need less).
std::optional<KernelOverlap> lrnOverlap(const Node &node, const LayoutPlan &) {
  const Value *input = node.operand(0);
  absl::StatusOr<std::optional<int64_t>> size = node.getOptionalInt("size");
  if (!input || input->isConstant() || input->type().rank() < 2 || !size.ok() || !*size ||
      **size < 1 || input->type().shape[0] * input->type().shape[1] == 0)
    return std::nullopt;
  int64_t before = (**size - 1) / 2;
  int64_t channelBytes =
      input->type().numBytes() / (input->type().shape[0] * input->type().shape[1]);
  return KernelOverlap{0, before * channelBytes};
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("LRN", emitLrn, nullptr, lrnOverlap); }

} // namespace tinyplan
