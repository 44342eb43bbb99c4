//===- MemoryBound.cpp - An arena bound over every plan ------------------===//
//
// See MemoryBound.h. Every choice is taken in the bound's favour: a value
// counts only where it is live in every order, and an alias counts as made
// wherever the options allow it and the graph does not rule it out in every
// order. Ancestor sets are bit words, so a graph of N nodes costs N^2/64
// words and the sweep N times the values' readers.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Analysis/MemoryBound.h"
#include "tinyplan/Ops/OpDef.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <numeric>

namespace tinyplan {

namespace {

int64_t alignTo(int64_t bytes, int64_t align) { return (bytes + align - 1) / align * align; }

/// Ancestors of each node (excluding itself), as bit words.
std::vector<std::vector<uint64_t>> ancestorSets(const Graph &graph) {
  unsigned numNodes = graph.numNodes();
  size_t words = (numNodes + 63) / 64;
  std::vector<std::vector<uint64_t>> ancestors(numNodes, std::vector<uint64_t>(words, 0));
  // Node ids are not necessarily topological: visit in a topological order.
  std::vector<unsigned> order;
  std::vector<unsigned> pending(numNodes, 0);
  std::vector<std::vector<unsigned>> readers(numNodes);
  for (unsigned n = 0; n < numNodes; ++n)
    for (const Value *operand : graph.node(n)->operands())
      if (operand && operand->producer()) {
        readers[operand->producer()->id()].push_back(n);
        ++pending[n];
      }
  for (unsigned n = 0; n < numNodes; ++n)
    if (!pending[n])
      order.push_back(n);
  for (size_t i = 0; i < order.size(); ++i)
    for (unsigned reader : readers[order[i]]) {
      std::vector<uint64_t> &into = ancestors[reader];
      const std::vector<uint64_t> &from = ancestors[order[i]];
      for (size_t w = 0; w < words; ++w)
        into[w] |= from[w];
      into[order[i] / 64] |= uint64_t(1) << (order[i] % 64);
      if (--pending[reader] == 0)
        order.push_back(reader);
    }
  return ancestors;
}

} // namespace

MemoryBound anyPlanBound(const Graph &graph, const LivenessOptions &options) {
  unsigned numNodes = graph.numNodes(), numValues = graph.numValues();
  std::vector<std::vector<uint64_t>> ancestors = ancestorSets(graph);
  auto isAncestor = [&](unsigned a, unsigned of) {
    return ancestors[of][a / 64] >> (a % 64) & 1;
  };

  std::vector<bool> isInput(numValues, false), isOutput(numValues, false);
  for (const Value *input : graph.inputs())
    isInput[input->id()] = true;
  for (const Value *output : graph.outputs())
    isOutput[output->id()] = true;
  auto isExternal = [&](unsigned id) {
    return !options.ioInArena && (isInput[id] || isOutput[id]);
  };
  std::vector<unsigned> uses = graph.countUses();
  std::vector<const OpDef *> ops(numNodes);
  for (unsigned n = 0; n < numNodes; ++n)
    ops[n] = lookupOp(*graph.node(n));

  // Components: a value and its views share one set of bytes.
  std::vector<unsigned> component(numValues);
  std::iota(component.begin(), component.end(), 0u);
  auto find = [&](unsigned v) {
    while (component[v] != v)
      v = component[v] = component[component[v]];
    return v;
  };
  for (unsigned n = 0; n < numNodes; ++n) {
    const Node &node = *graph.node(n);
    const Value *source = node.numOperands() ? node.operand(0) : nullptr;
    if (!options.views || !ops[n] || !source || source->isConstant())
      continue;
    for (unsigned r = 0; r < node.numResults(); ++r) {
      const Value *result = node.result(r);
      if (!isExternal(result->id()) && ops[n]->isView(node, r) &&
          result->type().numBytes() == source->type().numBytes())
        component[find(result->id())] = find(source->id());
    }
  }

  // What each component needs, and when it is live in every order: from
  // its root's producer (-1: a graph input, live from the start) to its
  // members' readers (and to the end for a graph output).
  struct Component {
    int64_t bytes = 0;
    int producer = -1;
    bool counted = false, untilEnd = false;
    std::vector<unsigned> readers;
  };
  std::vector<Component> components(numValues);
  // A value that may become a slice of a Concat gets no alignment of its own.
  std::vector<bool> maySlice = options.sliceCandidates(graph);
  for (const auto &value : graph.values()) {
    unsigned id = value->id();
    if (value->isConstant() || isExternal(id))
      continue;
    Component &c = components[find(id)];
    c.counted = true;
    if (find(id) == id) {
      int64_t bytes = value->type().numBytes();
      c.bytes = maySlice[id] ? bytes : alignTo(bytes, options.align);
      c.producer = value->producer() ? int(value->producer()->id()) : -1;
    }
    c.untilEnd |= isOutput[id];
  }
  for (unsigned n = 0; n < numNodes; ++n)
    for (const Value *operand : graph.node(n)->operands())
      if (operand && !operand->isConstant() && components[find(operand->id())].counted)
        components[find(operand->id())].readers.push_back(n);
  std::vector<unsigned> live;
  for (unsigned v = 0; v < numValues; ++v)
    if (find(v) == v && components[v].counted)
      live.push_back(v);

  MemoryBound bound;
  std::vector<unsigned> atNode;
  for (unsigned n = 0; n < numNodes; ++n) {
    const Node &node = *graph.node(n);
    const OpDef *op = ops[n];
    // Components n reads or writes.
    atNode.clear();
    auto touch = [&](const Value *value) {
      if (value && !value->isConstant() && components[find(value->id())].counted &&
          !llvm::is_contained(atNode, find(value->id())))
        atNode.push_back(find(value->id()));
    };
    for (const Value *operand : node.operands())
      touch(operand);
    for (const Value *result : node.results())
      touch(result);
    // Whether a component can be read for the last time at n in some order.
    auto canDieHere = [&](unsigned c) {
      return !components[c].untilEnd &&
             llvm::none_of(components[c].readers,
                           [&](unsigned r) { return r != n && isAncestor(n, r); });
    };
    int64_t bytes = options.scratchBytes(op, node);
    for (unsigned c : atNode)
      bytes += components[c].bytes;
    // Concat slices: the operands can be inside the result.
    if (options.slicesAt(node)) {
      std::vector<unsigned> inside;
      for (const Value *operand : node.operands())
        if (operand && !operand->isConstant() && operand->producer() &&
            uses[operand->id()] == 1 && !isInput[operand->id()] && !isOutput[operand->id()] &&
            components[find(operand->id())].counted &&
            !llvm::is_contained(inside, find(operand->id())) &&
            find(operand->id()) != find(node.result(0)->id()))
          inside.push_back(find(operand->id()));
      for (unsigned c : inside)
        bytes -= components[c].bytes;
    } else if (op) {
      // In place: each result may take the bytes of one operand dying here.
      std::vector<unsigned> taken;
      for (unsigned r = 0; options.inPlace && r < node.numResults(); ++r) {
        const Value *result = node.result(r);
        unsigned rc = find(result->id());
        if (isExternal(result->id()) || !components[rc].counted ||
            llvm::is_contained(taken, rc))
          continue;
        for (unsigned index : op->inPlaceOperands(node, r)) {
          const Value *operand = index < node.numOperands() ? node.operand(index) : nullptr;
          if (!operand || operand->isConstant() || !components[find(operand->id())].counted)
            continue;
          unsigned oc = find(operand->id());
          if (oc == rc || llvm::is_contained(taken, oc) || isInput[operand->id()] ||
              operand->type().numBytes() != result->type().numBytes() || !canDieHere(oc))
            continue;
          bytes -= std::min(components[oc].bytes, components[rc].bytes);
          taken.push_back(oc);
          taken.push_back(rc);
          break;
        }
      }
      // Overlap: result 0 may start its head below an operand dying here.
      std::optional<KernelOverlap> overlap = options.overlapAt(node);
      const Value *result = node.numResults() ? node.result(0) : nullptr;
      const Value *operand = overlap && overlap->operand < node.numOperands()
                                 ? node.operand(overlap->operand)
                                 : nullptr;
      if (result && operand && !operand->isConstant() && !isExternal(result->id()) &&
          !maySlice[result->id()] && components[find(result->id())].counted &&
          components[find(operand->id())].counted) {
        unsigned rc = find(result->id()), oc = find(operand->id());
        int64_t head = alignTo(std::max<int64_t>(overlap->distance, 0), options.align);
        if (rc != oc && !llvm::is_contained(taken, rc) && !llvm::is_contained(taken, oc) &&
            canDieHere(oc) && head < components[rc].bytes)
          bytes -= std::min(components[rc].bytes - head, components[oc].bytes);
      }
    }
    // Components live across n in every order.
    for (unsigned c : live) {
      const Component &component = components[c];
      if (llvm::is_contained(atNode, c))
        continue;
      bool before = component.producer < 0 || isAncestor(unsigned(component.producer), n);
      if (!before)
        continue;
      bool after = component.untilEnd ||
                   llvm::any_of(component.readers, [&](unsigned r) { return isAncestor(n, r); });
      if (after)
        bytes += component.bytes;
    }
    if (bytes > bound.bytes) {
      bound.bytes = bytes;
      bound.node = int(n);
    }
  }
  return bound;
}

} // namespace tinyplan
