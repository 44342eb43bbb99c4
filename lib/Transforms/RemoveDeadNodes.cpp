//===- RemoveDeadNodes.cpp - Drop nodes whose results nobody reads --------===//
//
// ONNX operators have no side effects, so a node none of whose results is
// read by another node or is a graph output only costs time and arena.
// Walking backwards with use counts removes whole dead chains in one pass;
// constants only they used disappear with them (Graph::eraseNodes keeps
// only reachable values). Unused graph inputs stay: they are the interface.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Transforms/Passes.h"

namespace tinyplan {
namespace {

class RemoveDeadNodesPass final : public Pass {
public:
  llvm::StringRef name() const override { return "remove-dead-nodes"; }
  llvm::StringRef description() const override {
    return "drop nodes whose results are unused and not graph outputs";
  }

  absl::Status run(Graph &graph) override {
    std::vector<unsigned> uses = graph.countUses();
    std::vector<bool> dead(graph.numNodes(), false);
    bool any = false;
    for (unsigned n = graph.numNodes(); n-- > 0;) {
      const Node &node = *graph.node(n);
      bool used = false;
      for (const Value *result : node.results())
        used |= uses[result->id()] > 0;
      if (used)
        continue;
      dead[n] = true;
      any = true;
      for (const Value *operand : node.operands())
        if (operand)
          --uses[operand->id()];
    }
    // Without a change, leave the graph and its ids untouched.
    if (any)
      graph.eraseNodes([&](const Node &node) { return dead[node.id()]; });
    return absl::OkStatus();
  }
};

} // namespace

std::unique_ptr<Pass> createRemoveDeadNodesPass() {
  return std::make_unique<RemoveDeadNodesPass>();
}

} // namespace tinyplan
