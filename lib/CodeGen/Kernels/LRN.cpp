//===- LRN.cpp - C for LRN (local response normalization) -----------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

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

absl::Status emitLrn(const Node &node, CEmitContext &ctx) {
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

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("LRN", emitLrn); }

} // namespace tinyplan
