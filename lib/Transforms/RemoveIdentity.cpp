//===- RemoveIdentity.cpp - Drop Identity and inference Dropout -----------===//
//
// An Identity costs a copy or at best a view in the plan, and hides the
// producer from the patterns of later passes (BatchNorm folding, activation
// fusion look for a direct producer). Uses of its result switch to its
// input.
//
// A graph output must keep its name: it is what the caller of the generated
// code and the reference outputs know it by. When the Identity's result is
// a graph output, its input takes over the name if the input is a node
// result that is not itself a graph output. Otherwise (the input is a graph
// input, or already an output under its own name) two names must survive
// for one value, and the Identity stays as the copy that carries the second.
//
//===----------------------------------------------------------------------===//
#include "TransformUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Transforms/Passes.h"

namespace tinyplan {
namespace {

class RemoveIdentityPass final : public Pass {
public:
  llvm::StringRef name() const override { return "remove-identity"; }
  llvm::StringRef description() const override {
    return "drop Identity and inference Dropout, keeping graph output names";
  }

  absl::Status run(Graph &graph) override {
    ValueReplacements replacements(graph);
    std::vector<bool> isOutput = graphOutputMask(graph);
    std::vector<unsigned> uses = graph.countUses();
    std::vector<bool> removed(graph.numNodes(), false);
    bool any = false;
    for (unsigned n = 0, e = graph.numNodes(); n < e; ++n) {
      Node &node = *graph.node(n);
      replacements.remapOperands(node);
      const OpDef *op = lookupOp(node);
      if (!op || !op->isIdentity(node) || !node.operand(0))
        continue;
      // A Dropout whose mask is used still computes something.
      bool otherResultsUsed = false;
      for (unsigned r = 1; r < node.numResults(); ++r)
        otherResultsUsed |= uses[node.result(r)->id()] > 0;
      if (otherResultsUsed)
        continue;

      Value *input = node.operand(0);
      Value *result = node.result(0);
      if (isOutput[result->id()]) {
        bool canTakeName = input->kind() == Value::Kind::Result &&
                           !(input->id() < isOutput.size() && isOutput[input->id()]);
        if (!canTakeName)
          continue;
        input->setName(result->name());
        isOutput[input->id()] = true;
      }
      replacements.replace(result, input);
      removed[n] = true;
      any = true;
    }
    if (!any)
      return absl::OkStatus();
    replacements.remapOutputs(graph);
    graph.eraseNodes([&](const Node &node) { return removed[node.id()]; });
    return absl::OkStatus();
  }
};

} // namespace

std::unique_ptr<Pass> createRemoveIdentityPass() {
  return std::make_unique<RemoveIdentityPass>();
}

} // namespace tinyplan
