//===- Softmax.cpp - ONNX Softmax and LogSoftmax --------------------------===//
//
// Both keep the input's shape and type. What `axis` means changed in opset
// 13: before it, the input is coerced to 2-D [prod(dims[:axis]),
// prod(dims[axis:])] and normalised over the second factor, i.e. over ALL
// dims from axis on, with axis defaulting to 1; from 13 on, it normalises
// along the single dim `axis`, defaulting to -1. A kernel must know which;
// shapes do not change either way.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/CEmit.h"
#include "tinyplan/Ops/CMath.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// Opset in which `axis` became a single dim rather than a 2-D coercion.
constexpr int64_t kSingleAxisSince = 13;

} // namespace

absl::StatusOr<SoftmaxRows> softmaxRows(const Node &node, int64_t opset) {
  const TensorType &input = node.operand(0)->type();
  bool coerced = opset < kSingleAxisSince;
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", coerced ? 1 : -1));
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, input.rank()));
  SoftmaxRows rows;
  for (int64_t d = 0; d < input.rank(); ++d) {
    int64_t dim = input.shape[d];
    if (d < axis)
      rows.outer *= dim;
    else if (d == axis || coerced)
      rows.n *= dim;
    else
      rows.inner *= dim;
  }
  return rows;
}

namespace {

constexpr const char *kSoftmaxOps[] = {"Softmax", "LogSoftmax"};

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

class SoftmaxOp final : public OpDef {
public:
  explicit SoftmaxOp(const char *opType) : OpDef(opType, 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "input"));
    const TensorType &input = node.operand(0)->type();
    int64_t defaultAxis = opset < kSingleAxisSince ? 1 : -1;
    TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", defaultAxis));
    // Validates the range only; the coerced form needs no other check.
    TP_RETURN_IF_ERROR(normalizeAxis(axis, input.rank()).status());
    return TypeList{input};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  absl::Status emitC(const Node &node, CEmitContext &ctx) const override {
    const TensorType &input = node.operand(0)->type();
    TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, input.dtype));
    TP_ASSIGN_OR_RETURN(SoftmaxRows rows, softmaxRows(node, ctx.opset()));
    int64_t outer = rows.outer, n = rows.n, inner = rows.inner;
    bool isLog = opType() == "LogSoftmax";
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

  // No in-place reuse: a row kernel could overwrite its input (max, then
  // exp-and-sum, then scale, all within the row), but that is a promise
  // about the C kernel nobody has written yet. Add inPlaceOperands here when
  // the kernel is written and tested in place.
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const char *opType : kSoftmaxOps)
    registry.add(std::make_unique<SoftmaxOp>(opType));
}

} // namespace tinyplan
