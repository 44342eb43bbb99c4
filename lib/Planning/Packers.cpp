//===- Packers.cpp - Strategy selection and the auto pipeline -------------===//
//
// Auto:
// 1. Run every fast heuristic; keep the smallest arena (ties: the first in
//    the list below).
// 2. If it is above the lower bound, let the exact search improve it or
//    prove it optimal within the node budget.
// 3. Verify the plan independently before returning it.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/Packers.h"
#include "tinyplan/Support/Status.h"

namespace tinyplan {

namespace {
struct StrategyInfo {
  PackStrategy strategy;
  const char *name;
  std::vector<int64_t> (*pack)(llvm::ArrayRef<BufferRequest>);
};
constexpr StrategyInfo kStrategies[] = {
    {PackStrategy::Linear, "linear", packLinear},
    {PackStrategy::GreedyBySize, "greedy-size", packGreedyBySize},
    {PackStrategy::BestFit, "best-fit", packBestFit},
    {PackStrategy::GreedyByConflicts, "greedy-conflicts", packGreedyByConflicts},
    {PackStrategy::GreedyByBreadth, "greedy-breadth", packGreedyByBreadth},
    {PackStrategy::OverlapChains, "greedy-overlap", packOverlapChains},
    {PackStrategy::Exact, "exact", nullptr},
    {PackStrategy::Auto, "auto", nullptr},
};
} // namespace

llvm::StringRef packStrategyName(PackStrategy strategy) {
  for (const StrategyInfo &info : kStrategies)
    if (info.strategy == strategy)
      return info.name;
  return "?";
}

std::optional<PackStrategy> parsePackStrategy(llvm::StringRef name) {
  for (const StrategyInfo &info : kStrategies)
    if (name == info.name)
      return info.strategy;
  return std::nullopt;
}

absl::StatusOr<MemoryPlan> packBuffers(llvm::ArrayRef<BufferRequest> requests,
                                       const PackOptions &options) {
  for (size_t i = 0; i < requests.size(); ++i) {
    const BufferRequest &r = requests[i];
    if (r.id != i || r.size < 0 || r.align < 1 || r.first > r.last)
      return absl::InvalidArgumentError(
          absl::StrCat("buffer request ", i, " is malformed (id ", r.id, ", size ",
                       r.size, ", align ", r.align, ", steps [", r.first, ", ",
                       r.last, "])"));
  }
  TP_RETURN_IF_ERROR(checkOverlapPairs(requests));
  MemoryPlan plan;
  plan.lowerBound = computeLowerBound(requests);

  bool search = options.strategy == PackStrategy::Exact ||
                options.strategy == PackStrategy::Auto;
  for (const StrategyInfo &info : kStrategies) {
    if (!info.pack)
      continue;
    // Exact and auto start from the best heuristic; others run alone.
    if (!search && info.strategy != options.strategy)
      continue;
    if (search && info.strategy == PackStrategy::Linear)
      continue;
    std::vector<int64_t> offsets = info.pack(requests);
    int64_t arena = arenaOf(requests, offsets);
    if (plan.strategy.empty() || arena < plan.arena) {
      plan.offsets = std::move(offsets);
      plan.arena = arena;
      plan.strategy = info.name;
    }
  }
  plan.provenOptimal = plan.arena <= plan.lowerBound;

  // The search keeps overlapping pairs apart: it searches the requests
  // without them, and only where that can still beat the heuristics.
  std::vector<BufferRequest> apart;
  llvm::ArrayRef<BufferRequest> searched = requests;
  if (hasOverlaps(requests)) {
    apart.assign(requests.begin(), requests.end());
    for (BufferRequest &r : apart)
      r.overlapWith = -1;
    searched = apart;
    if (plan.arena <= computeLowerBound(apart))
      search = false;
  }
  if (search && !plan.provenOptimal) {
    ExactSearchResult exact = packExact(searched, plan.offsets, options.searchNodeBudget,
                                        options.searchTimeLimit, options.searchTarget);
    if (exact.arena < plan.arena) {
      plan.offsets = std::move(exact.offsets);
      plan.arena = exact.arena;
      plan.strategy = "exact";
    }
    // The search keeps overlapping pairs apart: its proofs hold for plans
    // without overlaps only.
    plan.provenOptimal = exact.proven && (plan.arena <= plan.lowerBound ||
                                          !hasOverlaps(requests));
    plan.searchNodes = exact.nodesExpanded;
  }
  if (options.strategy == PackStrategy::Exact)
    plan.strategy = "exact";
  if (absl::Status status = verifyPlan(requests, plan); !status.ok())
    return status;
  return plan;
}

} // namespace tinyplan
