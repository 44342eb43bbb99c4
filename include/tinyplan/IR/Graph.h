//===- Graph.h - Dataflow graph: values and nodes ---------------*- C++ -*-===//
//
// The tinyplan IR. A Graph owns Values (graph inputs, constants, node results)
// and Nodes (ONNX operators). Both have dense ids: analyses keep side tables
// as vectors indexed by id. The order of nodes() is a topological order (the
// schedule); iteration is deterministic and never depends on pointers.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_IR_GRAPH_H
#define TINYPLAN_IR_GRAPH_H

#include "tinyplan/IR/Attribute.h"
#include "tinyplan/IR/Tensor.h"
#include "llvm/ADT/SmallVector.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tinyplan {

class Node;

class Value {
public:
  enum class Kind { Input, Constant, Result };

  unsigned id() const { return id_; }
  const std::string &name() const { return name_; }
  /// Renames the value. Passes that replace a value by another one (removing
  /// an Identity, fusing an activation) give the survivor the name of the
  /// value it stands for, so graph outputs keep their names. Names must stay
  /// unique; the caller ensures it.
  void setName(std::string name) { name_ = std::move(name); }
  Kind kind() const { return kind_; }
  bool isConstant() const { return kind_ == Kind::Constant; }
  bool isInput() const { return kind_ == Kind::Input; }
  const TensorType &type() const { return type_; }
  void setType(TensorType type) {
    type_ = std::move(type);
    typed_ = true;
  }
  /// Whether a type has been assigned (results get theirs from inference).
  bool hasType() const { return typed_; }
  /// The node computing this value; null for inputs and constants.
  Node *producer() const { return producer_; }
  unsigned resultIndex() const { return resultIndex_; }
  /// The data of a constant; null otherwise.
  const Tensor *constant() const { return constant_.get(); }

private:
  friend class Graph;
  unsigned id_ = 0;
  std::string name_;
  Kind kind_ = Kind::Result;
  TensorType type_;
  bool typed_ = false;
  Node *producer_ = nullptr;
  unsigned resultIndex_ = 0;
  std::shared_ptr<const Tensor> constant_;
};

class Node {
public:
  unsigned id() const { return id_; }
  const std::string &name() const { return name_; }
  const std::string &opType() const { return opType_; }
  /// ONNX operator domain; "" is the default domain (ai.onnx).
  const std::string &domain() const { return domain_; }

  /// Operands in ONNX order. An omitted optional input is nullptr.
  llvm::ArrayRef<Value *> operands() const { return operands_; }
  unsigned numOperands() const { return operands_.size(); }
  /// Operand \p i, or nullptr when absent or omitted.
  Value *operand(unsigned i) const {
    return i < operands_.size() ? operands_[i] : nullptr;
  }
  /// Sets operand \p i; an index past the end first pads the operand list
  /// with omitted (null) operands, e.g. to give a Conv the bias it lacked.
  void setOperand(unsigned i, Value *value) {
    if (i >= operands_.size())
      operands_.resize(i + 1, nullptr);
    operands_[i] = value;
  }
  llvm::ArrayRef<Value *> results() const { return results_; }
  unsigned numResults() const { return results_.size(); }
  Value *result(unsigned i = 0) const { return results_[i]; }

  /// Attributes, sorted by name.
  const std::map<std::string, Attribute> &attributes() const { return attrs_; }
  const Attribute *attr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  void setAttr(const std::string &name, Attribute value);

  /// Typed attribute access with the ONNX default when absent. A present
  /// attribute of the wrong kind is an error naming it.
  absl::StatusOr<int64_t> getInt(llvm::StringRef name, int64_t dflt) const;
  absl::StatusOr<std::optional<int64_t>> getOptionalInt(llvm::StringRef name) const;
  absl::StatusOr<float> getFloat(llvm::StringRef name, float dflt) const;
  absl::StatusOr<std::string> getString(llvm::StringRef name,
                                        llvm::StringRef dflt) const;
  absl::StatusOr<std::vector<int64_t>>
  getInts(llvm::StringRef name, std::vector<int64_t> dflt = {}) const;
  absl::StatusOr<std::vector<float>>
  getFloats(llvm::StringRef name, std::vector<float> dflt = {}) const;
  absl::StatusOr<const Tensor *> getTensor(llvm::StringRef name) const;

  /// "node 'conv1' (Conv): " — the prefix every diagnostic about it carries.
  std::string diagPrefix() const;

private:
  friend class Graph;
  unsigned id_ = 0;
  std::string name_;
  std::string opType_;
  std::string domain_;
  llvm::SmallVector<Value *, 4> operands_;
  llvm::SmallVector<Value *, 1> results_;
  std::map<std::string, Attribute> attrs_;
};

class Graph {
public:
  explicit Graph(std::string name = "main") : name_(std::move(name)) {}
  Graph(const Graph &) = delete;
  Graph &operator=(const Graph &) = delete;

  const std::string &name() const { return name_; }
  void setName(std::string name) { name_ = std::move(name); }
  /// Opset version of the default ONNX domain the model was written against.
  int64_t opsetVersion() const { return opset_; }
  void setOpsetVersion(int64_t version) { opset_ = version; }

  Value *addInput(std::string name, TensorType type);
  Value *addConstant(std::string name, Tensor data);
  /// Appends a node; its results are created untyped.
  Node *addNode(std::string name, std::string opType, std::string domain,
                llvm::ArrayRef<Value *> operands,
                llvm::ArrayRef<std::string> resultNames);
  void addOutput(Value *value) { outputs_.push_back(value); }

  /// A copy with the same ids and names; constants share their data.
  std::unique_ptr<Graph> clone() const;

  /// Every value, indexed by id.
  llvm::ArrayRef<std::unique_ptr<Value>> values() const { return values_; }
  Value *value(unsigned id) const { return values_[id].get(); }
  unsigned numValues() const { return values_.size(); }
  /// Nodes in schedule order; node(i)->id() == i.
  llvm::ArrayRef<std::unique_ptr<Node>> nodes() const { return nodes_; }
  Node *node(unsigned id) const { return nodes_[id].get(); }
  unsigned numNodes() const { return nodes_.size(); }
  llvm::ArrayRef<Value *> inputs() const { return inputs_; }
  llvm::ArrayRef<Value *> outputs() const { return outputs_; }

  /// Makes every use of \p from (operands and graph outputs) use \p to.
  void replaceAllUsesWith(Value *from, Value *to);
  /// Makes \p replacement, an input added after \p old, take \p old's place
  /// among the graph inputs; \p old stops being one (and goes away at the
  /// next renumbering unless a node still uses it).
  void replaceInput(Value *old, Value *replacement);
  /// Makes \p replacement the graph output \p old was (uses by nodes stay).
  void replaceOutput(Value *old, Value *replacement);
  /// Removes nodes for which \p shouldErase is true, then drops values no
  /// longer reachable and renumbers ids densely, keeping relative order.
  void eraseNodes(llvm::function_ref<bool(const Node &)> shouldErase);
  /// Reorders nodes to \p order (a permutation of node ids) and renumbers.
  void reorderNodes(llvm::ArrayRef<unsigned> order);

  /// Number of nodes using each value, indexed by value id (graph outputs
  /// count as one use each).
  std::vector<unsigned> countUses() const;

  /// Prints the textual IR (see Printer.cpp for the format).
  void print(llvm::raw_ostream &os) const;

private:
  void renumber();

  std::string name_;
  int64_t opset_ = 17;
  std::vector<std::unique_ptr<Value>> values_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<Value *> inputs_;
  std::vector<Value *> outputs_;
};

} // namespace tinyplan

#endif
