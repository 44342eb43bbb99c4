//===- Verifier.cpp - Structural checks on a graph ------------------------===//
#include "tinyplan/IR/Verifier.h"
#include "tinyplan/Support/Status.h"

namespace tinyplan {

absl::Status verifyGraph(const Graph &graph) {
  // 1. Ids are dense and every result points back at its producer, so each
  //    value has exactly one definition.
  for (unsigned i = 0; i < graph.numValues(); ++i)
    if (graph.value(i)->id() != i)
      return absl::InternalError(absl::StrCat("value id ", i, " is out of order"));

  // 2. Walk nodes in order: every operand must be an input, a constant or a
  //    result of an earlier node. This also rules out cycles.
  std::vector<bool> defined(graph.numValues(), false);
  for (const Value *input : graph.inputs()) {
    if (input->kind() != Value::Kind::Input)
      return absl::InternalError(
          absl::StrCat("graph input '", input->name(), "' is not an input value"));
    defined[input->id()] = true;
  }
  for (const auto &value : graph.values())
    if (value->isConstant())
      defined[value->id()] = true;

  for (unsigned i = 0; i < graph.numNodes(); ++i) {
    const Node &node = *graph.node(i);
    if (node.id() != i)
      return absl::InternalError(absl::StrCat("node id ", i, " is out of order"));
    for (const Value *operand : node.operands()) {
      if (operand && !defined[operand->id()])
        return modelError(node.diagPrefix(), "operand '", operand->name(),
                          "' is not defined before this node (undefined "
                          "value or cycle)");
    }
    for (unsigned r = 0; r < node.numResults(); ++r) {
      const Value *result = node.result(r);
      if (result->producer() != &node || result->resultIndex() != r)
        return absl::InternalError(absl::StrCat(
            node.diagPrefix(), "result '", result->name(), "' has a wrong producer"));
      if (defined[result->id()])
        return modelError(node.diagPrefix(), "value '", result->name(),
                          "' is defined more than once");
      if (!result->hasType())
        return modelError(node.diagPrefix(), "result '", result->name(),
                          "' has no type");
      defined[result->id()] = true;
    }
  }

  // 3. Every graph output exists.
  if (graph.outputs().empty())
    return modelError("graph has no outputs");
  for (const Value *output : graph.outputs())
    if (!defined[output->id()])
      return modelError("graph output '", output->name(), "' is never produced");
  return absl::OkStatus();
}

} // namespace tinyplan
