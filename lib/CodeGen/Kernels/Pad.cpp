//===- Pad.cpp - C for Pad: constant, edge and reflect modes --------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// Writes one row (innermost axis) at a time: the kept run as a plain copy,
/// the padding on either side through tp_pad_source. `g` holds five ints per
/// axis: input dim, output dim, and the PadAxis (offset, first, count).
constexpr const char *kPadSourceKernel = R"(static int32_t tp_pad_source(int32_t j, int32_t count, int32_t mode) {
  int32_t period;
  if (j >= 0 && j < count)
    return j;
  if (mode == 0)
    return -1;
  if (mode == 1 || count == 1)
    return j < 0 ? 0 : count - 1;
  period = 2 * (count - 1);
  j %= period;
  if (j < 0)
    j += period;
  return j < count ? j : period - j;
}
)";

constexpr const char *kPadKernel = R"(static void $NAME(const $T *x, $T *y, int32_t rank, const int32_t *g, int32_t mode,
    $T value) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const int32_t *gi = g + 5 * (rank - 1);
  const int32_t W = gi[1], offset = gi[2], first = gi[3], count = gi[4];
  const int32_t left = offset < 0 ? 0 : offset > W ? W : offset;
  const int32_t kept = offset + count > W ? W : offset + count;
  const int32_t right = kept < left ? left : kept;
  int32_t rows = 1, r, d, k, s;
  for (d = 0; d < rank - 1; ++d)
    rows *= g[5 * d + 1];
  for (r = 0; r < rows; ++r) {
    int32_t src = first, stride = gi[0], inside = 1;
    for (d = rank - 2; d >= 0 && inside; --d) {
      s = tp_pad_source(idx[d] - g[5 * d + 2], g[5 * d + 4], mode);
      inside = s >= 0;
      src += (g[5 * d + 3] + s) * stride;
      stride *= g[5 * d];
    }
    if (!inside) {
      for (k = 0; k < W; ++k)
        y[k] = value;
    } else {
      const $T *xr = x + src;
      for (k = 0; k < left; ++k) {
        s = tp_pad_source(k - offset, count, mode);
        y[k] = s < 0 ? value : xr[s];
      }
      for (k = left; k < right; ++k)
        y[k] = xr[k - offset];
      for (k = right; k < W; ++k) {
        s = tp_pad_source(k - offset, count, mode);
        y[k] = s < 0 ? value : xr[s];
      }
    }
    y += W;
    for (d = rank - 2; d >= 0; --d) {
      if (++idx[d] < g[5 * d + 1])
        break;
      idx[d] = 0;
    }
  }
}
)";

absl::Status emitPad(const Node &node, CEmitContext &ctx) {
  const Value &input = *node.operand(0), &result = *node.result(0);
  const TensorType &type = result.type();
  TP_ASSIGN_OR_RETURN(PadSpec spec, resolvePads(node, ctx.opset()));
  if (type.numElements() == 0)
    return absl::OkStatus();
  if (type.rank() == 0) {
    emitCopy(ctx, result, input);
    return absl::OkStatus();
  }
  if (type.rank() > 8)
    return unsupportedKernel(node, "more than 8 dims");
  std::vector<int64_t> geometry;
  for (size_t d = 0; d < size_t(type.rank()); ++d) {
    PadAxis axis = padAxis(spec, d, input.type().shape[d]);
    geometry.insert(geometry.end(), {input.type().shape[d], type.shape[d], axis.offset,
                                     axis.first, axis.count});
  }
  // The value: the constant_value operand (read at run time), the opset <
  // 11 attribute converted to the element type, or zero.
  std::string value = "0";
  if (ctx.opset() >= 11 && node.operand(2)) {
    value = absl::StrCat(ctx.pointer(*node.operand(2)), "[0]");
  } else if (ctx.opset() < 11) {
    TP_ASSIGN_OR_RETURN(Tensor literal, padValue(node, ctx.opset(), {}));
    value = cElementLiteral(literal, 0);
  }
  std::string name = absl::StrCat("tp_pad_", cTypeSuffix(type.dtype));
  ctx.requireKernel("tp_pad_source", kPadSourceKernel);
  ctx.requireKernel(name, absl::StrReplaceAll(kPadKernel,
                                              {{"$NAME", name},
                                               {"$T", cStorageType(type.dtype).str()}}));
  ctx.emit(absl::StrCat("{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ",
                        name, "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ",
                        type.rank(), ", g, ", int(spec.mode), ", ", value, ");\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Pad", emitPad); }

} // namespace tinyplan
