//===- TopK.cpp - C for TopK ----------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// For each of outer * inner rows of n elements, inner apart, the k best
/// elements and their indices, sorted, ties to the lower index
/// (kernels/topk.c): f32, f64 and every integer type.
absl::Status emitTopK(const Node &node, CEmitContext &ctx) {
  DType type = node.operand(0)->type().dtype;
  TP_ASSIGN_OR_RETURN(std::string name, typedKernelName(node, "topk", type));
  TP_ASSIGN_OR_RETURN(TopKRows rows, topKRows(node, ctx.opset()));
  if (rows.outer * rows.k * rows.inner == 0)
    return absl::OkStatus();
  ctx.emit(absl::StrCat(requireLibraryKernel(ctx, name), "(", ctx.pointer(*node.operand(0)),
                        ", ", ctx.pointer(*node.result(0)), ", ", ctx.pointer(*node.result(1)),
                        ", ", rows.outer, ", ", rows.n, ", ", rows.inner, ", ", rows.k, ", ",
                        rows.largest ? 1 : 0, ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("TopK", emitTopK); }

} // namespace tinyplan
