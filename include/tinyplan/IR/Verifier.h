//===- Verifier.h - Structural checks on a graph ----------------*- C++ -*-===//
//
// Runs after import and after every pass: each value defined once, every
// operand defined before use (so no cycles), every result typed, ids dense.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_IR_VERIFIER_H
#define TINYPLAN_IR_VERIFIER_H

#include "tinyplan/IR/Graph.h"

namespace tinyplan {

/// OK, or an error naming the first offending node and what is wrong.
absl::Status verifyGraph(const Graph &graph);

} // namespace tinyplan

#endif
