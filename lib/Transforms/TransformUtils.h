//===- TransformUtils.h - Bookkeeping shared by the passes ------*- C++ -*-===//
//
// Private to lib/Transforms. Passes walk the nodes once, in order, and
// collect their rewrites in side tables indexed by value id: which value
// now stands for which, which names are taken. Replacing uses as they walk
// (rather than with Graph::replaceAllUsesWith per rewrite, a walk of the
// whole graph each) keeps every pass linear in the graph's size.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_TRANSFORMS_TRANSFORMUTILS_H
#define TINYPLAN_LIB_TRANSFORMS_TRANSFORMUTILS_H

#include "tinyplan/IR/Graph.h"
#include <set>
#include <string>
#include <vector>

namespace tinyplan {

/// Values replaced by other values, by id of the replaced value. Ids of
/// values created during the pass (new constants) are past the table and
/// never replaced.
class ValueReplacements {
public:
  explicit ValueReplacements(const Graph &graph)
      : replacement_(graph.numValues(), nullptr) {}

  /// From now on, uses of \p from use \p to.
  void replace(const Value *from, Value *to) {
    if (from->id() >= replacement_.size())
      replacement_.resize(from->id() + 1, nullptr);
    replacement_[from->id()] = to;
  }

  /// Points \p node's operands at their replacements. Call on each node
  /// before looking at it: operands come from earlier nodes, so chains of
  /// replacements are already resolved.
  void remapOperands(Node &node) const {
    for (unsigned i = 0; i < node.numOperands(); ++i)
      if (Value *operand = node.operand(i))
        if (Value *to = lookup(operand))
          node.setOperand(i, to);
  }

  /// Points the graph outputs at their replacements (after the walk).
  void remapOutputs(Graph &graph) const {
    for (unsigned i = 0; i < graph.outputs().size(); ++i) {
      Value *output = graph.outputs()[i];
      Value *to = lookup(output);
      // A replacement may itself have been replaced later in the walk.
      while (to && lookup(to))
        to = lookup(to);
      if (to)
        graph.replaceAllUsesWith(output, to);
    }
  }

private:
  Value *lookup(const Value *value) const {
    return value->id() < replacement_.size() ? replacement_[value->id()] : nullptr;
  }
  std::vector<Value *> replacement_;
};

/// Whether each value (by id) is a graph output.
inline std::vector<bool> graphOutputMask(const Graph &graph) {
  std::vector<bool> mask(graph.numValues(), false);
  for (const Value *output : graph.outputs())
    mask[output->id()] = true;
  return mask;
}

/// A quantization parameter that is one constant element (rank 0 or [1]).
inline const Tensor *singleConstant(const Value *value) {
  if (!value || !value->constant() || value->type().numElements() != 1 ||
      value->type().rank() > 1)
    return nullptr;
  return value->constant();
}

/// The names in use, to give new constants names no other value has.
class NameTable {
public:
  explicit NameTable(const Graph &graph) {
    for (const auto &value : graph.values())
      names_.insert(value->name());
  }
  /// \p base if free, else base.1, base.2, ...; the name is then taken.
  std::string unique(const std::string &base) {
    std::string name = base;
    for (unsigned suffix = 1; names_.count(name); ++suffix)
      name = base + "." + std::to_string(suffix);
    names_.insert(name);
    return name;
  }

private:
  std::set<std::string> names_;
};

} // namespace tinyplan

#endif
