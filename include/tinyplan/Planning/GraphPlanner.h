//===- GraphPlanner.h - Arena offsets for every value of a graph -*- C++ -*-===//
//
// The bridge between the graph and the plain-data packers: the liveness
// analysis's arena buffers become BufferRequests, packBuffers places them,
// and every value gets its arena offset (its buffer's offset plus its offset
// inside the buffer). The result is checked again at value level,
// independently of the packer's own verifier: two values live at the same
// step whose bytes overlap must be related by a view, an in-place overwrite
// or a concat slice that makes the sharing legal.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_PLANNING_GRAPHPLANNER_H
#define TINYPLAN_PLANNING_GRAPHPLANNER_H

#include "tinyplan/Analysis/Liveness.h"
#include "tinyplan/Analysis/MemoryBound.h"
#include "tinyplan/Planning/MemoryPlan.h"
#include "tinyplan/Planning/Packers.h"
#include "tinyplan/Planning/Scheduler.h"
#include <algorithm>
#include <optional>

namespace tinyplan {

/// How the aliasing was chosen (Planning/PlanSearch): how many full plans
/// were made, and the arena of the first, with every allowed alias.
struct AliasingSearch {
  unsigned plans = 1;
  int64_t firstArena = 0;
};

/// A RAM region the arena may use (an SRAM block, a tightly coupled
/// memory...): what the planner needs of it.
struct ArenaRegion {
  std::string name;
  int64_t size = 0;
  /// Tightly coupled or otherwise fastest: filled first.
  bool fast = false;
};

/// A region holding part of a plan's arena: where it starts among the
/// plan's offsets, the bytes used in it (from that start to the highest
/// end of a buffer in it), the least its buffers need (their live bytes
/// at the fullest step), and how much of the arena's traffic it takes.
struct RegionUse {
  ArenaRegion region;
  int64_t base = 0;
  int64_t used = 0;
  int64_t bound = 0;
  /// The share of the arena's accesses (an estimate: each value written
  /// once and read once per reader, operand 0 of a node with MACs once per
  /// MAC) that fall on this region's buffers.
  double accessShare = 0;
};

class GraphPlan {
public:
  /// Packs the arena buffers of \p liveness with \p options and verifies the
  /// result at buffer and at value level. \p liveness must outlive the plan.
  static absl::StatusOr<GraphPlan> build(const Liveness &liveness,
                                         const PackOptions &options = {});

  const Liveness &liveness() const { return *liveness_; }
  /// The packer's plan over the requests (indexed by request id).
  const MemoryPlan &memoryPlan() const { return plan_; }
  /// The requests handed to the packer: the arena's root buffers.
  llvm::ArrayRef<BufferRequest> requests() const { return requests_; }
  int64_t arena() const { return plan_.arena; }
  /// No plan of the graph, in any order and with any aliasing the options
  /// allow, has a smaller arena (anyPlanBound). memoryPlan().lowerBound is
  /// the bound for this order and these aliasing decisions only.
  const MemoryBound &bound() const { return bound_; }
  /// arena() == bound().bytes: no plan tinyplan can make is smaller.
  bool provenOptimal() const { return plan_.arena <= bound_.bytes; }
  /// Raises the bound to \p bytes, proven by other means (the order search
  /// over every aliasing choice, Planning/PlanSearch); never above the arena.
  void raiseBound(int64_t bytes) {
    bound_.bytes = std::min(plan_.arena, std::max(bound_.bytes, bytes));
  }

  /// Arena offset of buffer \p bufferId; nullopt for a caller-owned one.
  std::optional<int64_t> bufferOffset(unsigned bufferId) const;
  /// Arena offset of value \p valueId; nullopt for constants and
  /// caller-owned values.
  std::optional<int64_t> valueOffset(unsigned valueId) const;

  /// Puts the arena in \p regions: whole in a fast one if it fits; else
  /// split across them (packAcrossRegions), each buffer wholly in one
  /// region, the most accessed in the fast ones, every offset checked
  /// again; whole in a slow region only when no split puts an accessed
  /// buffer in a fast one. False, and the plan unchanged, when it fits
  /// neither way.
  absl::StatusOr<bool> placeInRegions(llvm::ArrayRef<ArenaRegion> regions);
  /// The regions holding the arena, in the order of their offsets; empty
  /// when no regions were given (one arena, wherever the C puts it).
  llvm::ArrayRef<RegionUse> regions() const { return regions_; }
  /// The region holding arena offset \p offset (null without regions).
  const RegionUse *regionAt(int64_t offset) const;
  /// The arena's bytes: arena(), or with regions the bytes used in each.
  int64_t arenaBytes() const;
  /// The arena as one block, before placeInRegions split it.
  int64_t wholeArena() const { return wholeArena_ ? wholeArena_ : plan_.arena; }

  /// How the liveness analysis's order was chosen, when a scheduler chose it.
  void setSchedule(Schedule schedule) { schedule_ = std::move(schedule); }
  const Schedule *schedule() const { return schedule_ ? &*schedule_ : nullptr; }
  void setAliasingSearch(AliasingSearch search) { aliasing_ = search; }
  const AliasingSearch &aliasingSearch() const { return aliasing_; }

  /// Header `plan @g schedule=S packer=P arena=N lower_bound=L gap=G
  /// optimal=yes|no packing_bound=B packing_optimal=yes|no` (L and optimal
  /// over every plan, B and packing_optimal for this order and aliasing),
  /// one line per value with bytes and one per scratch
  /// buffer: `%name [offset, end) [first, last] placement`, then the
  /// schedule's two lines (Schedule::print) when a scheduler chose the order,
  /// then, when more than one aliasing was planned, `aliasing: plans=N
  /// first_arena=A whole_concats='n1','n2'` (the Concats given whole buffers).
  void print(llvm::raw_ostream &os) const;
  /// A timeline in the manner of TFLM's PrintMemoryPlan: a row per step, a
  /// column per arena slice of arena/columns bytes, a letter per buffer live
  /// there ('.' free), then a legend.
  void printAscii(llvm::raw_ostream &os, unsigned columns = 64) const;

private:
  GraphPlan() = default;

  const Liveness *liveness_ = nullptr;
  std::vector<BufferRequest> requests_;
  /// Request id of each buffer, -1 for caller-owned ones.
  std::vector<int> requestOfBuffer_;
  MemoryPlan plan_;
  MemoryBound bound_;
  std::optional<Schedule> schedule_;
  AliasingSearch aliasing_;
  std::vector<RegionUse> regions_;
  int64_t wholeArena_ = 0;
};

/// The packer's requests for the arena buffers of \p liveness (caller-owned
/// ones left out, their entry in \p requestOfBuffer -1): size, alignment,
/// steps and overlapping pairs.
std::vector<BufferRequest> arenaRequests(const Liveness &liveness,
                                         std::vector<int> *requestOfBuffer = nullptr);

/// The value-level check on its own: every pair of values (and scratch
/// buffers) live at a common step with overlapping arena bytes must be
/// legally aliased. \p bufferOffsets gives each buffer's arena offset
/// (nullopt: caller-owned, not checked).
absl::Status verifyValuePlacement(const Liveness &liveness,
                                  llvm::ArrayRef<std::optional<int64_t>> bufferOffsets);

} // namespace tinyplan

#endif
