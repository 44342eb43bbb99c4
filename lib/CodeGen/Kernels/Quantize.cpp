//===- Quantize.cpp - C for QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear -===//
//
// Calls of kernels/quant.c's loops, which read the scales and zero points
// at run time (they may be graph inputs): per tensor as one channel, per
// axis as outer x channels x inner elements (quantizeLinearBlocks).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_join.h"

namespace tinyplan {
namespace {

/// tp_quantize_<u8|i8|u16|i16> or tp_dequantize_<u8|i8|u16|i16|i32>(x, y,
/// outer, channels, inner, scale, zero point or null); with block_size the
/// _blocked_ kernels, which take the block size after inner.
absl::Status emitLinear(const Node &node, CEmitContext &ctx, bool quantize) {
  const Value &x = *node.operand(0), &y = *node.result(0);
  DType quantType = quantize ? y.type().dtype : x.type().dtype;
  TP_ASSIGN_OR_RETURN(QuantBlocks blocks, quantizeLinearBlocks(node, ctx.opset()));
  std::string name = requireLibraryKernel(
      ctx, absl::StrCat(quantize ? "tp_quantize_" : "tp_dequantize_",
                        blocks.blockSize ? "blocked_" : "", cTypeSuffix(quantType)));
  if (y.type().numElements() == 0)
    return absl::OkStatus();
  // An int32 zero point is 0 (checked by DequantizeLinear's inference).
  const Value *zeroPoint = node.operand(2);
  std::string zp = zeroPoint && quantType != DType::I32 ? ctx.pointer(*zeroPoint) : "0";
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(x), ", ", ctx.pointer(y), ", ", blocks.outer,
                        ", ", blocks.channels, ", ", blocks.inner, ", ",
                        blocks.blockSize ? absl::StrCat(blocks.blockSize, ", ") : "",
                        ctx.pointer(*node.operand(1)), ", ", zp, ");"));
  return absl::OkStatus();
}

absl::Status emitQuantizeLinear(const Node &node, CEmitContext &ctx) {
  return emitLinear(node, ctx, /*quantize=*/true);
}

absl::Status emitDequantizeLinear(const Node &node, CEmitContext &ctx) {
  return emitLinear(node, ctx, /*quantize=*/false);
}

/// tp_dynamic_quantize_u8(x, y, y_scale, y_zero_point, n).
absl::Status emitDynamicQuantizeLinear(const Node &node, CEmitContext &ctx) {
  std::string name = requireLibraryKernel(ctx, "tp_dynamic_quantize_u8");
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.result(0)), ", ", ctx.pointer(*node.result(1)), ", ",
                        ctx.pointer(*node.result(2)), ", ",
                        node.operand(0)->type().numElements(), ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  KernelImpl quantize;
  quantize.opType = "QuantizeLinear";
  quantize.name = "portable";
  quantize.emit = emitQuantizeLinear;
  // tp_quantize writes element i after reading elements up to i, in order,
  // and its elements are no wider than the floats: each output byte lands
  // on an input element already read. (Not the blocked kernels.)
  quantize.overlap = [](const Node &node, const LayoutPlan &) -> std::optional<KernelOverlap> {
    const TensorType &x = node.operand(0)->type(), &y = node.result(0)->type();
    absl::StatusOr<int64_t> block = node.getInt("block_size", 0);
    if (!block.ok() || *block != 0 || x.numElements() != y.numElements() ||
        dtypeSize(y.dtype) > dtypeSize(x.dtype))
      return std::nullopt;
    return KernelOverlap{0, 0};
  };
  registry.add(std::move(quantize));
  registry.addPortable("DequantizeLinear", emitDequantizeLinear);
  registry.addPortable("DynamicQuantizeLinear", emitDynamicQuantizeLinear);
}

} // namespace tinyplan
