//===- KernelChoice.cpp - Which implementation writes a node's C ----------===//
//
// The registry's choice (KernelRegistry::select) refined by the emit options:
// a method implementation (im2col for Conv) is taken only where --conv asks
// for it. The driver asks the same function for each node's kernel scratch
// before planning, so the plan and the C agree.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmitter.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {

namespace {

/// Whether \p options choose method implementation \p impl for \p node.
/// im2col follows --conv; the other methods (more scratch for speed, such
/// as QLinearConv's depthwise-plane) are taken under --conv=auto only,
/// where the arena allows (the driver's fitAutoKernels).
bool methodChosen(const KernelImpl &impl, const Node &node, const CEmitOptions &options) {
  bool kept = node.id() < options.keepDefault.size() && options.keepDefault[node.id()];
  if (impl.method == "pixels")
    return options.pixelsOuter;
  if (impl.method != "im2col")
    return options.conv == ConvMethod::Auto && !kept && impl.faster && impl.faster(node);
  switch (options.conv) {
  case ConvMethod::Direct:
    return false;
  case ConvMethod::Im2col:
    return true;
  case ConvMethod::Auto:
    return !kept && impl.faster && impl.faster(node);
  }
  return false;
}

} // namespace

const KernelImpl *chooseKernel(const Node &node, const CEmitOptions &options) {
  for (const KernelImpl *impl :
       KernelRegistry::instance().implementations(node.domain(), node.opType())) {
    if (!impl->cpus.contains(options.cpu) ||
        (impl->supports && !impl->supports(node, options.cpu)))
      continue;
    if (!impl->method.empty() && !methodChosen(*impl, node, options))
      continue;
    return impl;
  }
  return nullptr;
}

std::vector<int64_t> kernelScratchBytes(const Graph &graph, const CEmitOptions &options) {
  std::vector<int64_t> bytes(graph.numNodes(), 0);
  for (const auto &node : graph.nodes())
    if (const KernelImpl *impl = chooseKernel(*node, options); impl && impl->scratchBytes)
      bytes[node->id()] = impl->scratchBytes(*node);
  return bytes;
}

std::vector<std::optional<KernelOverlap>> kernelOverlaps(const Graph &graph,
                                                         const CEmitOptions &options) {
  std::vector<std::optional<KernelOverlap>> overlaps(graph.numNodes());
  for (const auto &node : graph.nodes())
    if (const KernelImpl *impl = chooseKernel(*node, options); impl && impl->overlap)
      overlaps[node->id()] = impl->overlap(*node, options.layouts);
  return overlaps;
}

void setKernelMemory(LivenessOptions &liveness, const Graph &graph,
                     const CEmitOptions &options) {
  liveness.kernelScratch = kernelScratchBytes(graph, options);
  liveness.kernelOverlap = kernelOverlaps(graph, options);
}

} // namespace tinyplan
