//===- BeamSchedule.cpp - Beam search for a low-peak order ----------------===//
//
// 1. Start from the set of nodes run before the piece.
// 2. At each step extend every kept partial order by every ready node, and
//    measure the step with the PeakModel.
// 3. Sort the extensions by peak so far, then live bytes after the step,
//    then the rank of the partial order they extend and the node id (so the
//    model's order wins ties); keep the first `width` that reach distinct
//    sets of scheduled nodes.
// 4. After the last step the first kept order is the result.
//
// Keeping the live bytes as the second key is the greedy rule "free memory
// early"; the width is the lookahead that lets a branch which allocates now
// and frees later (a detection head, a fire module) be finished first.
//
// A step measures every ready node of every kept order, and measuring one
// can cost as much as its operands' consumers: a piece where more than
// kMaxExtensionsPerStep extensions are ready at once (thousands of parallel
// branches) keeps the model's order instead, so that the time stays
// bounded. Only the last layer keeps its sets; earlier layers keep the
// (parent, node) pairs that spell the orders out.
//
//===----------------------------------------------------------------------===//
#include "ScheduleSearch.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

namespace tinyplan {

int64_t pieceOrderPeak(const SchedulePiece &piece, llvm::ArrayRef<unsigned> order) {
  NodeSet done = piece.before;
  int64_t memory = piece.memoryBefore, peak = 0;
  for (unsigned node : order) {
    PeakModel::Step step = piece.model->step(done, memory, node);
    peak = std::max(peak, step.peak);
    memory = step.memoryAfter;
    done.set(node);
  }
  return peak;
}

PieceOrder pieceFileOrder(const SchedulePiece &piece) {
  PieceOrder result;
  result.order = piece.nodes;
  result.peak = pieceOrderPeak(piece, result.order);
  return result;
}

/// Most extensions (kept orders times their ready nodes) one step of the
/// beam may measure before the piece falls back to the model's order.
constexpr size_t kMaxExtensionsPerStep = 2048;

PieceOrder beamOrder(const SchedulePiece &piece, unsigned width) {
  struct Partial {
    NodeSet done;
    /// Nodes of the piece not in done whose predecessors all are.
    std::vector<unsigned> ready;
    int64_t peak = 0, memory = 0;
    /// Index in the previous layer, and the node this step added.
    int parent = -1;
    unsigned node = 0;
  };
  struct Extension {
    int64_t peak, memory;
    unsigned parent, node;
  };
  width = std::max(width, 1u);
  std::vector<Partial> layer;
  // Per depth, each kept order's parent index and node.
  std::vector<std::vector<std::pair<int, unsigned>>> trail;
  std::vector<unsigned> firstReady;
  for (unsigned node : piece.nodes)
    if (llvm::all_of(piece.model->preds(node), [&](unsigned p) { return piece.before.test(p); }))
      firstReady.push_back(node);
  layer.push_back({piece.before, firstReady, 0, piece.memoryBefore, -1, 0});
  std::vector<Extension> extensions;
  // An open-addressing table of the kept orders of a step (index + 1 in
  // the next layer, 0: empty), at most half full.
  size_t tableSize = 2;
  while (tableSize < 2 * size_t(width))
    tableSize *= 2;
  std::vector<unsigned> slots(tableSize, 0);
  const size_t mask = tableSize - 1;
  NodeSet done;
  for (size_t depth = 0; depth < piece.nodes.size(); ++depth) {
    size_t count = 0;
    for (const Partial &partial : layer)
      count += partial.ready.size();
    if (count > kMaxExtensionsPerStep)
      return pieceFileOrder(piece);
    extensions.clear();
    for (unsigned i = 0; i < layer.size(); ++i) {
      for (unsigned node : layer[i].ready) {
        PeakModel::Step step = piece.model->step(layer[i].done, layer[i].memory, node);
        extensions.push_back(
            {std::max(layer[i].peak, step.peak), step.memoryAfter, i, node});
      }
    }
    llvm::sort(extensions, [](const Extension &a, const Extension &b) {
      return std::tie(a.peak, a.memory, a.parent, a.node) <
             std::tie(b.peak, b.memory, b.parent, b.node);
    });
    std::vector<Partial> next;
    std::fill(slots.begin(), slots.end(), 0u);
    for (const Extension &extension : extensions) {
      done = layer[extension.parent].done; // reuses done's words
      done.set(extension.node);
      // Skip an order whose set a kept one reached: probe the table of the
      // kept sets' hashes.
      size_t slot = llvm::hash_combine_range(done.words().begin(), done.words().end()) & mask;
      bool seen = false;
      for (; slots[slot]; slot = (slot + 1) & mask)
        if (next[slots[slot] - 1].done.words() == done.words()) {
          seen = true;
          break;
        }
      if (seen)
        continue;
      slots[slot] = unsigned(next.size()) + 1;
      // The node's successors whose last predecessor it was become ready.
      std::vector<unsigned> ready;
      ready.reserve(layer[extension.parent].ready.size() + piece.model->succs(extension.node).size());
      for (unsigned node : layer[extension.parent].ready)
        if (node != extension.node)
          ready.push_back(node);
      for (unsigned succ : piece.model->succs(extension.node))
        if (llvm::all_of(piece.model->preds(succ), [&](unsigned p) { return done.test(p); }))
          ready.push_back(succ);
      llvm::sort(ready);
      next.push_back({done, std::move(ready), extension.peak, extension.memory,
                      int(extension.parent), extension.node});
      if (next.size() == width)
        break;
    }
    trail.emplace_back();
    for (const Partial &partial : next)
      trail.back().emplace_back(partial.parent, partial.node);
    layer = std::move(next);
  }

  PieceOrder result;
  result.source = PieceOrder::Source::Beam;
  result.order.resize(piece.nodes.size());
  int index = 0;
  result.peak = layer.empty() ? 0 : layer[0].peak;
  for (size_t depth = piece.nodes.size(); depth > 0; --depth) {
    const auto &[parent, node] = trail[depth - 1][size_t(index)];
    result.order[depth - 1] = node;
    index = parent;
  }
  return result;
}

} // namespace tinyplan
