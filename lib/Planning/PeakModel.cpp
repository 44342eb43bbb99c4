//===- PeakModel.cpp - Live bytes of a partial schedule -------------------===//
//
// Building the tables (the liveness analysis's rules, Analysis/Liveness.cpp,
// restated for an unknown order):
// 1. Node dependences.
// 2. Components: every non-constant value joined to its view source.
// 3. For each result that is not a view, the operands it may overwrite:
//    those passing every test of the liveness analysis that does not depend
//    on the order (bytes, caller-owned, graph inputs and outputs, another
//    operand reading the same bytes). The remaining test, that every reader
//    of the operand's component has run, is made per step.
// 4. Groups: a Concat whose slicing holds in every order joins its
//    operands' buffers to its result. An operand's buffer is its component
//    plus, when its root overwrote a value in place, that value's buffer, and
//    so on back; each such link must hold in every order too, else the
//    model is marked inexact.
// 5. Per node: the groups it may start and those that may die at its step,
//    its scratch bytes, the groups live at its step in every order, and
//    from them a lower bound on its step's live bytes.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/PeakModel.h"
#include "tinyplan/Ops/OpDef.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <numeric>

namespace tinyplan {

namespace {

int64_t alignTo(int64_t size, int64_t align) {
  return (size + align - 1) / align * align;
}

template <typename Vector> void sortUnique(Vector &items) {
  llvm::sort(items);
  items.erase(std::unique(items.begin(), items.end()), items.end());
}

} // namespace

PeakModel PeakModel::build(const Graph &graph, const LivenessOptions &options) {
  PeakModel model;
  unsigned numNodes = graph.numNodes();
  unsigned numValues = graph.numValues();

  // 1. Dependences.
  model.preds_.resize(numNodes);
  model.succs_.resize(numNodes);
  for (unsigned n = 0; n < numNodes; ++n) {
    for (const Value *operand : graph.node(n)->operands())
      if (operand && operand->producer())
        model.preds_[n].push_back(operand->producer()->id());
    sortUnique(model.preds_[n]);
    for (unsigned p : model.preds_[n])
      model.succs_[p].push_back(n);
  }
  model.ancestors_.assign(numNodes, NodeSet(numNodes));
  for (unsigned n = 0; n < numNodes; ++n) {
    std::vector<uint64_t> &words = model.ancestors_[n].mutableWords();
    for (unsigned p : model.preds_[n]) {
      llvm::ArrayRef<uint64_t> from = model.ancestors_[p].words();
      for (size_t w = 0; w < words.size(); ++w)
        words[w] |= from[w];
      model.ancestors_[n].set(p);
    }
  }

  std::vector<bool> isInput(numValues, false), isOutput(numValues, false);
  for (const Value *input : graph.inputs())
    isInput[input->id()] = true;
  for (const Value *output : graph.outputs())
    isOutput[output->id()] = true;
  auto isExternal = [&](unsigned id) {
    return !options.ioInArena && (isInput[id] || isOutput[id]);
  };
  auto bytesOf = [&](const Value *value) { return value->type().numBytes(); };
  std::vector<unsigned> uses = graph.countUses();

  // 2. Components.
  std::vector<int> componentOf(numValues, -1);
  std::vector<unsigned> rootValue;
  std::vector<Component> &components = model.components_;
  auto newComponent = [&](const Value *value) {
    Component component;
    component.rootNode = value->producer() ? int(value->producer()->id()) : -1;
    component.size = isExternal(value->id()) ? 0 : alignTo(bytesOf(value), options.align);
    componentOf[value->id()] = int(components.size());
    rootValue.push_back(value->id());
    components.push_back(std::move(component));
  };
  for (const Value *input : graph.inputs())
    newComponent(input);
  model.results_.resize(numNodes);
  std::vector<const OpDef *> ops(numNodes);
  for (unsigned n = 0; n < numNodes; ++n) {
    const Node &node = *graph.node(n);
    ops[n] = lookupOp(node);
    for (unsigned r = 0; r < node.numResults(); ++r) {
      const Value *result = node.result(r);
      const Value *source = node.operand(0);
      if (ops[n] && !isExternal(result->id()) && options.views &&
          ops[n]->isView(node, r) && source && !source->isConstant() &&
          bytesOf(source) == bytesOf(result)) {
        componentOf[result->id()] = componentOf[source->id()];
        continue;
      }
      newComponent(result);
      model.results_[n].push_back({unsigned(componentOf[result->id()]), {}});
    }
  }
  for (unsigned n = 0; n < numNodes; ++n)
    for (const Value *operand : graph.node(n)->operands())
      if (operand && !operand->isConstant())
        components[componentOf[operand->id()]].readers.push_back(n);
  for (Component &component : components)
    sortUnique(component.readers);
  for (const Value *output : graph.outputs())
    if (!output->isConstant())
      components[componentOf[output->id()]].pinned = true;

  // 3. In-place candidates.
  for (unsigned n = 0; n < numNodes; ++n) {
    const Node &node = *graph.node(n);
    if (!ops[n] || !options.inPlace)
      continue;
    unsigned next = 0;
    for (unsigned r = 0; r < node.numResults(); ++r) {
      const Value *result = node.result(r);
      if (next == model.results_[n].size() ||
          rootValue[model.results_[n][next].component] != result->id())
        continue; // a view
      ResultInfo &info = model.results_[n][next++];
      if (isExternal(result->id()))
        continue;
      for (unsigned index : ops[n]->inPlaceOperands(node, r)) {
        const Value *operand = node.operand(index);
        if (!operand || operand->isConstant() || bytesOf(operand) != bytesOf(result))
          continue;
        unsigned c = componentOf[operand->id()];
        const Component &component = components[c];
        if (isExternal(rootValue[c]) || component.rootNode < 0 || component.pinned)
          continue;
        bool sharedByOther = llvm::any_of(node.operands(), [&](const Value *other) {
          return other && other != operand && !other->isConstant() &&
                 componentOf[other->id()] == int(c);
        });
        if (!sharedByOther)
          info.inPlaceCandidates.push_back(c);
      }
    }
  }

  // 4. Concat groups: components in one group by union with explicit heads.
  std::vector<unsigned> groupOf(components.size());
  std::iota(groupOf.begin(), groupOf.end(), 0u);
  std::vector<unsigned> headOf = groupOf;
  auto merge = [&](unsigned from, unsigned into) {
    unsigned oldGroup = groupOf[from], newGroup = groupOf[into];
    if (oldGroup == newGroup)
      return;
    for (unsigned &group : groupOf)
      if (group == oldGroup)
        group = newGroup;
  };
  // Whether every reader of component \p c has run by the time \p node
  // runs, in every order.
  auto readBefore = [&](unsigned c, unsigned node) {
    return llvm::all_of(components[c].readers, [&](unsigned r) {
      return r == node || model.ancestors_[node].test(r);
    });
  };
  auto candidateResults = [&](unsigned n) {
    return llvm::count_if(model.results_[n], [](const ResultInfo &info) {
      return !info.inPlaceCandidates.empty();
    });
  };
  for (unsigned n = 0; n < numNodes; ++n) {
    const Node &node = *graph.node(n);
    if (!options.slicesAt(node))
      continue;
    unsigned concatId = node.result(0)->id();
    unsigned concatComponent = componentOf[concatId];
    if (isExternal(concatId) || rootValue[concatComponent] != concatId)
      continue;
    if (!model.results_[n][0].inPlaceCandidates.empty()) {
      // Whether the result is its buffer's root would depend on the order.
      model.exact_ = false;
      continue;
    }
    bool never = false, dependsOnOrder = false;
    std::vector<unsigned> operandComponents;
    for (const Value *operand : node.operands()) {
      if (!operand || operand->isConstant() || !operand->producer() ||
          isInput[operand->id()] || isOutput[operand->id()] || uses[operand->id()] != 1) {
        never = true;
        break;
      }
      unsigned c = componentOf[operand->id()];
      const Component &component = components[c];
      if (isExternal(rootValue[c]) || component.rootNode < 0 || component.pinned ||
          c == concatComponent || llvm::is_contained(operandComponents, c)) {
        never = true;
        break;
      }
      // The operand's buffer must die here: a reader of its component that
      // may run later (it is a view of a value read elsewhere) makes that
      // depend on the order.
      dependsOnOrder |= !readBefore(c, n);
      operandComponents.push_back(c);
    }
    if (never)
      continue;
    if (dependsOnOrder) {
      model.exact_ = false;
      continue;
    }
    for (unsigned c : operandComponents) {
      // Follow the in-place links back to the start of the operand's buffer.
      for (unsigned current = c;;) {
        merge(current, concatComponent);
        int producer = components[current].rootNode;
        const ResultInfo *info = nullptr;
        for (const ResultInfo &result : model.results_[producer])
          if (result.component == current)
            info = &result;
        if (!info || info->inPlaceCandidates.empty())
          break;
        unsigned overwritten = info->inPlaceCandidates.front();
        if (!readBefore(overwritten, unsigned(producer)) ||
            candidateResults(unsigned(producer)) != 1) {
          model.exact_ = false;
          break;
        }
        current = overwritten;
      }
    }
    headOf[groupOf[concatComponent]] = concatComponent;
  }
  // Dense group ids in order of first component.
  std::vector<int> denseGroup(components.size(), -1);
  for (unsigned c = 0; c < components.size(); ++c) {
    unsigned g = groupOf[c];
    if (denseGroup[g] < 0) {
      denseGroup[g] = int(model.groups_.size());
      Group group;
      group.head = headOf[g];
      group.size = components[group.head].size;
      model.groups_.push_back(group);
    }
    components[c].group = unsigned(denseGroup[g]);
    model.groups_[components[c].group].memberRoots.push_back(components[c].rootNode);
  }

  // 4b. Overlap candidates, with the liveness analysis's conditions: result
  // 0, not a view and never a Concat slice, over the head of a group.
  std::vector<bool> maySlice = options.sliceCandidates(graph);
  for (unsigned n = 0; n < numNodes; ++n) {
    const Node &node = *graph.node(n);
    std::optional<KernelOverlap> overlap = options.overlapAt(node);
    if (!ops[n] || !overlap || node.numResults() == 0 || model.results_[n].empty() ||
        overlap->operand >= node.numOperands())
      continue;
    const Value *result = node.result(0);
    ResultInfo &info = model.results_[n][0];
    const Value *operand = node.operand(overlap->operand);
    if (rootValue[info.component] != result->id() || isExternal(result->id()) ||
        maySlice[result->id()] || !operand || operand->isConstant())
      continue;
    unsigned c = componentOf[operand->id()];
    const Component &component = components[c];
    int64_t head = alignTo(std::max<int64_t>(overlap->distance, 0), options.align);
    int64_t resultSize = components[info.component].size;
    if (isExternal(rootValue[c]) || component.pinned ||
        model.groups_[component.group].head != c || head >= resultSize)
      continue;
    bool sharedByOther = llvm::any_of(node.operands(), [&](const Value *other) {
      return other && other != operand && !other->isConstant() &&
             componentOf[other->id()] == int(c);
    });
    if (sharedByOther)
      continue;
    info.overlapCandidate = int(c);
    info.overlapSaving = std::min(resultSize - head, component.size);
  }

  // 5. Per-node tables.
  model.startGroups_.resize(numNodes);
  model.touchGroups_.resize(numNodes);
  model.scratch_.assign(numNodes, 0);
  model.nodeBound_.assign(numNodes, 0);
  std::vector<int64_t> maxSaving(numNodes, 0);
  for (unsigned c = 0; c < components.size(); ++c)
    if (components[c].rootNode >= 0)
      model.startGroups_[components[c].rootNode].push_back(components[c].group);
  for (unsigned n = 0; n < numNodes; ++n) {
    const Node &node = *graph.node(n);
    sortUnique(model.startGroups_[n]);
    for (const Value *operand : node.operands())
      if (operand && !operand->isConstant())
        model.touchGroups_[n].push_back(components[componentOf[operand->id()]].group);
    for (const Value *result : node.results())
      model.touchGroups_[n].push_back(components[componentOf[result->id()]].group);
    sortUnique(model.touchGroups_[n]);
    if (int64_t scratch = options.scratchBytes(ops[n], node); scratch > 0)
      model.scratch_[n] = alignTo(scratch, options.align);
    for (const ResultInfo &info : model.results_[n])
      maxSaving[n] += std::max(info.inPlaceCandidates.empty() ? 0 : components[info.component].size,
                               info.overlapSaving);
  }
  // Groups live at a node's step in every order: started by the node or an
  // ancestor, and ended (head produced and read) by it or a descendant.
  for (Group &group : model.groups_) {
    const Component &head = components[group.head];
    group.roots = group.headReaders = group.certain = NodeSet(numNodes);
    for (int root : group.memberRoots) {
      if (root < 0)
        group.holdsInput = true;
      else
        group.roots.set(unsigned(root));
    }
    llvm::SmallVector<unsigned, 4> ends(head.readers.begin(), head.readers.end());
    for (unsigned r : head.readers)
      group.headReaders.set(r);
    if (head.rootNode >= 0)
      ends.push_back(unsigned(head.rootNode));
    for (unsigned n = 0; n < numNodes; ++n) {
      bool startsBefore = group.holdsInput || llvm::any_of(group.memberRoots, [&](int root) {
        return unsigned(root) == n || model.ancestors_[n].test(unsigned(root));
      });
      bool endsAfter = head.pinned || llvm::any_of(ends, [&](unsigned e) {
        return e == n || model.ancestors_[e].test(n);
      });
      if (startsBefore && endsAfter)
        group.certain.set(n);
    }
  }
  model.ownExtra_.resize(numNodes);
  for (unsigned n = 0; n < numNodes; ++n) {
    model.ownExtra_[n] = model.scratch_[n] - maxSaving[n];
    int64_t bound = model.ownExtra_[n];
    for (const Group &group : model.groups_)
      if (group.certain.test(n))
        bound += group.size;
    model.nodeBound_[n] = std::max<int64_t>(bound, 0);
  }
  for (const Group &group : model.groups_) {
    const Component &head = components[group.head];
    if (head.rootNode >= 0)
      continue;
    if (head.readers.empty() && !head.pinned)
      model.firstStepExtra_ += group.size;
    else
      model.initialMemory_ += group.size;
  }
  return model;
}

bool PeakModel::readersDone(const Component &component, const NodeSet &done,
                            unsigned node) const {
  return llvm::all_of(component.readers,
                      [&](unsigned r) { return r == node || done.test(r); });
}

bool PeakModel::started(unsigned g, const NodeSet &done) const {
  return groups_[g].holdsInput || groups_[g].roots.intersects(done);
}

bool PeakModel::liveAfter(unsigned g, const NodeSet &done) const {
  const Group &group = groups_[g];
  if (!started(g, done))
    return false;
  const Component &head = components_[group.head];
  bool produced = head.rootNode < 0 || done.test(unsigned(head.rootNode));
  return head.pinned || !produced || !done.contains(group.headReaders);
}

int64_t PeakModel::liveBytes(const NodeSet &done, llvm::ArrayRef<unsigned> groups) const {
  int64_t bytes = 0;
  for (unsigned g : groups)
    if (liveAfter(g, done))
      bytes += groups_[g].size;
  return bytes;
}

std::vector<unsigned> PeakModel::groupsTouchedBy(llvm::ArrayRef<unsigned> nodes) const {
  std::vector<unsigned> groups;
  for (unsigned node : nodes)
    groups.insert(groups.end(), touchGroups_[node].begin(), touchGroups_[node].end());
  sortUnique(groups);
  return groups;
}

int64_t PeakModel::futureBound(const NodeSet &done, const NodeSet &nodes,
                               llvm::ArrayRef<unsigned> groups, int64_t carried) const {
  // For each group, the nodes still to run at whose step it will be live;
  // its bytes are added to each of them.
  unsigned numWords = done.words().size();
  llvm::SmallVector<int64_t, 64> live(numNodes(), 0);
  llvm::SmallVector<uint64_t, 4> mask(numWords);
  auto addTo = [&](int64_t size) {
    for (unsigned w = 0; w < numWords; ++w)
      for (uint64_t bits = mask[w] & nodes.words()[w] & ~done.words()[w]; bits;
           bits &= bits - 1)
        live[w * 64 + unsigned(__builtin_ctzll(bits))] += size;
  };
  auto orAncestorsAndSelf = [&](unsigned c) {
    llvm::ArrayRef<uint64_t> from = ancestors_[c].words();
    for (unsigned w = 0; w < numWords; ++w)
      mask[w] |= from[w];
    mask[c / 64] |= uint64_t(1) << (c % 64);
  };
  for (unsigned g : groups) {
    const Group &group = groups_[g];
    if (!started(g, done)) {
      std::copy(group.certain.words().begin(), group.certain.words().end(), mask.begin());
      addTo(group.size);
      continue;
    }
    const Component &head = components_[group.head];
    bool produced = head.rootNode < 0 || done.test(unsigned(head.rootNode));
    std::fill(mask.begin(), mask.end(), head.pinned ? ~uint64_t(0) : 0);
    if (!head.pinned) {
      // Live until its head is produced and read by all: at the step of
      // any node that runs before one of those, or is one.
      if (!produced)
        orAncestorsAndSelf(unsigned(head.rootNode));
      for (unsigned r : head.readers)
        if (!done.test(r))
          orAncestorsAndSelf(r);
    }
    addTo(group.size);
  }
  int64_t bound = 0;
  for (unsigned w = 0; w < numWords; ++w)
    for (uint64_t bits = nodes.words()[w] & ~done.words()[w]; bits; bits &= bits - 1) {
      unsigned n = w * 64 + unsigned(__builtin_ctzll(bits));
      bound = std::max(bound, live[n] + carried + ownExtra_[n]);
    }
  return bound;
}

PeakModel::Step PeakModel::step(const NodeSet &done, int64_t memory,
                                unsigned node) const {
  int64_t added = 0;
  for (unsigned g : startGroups_[node]) {
    const Group &group = groups_[g];
    bool before = llvm::any_of(group.memberRoots, [&](int root) {
      return root < 0 || (unsigned(root) != node && done.test(unsigned(root)));
    });
    if (!before)
      added += group.size;
  }
  // In place: the first candidate (per result, in order) whose readers have
  // all run and that no earlier result of this node took.
  int64_t saved = 0;
  llvm::SmallVector<unsigned, 2> claimed;
  for (const ResultInfo &result : results_[node]) {
    bool inPlace = false;
    for (unsigned c : result.inPlaceCandidates) {
      if (llvm::is_contained(claimed, c) || !readersDone(components_[c], done, node))
        continue;
      claimed.push_back(c);
      if (components_[c].group != components_[result.component].group)
        saved += components_[result.component].size;
      inPlace = true;
      break;
    }
    int c = result.overlapCandidate;
    if (!inPlace && c >= 0 && !llvm::is_contained(claimed, unsigned(c)) &&
        readersDone(components_[c], done, node)) {
      claimed.push_back(unsigned(c));
      saved += result.overlapSaving;
    }
  }
  Step step;
  step.peak = memory + added + scratch_[node] - saved;
  if (firstStepExtra_ && llvm::all_of(done.words(), [](uint64_t w) { return w == 0; }))
    step.peak += firstStepExtra_;
  int64_t died = 0;
  for (unsigned g : touchGroups_[node]) {
    const Group &group = groups_[g];
    const Component &head = components_[group.head];
    bool produced = head.rootNode < 0 || unsigned(head.rootNode) == node ||
                    done.test(unsigned(head.rootNode));
    if (head.pinned || !produced || !readersDone(head, done, node))
      continue;
    died += group.size;
  }
  step.memoryAfter = memory + added - died;
  return step;
}

int64_t PeakModel::peakOf(llvm::ArrayRef<unsigned> order) const {
  NodeSet done(numNodes());
  int64_t memory = initialMemory_;
  int64_t peak = order.empty() ? initialMemory_ + firstStepExtra_ : 0;
  for (unsigned node : order) {
    Step s = step(done, memory, node);
    peak = std::max(peak, s.peak);
    memory = s.memoryAfter;
    done.set(node);
  }
  return peak;
}

} // namespace tinyplan
