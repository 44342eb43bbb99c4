//===- Liveness.h - Buffers and lifetimes over a schedule -------*- C++ -*-===//
//
// Which bytes every non-constant value needs, and when. Built once from a
// graph and a schedule (a topological order of its nodes), then queried.
// Values are grouped into buffers: a value either owns a buffer or sits at a
// byte offset inside another value's buffer, because its op is a view of its
// operand, overwrites a dying operand in place, or writes its slice of a
// concatenation directly. The ops say what is allowed (OpDef); this analysis
// decides what is safe around each node. The buffers' inclusive [first, last]
// step intervals are what the packers place; the per-value placement is what
// the C emitter follows.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_ANALYSIS_LIVENESS_H
#define TINYPLAN_ANALYSIS_LIVENESS_H

#include "tinyplan/IR/Graph.h"
#include "absl/status/statusor.h"
#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinyplan {

class OpDef;

/// A kernel that may write its result over an operand it has finished
/// reading: the result may start `distance` bytes (or more) below the
/// operand's first byte while the operand dies at the node. The kernel's
/// loop order is the proof (lib/CodeGen, KernelImpl::overlap).
struct KernelOverlap {
  /// The operand (index) the result may overlap.
  unsigned operand = 0;
  /// Bytes between the result's start and the operand's, at least.
  int64_t distance = 0;
  /// Exactly `distance` bytes (or no overlap at all): a kernel that writes
  /// each element where the input element it has just read was (a
  /// pointwise convolution channels-first) is safe there and nowhere else.
  bool exact = false;
};

struct LivenessOptions {
  /// Reshape-like ops share their operand's bytes.
  bool views = true;
  /// Elementwise ops may overwrite an operand that dies at them.
  bool inPlace = true;
  /// Concat operands are written straight into their slice of the result.
  bool concatSlices = true;
  /// Concat nodes (ids, sorted) whose operands keep buffers of their own even
  /// when concatSlices allows slices: writing an operand into its slice keeps
  /// the whole result live from the first operand on, which can cost more
  /// than it saves. The planner chooses these (Planning/Aliasing).
  std::vector<unsigned> wholeConcats;
  /// Graph inputs and outputs live in the arena. When false they are
  /// caller-owned: their buffers are external and never packed.
  bool ioInArena = true;
  /// Buffer sizes are rounded up to this (a power of two).
  int64_t align = 16;
  /// Working memory the chosen kernel of each node needs while it runs
  /// (an im2col buffer), indexed by node id; missing entries are 0. The op's
  /// own OpDef::scratchBytes comes on top. The backend decides this
  /// (lib/CodeGen's kernel registry), so the plan matches the C it writes.
  std::vector<int64_t> kernelScratch;
  /// Results may overlap a dying operand where the chosen kernel of their
  /// node allows it (kernelOverlap, from the backend as kernelScratch is).
  bool overlap = true;
  /// Per node id: how its kernel may overlap result 0 with an operand;
  /// missing entries and nullopt: not at all.
  std::vector<std::optional<KernelOverlap>> kernelOverlap;

  /// Scratch bytes of \p node: its op's and its kernel's.
  int64_t scratchBytes(const OpDef *op, const Node &node) const;
  /// Whether \p node's operands may be written into slices of its result:
  /// its op lays them end to end (OpDef::operandSlices) and the options
  /// allow slices there.
  bool slicesAt(const Node &node) const;
  /// By value id: whether a Concat may take the value as a slice (it is an
  /// operand of a node where slicesAt holds).
  std::vector<bool> sliceCandidates(const Graph &graph) const;
  /// What result 0 of \p node may overlap, when overlaps are on.
  std::optional<KernelOverlap> overlapAt(const Node &node) const;
};

/// How a value got its bytes.
enum class Placement {
  /// Its own bytes: the root of its buffer, or (when a concat operand's
  /// whole buffer was moved into the concat result) its former root.
  Own,
  /// The same bytes as `related` (its operand 0).
  View,
  /// Overwrites `related`, an operand that dies at this node.
  InPlace,
  /// Not in the arena: a constant (flash).
  Constant,
};

