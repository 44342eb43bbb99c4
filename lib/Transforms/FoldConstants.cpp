//===- FoldConstants.cpp - Evaluate nodes whose operands are constants ----===//
//
// Import already folds shape subgraphs while it infers types; this pass does
// the same over the whole graph after other rewrites, through the same OpDef
// hooks (canFold, foldNeedsConstantOperands, fold). Which ops fold, and that
// float folding is exact (one correctly rounded operation per element, no
// libm), is each op's decision: see lib/Ops/Elementwise.cpp.
//
//===----------------------------------------------------------------------===//
#include "TransformUtils.h"
#include "tinyplan/Ops/Inference.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Support/Status.h"
#include "tinyplan/Transforms/Passes.h"

namespace tinyplan {
namespace {

/// Whether \p node can be evaluated now, given its operands.
bool isFoldable(const Node &node, const OpDef &op) {
  if (!op.canFold())
    return false;
  if (!op.foldNeedsConstantOperands())
    return true;
  for (const Value *operand : node.operands())
    if (operand && !operand->isConstant())
      return false;
  return true;
}

class FoldConstantsPass final : public Pass {
public:
  llvm::StringRef name() const override { return "fold-constants"; }
  llvm::StringRef description() const override {
    return "evaluate nodes whose operands are all constants";
  }

  absl::Status run(Graph &graph) override {
    ValueReplacements replacements(graph);
    std::vector<bool> folded(graph.numNodes(), false);
    bool any = false;
    for (unsigned n = 0, e = graph.numNodes(); n < e; ++n) {
      Node &node = *graph.node(n);
      replacements.remapOperands(node);
      const OpDef *op = lookupOp(node);
      if (!op || !isFoldable(node, *op))
        continue;
      TP_ASSIGN_OR_RETURN(TensorList values, foldNode(node, *op, graph.opsetVersion()));
      for (unsigned r = 0; r < node.numResults(); ++r) {
        Value *result = node.result(r);
        // The constant takes the result's name: the result goes away with
        // the node, so the name stays unique and graph outputs keep theirs.
        replacements.replace(result,
                             graph.addConstant(result->name(), std::move(values[r])));
      }
      folded[n] = true;
      any = true;
    }
    if (!any)
      return absl::OkStatus();
    replacements.remapOutputs(graph);
    graph.eraseNodes([&](const Node &node) { return folded[node.id()]; });
    return absl::OkStatus();
  }
};

} // namespace

std::unique_ptr<Pass> createFoldConstantsPass() {
  return std::make_unique<FoldConstantsPass>();
}

} // namespace tinyplan
