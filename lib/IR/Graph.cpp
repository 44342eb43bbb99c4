//===- Graph.cpp - Dataflow graph: values and nodes -----------------------===//
#include "tinyplan/IR/Graph.h"
#include "tinyplan/Support/Status.h"

#include <cassert>

namespace tinyplan {

//===----------------------------------------------------------------------===//
// Node attributes
//===----------------------------------------------------------------------===//

const Attribute *Node::attr(llvm::StringRef name) const {
  auto it = attrs_.find(name.str());
  return it == attrs_.end() ? nullptr : &it->second;
}

void Node::setAttr(const std::string &name, Attribute value) {
  attrs_.insert_or_assign(name, std::move(value));
}

std::string Node::diagPrefix() const {
  return absl::StrCat("node '", name_, "' (", opType_, "): ");
}

/// The attribute \p name if present and of \p kind; an error if present with
/// another kind; null if absent.
static absl::StatusOr<const Attribute *>
findAttr(const Node &node, llvm::StringRef name, Attribute::Kind kind) {
  const Attribute *attribute = node.attr(name);
  if (attribute && attribute->kind() != kind)
    return modelError("attribute '", name.str(), "' must be ",
                      attributeKindName(kind).str(), ", got ",
                      attributeKindName(attribute->kind()).str());
  return attribute;
}

absl::StatusOr<int64_t> Node::getInt(llvm::StringRef name, int64_t dflt) const {
  TP_ASSIGN_OR_RETURN(const Attribute *a, findAttr(*this, name, Attribute::Kind::Int));
  return a ? a->getInt() : dflt;
}

absl::StatusOr<std::optional<int64_t>>
Node::getOptionalInt(llvm::StringRef name) const {
  TP_ASSIGN_OR_RETURN(const Attribute *a, findAttr(*this, name, Attribute::Kind::Int));
  return a ? std::optional<int64_t>(a->getInt()) : std::nullopt;
}

absl::StatusOr<float> Node::getFloat(llvm::StringRef name, float dflt) const {
  TP_ASSIGN_OR_RETURN(const Attribute *a,
                      findAttr(*this, name, Attribute::Kind::Float));
  return a ? a->getFloat() : dflt;
}

absl::StatusOr<std::string> Node::getString(llvm::StringRef name,
                                            llvm::StringRef dflt) const {
  TP_ASSIGN_OR_RETURN(const Attribute *a,
                      findAttr(*this, name, Attribute::Kind::String));
  return a ? a->getString() : dflt.str();
}

absl::StatusOr<std::vector<int64_t>>
Node::getInts(llvm::StringRef name, std::vector<int64_t> dflt) const {
  TP_ASSIGN_OR_RETURN(const Attribute *a, findAttr(*this, name, Attribute::Kind::Ints));
  return a ? a->getInts() : dflt;
}

absl::StatusOr<std::vector<float>>
Node::getFloats(llvm::StringRef name, std::vector<float> dflt) const {
  TP_ASSIGN_OR_RETURN(const Attribute *a,
                      findAttr(*this, name, Attribute::Kind::Floats));
  return a ? a->getFloats() : dflt;
}

absl::StatusOr<const Tensor *> Node::getTensor(llvm::StringRef name) const {
  TP_ASSIGN_OR_RETURN(const Attribute *a,
                      findAttr(*this, name, Attribute::Kind::Tensor));
  return a ? &a->getTensor() : nullptr;
}

//===----------------------------------------------------------------------===//
// Graph construction and rewriting
//===----------------------------------------------------------------------===//

Value *Graph::addInput(std::string name, TensorType type) {
  auto value = std::make_unique<Value>();
  value->id_ = values_.size();
  value->name_ = std::move(name);
  value->kind_ = Value::Kind::Input;
  value->type_ = std::move(type);
  value->typed_ = true;
  values_.push_back(std::move(value));
  inputs_.push_back(values_.back().get());
  return values_.back().get();
}

Value *Graph::addConstant(std::string name, Tensor data) {
  auto value = std::make_unique<Value>();
  value->id_ = values_.size();
  value->name_ = std::move(name);
  value->kind_ = Value::Kind::Constant;
  value->type_ = data.type();
  value->typed_ = true;
  value->constant_ = std::make_shared<const Tensor>(std::move(data));
  values_.push_back(std::move(value));
  return values_.back().get();
}

Node *Graph::addNode(std::string name, std::string opType, std::string domain,
                     llvm::ArrayRef<Value *> operands,
                     llvm::ArrayRef<std::string> resultNames) {
  auto node = std::make_unique<Node>();
  node->id_ = nodes_.size();
  node->name_ = std::move(name);
  node->opType_ = std::move(opType);
  node->domain_ = std::move(domain);
  node->operands_.assign(operands.begin(), operands.end());
  for (const std::string &resultName : resultNames) {
    auto value = std::make_unique<Value>();
    value->id_ = values_.size();
    value->name_ = resultName;
    value->kind_ = Value::Kind::Result;
    value->producer_ = node.get();
    value->resultIndex_ = node->results_.size();
    node->results_.push_back(value.get());
    values_.push_back(std::move(value));
  }
  nodes_.push_back(std::move(node));
  return nodes_.back().get();
}

std::unique_ptr<Graph> Graph::clone() const {
  auto copy = std::make_unique<Graph>(name_);
  copy->opset_ = opset_;
  std::vector<Value *> map(values_.size());
  for (const auto &value : values_) {
    auto twin = std::make_unique<Value>(*value);
    twin->producer_ = nullptr;
    map[value->id_] = twin.get();
    copy->values_.push_back(std::move(twin));
  }
  for (const auto &node : nodes_) {
    auto twin = std::make_unique<Node>(*node);
    for (Value *&operand : twin->operands_)
      if (operand)
        operand = map[operand->id_];
    for (Value *&result : twin->results_) {
      result = map[result->id_];
      result->producer_ = twin.get();
    }
    copy->nodes_.push_back(std::move(twin));
  }
  for (Value *input : inputs_)
    copy->inputs_.push_back(map[input->id_]);
  for (Value *output : outputs_)
    copy->outputs_.push_back(map[output->id_]);
  return copy;
}

void Graph::replaceAllUsesWith(Value *from, Value *to) {
  for (const auto &node : nodes_)
    for (Value *&operand : node->operands_)
      if (operand == from)
        operand = to;
  for (Value *&output : outputs_)
    if (output == from)
      output = to;
}

void Graph::replaceInput(Value *old, Value *replacement) {
  llvm::erase(inputs_, replacement);
  for (Value *&input : inputs_)
    if (input == old)
      input = replacement;
}

void Graph::replaceOutput(Value *old, Value *replacement) {
  for (Value *&output : outputs_)
    if (output == old)
      output = replacement;
}

void Graph::eraseNodes(llvm::function_ref<bool(const Node &)> shouldErase) {
  llvm::erase_if(nodes_, [&](const std::unique_ptr<Node> &node) {
    return shouldErase(*node);
  });
  renumber();
}

void Graph::reorderNodes(llvm::ArrayRef<unsigned> order) {
  assert(order.size() == nodes_.size() && "order must be a permutation");
  std::vector<std::unique_ptr<Node>> reordered;
  reordered.reserve(order.size());
  for (unsigned id : order)
    reordered.push_back(std::move(nodes_[id]));
  nodes_ = std::move(reordered);
  renumber();
}

std::vector<unsigned> Graph::countUses() const {
  std::vector<unsigned> uses(values_.size(), 0);
  for (const auto &node : nodes_)
    for (Value *operand : node->operands_)
      if (operand)
        ++uses[operand->id_];
  for (Value *output : outputs_)
    ++uses[output->id_];
  return uses;
}

void Graph::renumber() {
  // Keep values that are graph inputs, used by a remaining node, produced by
  // one, or a graph output; everything else went away with erased nodes.
  std::vector<bool> keep(values_.size(), false);
  for (Value *input : inputs_)
    keep[input->id_] = true;
  for (Value *output : outputs_)
    keep[output->id_] = true;
  for (unsigned i = 0; i < nodes_.size(); ++i) {
    Node &node = *nodes_[i];
    node.id_ = i;
    for (Value *operand : node.operands_)
      if (operand)
        keep[operand->id_] = true;
    for (Value *result : node.results_)
      keep[result->id_] = true;
  }
  std::vector<std::unique_ptr<Value>> kept;
  kept.reserve(values_.size());
  for (auto &value : values_)
    if (keep[value->id_])
      kept.push_back(std::move(value));
  values_ = std::move(kept);
  for (unsigned i = 0; i < values_.size(); ++i)
    values_[i]->id_ = i;
}

} // namespace tinyplan
