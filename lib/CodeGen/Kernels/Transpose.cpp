//===- Transpose.cpp - C for Transpose ------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Walks the result in order and the input through permuted strides.
/// The result is written in its memory order; each of its dims reads the
/// input along the axis perm names, at that axis's stride in the input's
/// memory order. A channels-first [N, H, W, C] input transposed to a
/// channels-last [N, C, H, W] result is then a plain copy.
absl::Status emitTranspose(const Node &node, CEmitContext &ctx) {
  const Value &input = *node.operand(0), &result = *node.result(0);
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, transposePermutation(node));
  bool inLast = ctx.channelsLast(input), outLast = ctx.channelsLast(result);
  std::vector<int64_t> inOrder = memoryOrder(input.type().rank(), inLast);
  std::vector<int64_t> outOrder = memoryOrder(result.type().rank(), outLast);
  Shape memoryStrides = rowMajorStrides(memoryShape(input.type().shape, inLast));
  std::vector<int64_t> axisStrides(perm.size());
  for (size_t k = 0; k < perm.size(); ++k)
    axisStrides[size_t(inOrder[k])] = memoryStrides[k];
  std::vector<int64_t> strides;
  for (size_t k = 0; k < perm.size(); ++k)
    strides.push_back(axisStrides[size_t(perm[size_t(outOrder[k])])]);
  return emitStridedCopy(ctx, node, result, input, 0, memoryShape(result.type().shape, outLast),
                         strides);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("Transpose", emitTranspose,
                       [](const Node &) { return LayoutRule::Each; });
}

} // namespace tinyplan
