//===- Gemm.cpp - C for Gemm ----------------------------------------------===//
//
// A matrix product (emitMatrixProduct) whose strides express transA and
// transB and whose C broadcasts through zero strides.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {
namespace {

absl::Status emitGemm(const Node &node, CEmitContext &ctx) {
  const TensorType &a = node.operand(0)->type();
  const TensorType &y = node.result()->type();
  TP_ASSIGN_OR_RETURN(int64_t transA, node.getInt("transA", 0));
  TP_ASSIGN_OR_RETURN(int64_t transB, node.getInt("transB", 0));
  TP_ASSIGN_OR_RETURN(float alpha, node.getFloat("alpha", 1.0f));
  TP_ASSIGN_OR_RETURN(float beta, node.getFloat("beta", 1.0f));
  MatrixProductC p;
  p.m = y.shape[0];
  p.n = y.shape[1];
  p.k = transA ? a.shape[0] : a.shape[1];
  // A is [M, K] or, transposed, [K, M]; B is [K, N] or [N, K].
  p.aRow = transA ? 1 : p.k;
  p.aCol = transA ? p.m : 1;
  p.bRow = transB ? 1 : p.n;
  p.bCol = transB ? p.k : 1;
  p.alpha = alpha;
  p.beta = beta;
  if (const Value *c = node.operand(2)) {
    // C broadcasts to [M, N] numpy-style: a dim of 1 (or a missing one)
    // repeats.
    const TensorType &ct = c->type();
    int64_t rows = ct.rank() == 2 ? ct.shape[0] : 1;
    int64_t cols = ct.rank() >= 1 ? ct.shape[ct.rank() - 1] : 1;
    p.c = c;
    p.cRow = rows == 1 ? 0 : cols;
    p.cCol = cols == 1 ? 0 : 1;
  }
  return emitMatrixProduct(ctx, node, *node.operand(0), *node.operand(1), *node.result(), p);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Gemm", emitGemm); }

} // namespace tinyplan
