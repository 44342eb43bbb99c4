//===- Inference.h - Types, shapes and shape-subgraph folding ---*- C++ -*-===//
#ifndef TINYPLAN_OPS_INFERENCE_H
#define TINYPLAN_OPS_INFERENCE_H

#include "tinyplan/IR/Graph.h"
#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {

/// Collects every node whose op tinyplan does not support and reports them
/// all in one error: "unsupported operators: LRN (nodes 'norm1', 'norm2'); ..."
absl::Status checkAllOpsSupported(const Graph &graph);

/// Infers the result type of every node in order. A foldable node whose
/// operands are all constants (a shape subgraph: Shape, Gather, Cast, ...)
/// is replaced by constants. Errors carry the node's diagnostic prefix.
absl::Status inferGraph(Graph &graph);

/// Evaluates \p node (whose operands the fold needs are constants) with
/// its op's fold, checking the values against the inferred result types.
/// Errors carry the node's diagnostic prefix.
absl::StatusOr<TensorList> foldNode(const Node &node, const OpDef &op, int64_t opset);

/// Infers (and checks arity of) a single node, setting its result types.
absl::Status inferNode(Node &node, int64_t opset);

/// Parameters and MACs of a node (zero for unknown ops).
OpCost nodeCost(const Node &node);

} // namespace tinyplan

#endif
