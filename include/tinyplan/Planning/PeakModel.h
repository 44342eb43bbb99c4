//===- PeakModel.h - Live bytes of a partial schedule ------------*- C++ -*-===//
//
// The scheduler's cost model: for a set of already scheduled nodes and the
// next node, the bytes live at that node's step, computed from static tables
// in time proportional to the node's operands. Over a whole order its peak is
// exactly the lower bound of the plan the liveness analysis gives for that
// order (computeLowerBound over its buffers), because it follows the same
// rules:
//
// - A view shares its operand's bytes: values joined by views form one
//   component, live from its root's step to its last reader.
// - An in-place result shares the bytes of an operand that dies at its step;
//   whether the operand dies there depends only on which of its readers are
//   already scheduled, so the saving (the result's bytes, at that one step) is
//   decided from the scheduled set, as the liveness analysis decides it.
// - An overlapping result (LivenessOptions::overlapAt) may start its head
//   below an operand that dies at its step, which saves the smaller of the
//   operand's bytes and the result's beyond its head, at that one step, when
//   no in-place candidate was taken; decided from the scheduled set too.
// - Concat slices: when every operand of a Concat qualifies, their buffers
//   move inside the result's, which is then live from the earliest step of
//   any of them. The model reserves the result's bytes from that step on, so
//   it must know when a buffer starts whether it will end inside a Concat.
//   It does whenever that is fixed by the graph (each operand's buffer is read
//   by nothing the Concat does not depend on, and each in-place link feeding
//   it overwrites a value the same holds for), which is the common case. When it depends on the
//   order, the model is not exact (exact() is false) and the scheduler
//   re-measures every order it compares with the liveness analysis and claims
//   no optimality.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_PLANNING_PEAKMODEL_H
#define TINYPLAN_PLANNING_PEAKMODEL_H

#include "tinyplan/Analysis/Liveness.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <vector>

namespace tinyplan {

/// A set of node ids as bit words (word i holds ids 64i..64i+63).
class NodeSet {
public:
  NodeSet() = default;
  explicit NodeSet(unsigned numNodes) : words_((numNodes + 63) / 64, 0) {}
  bool test(unsigned id) const { return words_[id / 64] >> (id % 64) & 1; }
  void set(unsigned id) { words_[id / 64] |= uint64_t(1) << (id % 64); }
  /// Whether this set and \p other share an id.
  bool intersects(const NodeSet &other) const {
    for (size_t w = 0; w < words_.size(); ++w)
      if (words_[w] & other.words_[w])
        return true;
    return false;
  }
  /// Whether every id of \p other is in this set.
  bool contains(const NodeSet &other) const {
    for (size_t w = 0; w < words_.size(); ++w)
      if (other.words_[w] & ~words_[w])
        return false;
    return true;
  }
  llvm::ArrayRef<uint64_t> words() const { return words_; }
  std::vector<uint64_t> &mutableWords() { return words_; }

private:
  std::vector<uint64_t> words_;
};

class PeakModel {
public:
  /// Builds the tables for \p graph with the liveness rules of \p options.
  /// The graph's node order must be topological (the IR's invariant).
  static PeakModel build(const Graph &graph, const LivenessOptions &options);

  unsigned numNodes() const { return preds_.size(); }
  /// Nodes whose results node \p node reads (deduplicated, ascending).
  llvm::ArrayRef<unsigned> preds(unsigned node) const { return preds_[node]; }
  /// Nodes reading results of node \p node (deduplicated, ascending).
  llvm::ArrayRef<unsigned> succs(unsigned node) const { return succs_[node]; }
  /// Nodes every order runs before node \p node.
  const NodeSet &ancestors(unsigned node) const { return ancestors_[node]; }

  /// False when a Concat's slicing or the start of a slice's buffer depends
  /// on the order (see the file comment): peaks may then differ from the
  /// liveness analysis.
  bool exact() const { return exact_; }

  /// Live bytes between steps before anything runs (graph inputs).
  int64_t initialMemory() const { return initialMemory_; }

  struct Step {
    /// Live bytes while the node runs.
    int64_t peak = 0;
    /// Live bytes after it.
    int64_t memoryAfter = 0;
  };
  /// Runs \p node after the nodes in \p done (which hold \p memory live bytes
  /// between steps, and contain every predecessor of \p node).
  Step step(const NodeSet &done, int64_t memory, unsigned node) const;

