//===- Softmax.cpp - C for Softmax and LogSoftmax -------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Normalises each of outer * inner rows of n elements, inner apart
/// (kernels/softmax.c): subtract the row maximum, exponentiate, sum, then
/// divide (Softmax) or subtract the log of the sum (LogSoftmax).
absl::Status emitSoftmax(const Node &node, CEmitContext &ctx, bool isLog) {
  const TensorType &input = node.operand(0)->type();
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, input.dtype));
  TP_ASSIGN_OR_RETURN(SoftmaxRows rows, softmaxRows(node, ctx.opset()));
  int64_t outer = rows.outer, n = rows.n, inner = rows.inner;
  std::string name = requireLibraryKernel(
      ctx, absl::StrCat("tp_", isLog ? "logsoftmax_" : "softmax_", cTypeSuffix(input.dtype)));
  if (outer * n * inner > 0)
    ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                          ctx.pointer(*node.result()), ", ", outer, ", ", n, ", ", inner,
                          ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  for (bool isLog : {false, true})
    registry.addPortable(isLog ? "LogSoftmax" : "Softmax",
                         [isLog](const Node &node, CEmitContext &ctx) {
                           return emitSoftmax(node, ctx, isLog);
                         });
}

} // namespace tinyplan
