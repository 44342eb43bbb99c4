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
                                 std::function<LayoutRule(const Node &)> layouts) {
  KernelImpl impl;
  impl.opType = opType.str();
  impl.name = "portable";
  impl.emit = std::move(emit);
  impl.layouts = std::move(layouts);
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

std::optional<KernelOverlap> channelGroupsOverlap(const Node &node, const LayoutPlan &layouts,
                                                  int64_t groups) {
  const Value *input = node.operand(0);
  const Value *output = node.result(0);
  if (!input || input->isConstant() || layouts.channelsLast(*input) ||
      layouts.channelsLast(*output) || input->type().rank() < 2 || groups < 1)
    return std::nullopt;
  int64_t total = input->type().shape[0] * groups;
  if (total < 1)
    return std::nullopt;
  int64_t in = input->type().numBytes() / total, out = output->type().numBytes() / total;
  return KernelOverlap{0, out + (total - 1) * std::max<int64_t>(0, out - in)};
}

} // namespace tinyplan
