//===- MatMul.cpp - C for MatMul ------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {
namespace {

/// 1-D operands are promoted as in inference; batch dims broadcast
/// through per-batch offsets.
absl::Status emitMatMul(const Node &node, CEmitContext &ctx) {
  Shape aShape = node.operand(0)->type().shape, bShape = node.operand(1)->type().shape;
  if (aShape.size() == 1)
    aShape.insert(aShape.begin(), 1);
  if (bShape.size() == 1)
    bShape.push_back(1);
  MatrixProductC p;
  p.m = aShape[aShape.size() - 2];
  p.k = aShape.back();
  p.n = bShape.back();
  p.aRow = p.k;
  p.aCol = 1;
  p.bRow = p.n;
  p.bCol = 1;
  auto aBatch = llvm::ArrayRef<int64_t>(aShape).drop_back(2);
  auto bBatch = llvm::ArrayRef<int64_t>(bShape).drop_back(2);
  TP_ASSIGN_OR_RETURN(Shape batch, broadcastShapes(aBatch, bBatch));
  // Offsets of each operand's matrix for every result batch, row-major.
  auto offsets = [&](llvm::ArrayRef<int64_t> dims, int64_t matrix) {
    std::vector<int64_t> strides(batch.size(), 0);
    int64_t stride = matrix;
    for (int64_t d = int64_t(dims.size()) - 1, o = int64_t(batch.size()) - 1; d >= 0;
         --d, --o) {
      if (dims[d] != 1)
        strides[o] = stride;
      stride *= dims[d];
    }
    std::vector<int64_t> result;
    std::vector<int64_t> index(batch.size(), 0);
    int64_t total = 1;
    for (int64_t dim : batch)
      total *= dim;
    for (int64_t t = 0; t < total; ++t) {
      int64_t offset = 0;
      for (size_t d = 0; d < batch.size(); ++d)
        offset += index[d] * strides[d];
      result.push_back(offset);
      for (int64_t d = int64_t(batch.size()) - 1; d >= 0; --d) {
        if (++index[d] < batch[d])
          break;
        index[d] = 0;
      }
    }
    return result;
  };
  p.aBatch = offsets(aBatch, p.m * p.k);
  p.bBatch = offsets(bBatch, p.k * p.n);
  p.beta = 0;
  return emitMatrixProduct(ctx, node, *node.operand(0), *node.operand(1), *node.result(), p);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("MatMul", emitMatMul); }

} // namespace tinyplan
