//===- MemoryBound.h - An arena bound over every plan -------------*- C++ -*-===//
//
// A lower bound on the arena of every plan tinyplan can make for a graph:
// any operator order, and any choice of the aliasing the options allow
// (views, in-place results, concat slices). The liveness analysis's bound
// (the most bytes live at one step) holds only for one order and one set of
// aliasing decisions; this one holds for all of them, so a plan that reaches
// it is optimal outright.
//
// At each node n, in every order:
// - n's operands and results are live, except that a result may share the
//   bytes of an operand that can die at n (in place), a view shares its
//   operand's bytes, and a Concat's operands may sit inside its result;
// - a value produced before n (by an ancestor, or a graph input) and read
//   after n (by a descendant, or a graph output) is live across n, and it
//   cannot share bytes with anything live there but its own views.
// The bound is the largest such sum, scratch included.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_ANALYSIS_MEMORYBOUND_H
#define TINYPLAN_ANALYSIS_MEMORYBOUND_H

#include "tinyplan/Analysis/Liveness.h"
#include "tinyplan/IR/Graph.h"
#include <cstdint>

namespace tinyplan {

struct MemoryBound {
  /// No plan's arena is smaller than this.
  int64_t bytes = 0;
  /// The node where it is reached (-1 for a graph without nodes).
  int node = -1;
};

/// The bound for \p graph under \p options (what aliasing is allowed, the
/// alignment buffers are rounded to, I/O in the arena, kernel scratch).
MemoryBound anyPlanBound(const Graph &graph, const LivenessOptions &options);

} // namespace tinyplan

#endif
