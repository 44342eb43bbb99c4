//===- Gather.cpp - C for Gather ------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Copies one run of `inner` elements per (outer, index) pair. Indices
/// computed at run time are normalised there; one outside [-dim, dim)
/// selects zeros rather than reading outside the data.
absl::Status emitGather(const Node &node, CEmitContext &ctx) {
  const Value &data = *node.operand(0), &indices = *node.operand(1);
  const TensorType &type = data.type();
  TP_ASSIGN_OR_RETURN(int64_t axis, gatherAxis(node));
  // Runs of `inner` bytes.
  auto [outer, inner] = axisBlocks(type.shape, axis);
  inner *= dtypeSize(type.dtype);
  int64_t count = indices.type().numElements();
  if (node.result(0)->type().numElements() == 0)
    return absl::OkStatus();
  // kernels/gather.c has a kernel per index type (int32 or int64).
  std::string name = requireLibraryKernel(ctx, "tp_gather_" + cTypeSuffix(indices.type().dtype));
  ctx.emit(absl::StrCat(name, "((const uint8_t *)", ctx.pointer(data), ", (uint8_t *)",
                        ctx.pointer(*node.result(0)), ", ", ctx.pointer(indices), ", ",
                        cIntList({outer, count, type.shape[axis], inner}), ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Gather", emitGather); }

} // namespace tinyplan
