//===- Softmax.cpp - C for Softmax and LogSoftmax -------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/CMath.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// Normalises each of outer * inner rows of n elements, inner apart:
/// subtract the row maximum, exponentiate, sum, then divide (Softmax) or
/// subtract the log of the sum (LogSoftmax).
constexpr const char *kSoftmaxKernel = R"(static void $NAME(const $T *x, $T *y, int32_t outer, int32_t n, int32_t inner) {
  int32_t o, i, k;
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const $T *xr = x + o * n * inner + i;
      $T *yr = y + o * n * inner + i;
      $T max = xr[0], sum = 0;
      for (k = 1; k < n; ++k)
        if (xr[k * inner] > max)
          max = xr[k * inner];
      for (k = 0; k < n; ++k)
        sum += $EXP(xr[k * inner] - max);
      for (k = 0; k < n; ++k)
        yr[k * inner] = $STORE;
    }
}
)";

absl::Status emitSoftmax(const Node &node, CEmitContext &ctx, bool isLog) {
  const TensorType &input = node.operand(0)->type();
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, input.dtype));
  TP_ASSIGN_OR_RETURN(SoftmaxRows rows, softmaxRows(node, ctx.opset()));
  int64_t outer = rows.outer, n = rows.n, inner = rows.inner;
  std::string exp = requireCMath(ctx, CMathFunction::Exp, input.dtype);
  std::string name = absl::StrCat("tp_", isLog ? "logsoftmax_" : "softmax_",
                                  cTypeSuffix(input.dtype));
  std::string store =
      isLog ? absl::StrCat("xr[k * inner] - max - ",
                           requireCMath(ctx, CMathFunction::Log, input.dtype), "(sum)")
            : absl::StrCat(exp, "(xr[k * inner] - max) / sum");
  ctx.requireKernel(name, absl::StrReplaceAll(kSoftmaxKernel,
                                              {{"$NAME", name},
                                               {"$T", cType(input.dtype)->str()},
                                               {"$STORE", store},
                                               {"$EXP", exp}}));
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
