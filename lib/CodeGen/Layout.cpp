//===- Layout.cpp - Channels-first or channels-last, per tensor -----------===//
//
// Tensors whose layout is free are grouped: a LayoutRule::Same node ties its
// operands and results into one group, which takes one layout. A group is
// held to channels-first by any node whose kernel reads or writes one of
// its tensors channels-first only, by a graph input or output (unless the
// caller's tensors are channels-last), and by a broadcast operand whose
// bytes would move. A tensor whose bytes are the same in both layouts
// (a [1, C, 1, 1] pool output) belongs to no group and constrains nothing.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/Layout.h"
#include "tinyplan/CodeGen/CEmitter.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpDef.h"

#include <numeric>
#include <set>

namespace tinyplan {

bool sameBytesEitherLayout(llvm::ArrayRef<int64_t> shape) {
  if (shape.size() != 3 && shape.size() != 4)
    return true;
  int64_t spatial = 1;
  for (size_t d = 2; d < shape.size(); ++d)
    spatial *= shape[d];
  return shape[1] == 1 || spatial == 1;
}

std::vector<int64_t> channelsLastOrder(int64_t rank) {
  std::vector<int64_t> order(size_t(std::max<int64_t>(rank, 0)));
  std::iota(order.begin(), order.end(), 0);
  if (rank == 3 || rank == 4) {
    order.erase(order.begin() + 1);
    order.push_back(1);
  }
  return order;
}

std::vector<int64_t> memoryOrder(int64_t rank, bool channelsLast) {
  if (channelsLast)
    return channelsLastOrder(rank);
  std::vector<int64_t> order(size_t(std::max<int64_t>(rank, 0)));
  std::iota(order.begin(), order.end(), 0);
  return order;
}

std::vector<int64_t> memoryShape(llvm::ArrayRef<int64_t> shape, bool channelsLast) {
  if (!channelsLast)
    return shape.vec();
  std::vector<int64_t> result;
  for (int64_t d : memoryOrder(int64_t(shape.size()), true))
    result.push_back(shape[size_t(d)]);
  return result;
}

namespace {

LayoutRule ruleOf(const Node &node, const CEmitOptions &options) {
  const KernelImpl *impl = chooseKernel(node, options);
  return impl && impl->layouts ? impl->layouts(node) : LayoutRule::ChannelsFirst;
}

bool prefersChannelsLast(const Node &node, const CEmitOptions &options) {
  const KernelImpl *impl = chooseKernel(node, options);
  return impl && impl->prefersChannelsLast && impl->prefersChannelsLast(node);
}

/// A tensor the pass chooses a layout for: planned, rank 3 or 4, and with
/// bytes that the layout moves.
bool isCandidate(const Value *value) {
  return value && !value->isConstant() && value->hasType() &&
         !sameBytesEitherLayout(value->type().shape);
}

/// Whether \p shape, broadcast against a result of rank \p rank, keeps its
/// bytes in place when read channels-last: its dims other than 1 stay in
/// the same order.
bool broadcastKeepsBytes(llvm::ArrayRef<int64_t> shape, int64_t rank) {
  if (int64_t(shape.size()) > rank)
    return false;
  std::vector<int64_t> aligned(size_t(rank - int64_t(shape.size())), 1);
  aligned.insert(aligned.end(), shape.begin(), shape.end());
  int64_t last = -1;
  for (int64_t d : channelsLastOrder(rank)) {
    if (aligned[size_t(d)] == 1)
      continue;
    if (d < last)
      return false;
    last = d;
  }
  return true;
}

/// Union-find over value ids.
class Groups {
public:
  explicit Groups(unsigned size) : parent_(size) {
    std::iota(parent_.begin(), parent_.end(), 0u);
  }
  unsigned find(unsigned v) {
    while (parent_[v] != v)
      v = parent_[v] = parent_[parent_[v]];
    return v;
  }
  void unite(unsigned a, unsigned b) { parent_[find(a)] = find(b); }

private:
  std::vector<unsigned> parent_;
};

/// The groups of \p graph's candidate values, and which of them are held
/// to channels-first (by root).
struct LayoutGroups {
  Groups groups;
  std::vector<bool> blocked;
  std::vector<bool> preferred;
  explicit LayoutGroups(unsigned n) : groups(n), blocked(n, false), preferred(n, false) {}
};

/// \p transposedIO: the caller's tensors that transposeBlockedIO put in
/// front of (or behind) the graph, which are N, H, W, C already.
LayoutGroups groupValues(const Graph &graph, const CEmitOptions &options, bool ioChannelsLast,
                         const std::set<const Value *> &transposedIO = {}) {
  LayoutGroups g(graph.numValues());
  std::vector<unsigned> toBlock;
  for (const auto &node : graph.nodes()) {
    std::vector<const Value *> touched;
    for (const Value *v : node->operands())
      if (v)
        touched.push_back(v);
    for (const Value *v : node->results())
      touched.push_back(v);
    std::vector<unsigned> members;
    for (const Value *v : touched)
      if (isCandidate(v))
        members.push_back(v->id());
    LayoutRule rule = ruleOf(*node, options);
    if (rule == LayoutRule::Same) {
      int64_t rank = node->result(0)->type().rank();
      bool ok = rank == 3 || rank == 4;
      for (const Value *v : touched) {
        if (isCandidate(v))
          ok &= v->type().rank() == rank;
        else if (v->hasType())
          ok &= broadcastKeepsBytes(v->type().shape, rank);
      }
      for (size_t i = 1; i < members.size(); ++i)
        g.groups.unite(members[i - 1], members[i]);
      if (!ok)
        rule = LayoutRule::ChannelsFirst;
    }
    if (rule == LayoutRule::ChannelsFirst)
      toBlock.insert(toBlock.end(), members.begin(), members.end());
    if (prefersChannelsLast(*node, options))
      for (unsigned v : members)
        g.preferred[v] = true;
  }
  for (llvm::ArrayRef<Value *> io : {graph.inputs(), graph.outputs()})
    for (const Value *v : io)
      if (isCandidate(v) &&
          !(ioChannelsLast && v->type().rank() == 4 && !transposedIO.count(v)))
        toBlock.push_back(v->id());
  for (unsigned v : toBlock)
    g.blocked[g.groups.find(v)] = true;
  for (unsigned v = 0; v < graph.numValues(); ++v)
    if (g.preferred[v])
      g.preferred[g.groups.find(v)] = true;
  return g;
}

/// With channels-last graph inputs and outputs, each 4-D one whose group a
/// kernel holds to channels-first gets a Transpose between the caller's
/// tensor (now N, H, W, C) and the graph. Returns the caller's tensors that
/// got one.
std::set<const Value *> transposeBlockedIO(Graph &graph, const CEmitOptions &options) {
  LayoutGroups g = groupValues(graph, options, /*ioChannelsLast=*/true);
  auto blocked = [&](const Value *v) {
    return v->type().rank() == 4 && isCandidate(v) && g.blocked[g.groups.find(v->id())];
  };
  std::vector<Value *> inputs, outputs;
  for (Value *v : graph.inputs())
    if (blocked(v))
      inputs.push_back(v);
  for (Value *v : graph.outputs())
    if (blocked(v))
      outputs.push_back(v);
  std::set<const Value *> transposedIO;
  if (inputs.empty() && outputs.empty())
    return transposedIO;
  auto transposed = [](const TensorType &type, llvm::ArrayRef<int64_t> order) {
    Shape shape;
    for (int64_t d : order)
      shape.push_back(type.shape[size_t(d)]);
    return TensorType(type.dtype, shape);
  };
  unsigned before = graph.numNodes();
  for (Value *input : inputs) {
    // The caller's tensor keeps the input's name; the graph reads a
    // channels-first copy of it.
    std::string name = input->name();
    input->setName(name + "_nchw");
    Value *caller = graph.addInput(name, transposed(input->type(), {0, 2, 3, 1}));
    transposedIO.insert(caller);
    Node *node = graph.addNode(name + "_to_nchw", "Transpose", "", {caller}, {name + "_nchw_t"});
    node->setAttr("perm", Attribute(std::vector<int64_t>{0, 3, 1, 2}));
    node->result()->setType(input->type());
    graph.replaceAllUsesWith(input, node->result());
    graph.replaceInput(input, caller);
  }
  for (Value *output : outputs) {
    std::string name = output->name();
    output->setName(name + "_nchw");
    Node *node = graph.addNode(name + "_to_nhwc", "Transpose", "", {output}, {name});
    node->setAttr("perm", Attribute(std::vector<int64_t>{0, 2, 3, 1}));
    node->result()->setType(transposed(output->type(), {0, 2, 3, 1}));
    graph.replaceOutput(output, node->result());
    transposedIO.insert(node->result());
  }
  // Input transposes first, output transposes last.
  std::vector<unsigned> order;
  for (unsigned i = before; i < before + inputs.size(); ++i)
    order.push_back(i);
  for (unsigned i = 0; i < before; ++i)
    order.push_back(i);
  for (unsigned i = before + unsigned(inputs.size()); i < graph.numNodes(); ++i)
    order.push_back(i);
  graph.reorderNodes(order); // renumbers, dropping the replaced inputs
  return transposedIO;
}

/// A Same node's layout is its group's: that of any of its tensors chosen
/// channels-last (the others' bytes are the same either way).
void setNodeLayouts(const Graph &graph, const CEmitOptions &options, LayoutPlan &plan) {
  for (const auto &node : graph.nodes()) {
    if (ruleOf(*node, options) != LayoutRule::Same)
      continue;
    auto chosenLast = [&](const Value *v) { return isCandidate(v) && plan.values[v->id()]; };
    plan.nodes[node->id()] = llvm::any_of(node->operands(), chosenLast) ||
                             llvm::any_of(node->results(), chosenLast);
  }
}

} // namespace

absl::StatusOr<LayoutPlan> assignLayouts(Graph &graph, const CEmitOptions &options,
                                         LayoutMode mode, bool ioChannelsLast) {
  std::set<const Value *> transposedIO;
  if (ioChannelsLast)
    transposedIO = transposeBlockedIO(graph, options);
  LayoutPlan plan;
  plan.values.assign(graph.numValues(), false);
  plan.nodes.assign(graph.numNodes(), false);
  LayoutGroups g = groupValues(graph, options, ioChannelsLast, transposedIO);
  auto chosen = [&](unsigned root, bool io) {
    if (g.blocked[root])
      return false;
    switch (mode) {
    case LayoutMode::ChannelsLast:
      return true;
    case LayoutMode::Auto:
      return io || g.preferred[root];
    case LayoutMode::ChannelsFirst:
      return io;
    }
    return false;
  };
  std::vector<bool> ioGroup(graph.numValues(), false);
  if (ioChannelsLast)
    for (llvm::ArrayRef<Value *> io : {graph.inputs(), graph.outputs()})
      for (const Value *v : io)
        if (isCandidate(v) && v->type().rank() == 4 && !transposedIO.count(v))
          ioGroup[g.groups.find(v->id())] = true;
  for (const auto &value : graph.values())
    if (isCandidate(value.get())) {
      unsigned root = g.groups.find(value->id());
      plan.values[value->id()] = chosen(root, ioGroup[root]);
    }
  // A caller's 4-D tensor whose bytes are the same either way is still
  // described (model.h) as channels-last.
  if (ioChannelsLast)
    for (llvm::ArrayRef<Value *> io : {graph.inputs(), graph.outputs()})
      for (const Value *v : io)
        if (!v->isConstant() && !isCandidate(v) && v->type().rank() == 4 &&
            !transposedIO.count(v))
          plan.values[v->id()] = true;
  setNodeLayouts(graph, options, plan);
  return plan;
}

std::optional<LayoutPlan> withChannelsLast(const Graph &graph, const CEmitOptions &options,
                                           llvm::ArrayRef<unsigned> values) {
  LayoutGroups g = groupValues(graph, options, /*ioChannelsLast=*/false);
  LayoutPlan plan = options.layouts;
  plan.values.resize(graph.numValues(), false);
  plan.nodes.resize(graph.numNodes(), false);
  std::set<unsigned> roots;
  for (unsigned v : values)
    if (isCandidate(graph.value(v)) && !g.blocked[g.groups.find(v)] && !plan.values[v])
      roots.insert(g.groups.find(v));
  if (roots.empty())
    return std::nullopt;
  for (const auto &value : graph.values())
    if (isCandidate(value.get()) && roots.count(g.groups.find(value->id())))
      plan.values[value->id()] = true;
  setNodeLayouts(graph, options, plan);
  return plan;
}

} // namespace tinyplan
