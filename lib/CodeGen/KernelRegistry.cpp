//===- KernelRegistry.cpp - C implementations of the ops ------------------===//
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpDef.h"

#include <algorithm>

namespace tinyplan {

KernelRegistry &KernelRegistry::instance() {
  static KernelRegistry registry;
  return registry;
}

void KernelRegistry::add(KernelImpl impl) {
  auto at = std::find_if(impls_.begin(), impls_.end(), [&](const auto &other) {
    return other->priority < impl.priority;
  });
  impls_.insert(at, std::make_unique<KernelImpl>(std::move(impl)));
}

void KernelRegistry::addPortable(llvm::StringRef opType, EmitFn emit,
                                 std::function<LayoutRule(const Node &)> layouts,
                                 OverlapFn overlap) {
  KernelImpl impl;
  impl.opType = opType.str();
  impl.name = "portable";
  impl.emit = std::move(emit);
  impl.layouts = std::move(layouts);
  impl.overlap = std::move(overlap);
  add(std::move(impl));
}

std::vector<const KernelImpl *>
KernelRegistry::implementations(llvm::StringRef domain, llvm::StringRef opType) const {
  std::vector<const KernelImpl *> result;
  domain = canonicalDomain(domain);
  for (const auto &impl : impls_)
    if (impl->opType == opType && canonicalDomain(impl->domain) == domain)
      result.push_back(impl.get());
  return result;
}

const KernelImpl *KernelRegistry::select(const Node &node, Cpu cpu) const {
  for (const KernelImpl *impl : implementations(node.domain(), node.opType()))
    if (impl->method.empty() && impl->cpus.contains(cpu) &&
        (!impl->supports || impl->supports(node, cpu)))
      return impl;
  return nullptr;
}

/// The largest over output rows r of (end of output row r) - (start of
/// input row max(0, r * strideH - padTop)), for rows of \p outRow and
/// \p inRow bytes and \p inHeight input rows.
static int64_t rowsDistance(int64_t outHeight, int64_t outRow, int64_t inHeight, int64_t inRow,
                            RowWalk walk) {
  int64_t distance = 0;
  for (int64_t r = 0; r < outHeight; ++r)
    distance = std::max(
        distance,
        (r + 1) * outRow -
            std::min(inHeight, std::max<int64_t>(0, r * walk.strideH - walk.padTop)) * inRow);
  return distance;
}

std::optional<KernelOverlap> channelGroupsOverlap(const Node &node, const LayoutPlan &layouts,
                                                  int64_t groups, std::optional<RowWalk> rows) {
  const Value *input = node.operand(0);
  const Value *output = node.result(0);
  if (!input || input->isConstant() || layouts.channelsLast(*input) ||
      layouts.channelsLast(*output) || input->type().rank() < 2 || groups < 1)
    return std::nullopt;
  int64_t total = input->type().shape[0] * groups;
  if (total < 1)
    return std::nullopt;
  int64_t in = input->type().numBytes() / total, out = output->type().numBytes() / total;
  int64_t first = out;
  llvm::ArrayRef<int64_t> x = input->type().shape, y = output->type().shape;
  if (rows && x.size() == 4 && y.size() == 4 && x[1] == groups && y[1] == groups && x[2] > 0 &&
      y[2] > 0 && rows->strideH >= 1)
    first = std::min(out, rowsDistance(y[2], out / y[2], x[2], in / x[2], *rows));
  return KernelOverlap{0, first + (total - 1) * std::max<int64_t>(0, out - in)};
}

std::optional<KernelOverlap> rowsOverlap(const Node &node, const LayoutPlan &layouts,
                                         RowWalk walk) {
  const Value *input = node.operand(0);
  const Value *output = node.result(0);
  if (!input || !output || input->isConstant() || !layouts.channelsLast(*output) ||
      input->type().rank() != 4 || output->type().rank() != 4 || input->type().shape[0] != 1 ||
      output->type().shape[0] != 1 || walk.strideH < 1 || input->type().numElements() == 0 ||
      output->type().numElements() == 0)
    return std::nullopt;
  llvm::ArrayRef<int64_t> in = input->type().shape;
  llvm::ArrayRef<int64_t> out = output->type().shape;
  int64_t inRow = input->type().numBytes() / (in[2] * (layouts.channelsLast(*input) ? 1 : in[1]));
  int64_t outRow = output->type().numBytes() / out[2];
  int64_t distance = rowsDistance(out[2], outRow, in[2], inRow, walk);
  if (distance >= output->type().numBytes())
    return std::nullopt;
  return KernelOverlap{0, distance};
}

} // namespace tinyplan
