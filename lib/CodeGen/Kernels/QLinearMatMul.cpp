//===- QLinearMatMul.cpp - C for QLinearMatMul and MatMulInteger ----------===//
//
// The integer matrix product of kernels/quant.c, one instance per pair of
// operand types: tp_matmul_integer_<a>_<b> stores the int32 accumulators,
// tp_qlinearmatmul_<a>_<b> requantizes them (the result has A's type).
// Broadcast batches are tables of per-batch offsets of A and B. Scales and
// zero points are read at run time; the multiplier (a_scale *
// b_scale[j]) / y_scale is computed as ONNX Runtime computes it.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

#include "absl/strings/str_join.h"

namespace tinyplan {
namespace {

/// For each batch of \p batch (row-major), the element offset of the
/// matrix of an operand with batch dims \p dims and \p matrix elements
/// per matrix, broadcasting dims of 1.
std::vector<int64_t> batchOffsets(llvm::ArrayRef<int64_t> batch, llvm::ArrayRef<int64_t> dims,
                                  int64_t matrix) {
  std::vector<int64_t> strides(batch.size(), 0);
  int64_t stride = matrix;
  for (int64_t d = int64_t(dims.size()) - 1, o = int64_t(batch.size()) - 1; d >= 0; --d, --o) {
    if (dims[d] != 1)
      strides[o] = stride;
    stride *= dims[d];
  }
  int64_t total = 1;
  for (int64_t dim : batch)
    total *= dim;
  std::vector<int64_t> offsets, index(batch.size(), 0);
  for (int64_t t = 0; t < total; ++t) {
    int64_t offset = 0;
    for (size_t d = 0; d < batch.size(); ++d)
      offset += index[d] * strides[d];
    offsets.push_back(offset);
    for (int64_t d = int64_t(batch.size()) - 1; d >= 0; --d) {
      if (++index[d] < batch[d])
        break;
      index[d] = 0;
    }
  }
  return offsets;
}

absl::Status emitIntegerMatMul(const Node &node, CEmitContext &ctx, unsigned aIndex,
                               unsigned bIndex, const Value *aZeroPoint,
                               const Value *bZeroPoint, bool requant) {
  const TensorType &a = node.operand(aIndex)->type(), &b = node.operand(bIndex)->type();
  const TensorType &y = node.result(0)->type();
  if (requant && y.dtype != a.dtype)
    return unsupportedKernel(node, "a result type other than A's");
  int64_t m = a.shape[a.rank() - 2], k = a.shape.back(), n = b.shape.back();
  llvm::ArrayRef<int64_t> batch = llvm::ArrayRef<int64_t>(y.shape).drop_back(2);
  std::vector<int64_t> aOffsets =
      batchOffsets(batch, llvm::ArrayRef<int64_t>(a.shape).drop_back(2), m * k);
  std::vector<int64_t> bOffsets =
      batchOffsets(batch, llvm::ArrayRef<int64_t>(b.shape).drop_back(2), k * n);
  std::string types = absl::StrCat(cTypeSuffix(a.dtype), "_", cTypeSuffix(b.dtype));
  std::string name = requant ? requireRequantKernel(ctx, "tp_qlinearmatmul_" + types, y.dtype)
                             : requireLibraryKernel(ctx, "tp_matmul_integer_" + types);
  if (y.numElements() == 0)
    return absl::OkStatus();
  std::string azp = quantZeroPointC(ctx, aZeroPoint);
  std::vector<std::string> args = {
      ctx.pointer(*node.operand(aIndex)), azp, ctx.pointer(*node.operand(bIndex)),
      bZeroPoint ? ctx.pointer(*bZeroPoint) : "0",
      absl::StrCat(bZeroPoint && bZeroPoint->type().numElements() > 1 ? 1 : 0),
      ctx.pointer(*node.result(0))};
  if (requant) {
    const Value *yZeroPoint = node.operand(7);
    args.insert(args.end(),
                {absl::StrCat(ctx.pointer(*node.operand(1)), "[0]"),
                 ctx.pointer(*node.operand(4)),
                 absl::StrCat(node.operand(4)->type().numElements() > 1 ? 1 : 0),
                 absl::StrCat(ctx.pointer(*node.operand(6)), "[0]"),
                 quantZeroPointC(ctx, yZeroPoint)});
  } else {
    args.insert(args.end(), {"0", "0", "0", "0", "0"});
  }
  args.insert(args.end(), {absl::StrCat(m), absl::StrCat(k), absl::StrCat(n),
                           absl::StrCat(aOffsets.size()), "ao", "bo"});
  ctx.emit(absl::StrCat("{\n  static const int32_t ao[] = {", cIntList(aOffsets),
                        "}, bo[] = {", cIntList(bOffsets), "};\n  ", name, "(",
                        absl::StrJoin(args, ", "), ");\n}"));
  return absl::OkStatus();
}

absl::Status emitQLinearMatMul(const Node &node, CEmitContext &ctx) {
  return emitIntegerMatMul(node, ctx, 0, 3, node.operand(2), node.operand(5), true);
}

absl::Status emitMatMulInteger(const Node &node, CEmitContext &ctx) {
  return emitIntegerMatMul(node, ctx, 0, 1, node.operand(2), node.operand(3), false);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("QLinearMatMul", emitQLinearMatMul);
  registry.addPortable("MatMulInteger", emitMatMulInteger);
}

} // namespace tinyplan
