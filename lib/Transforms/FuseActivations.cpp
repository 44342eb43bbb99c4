//===- FuseActivations.cpp - Apply activations inside Conv / Gemm / MatMul ===//
//
// An activation after a Conv, Gemm or MatMul is one more pass over the whole
// feature map, and in the plan a second buffer of the same size (or an
// in-place step). The producing kernel can apply it to each output element
// as it stores it instead. The pass records the activation on the producer
// as attributes, which the C emitter reads and the op files check:
//   fused_activation = "Tanh" | "Relu" | "Clip" | "Sigmoid" | "LeakyRelu"
//                      | "HardSigmoid" | "HardSwish"
//   fused_alpha, fused_beta (LeakyRelu, HardSigmoid; defaults written out),
//   fused_min, fused_max (Clip; an absent bound is unbounded).
// The producer's result must have no other use (the pre-activation values
// are gone) and the producer no fused activation yet. It takes the
// activation's result name, so graph outputs and plans name what the model
// names.
//
//===----------------------------------------------------------------------===//
#include "TransformUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Transforms/Passes.h"

namespace tinyplan {
namespace {

class FuseActivationsPass final : public Pass {
public:
  llvm::StringRef name() const override { return "fuse-activations"; }
  llvm::StringRef description() const override {
    return "apply activations inside the Conv, Gemm or MatMul producing their input";
  }

  absl::Status run(Graph &graph) override {
    ValueReplacements replacements(graph);
    std::vector<unsigned> uses = graph.countUses();
    std::vector<bool> removed(graph.numNodes(), false);
    bool any = false;
    for (unsigned n = 0, e = graph.numNodes(); n < e; ++n) {
      Node &node = *graph.node(n);
      replacements.remapOperands(node);
      const OpDef *op = lookupOp(node);
      if (!op || node.numResults() != 1 || !node.operand(0))
        continue;
      std::optional<FusedActivation> activation = op->fusableActivation(node);
      if (!activation)
        continue;
      Value *input = node.operand(0);
      Node *producer = input->producer();
      if (!producer || producer->numResults() != 1 || uses[input->id()] != 1 ||
          input->type() != node.result(0)->type() ||
          producer->hasAttr("fused_activation"))
        continue;
      const OpDef *producerOp = lookupOp(*producer);
      if (!producerOp || !producerOp->acceptsFusedActivation(*producer))
        continue;

      producer->setAttr("fused_activation", Attribute(activation->kind));
      for (const auto &[param, value] : activation->params)
        producer->setAttr(param, Attribute(value));
      input->setName(node.result(0)->name());
      replacements.replace(node.result(0), input);
      uses[input->id()] = uses[node.result(0)->id()];
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

std::unique_ptr<Pass> createFuseActivationsPass() {
  return std::make_unique<FuseActivationsPass>();
}

} // namespace tinyplan
