//===- CumSum.cpp - C for CumSum ------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// The running sums of outer * inner rows of n elements, inner apart
/// (kernels/cumsum.c): f32, f64 and the 32- and 64-bit integers.
absl::Status emitCumSum(const Node &node, CEmitContext &ctx) {
  DType type = node.operand(0)->type().dtype;
  TP_ASSIGN_OR_RETURN(std::string name, typedKernelName(node, "cumsum", type));
  TP_ASSIGN_OR_RETURN(CumSumRows rows, cumSumRows(node));
  if (rows.outer * rows.n * rows.inner == 0)
    return absl::OkStatus();
  ctx.emit(absl::StrCat(requireLibraryKernel(ctx, name), "(", ctx.pointer(*node.operand(0)),
                        ", ", ctx.pointer(*node.result(0)), ", ", rows.outer, ", ", rows.n,
                        ", ", rows.inner, ", ", rows.exclusive ? 1 : 0, ", ",
                        rows.reverse ? 1 : 0, ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("CumSum", emitCumSum); }

} // namespace tinyplan
