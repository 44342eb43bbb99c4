//===- Inference.cpp - Types, shapes and shape-subgraph folding -----------===//
//
// Runs each node's OpDef over the graph in order. Exporters compute Reshape
// targets and the like with small int64 subgraphs (Shape -> Gather ->
// Unsqueeze -> Concat); those are evaluated here as soon as their operands
// are known, so the ops downstream see constants.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/Inference.h"

#include "absl/strings/str_join.h"
#include <map>

namespace tinyplan {

/// Why an op tinyplan has no definition for stays unsupported, for the
/// kinds of op that a model for inference on a microcontroller should not
/// contain; empty for any other op (one tinyplan may support some day).
static std::string whyNotSupported(llvm::StringRef domain, llvm::StringRef opType) {
  static const std::map<llvm::StringRef, llvm::StringRef> kinds = {
      {"If", "branch"},
      {"Loop", "loop"},
      {"Scan", "control flow"},
      {"SequenceAt", "sequences"},
      {"SequenceConstruct", "sequences"},
      {"SequenceEmpty", "sequences"},
      {"SequenceErase", "sequences"},
      {"SequenceInsert", "sequences"},
      {"SequenceLength", "sequences"},
      {"SequenceMap", "sequences"},
      {"SplitToSequence", "sequences"},
      {"ConcatFromSequence", "sequences"},
      {"Optional", "optional values"},
      {"OptionalGetElement", "optional values"},
      {"OptionalHasElement", "optional values"},
      {"StringNormalizer", "strings"},
      {"StringConcat", "strings"},
      {"StringSplit", "strings"},
      {"RegexFullMatch", "strings"},
      {"RandomNormal", "random numbers"},
      {"RandomNormalLike", "random numbers"},
      {"RandomUniform", "random numbers"},
      {"RandomUniformLike", "random numbers"},
      {"Multinomial", "random numbers"},
      {"Bernoulli", "random numbers"},
      {"Gradient", "training"},
      {"Adagrad", "training"},
      {"Adam", "training"},
      {"Momentum", "training"},
  };
  // The training ops live in a preview domain of their own.
  if (domain == "ai.onnx.preview.training")
    return "training: not for inference on a microcontroller";
  auto it = kinds.find(opType);
  if (it == kinds.end() || !(domain.empty() || domain == "ai.onnx"))
    return "";
  if (it->second == "control flow")
    return "control flow: tinyplan compiles graphs without branches or loops";
  // The importer inlines an If whose condition folds and unrolls a Loop whose
  // trip count does (lib/Import/ControlFlow.h).
  if (it->second == "loop")
    return "control flow: tinyplan unrolls a Loop only when its trip count folds to a "
           "constant (at most 4096), its condition input is absent or folds to true, and "
           "its body passes the condition on unchanged";
  if (it->second == "branch")
    return "control flow: its condition is computed at run time; tinyplan inlines an If "
           "only when its condition folds to a constant";
  return absl::StrCat(it->second.str(), ": not for inference on a microcontroller");
}

absl::Status checkAllOpsSupported(const Graph &graph) {
  // op type (with its domain when not the default) -> nodes using it
  std::map<std::string, std::vector<std::string>> unsupported;
  std::map<std::string, std::string> reason;
  for (const auto &node : graph.nodes()) {
    if (lookupOp(*node))
      continue;
    std::string key = node->domain().empty() || node->domain() == "ai.onnx"
                          ? node->opType()
                          : absl::StrCat(node->domain(), "::", node->opType());
    unsupported[key].push_back(node->name());
    reason[key] = whyNotSupported(node->domain(), node->opType());
  }
  if (unsupported.empty())
    return absl::OkStatus();

  constexpr size_t kNodesListed = 4;
  std::vector<std::string> parts;
  for (const auto &[opType, nodes] : unsupported) {
    std::vector<std::string> quoted;
    for (size_t i = 0; i < nodes.size() && i < kNodesListed; ++i)
      quoted.push_back(absl::StrCat("'", nodes[i], "'"));
    std::string more = nodes.size() > kNodesListed
                           ? absl::StrCat(" and ", nodes.size() - kNodesListed, " more")
                           : "";
    parts.push_back(absl::StrCat(opType, " (", nodes.size() == 1 ? "node " : "nodes ",
                                 absl::StrJoin(quoted, ", "), more,
                                 reason[opType].empty() ? "" : "; " + reason[opType], ")"));
  }
  return absl::UnimplementedError(absl::StrCat(
      unsupported.size() == 1 ? "unsupported operator: " : "unsupported operators: ",
      absl::StrJoin(parts, ", ")));
}

static absl::Status inferNodeUnprefixed(Node &node, const OpDef &op,
                                        int64_t opset) {
  // Arity: trailing omitted operands do not count; required ones must exist.
  unsigned present = node.numOperands();
  while (present > 0 && !node.operand(present - 1))
    --present;
  if (present < op.minOperands() || present > op.maxOperands()) {
    if (op.minOperands() == op.maxOperands())
      return modelError("expects ", op.minOperands(), " inputs, got ", present);
    return modelError("expects ", op.minOperands(), " to ", op.maxOperands(),
                      " inputs, got ", present);
  }
  for (unsigned i = 0; i < op.minOperands(); ++i)
    if (!node.operand(i))
      return modelError("required input ", i, " is missing");
  if (node.numResults() < op.minResults() || node.numResults() > op.maxResults()) {
    if (op.minResults() == op.maxResults())
      return modelError("expects ", op.minResults(), " outputs, got ",
                        node.numResults());
    return modelError("expects ", op.minResults(), " to ", op.maxResults(),
                      " outputs, got ", node.numResults());
  }

  TP_ASSIGN_OR_RETURN(TypeList types, op.inferTypes(node, opset));
  if (types.size() != node.numResults())
    return absl::InternalError(absl::StrCat("inference returned ", types.size(),
                                            " types for ", node.numResults(),
                                            " outputs"));
  for (unsigned i = 0; i < types.size(); ++i) {
    TP_RETURN_IF_ERROR(checkedNumElements(types[i].shape, types[i].dtype).status());
    node.result(i)->setType(std::move(types[i]));
  }
  return absl::OkStatus();
}

absl::Status inferNode(Node &node, int64_t opset) {
  const OpDef *op = lookupOp(node);
  if (!op)
    return modelError(node.diagPrefix(), "unsupported operator");
  return withContext(inferNodeUnprefixed(node, *op, opset), node.diagPrefix());
}

/// Whether \p node should be evaluated now rather than run on the target.
static bool shouldFold(const Node &node, const OpDef &op) {
  if (!op.canFold() || !op.foldsDuringInference())
    return false;
  if (!op.foldNeedsConstantOperands())
    return true;
  for (const Value *operand : node.operands())
    if (operand && !operand->isConstant())
      return false;
  return true;
}

absl::StatusOr<TensorList> foldNode(const Node &node, const OpDef &op, int64_t opset) {
  llvm::SmallVector<const Tensor *, 4> operands;
  for (const Value *operand : node.operands())
    operands.push_back(operand ? operand->constant() : nullptr);
  absl::StatusOr<TensorList> values = op.fold(node, operands, opset);
  if (!values.ok())
    return withContext(values.status(), node.diagPrefix());
  if (values->size() != node.numResults())
    return absl::InternalError(
        absl::StrCat(node.diagPrefix(), "fold returned the wrong result count"));
  for (unsigned r = 0; r < node.numResults(); ++r)
    if ((*values)[r].type() != node.result(r)->type())
      return absl::InternalError(absl::StrCat(
          node.diagPrefix(), "folded value has type ", (*values)[r].type().str(),
          ", inference said ", node.result(r)->type().str()));
  return values;
}

absl::Status inferGraph(Graph &graph) {
  // Values replaced by folded constants, by id. Nodes are visited in order,
  // so remapping operands as we go is enough; no quadratic use-list walks.
  std::vector<Value *> replacement(graph.numValues(), nullptr);
  std::vector<bool> folded(graph.numNodes(), false);
  int64_t opset = graph.opsetVersion();

  for (unsigned n = 0, e = graph.numNodes(); n < e; ++n) {
    Node &node = *graph.node(n);
    for (unsigned i = 0; i < node.numOperands(); ++i) {
      Value *operand = node.operand(i);
      if (operand && operand->id() < replacement.size() && replacement[operand->id()])
        node.setOperand(i, replacement[operand->id()]);
    }
    TP_RETURN_IF_ERROR(inferNode(node, opset));

    const OpDef &op = *lookupOp(node);
    if (!shouldFold(node, op))
      continue;
    TP_ASSIGN_OR_RETURN(TensorList values, foldNode(node, op, opset));
    for (unsigned r = 0; r < node.numResults(); ++r) {
      Value *result = node.result(r);
      Value *constant = graph.addConstant(result->name(), std::move(values[r]));
      if (replacement.size() <= result->id())
        replacement.resize(result->id() + 1, nullptr);
      replacement[result->id()] = constant;
    }
    folded[n] = true;
  }

  for (const Value *output : graph.outputs())
    if (output->id() < replacement.size() && replacement[output->id()])
      graph.replaceAllUsesWith(const_cast<Value *>(output),
                               replacement[output->id()]);
  graph.eraseNodes([&](const Node &node) { return folded[node.id()]; });
  return absl::OkStatus();
}

OpCost nodeCost(const Node &node) {
  const OpDef *op = lookupOp(node);
  return op ? op->cost(node) : OpCost();
}

} // namespace tinyplan
