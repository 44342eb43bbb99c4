//===- PlanSearch.cpp - Order, aliasing and packing chosen together -------===//
//
// See PlanSearch.h. The alternatives differ in LivenessOptions::wholeConcats
// only; each is scheduled from scratch, since the best order for one
// aliasing need not be the best for another.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/PlanSearch.h"
#include "tinyplan/Support/Status.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>

namespace tinyplan {

namespace {

absl::StatusOr<PlannedGraph> planOnce(const Graph &graph, const LivenessOptions &liveness,
                                      const ScheduleOptions &options) {
  PlannedGraph planned;
  TP_ASSIGN_OR_RETURN(planned.schedule, scheduleGraph(graph, liveness, options));
  TP_ASSIGN_OR_RETURN(Liveness computed, Liveness::compute(graph, planned.schedule.order,
                                                           liveness, planned.schedule.method));
  planned.liveness = std::make_unique<Liveness>(std::move(computed));
  TP_ASSIGN_OR_RETURN(GraphPlan plan, GraphPlan::build(*planned.liveness, options.pack));
  planned.plan = std::make_unique<GraphPlan>(std::move(plan));
  planned.plan->setSchedule(planned.schedule);
  return planned;
}

/// Concat nodes whose operands were written into slices, in node-id order.
std::vector<unsigned> slicedConcats(const Liveness &liveness) {
  const Graph &graph = liveness.graph();
  std::vector<unsigned> nodes;
  for (unsigned id = 0; id < graph.numValues(); ++id)
    if (int concat = liveness.value(id).sliceOf; concat >= 0)
      nodes.push_back(graph.value(unsigned(concat))->producer()->id());
  llvm::sort(nodes);
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

/// What the scheduler proved no order of this aliasing goes below (0 when
/// its peak model was not exact, or it did not search).
int64_t orderBoundOf(const PlannedGraph &planned) {
  return planned.schedule.modelExact ? planned.schedule.lowerBound : 0;
}

} // namespace

absl::StatusOr<PlannedGraph> planGraph(const Graph &graph, const LivenessOptions &liveness,
                                       const ScheduleOptions &schedule) {
  TP_ASSIGN_OR_RETURN(PlannedGraph best, planOnce(graph, liveness, schedule));
  int64_t firstArena = best.plan->arena();
  // The Concats whose slices are a choice.
  std::vector<unsigned> choices;
  for (unsigned n = 0; n < graph.numNodes(); ++n)
    if (liveness.slicesAt(*graph.node(n)))
      choices.push_back(n);
  // The least order bound over the aliasings planned so far (valid over
  // every plan once all of them were planned).
  int64_t orderBound = orderBoundOf(best);
  unsigned tried = 1;
  auto attempt = [&](std::vector<unsigned> whole) -> absl::Status {
    LivenessOptions options = liveness;
    llvm::sort(whole);
    options.wholeConcats = std::move(whole);
    ++tried;
    TP_ASSIGN_OR_RETURN(PlannedGraph candidate, planOnce(graph, options, schedule));
    orderBound = std::min(orderBound, orderBoundOf(candidate));
    if (candidate.plan->arena() < best.plan->arena())
      best = std::move(candidate);
    return absl::OkStatus();
  };

  if (choices.empty()) {
    best.plan->raiseBound(orderBound);
  } else if (!best.plan->provenOptimal() && choices.size() <= kMaxEnumeratedConcats) {
    for (unsigned mask = 1; mask < 1u << choices.size(); ++mask) {
      std::vector<unsigned> whole = liveness.wholeConcats;
      for (unsigned i = 0; i < choices.size(); ++i)
        if (mask >> i & 1)
          whole.push_back(choices[i]);
      TP_RETURN_IF_ERROR(attempt(std::move(whole)));
    }
    best.plan->raiseBound(orderBound);
  } else if (!best.plan->provenOptimal()) {
    auto done = [&] { return best.plan->provenOptimal() || tried > kMaxAliasingPlans; };
    std::vector<unsigned> sliced = slicedConcats(*best.liveness);
    if (!sliced.empty()) {
      std::vector<unsigned> all = liveness.wholeConcats;
      all.insert(all.end(), sliced.begin(), sliced.end());
      TP_RETURN_IF_ERROR(attempt(all));
    }
    // Then each Concat on its own, flipped against the best so far.
    if (sliced.size() > 1)
      for (unsigned node : sliced) {
        if (done())
          break;
        std::vector<unsigned> whole = best.liveness->options().wholeConcats;
        if (auto it = llvm::find(whole, node); it != whole.end())
          whole.erase(it);
        else
          whole.push_back(node);
        TP_RETURN_IF_ERROR(attempt(std::move(whole)));
      }
  }
  best.plan->setAliasingSearch({tried, firstArena});
  return best;
}

} // namespace tinyplan
