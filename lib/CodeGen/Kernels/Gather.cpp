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
  DType indexType = indices.type().dtype;
  std::string name = absl::StrCat("tp_gather_", cTypeSuffix(indexType));
  std::string itype = cType(indexType)->str();
  ctx.requireKernel(name, absl::StrCat("static void ", name, "(const uint8_t *x, uint8_t *y, const ",
                                       itype, " *indices,\n", R"(    int32_t outer, int32_t count, int32_t dim, int32_t inner) {
  int32_t o, c;
  for (o = 0; o < outer; ++o) {
    const uint8_t *xo = x + (size_t)o * (size_t)dim * (size_t)inner;
    for (c = 0; c < count; ++c) {
)", "      ", itype, R"( k = indices[c];
      if (k < 0)
        k += dim;
      if (k >= 0 && k < dim)
        memcpy(y, xo + (size_t)k * (size_t)inner, (size_t)inner);
      else
        memset(y, 0, (size_t)inner);
      y += inner;
    }
  }
}
)"));
  ctx.emit(absl::StrCat(name, "((const uint8_t *)", ctx.pointer(data), ", (uint8_t *)",
                        ctx.pointer(*node.result(0)), ", ", ctx.pointer(indices), ", ",
                        cIntList({outer, count, type.shape[axis], inner}), ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Gather", emitGather); }

} // namespace tinyplan
