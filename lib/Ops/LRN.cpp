//===- LRN.cpp - ONNX LRN (local response normalization) ------------------===//
//
// Each element is divided by a power of the sum of squares over `size`
// neighbouring channels at the same position (AlexNet, GoogLeNet):
//   y[n,c,d] = x[n,c,d] / (bias + alpha / size * sum_{i in window(c)} x[n,i,d]^2) ^ beta
// with window(c) = [c - floor((size-1)/2), c + ceil((size-1)/2)] clipped to
// the channels. The shape and type are the input's. It has no parameters
// and, like the pools, counts no MACs: the MAC totals are those the
// literature tabulates, convolutions and fully connected layers.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/CEmit.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// outer * channels * inner elements; the sum runs over channels
/// [c - before, c + after] clipped, one position apart by `inner`. Reads
/// neighbouring channels, so the result never shares the input's bytes.
constexpr const char *kLrnKernel = R"(static void $NAME(const $T *x, $T *y, int32_t outer, int32_t channels, int32_t inner, int32_t before, int32_t after, $T alpha_over_size, $T beta, $T bias) {
  int32_t o, c, i, k;
  for (o = 0; o < outer; ++o)
    for (c = 0; c < channels; ++c) {
      int32_t lo = c - before < 0 ? 0 : c - before;
      int32_t hi = c + after > channels - 1 ? channels - 1 : c + after;
      const $T *xo = x + (int64_t)o * channels * inner;
      $T *yc = y + ((int64_t)o * channels + c) * inner;
      for (i = 0; i < inner; ++i) {
        $T sum = 0;
        for (k = lo; k <= hi; ++k) {
          $T v = xo[(int64_t)k * inner + i];
          sum += v * v;
        }
        yc[i] = xo[(int64_t)c * inner + i] / pow$F(bias + alpha_over_size * sum, beta);
      }
    }
}
)";

class LrnOp final : public OpDef {
public:
  LrnOp() : OpDef("LRN", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "input"));
    const TensorType &input = node.operand(0)->type();
    if (input.rank() < 2)
      return absl::InvalidArgumentError(absl::StrCat(
          "input must be [N, C, ...], got rank ", input.rank()));
    TP_ASSIGN_OR_RETURN(std::optional<int64_t> size, node.getOptionalInt("size"));
    if (!size)
      return absl::InvalidArgumentError("attribute 'size' is required");
    if (*size < 1)
      return absl::InvalidArgumentError(
          absl::StrCat("attribute 'size' must be positive, got ", *size));
    TP_RETURN_IF_ERROR(node.getFloat("alpha", 1e-4f).status());
    TP_RETURN_IF_ERROR(node.getFloat("beta", 0.75f).status());
    TP_RETURN_IF_ERROR(node.getFloat("bias", 1.0f).status());
    return TypeList{input};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  absl::Status emitC(const Node &node, CEmitContext &ctx) const override {
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
    std::string f = input.dtype == DType::F32 ? "f" : "";
    std::string name = absl::StrCat("tp_lrn_", cTypeSuffix(input.dtype));
    ctx.requireKernel(name, absl::StrReplaceAll(kLrnKernel, {{"$NAME", name},
                                                             {"$T", cType(input.dtype)->str()},
                                                             {"$F", f}}));
    ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                          ctx.pointer(*node.result()), ", ", outer, ", ", channels, ", ",
                          inner, ", ", before, ", ", after, ", ",
                          cFloatLiteral(double(alpha) / double(*size), input.dtype), ", ",
                          cFloatLiteral(beta, input.dtype), ", ",
                          cFloatLiteral(bias, input.dtype), ");"));
    return absl::OkStatus();
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<LrnOp>()); }

} // namespace tinyplan
