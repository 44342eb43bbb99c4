//===- Pass.cpp - The pass pipeline and its checks ------------------------===//
//
// Verifying after every pass is cheap next to planning (one walk of the
// graph and one inference per node) and turns a buggy rewrite into an
// error naming the pass, instead of a wrong arena or wrong C much later.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Transforms/Pass.h"
#include "tinyplan/IR/Verifier.h"
#include "tinyplan/Ops/Inference.h"
#include "tinyplan/Support/Status.h"

namespace tinyplan {

std::vector<std::string> PassPipeline::names() const {
  std::vector<std::string> result;
  for (const auto &pass : passes_)
    result.push_back(pass->name().str());
  return result;
}

absl::Status verifyAfterPass(Graph &graph) {
  TP_RETURN_IF_ERROR(verifyGraph(graph));
  // Inference again: a pass may only write attributes and operands that the
  // op's own checks accept, and may not change a type behind the planner's
  // back.
  for (const auto &node : graph.nodes()) {
    llvm::SmallVector<TensorType, 1> before;
    for (const Value *result : node->results())
      before.push_back(result->type());
    TP_RETURN_IF_ERROR(inferNode(*node, graph.opsetVersion()));
    for (unsigned r = 0; r < node->numResults(); ++r)
      if (node->result(r)->type() != before[r])
        return absl::InternalError(absl::StrCat(
            node->diagPrefix(), "result '", node->result(r)->name(), "' had type ",
            before[r].str(), ", inference now says ", node->result(r)->type().str()));
  }
  return absl::OkStatus();
}

absl::Status PassPipeline::run(Graph &graph, const PipelineOptions &options) const {
  for (const auto &pass : passes_) {
    std::string prefix = absl::StrCat(pass->name().str(), ": ");
    TP_RETURN_IF_ERROR(withContext(pass->run(graph), prefix));
    TP_RETURN_IF_ERROR(withContext(verifyAfterPass(graph),
                                   absl::StrCat(prefix, "invalid IR after the pass: ")));
    if (options.printAfterAll) {
      *options.printAfterAll << "// -----// IR after " << pass->name()
                             << " //----- //\n";
      graph.print(*options.printAfterAll);
      options.printAfterAll->flush();
    }
  }
  return absl::OkStatus();
}

} // namespace tinyplan
