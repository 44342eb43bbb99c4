//===- Transpose.cpp - C for Transpose ------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Walks the result in order and the input through permuted strides.
absl::Status emitTranspose(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, transposePermutation(node));
  Shape inStrides = rowMajorStrides(input.shape);
  std::vector<int64_t> strides;
  for (int64_t axis : perm)
    strides.push_back(inStrides[size_t(axis)]);
  return emitStridedCopy(ctx, node, *node.result(0), *node.operand(0), 0,
                         node.result(0)->type().shape, strides);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Transpose", emitTranspose); }

} // namespace tinyplan
