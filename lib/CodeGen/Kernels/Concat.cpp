//===- Concat.cpp - C for Concat ------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Copies each operand's chunks into the result, except an operand the
/// planner already placed as its slice of the result (no code at all).
absl::Status emitConcat(const Node &node, CEmitContext &ctx) {
  const Value &result = *node.result(0);
  const TensorType &type = result.type();
  TP_ASSIGN_OR_RETURN(int64_t axis, concatAxis(node, type.rank(), ctx.opset()));
  auto [outer, inner] = axisBlocks(type.shape, axis);
  int64_t size = dtypeSize(type.dtype);
  int64_t stride = type.shape[axis] * inner * size;
  std::optional<int64_t> base = ctx.arenaOffset(result);
  int64_t offset = 0;
  for (const Value *operand : node.operands()) {
    int64_t chunk = operand->type().shape[axis] * inner * size;
    std::optional<int64_t> at = ctx.arenaOffset(*operand);
    bool inPlace = outer == 1 && base && at && *at == *base + offset;
    if (!inPlace && chunk > 0 && outer > 0) {
      std::string name = requireLibraryKernel(ctx, "tp_concat_copy");
      ctx.emit(absl::StrCat(name, "((uint8_t *)", ctx.pointer(result), " + ", offset,
                            ", (const uint8_t *)", ctx.pointer(*operand), ", ", outer,
                            ", ", chunk, ", ", stride, ");"));
    }
    offset += chunk;
  }
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Concat", emitConcat); }

} // namespace tinyplan
