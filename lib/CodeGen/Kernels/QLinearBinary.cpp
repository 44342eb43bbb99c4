//===- QLinearBinary.cpp - C for com.microsoft QLinearAdd and QLinearMul --===//
//
// kernels/qlinear.c's broadcasting loop tp_qlinear_binary_<u8|i8>, made for
// the op's element function (tp_qlinear_add_op, tp_qlinear_mul_op), after
// the call that computes its parameters from the scales and zero points at
// run time. QLinearAdd's bits depend on which operand ONNX Runtime treats as
// the scalar of each span: when that is A, A and B swap places.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

namespace tinyplan {
namespace {

/// Whether ONNX Runtime's Broadcaster (core/providers/cpu/math/
/// element_wise_ops.h) makes input 0 the scalar of every span it hands to
/// the kernel: input 0 has extent 1 at the innermost position where either
/// shape has an extent above 1 (or at their innermost common position when
/// there is none); a scalar input 0 always is.
bool ortInput0IsScalar(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  if (a.empty())
    return true;
  if (b.empty())
    return a.back() <= 1;
  size_t common = std::min(a.size(), b.size());
  for (size_t i = 0; i < common; ++i) {
    int64_t axisA = a[a.size() - 1 - i], axisB = b[b.size() - 1 - i];
    if (std::max(axisA, axisB) == 1 && i + 1 < common)
      continue;
    return axisA <= 1;
  }
  return false;
}

/// Element strides of \p type broadcast onto \p out (0 where it broadcasts).
std::vector<int64_t> broadcastStrides(const TensorType &type, const TensorType &out) {
  std::vector<int64_t> result(size_t(out.rank()), 0);
  int64_t stride = 1;
  for (int64_t d = type.rank() - 1, o = out.rank() - 1; d >= 0; --d, --o) {
    if (type.shape[d] != 1)
      result[size_t(o)] = stride;
    stride *= type.shape[d];
  }
  return result;
}

absl::Status emitQLinearBinary(const Node &node, CEmitContext &ctx, bool isAdd) {
  const TensorType &out = node.result()->type();
  if (ctx.channelsLast(node))
    return unsupportedKernel(node, "a channels-last layout");
  unsigned a = 0, b = 3;
  if (isAdd && ortInput0IsScalar(node.operand(0)->type().shape, node.operand(3)->type().shape))
    std::swap(a, b);
  std::vector<int64_t> sa = broadcastStrides(node.operand(a)->type(), out),
                       sb = broadcastStrides(node.operand(b)->type(), out), dims, ka, kb;
  for (int64_t d = 0; d < out.rank(); ++d)
    if (out.shape[d] != 1) {
      dims.push_back(out.shape[d]);
      ka.push_back(sa[size_t(d)]);
      kb.push_back(sb[size_t(d)]);
    }
  if (dims.empty())
    dims = {1}, ka = {0}, kb = {0};
  if (dims.size() > 8)
    return unsupportedKernel(node, "broadcasting over more than 8 dims");
  std::string op = isAdd ? "add" : "mul", suffix = cTypeSuffix(out.dtype);
  std::string params = requireLibraryKernel(ctx, absl::StrCat("tp_qlinear_", op, "_params"));
  std::string loop = requireKernelInstance(
      ctx, absl::StrCat("tp_qlinear_binary_", suffix),
      absl::StrCat("tp_qlinear_binary_", op, "_", suffix),
      {{"tp_qlinear_binary_op", absl::StrCat("tp_qlinear_", op, "_op")}});
  if (out.numElements() == 0)
    return absl::OkStatus();
  ctx.emit(absl::StrCat(
      "{\n  static const int32_t dims[] = {", cIntList(dims), "}, as[] = {", cIntList(ka),
      "}, bs[] = {", cIntList(kb), "};\n  float p[4];\n  ", params, "(",
      quantScaleC(ctx, *node.operand(a + 1)), ", ", quantZeroPointC(ctx, node.operand(a + 2)),
      ", ", quantScaleC(ctx, *node.operand(b + 1)), ", ",
      quantZeroPointC(ctx, node.operand(b + 2)), ", ", quantScaleC(ctx, *node.operand(6)), ", ",
      quantZeroPointC(ctx, node.operand(7)), ", p);\n  ", loop, "(",
      ctx.pointer(*node.operand(a)), ", ", ctx.pointer(*node.operand(b)), ", ",
      ctx.pointer(*node.result()), ", ", out.numElements(), ", ", dims.size(),
      ", dims, as, bs, p, ", quantRangeC(out.dtype), ");\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  addMicrosoftPortable(registry, "QLinearAdd", [](const Node &node, CEmitContext &ctx) {
    return emitQLinearBinary(node, ctx, true);
  });
  addMicrosoftPortable(registry, "QLinearMul", [](const Node &node, CEmitContext &ctx) {
    return emitQLinearBinary(node, ctx, false);
  });
}

} // namespace tinyplan
