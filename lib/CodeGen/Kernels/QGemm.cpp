//===- QGemm.cpp - C for com.microsoft QGemm ------------------------------===//
//
// kernels/qlinear.c's tp_qgemm_<a>_<b> (requantized to A's type) or
// tp_qgemm_f32_<a>_<b> (float result), transA and transB expressed as
// strides, C broadcast through its strides. The multiplier is formed as ONNX
// Runtime's QGemm forms it (quant_gemm.cc): alpha * a_scale * b_scale[j],
// then divided by y_scale.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

#include "absl/strings/str_join.h"

namespace tinyplan {
namespace {

absl::Status emitQGemm(const Node &node, CEmitContext &ctx) {
  const TensorType &a = node.operand(0)->type(), &b = node.operand(3)->type();
  const TensorType &y = node.result()->type();
  TP_ASSIGN_OR_RETURN(int64_t transA, node.getInt("transA", 0));
  TP_ASSIGN_OR_RETURN(int64_t transB, node.getInt("transB", 0));
  TP_ASSIGN_OR_RETURN(float alpha, node.getFloat("alpha", 1.0f));
  int64_t m = y.shape[0], n = y.shape[1], k = transA ? a.shape[0] : a.shape[1];
  if (k == 0)
    return unsupportedKernel(node, "K = 0");
  bool toFloat = y.dtype == DType::F32;
  std::string types = absl::StrCat(cTypeSuffix(a.dtype), "_", cTypeSuffix(b.dtype));
  std::string name = toFloat ? requireLibraryKernel(ctx, "tp_qgemm_f32_" + types)
                             : requireRequantKernel(ctx, "tp_qgemm_" + types, y.dtype);
  if (y.numElements() == 0)
    return absl::OkStatus();
  const Value *c = node.operand(6);
  int64_t cRow = 0, cCol = 0;
  if (c) {
    llvm::ArrayRef<int64_t> cs = c->type().shape;
    int64_t cols = cs.empty() ? 1 : cs.back(), rows = cs.size() == 2 ? cs[0] : 1;
    cRow = rows == 1 ? 0 : cols;
    cCol = cols == 1 ? 0 : 1;
  }
  std::string as = quantScaleC(ctx, *node.operand(1));
  if (alpha != 1.0f)
    as = absl::StrCat(cFloatLiteral(alpha, DType::F32), " * ", as);
  auto step = [&](unsigned index) -> std::string {
    return node.operand(index)->type().numElements() > 1 ? "1" : "0";
  };
  std::vector<std::string> args = {
      ctx.pointer(*node.operand(0)),
      quantZeroPointC(ctx, node.operand(2)),
      absl::StrCat(transA ? 1 : k),
      absl::StrCat(transA ? m : 1),
      ctx.pointer(*node.operand(3)),
      ctx.pointer(*node.operand(5)),
      step(5),
      absl::StrCat(transB ? 1 : n),
      absl::StrCat(transB ? k : 1),
      c ? ctx.pointer(*c) : "0",
      absl::StrCat(cRow),
      absl::StrCat(cCol),
      ctx.pointer(*node.result()),
      as,
      ctx.pointer(*node.operand(4)),
      step(4),
      toFloat ? "1.0f" : quantScaleC(ctx, *node.operand(7)),
      toFloat ? "0" : quantZeroPointC(ctx, node.operand(8)),
      absl::StrCat(m),
      absl::StrCat(k),
      absl::StrCat(n)};
  ctx.emit(absl::StrCat(name, "(", absl::StrJoin(args, ", "), ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { addMicrosoftPortable(registry, "QGemm", emitQGemm); }

} // namespace tinyplan
