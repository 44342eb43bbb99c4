//===- ExactSchedule.cpp - Best-first search for a least-peak order -------===//
//
// The live bytes between steps depend only on which nodes have run, not on
// their order (PeakModel), so a partial order is summed up by its set of
// scheduled nodes and the least peak reaching it: dynamic programming over
// sets, as in Serenity (Ahn et al., MLSys 2020), explored best first.
//
// 1. A state is a set S with g(S), the least peak of any order reaching it,
//    and m(S), the bytes live after it. Its bound f(S) = max(g, m, h) where
//    h (PeakModel::futureBound) is the most bytes certainly live at the step
//    of some node not yet run: no completion of S peaks below f(S).
// 2. Pop the state of least f (ties: more nodes run, fewer live bytes,
//    older). The first complete set popped is optimal, since every other
//    completion passes through a state with f no smaller.
// 3. Extend it by every ready node (or by one alone when it is free: it
//    frees at least what it allocates and its step is below the
//    incumbent's peak, so if any completion beats the incumbent, one
//    running it first does); a new set is stored, a known one updated when
//    reached with a smaller g. Extensions with f at or above the
//    incumbent's peak are dropped: only a strictly better order is wanted,
//    and if none is found the incumbent is optimal.
// 4. A free node whose step exceeds f(S) may hide completions peaking
//    between the two, so an order found is optimal only up to the least
//    such f(S); when it is above that, search again below the new order.
// 5. Stop at the state budget, where a state of a piece of k nodes counts
//    ceil(k/64) times (or at the optional deadline): the least f still open
//    (or the least hiding f(S), if smaller) is then a lower bound on the
//    optimum.
//
//===----------------------------------------------------------------------===//
#include "ScheduleSearch.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <queue>

namespace tinyplan {

namespace {

/// Sets of scheduled nodes, stored flat, found by open addressing. A slot
/// keeps the high half of the key's hash beside its index, so most probes
/// settle without touching the stored keys.
class StateTable {
public:
  explicit StateTable(unsigned words) : words_(words), slots_(1024) {}

  const uint64_t *key(unsigned index) const { return &keys_[size_t(index) * words_]; }

  /// The index of \p key, or -1.
  int find(const uint64_t *key) const {
    uint64_t h = hash(key);
    uint32_t tag = uint32_t(h >> 32);
    for (size_t slot = h & (slots_.size() - 1);; slot = (slot + 1) & (slots_.size() - 1)) {
      const Slot &entry = slots_[slot];
      if (entry.index < 0)
        return -1;
      if (entry.tag == tag && equal(key, this->key(unsigned(entry.index))))
        return entry.index;
    }
  }

  /// Stores \p key (not yet present) and returns its index.
  unsigned insert(const uint64_t *key) {
    if (2 * (count_ + 1) > slots_.size())
      grow();
    keys_.insert(keys_.end(), key, key + words_);
    place(count_, hash(key));
    return count_++;
  }

private:
  struct Slot {
    int index = -1;
    uint32_t tag = 0;
  };

  bool equal(const uint64_t *a, const uint64_t *b) const {
    for (unsigned i = 0; i < words_; ++i)
      if (a[i] != b[i])
        return false;
    return true;
  }
  uint64_t hash(const uint64_t *key) const {
    // splitmix64's finaliser per word, so every bit reaches both the low
    // bits the slot is taken from and the high bits of the tag.
    uint64_t h = 0;
    for (unsigned i = 0; i < words_; ++i) {
      h += key[i] + 0x9E3779B97F4A7C15ull;
      h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
      h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
      h ^= h >> 31;
    }
    return h;
  }
  void place(unsigned index, uint64_t h) {
    size_t slot = h & (slots_.size() - 1);
    while (slots_[slot].index >= 0)
      slot = (slot + 1) & (slots_.size() - 1);
    slots_[slot] = {int(index), uint32_t(h >> 32)};
  }
  void grow() {
    slots_.assign(slots_.size() * 2, Slot());
    for (unsigned i = 0; i < count_; ++i)
      place(i, hash(key(i)));
  }

