//===- Resize.cpp - C for Resize and Upsample -----------------------------===//
#include "tinyplan/Ops/Resize.h"
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

#include <cmath>

namespace tinyplan {
namespace {

/// The tables of resolveResize as static arrays and one call of
/// kernels/resize.c: a gather for nearest (any element type), a nested
/// weighted sum for linear and cubic (f32, f64; weights in the data's type).
absl::Status emitResize(const Node &node, CEmitContext &ctx) {
  const Value &input = *node.operand(0), &result = *node.result(0);
  const TensorType &type = result.type();
  TP_ASSIGN_OR_RETURN(ResizePlan plan, resolveResize(node, ctx.opset()));
  if (type.numElements() == 0)
    return absl::OkStatus();
  // A resize mapping every element to itself (scales of 1) is a copy, or
  // nothing when the planner made it a view.
  if (llvm::all_of(plan.axes, isIdentityAxis))
    return emitOperandCopy(node, ctx);
  if (type.rank() > 8)
    return unsupportedKernel(node, "more than 8 dims");
  if (input.type().numElements() > INT32_MAX || type.numElements() > INT32_MAX)
    return unsupportedKernel(node, "tensors of 2^31 elements or more");
  // The extrapolation value in the element type: floats exactly, integers
  // truncated as numpy's astype does.
  std::string value;
  if (type.dtype == DType::F32 || type.dtype == DType::F64) {
    value = cFloatLiteral(plan.extrapolation, type.dtype);
  } else if (isFloat(type.dtype)) {
    if (plan.extrapolation != 0)
      return unsupportedKernel(node, "an extrapolation value other than 0 for f16 / bf16");
    value = "0";
  } else {
    double v = std::trunc(plan.extrapolation);
    if (!(v >= -9.2e18 && v <= 9.2e18))
      return unsupportedKernel(node, "an extrapolation value out of the integers' range");
    value = absl::StrCat("(", cStorageType(type.dtype).str(), ")INT64_C(", int64_t(v), ")");
  }
  std::vector<int64_t> geometry, table;
  if (plan.nearest) {
    for (const ResizeAxis &axis : plan.axes) {
      geometry.insert(geometry.end(), {axis.inDim, axis.outDim});
      for (int64_t o = 0; o < axis.outDim; ++o)
        table.push_back(axis.start[size_t(o)] == axis.start[size_t(o) + 1]
                            ? -1
                            : axis.index[size_t(axis.start[size_t(o)])]);
    }
    std::string name = requireLibraryKernel(ctx, "tp_resize_nearest_" + cStorageSuffix(type.dtype));
    ctx.emit(absl::StrCat("{\n  static const int32_t g[] = {", cIntList(geometry),
                          "};\n  static const int32_t t[] = {", cIntList(table), "};\n  ", name,
                          "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ", type.rank(),
                          ", g, t, ", value, ");\n}"));
    return absl::OkStatus();
  }
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, type.dtype));
  // The leading axes that are not resized (batch, channels) are blocks the
  // kernel repeats, not levels of every output's sum.
  size_t skipped = 0;
  int64_t outer = 1;
  while (skipped + 1 < plan.axes.size() && isIdentityAxis(plan.axes[skipped]))
    outer *= plan.axes[skipped++].outDim;
  std::vector<int64_t> taps;
  std::string weights;
  for (const ResizeAxis &axis : llvm::ArrayRef(plan.axes).drop_front(skipped)) {
    geometry.insert(geometry.end(), {axis.inDim, axis.outDim, int64_t(table.size())});
    for (int64_t o = 0; o < axis.outDim; ++o) {
      int64_t first = axis.start[size_t(o)], end = axis.start[size_t(o) + 1];
      table.insert(table.end(), {int64_t(taps.size()), end - first});
      for (int64_t k = first; k < end; ++k) {
        taps.push_back(axis.index[size_t(k)]);
        absl::StrAppend(&weights, weights.empty() ? "" : ", ",
                        cFloatLiteral(axis.weight[size_t(k)], type.dtype));
      }
    }
  }
  if (taps.empty()) {
    // Every output is the extrapolation value: keep the arrays non-empty.
    taps.push_back(0);
    weights = "0";
  }
  std::string name = requireLibraryKernel(ctx, "tp_resize_" + cTypeSuffix(type.dtype));
  ctx.emit(absl::StrCat(
      "{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  static const int32_t t[] = {",
      cIntList(table), "};\n  static const int32_t ix[] = {", cIntList(taps), "};\n  static const ",
      cStorageType(type.dtype).str(), " w[] = {", weights, "};\n  ", name, "(", ctx.pointer(input),
      ", ", ctx.pointer(result), ", ", outer, ", ", type.rank() - int64_t(skipped),
      ", g, t, ix, w, ", value, ");\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("Resize", emitResize);
  registry.addPortable("Upsample", emitResize);
}

} // namespace tinyplan