/// Where one value lives.
struct ValueInfo {
  /// Whether the value has bytes in a buffer: false only for constants.
  bool hasBuffer = false;
  /// The buffer holding it (index into buffers()).
  unsigned buffer = 0;
  /// Byte offset of the value inside its buffer.
  int64_t offset = 0;
  /// Bytes of the value (its type's size, not rounded).
  int64_t bytes = 0;
  Placement placement = Placement::Own;
  /// The value it is a view of / overwrites; -1 for Own and Constant.
  int related = -1;
  /// The concat result whose slice this value is (its producer writes
  /// straight into it), or -1. Combines with any placement above.
  int sliceOf = -1;
  /// Byte offset of the slice inside the concat result (when sliceOf >= 0).
  int64_t sliceOffset = 0;
  /// The operand whose bytes this value's own buffer overlaps at the step
  /// it is written (Own placement only), or -1; it starts at least
  /// `overlapHead` bytes below it (KernelOverlap's distance, aligned).
  int overlaps = -1;
  int64_t overlapHead = 0;
  /// The result must then start exactly overlapHead below (KernelOverlap).
  bool overlapExact = false;
  /// Inclusive steps: produced at `first` (0 for graph inputs), last read
  /// at `last` (the last step for graph outputs; `first` if never read).
  int64_t first = 0;
  int64_t last = 0;
};

/// One block of bytes the packer places.
struct BufferInfo {
  /// The value whose bytes start the buffer, or -1 for a scratch buffer.
  int rootValue = -1;
  /// The node a scratch buffer belongs to (-1 otherwise).
  int scratchNode = -1;
  /// Bytes the values need, and that rounded up to the alignment.
  int64_t rawSize = 0;
  int64_t size = 0;
  /// Inclusive step interval covering every value in it.
  int64_t first = 0;
  int64_t last = 0;
  /// Caller-owned (graph input or output with ioInArena = false): never
  /// requested from the packer.
  bool external = false;
  /// Values in the buffer, by id.
  std::vector<unsigned> values;
  /// The buffer of a dying operand this one's root overlaps at its first
  /// step (BufferRequest::overlapWith), or -1, and the head it keeps below.
  int overlapWith = -1;
  int64_t overlapHead = 0;
  bool overlapExact = false;
};

class Liveness {
public:
  /// Analyses \p graph over \p schedule (a permutation of node ids in
  /// topological order; empty means the graph's own order, named "file").
  /// A schedule that is not a topological permutation is an error.
  static absl::StatusOr<Liveness> compute(const Graph &graph,
                                          llvm::ArrayRef<unsigned> schedule = {},
                                          const LivenessOptions &options = {},
                                          std::string scheduleName = "");

  const Graph &graph() const { return *graph_; }
  const LivenessOptions &options() const { return options_; }
  /// "file" for the graph's order, else what the caller named it.
  const std::string &scheduleName() const { return scheduleName_; }
  /// Node ids in execution order; step i runs schedule()[i].
  llvm::ArrayRef<unsigned> schedule() const { return schedule_; }
  unsigned numSteps() const { return schedule_.size(); }
  /// Step of node \p nodeId.
  int64_t stepOf(unsigned nodeId) const { return stepOfNode_[nodeId]; }

  /// Indexed by value id.
  const ValueInfo &value(unsigned valueId) const { return values_[valueId]; }
  llvm::ArrayRef<ValueInfo> values() const { return values_; }
  /// Buffers, dense, in order of creation (schedule order of their roots).
  llvm::ArrayRef<BufferInfo> buffers() const { return buffers_; }
  const BufferInfo &buffer(unsigned id) const { return buffers_[id]; }

  /// How \p valueId was placed, as printed: "own", "view of %x",
  /// "in place of %x", "slice of %c +64" (the last joined to another by
  /// "; " when a value is both). Caller-owned values are "own" or views.
  std::string placementStr(unsigned valueId) const;

  /// One line per non-constant value (name, type, bytes, [first, last],
  /// placement), then one line per buffer.
  void print(llvm::raw_ostream &os) const;

private:
  Liveness() = default;

  const Graph *graph_ = nullptr;
  LivenessOptions options_;
  std::string scheduleName_;
  std::vector<unsigned> schedule_;
  std::vector<int64_t> stepOfNode_;
  std::vector<ValueInfo> values_;
  std::vector<BufferInfo> buffers_;
};

} // namespace tinyplan

#endif
