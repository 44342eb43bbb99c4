//===- Scheduler.h - An operator order that minimises peak memory -*- C++ -*-===//
//
// For any graph that is not a plain chain, the order in which the operators
// run decides which tensors are alive together, and so the smallest arena
// possible. The scheduler picks a topological order minimising the peak of
// live bytes (the lower bound the packers work against, PeakModel.h), ties
// broken by the packed arena, then by the model's own order. It never returns
// an order with a higher peak than the model's own.
//
// The graph is first cut at nodes every other node comes before or after:
// the pieces between them are scheduled independently (most real networks
// fall into many small pieces). Each piece gets a beam search (heuristic),
// then a best-first search over sets of scheduled nodes (exact), memoised
// and pruned by the best peak found, within a budget of states that makes
// the result the same on every machine. It says whether the peak is proven
// optimal.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_PLANNING_SCHEDULER_H
#define TINYPLAN_PLANNING_SCHEDULER_H

#include "tinyplan/Analysis/Liveness.h"
#include "tinyplan/Planning/Packers.h"
#include "absl/status/statusor.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace tinyplan {

enum class ScheduleMethod {
  /// The model's own node order.
  File,
  /// Reverse post-order of a depth-first walk from the first node: a
  /// baseline, what a compiler would use without a memory objective.
  ReversePostOrder,
  /// Beam search per piece; the model's order where it is not worse.
  Heuristic,
  /// The heuristic, then the exact search per piece within the budget.
  Exact,
  /// Exact, then among the orders of least peak (model, heuristic, exact)
  /// the one the packer fits into the smallest arena.
  Auto,
};

/// "file", "rpo", "heuristic", "exact", "auto".
llvm::StringRef scheduleMethodName(ScheduleMethod method);
std::optional<ScheduleMethod> parseScheduleMethod(llvm::StringRef name);

struct ScheduleOptions {
  ScheduleMethod method = ScheduleMethod::Auto;
  /// States the exact search may store, over the whole graph (a state of a
  /// piece of k nodes counts ceil(k/64) times, as its work grows with k). A
  /// count, not a time, so the same input gives the same order on every
  /// machine.
  int64_t stateBudget = 500'000;
  /// Partial orders the beam search keeps at each step.
  unsigned beamWidth = 128;
  /// Optional wall-clock limit in seconds for the exact search (0: none); a
  /// safety net: when it strikes the result depends on the machine.
  double timeLimit = 0;
  /// How orders of equal peak are packed to compare their arenas (auto).
  PackOptions pack;
};

struct Schedule {
  /// Node ids in execution order.
  std::vector<unsigned> order;
  /// What produced the order: "file" (also whenever it is the model's
  /// order), "rpo", "heuristic" or "exact".
  std::string method;
  /// Most bytes live at one step (the plan's lower bound) with this order,
  /// and with the model's order.
  int64_t peak = 0;
  int64_t filePeak = 0;
  /// No order has a peak below this (0 when unknown).
  int64_t lowerBound = 0;
  /// peak == lowerBound.
  bool provenOptimal = false;
  /// States the exact search stored, in all pieces.
  int64_t states = 0;
  /// Pieces the graph was cut into, and how many have a proven optimum.
  unsigned pieces = 0;
  unsigned piecesProven = 0;
  /// Whether the peak model agreed with the liveness analysis by
  /// construction (PeakModel::exact()); when not, peaks were re-measured
  /// and no optimality is claimed.
  bool modelExact = true;

  /// `schedule: method=M peak=P file_peak=F order_bound=L
  /// order_optimal=yes|no pieces=N proven_pieces=K states=S` (the bound is
  /// over every order, with the aliasing of this plan) then, on the next line, `order:` and
  /// the first result of every node in order.
  void print(llvm::raw_ostream &os, const Graph &graph) const;
};

/// Orders the nodes of \p graph (whose own order is topological) with
/// \p options, measuring live bytes with the liveness rules of \p liveness.
absl::StatusOr<Schedule> scheduleGraph(const Graph &graph, const LivenessOptions &liveness,
                                       const ScheduleOptions &options = {});

} // namespace tinyplan

#endif
