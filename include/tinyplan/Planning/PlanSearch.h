//===- PlanSearch.h - Order, aliasing and packing chosen together -*- C++ -*-===//
//
// The aliasing the liveness analysis applies is a set of choices, and not
// every one pays: writing each operand of a Concat straight into its slice
// of the result saves the copy and the operands' own buffers, but keeps the
// whole result live from the first operand on. (Views and in-place results
// never raise the bytes live at any step, so they are always taken.)
//
// planGraph plans the graph with every allowed alias first. When that arena
// is above the bound over every plan (anyPlanBound), it tries Concats with
// whole buffers instead: every combination when the graph has at most
// kMaxEnumeratedConcats Concats that may take slices, else all of them
// whole, then one at a time against the best so far. Each alternative is
// scheduled and packed; a plan is only replaced by a strictly smaller one,
// so the result is never worse than the first plan, and the same input
// always gives the same plan.
//
// The bound gets stronger where every aliasing was planned: the scheduler's
// bound for one aliasing holds over every order, so the least of them over
// all the combinations holds over every plan.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_PLANNING_PLANSEARCH_H
#define TINYPLAN_PLANNING_PLANSEARCH_H

#include "tinyplan/Planning/GraphPlanner.h"
#include "tinyplan/Planning/Scheduler.h"
#include <memory>

namespace tinyplan {

/// A schedule, the liveness over it and the plan packed from it.
struct PlannedGraph {
  Schedule schedule;
  /// Owned here so that the plan's reference to it stays valid on a move.
  std::unique_ptr<Liveness> liveness;
  std::unique_ptr<GraphPlan> plan;
};

/// Most alternative aliasings planGraph tries after the first plan: each is
/// a full schedule and packing, so the count bounds the planning time.
inline constexpr unsigned kMaxAliasingPlans = 16;
/// Up to this many Concats that may take slices, every combination is
/// planned (2^k - 1 alternatives).
inline constexpr unsigned kMaxEnumeratedConcats = 3;

/// Schedules, analyses and packs \p graph, choosing which Concats take
/// slices (see above). \p liveness.wholeConcats is where the search starts.
absl::StatusOr<PlannedGraph> planGraph(const Graph &graph, const LivenessOptions &liveness,
                                       const ScheduleOptions &schedule);

} // namespace tinyplan

#endif
