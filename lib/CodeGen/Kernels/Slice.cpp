//===- Slice.cpp - C for Slice --------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// A strided copy: the window's first element, then steps times the
/// input's strides.
absl::Status emitSlice(const Node &node, CEmitContext &ctx) {
  TP_ASSIGN_OR_RETURN(SliceWindow window, resolveSliceWindow(node, ctx.opset()));
  Shape inStrides = rowMajorStrides(node.operand(0)->type().shape);
  int64_t offset = 0;
  std::vector<int64_t> strides;
  for (size_t d = 0; d < window.shape.size(); ++d) {
    offset += window.starts[d] * inStrides[d];
    // A step longer than the dim takes one element; its stride is unused
    // (and step * stride could overflow).
    strides.push_back(window.shape[d] > 1 ? window.steps[d] * inStrides[d] : 0);
  }
  return emitStridedCopy(ctx, node, *node.result(0), *node.operand(0), offset,
                         window.shape, strides);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Slice", emitSlice); }

} // namespace tinyplan