  /// Bytes live at \p node's step in any order: a lower bound used to prune.
  int64_t nodeBound(unsigned node) const { return nodeBound_[node]; }

  /// Bytes live after the nodes in \p done in the groups \p groups.
  int64_t liveBytes(const NodeSet &done, llvm::ArrayRef<unsigned> groups) const;
  /// The groups of buffers nodes of \p nodes read or start, ascending.
  std::vector<unsigned> groupsTouchedBy(llvm::ArrayRef<unsigned> nodes) const;
  /// A lower bound on the peak of any order that completes \p done with
  /// the nodes of \p nodes not in it: for each such node, the bytes that
  /// will be live at its step, namely every buffer already live that a
  /// reader still to run after it (or the node itself) keeps alive, plus
  /// the buffers not yet started that are live at its step in every order
  /// (its operands and results, and values passing over it). \p groups is
  /// groupsTouchedBy(nodes); buffers live throughout (\p carried bytes)
  /// are added as they are.
  int64_t futureBound(const NodeSet &done, const NodeSet &nodes,
                      llvm::ArrayRef<unsigned> groups, int64_t carried) const;

  /// Most bytes live at one step when the nodes run in \p order (a
  /// topological permutation).
  int64_t peakOf(llvm::ArrayRef<unsigned> order) const;

private:
  /// Values joined by views, grouped into buffers that move into a Concat.
  struct Component {
    /// Node producing the root, -1 for a graph input.
    int rootNode = -1;
    /// Rounded bytes; 0 for a caller-owned (external) buffer.
    int64_t size = 0;
    /// Holds a graph output: live to the end.
    bool pinned = false;
    /// Nodes reading any value of the component, ascending.
    std::vector<unsigned> readers;
    unsigned group = 0;
  };
  /// Components sharing one buffer through Concat slices: live from the
  /// first member's root to the death of the head (the Concat result).
  struct Group {
    unsigned head = 0;
    int64_t size = 0;
    /// Root nodes of the members (-1: a graph input).
    std::vector<int> memberRoots;
    /// The same as a set, and whether one is a graph input.
    NodeSet roots;
    bool holdsInput = false;
    /// The head's readers as a set.
    NodeSet headReaders;
    /// Nodes at whose step the group is live in every order.
    NodeSet certain;
  };
  struct ResultInfo {
    unsigned component = 0;
    /// Components the result may overwrite, in the op's order of
    /// preference, each already checked for everything but the order.
    llvm::SmallVector<unsigned, 2> inPlaceCandidates;
    /// Otherwise, the component it may overlap (-1: none) and the bytes
    /// that saves at its step (BufferRequest::overlapWith).
    int overlapCandidate = -1;
    int64_t overlapSaving = 0;
  };

  bool readersDone(const Component &component, const NodeSet &done,
                   unsigned node) const;
  /// Whether a member of group \p g was produced by a node in \p done (or
  /// is a graph input).
  bool started(unsigned g, const NodeSet &done) const;
  /// Whether group \p g has bytes live after the nodes in \p done.
  bool liveAfter(unsigned g, const NodeSet &done) const;

  std::vector<std::vector<unsigned>> preds_, succs_;
  std::vector<NodeSet> ancestors_;
  std::vector<Component> components_;
  std::vector<Group> groups_;
  /// Per node: its results that are not views.
  std::vector<llvm::SmallVector<ResultInfo, 1>> results_;
  /// Per node: groups a result of it may start, and groups it touches
  /// (operands and results), either of which may die at its step.
  std::vector<llvm::SmallVector<unsigned, 2>> startGroups_;
  std::vector<llvm::SmallVector<unsigned, 4>> touchGroups_;
  std::vector<int64_t> scratch_;
  std::vector<int64_t> nodeBound_;
  /// Per node: its scratch bytes less the most in-place results can save.
  std::vector<int64_t> ownExtra_;
  int64_t initialMemory_ = 0;
  /// Unused graph inputs live at step 0 only.
  int64_t firstStepExtra_ = 0;
  bool exact_ = true;
};

} // namespace tinyplan

#endif