  unsigned words_;
  unsigned count_ = 0;
  std::vector<uint64_t> keys_;
  std::vector<Slot> slots_;
};

struct State {
  int64_t g = 0, memory = 0;
  /// futureBound of the set, computed when first popped (-1 before).
  int64_t h = -1;
  int parent = -1;
  unsigned node = 0;
  unsigned depth = 0;
  bool closed = false;
};

struct OpenEntry {
  int64_t f, g, memory;
  unsigned depth, index;
  /// Priority-queue order: the entry to pop first compares greatest.
  bool operator<(const OpenEntry &other) const {
    if (f != other.f)
      return f > other.f;
    if (depth != other.depth)
      return depth < other.depth;
    if (memory != other.memory)
      return memory > other.memory;
    return index > other.index;
  }
};

/// One best-first search for an order below \p incumbent's peak.
PieceOrder searchBelow(const SchedulePiece &piece, const PieceOrder &incumbent,
                       int64_t stateBudget,
                       std::optional<std::chrono::steady_clock::time_point> deadline) {
  const PeakModel &model = *piece.model;
  PieceOrder result = incumbent;
  int64_t upper = incumbent.peak;
  int64_t weight = int64_t(piece.nodes.size() + 63) / 64;

  // h(S): PeakModel::futureBound over the piece's buffers; the bytes live
  // throughout the piece (read after it) are a constant part of it.
  std::vector<unsigned> groups = model.groupsTouchedBy(piece.nodes);
  int64_t carried = piece.memoryBefore - model.liveBytes(piece.before, groups);
  NodeSet pieceNodes(model.numNodes());
  std::vector<NodeSet> predSets;
  for (unsigned node : piece.nodes) {
    pieceNodes.set(node);
    predSets.emplace_back(model.numNodes());
    for (unsigned p : model.preds(node))
      predSets.back().set(p);
  }
  auto remainingBound = [&](const NodeSet &done) {
    return model.futureBound(done, pieceNodes, groups, carried);
  };

  unsigned numWords = piece.before.words().size();
  StateTable table(numWords);
  std::vector<State> states;
  std::priority_queue<OpenEntry> open;
  states.push_back({0, piece.memoryBefore, -1, -1, 0, 0, false});
  table.insert(piece.before.words().data());
  open.push({piece.memoryBefore, 0, piece.memoryBefore, 0, 0});

  NodeSet done(0), child(0);
  llvm::SmallVector<unsigned, 16> ready;
  llvm::SmallVector<PeakModel::Step, 16> steps;
  unsigned total = piece.nodes.size();
  int64_t popped = 0;
  int goal = -1;
  int64_t openBound = upper, lostFloor = upper;
  while (!open.empty()) {
    OpenEntry entry = open.top();
    open.pop();
    State &state = states[entry.index];
    if (state.closed || entry.g != state.g)
      continue;
    done.mutableWords().assign(table.key(entry.index), table.key(entry.index) + numWords);
    if (state.h < 0) {
      // Children inherit their parent's bound; their own is computed only
      // for those popped, and may send them back.
      state.h = remainingBound(done);
      if (state.h > entry.f) {
        if (state.h < upper)
          open.push({state.h, entry.g, entry.memory, entry.depth, entry.index});
        continue;
      }
    }
    int64_t bound = std::max(entry.f, state.h);
    if (entry.depth == total) {
      goal = int(entry.index);
      break;
    }
    if (int64_t(states.size()) * weight >= stateBudget ||
        (deadline && (++popped & 1023) == 0 &&
         std::chrono::steady_clock::now() > *deadline)) {
      openBound = std::min(bound, lostFloor);
      break;
    }
    state.closed = true;
    ready.clear();
    for (unsigned i = 0; i < total; ++i)
      if (!done.test(piece.nodes[i]) && done.contains(predSets[i]))
        ready.push_back(piece.nodes[i]);
    int64_t g = state.g, memory = state.memory, h = state.h;
    unsigned depth = state.depth;
    // A ready node that frees at least what it allocates, with a step below
    // the incumbent's peak, may run first: moving it to the front of a
    // completion raises no other step (what it frees dies at it whenever it
    // runs), so a completion peaking at or above its step keeps its peak.
    // Those peaking below its step (and at or above f(S)) are lost, which
    // bounds the optimality claim (lostFloor).
    steps.clear();
    for (unsigned node : ready) {
      PeakModel::Step step = model.step(done, memory, node);
      if (step.peak < upper && step.memoryAfter <= memory) {
        if (step.peak > bound)
          lostFloor = std::min(lostFloor, bound);
        ready.assign(1, node);
        steps.assign(1, step);
        break;
      }
      steps.push_back(step);
    }
    for (unsigned k = 0; k < ready.size(); ++k) {
      unsigned node = ready[k];
      const PeakModel::Step &step = steps[k];
      int64_t childG = std::max(g, step.peak);
      if (childG >= upper || step.memoryAfter >= upper)
        continue;
      child = done;
      child.set(node);
      int64_t f = std::max({childG, step.memoryAfter, h});
      int index = table.find(child.words().data());
      if (index >= 0) {
        State &known = states[unsigned(index)];
        if (known.closed || known.g <= childG)
          continue;
        known.g = childG;
        known.parent = int(entry.index);
        known.node = node;
      } else {
        index = int(table.insert(child.words().data()));
        states.push_back(
            {childG, step.memoryAfter, -1, int(entry.index), node, depth + 1, false});
      }
      open.push({f, childG, step.memoryAfter, depth + 1, unsigned(index)});
    }
  }
  result.states = int64_t(states.size());
  result.spent = result.states * weight;
  if (goal < 0) {
    // Nothing below the incumbent: proven, unless the search was cut short.
    result.lowerBound = std::max(result.lowerBound, std::min(openBound, upper));
    return result;
  }
  result.source = PieceOrder::Source::Exact;
  result.order.assign(total, 0);
  for (int index = goal; states[unsigned(index)].parent >= 0;
       index = states[unsigned(index)].parent)
    result.order[states[unsigned(index)].depth - 1] = states[unsigned(index)].node;
  result.peak = states[unsigned(goal)].g;
  result.lowerBound = std::max(result.lowerBound, std::min(result.peak, lostFloor));
  return result;
}

} // namespace

PieceOrder exactOrder(const SchedulePiece &piece, const PieceOrder &incumbent,
                      int64_t stateBudget,
                      std::optional<std::chrono::steady_clock::time_point> deadline) {
  PieceOrder result = incumbent;
  if (result.lowerBound >= result.peak || piece.nodes.empty()) {
    result.lowerBound = result.peak;
    return result;
  }
  // An order found while a free node was moved ahead of a lower step is
  // not proven optimal: search again below it.
  int64_t states = 0, spent = 0;
  for (;;) {
    PieceOrder next = searchBelow(piece, result, stateBudget - spent, deadline);
    states += next.states;
    spent += next.spent;
    bool again = next.peak < result.peak && next.lowerBound < next.peak &&
                 spent < stateBudget;
    result = std::move(next);
    if (!again)
      break;
  }
  result.states = states;
  result.spent = spent;
  return result;
}

} // namespace tinyplan
