//===- Cost.h - Parameters, MACs and bytes per node -------------*- C++ -*-===//
//
// Static cost of a graph, computed once from the ops' own cost functions:
// what the per-layer summary (and later the report) prints.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_ANALYSIS_COST_H
#define TINYPLAN_ANALYSIS_COST_H

#include "tinyplan/IR/Graph.h"
#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {

class CostAnalysis {
public:
  explicit CostAnalysis(const Graph &graph);

  /// Cost of node \p id.
  const OpCost &nodeCost(unsigned id) const { return nodeCosts_[id]; }
  int64_t totalParams() const { return totalParams_; }
  int64_t totalMacs() const { return totalMacs_; }
  /// Bytes of all constants (weights in flash).
  int64_t constantBytes() const { return constantBytes_; }

  /// A table: one line per node (name, op, output shape, params, MACs,
  /// output bytes), then totals.
  void print(llvm::raw_ostream &os) const;

private:
  const Graph &graph_;
  std::vector<OpCost> nodeCosts_;
  int64_t totalParams_ = 0, totalMacs_ = 0, constantBytes_ = 0;
};

} // namespace tinyplan

#endif
