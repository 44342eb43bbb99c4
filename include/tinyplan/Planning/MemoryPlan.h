//===- MemoryPlan.h - Plain-data buffers in, offsets out --------*- C++ -*-===//
//
// What every packer consumes and produces. Packers know nothing of ONNX: a
// request is a size, an alignment and an inclusive lifetime in schedule
// steps, so they can be unit-tested alone and driven from CSV files.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_PLANNING_MEMORYPLAN_H
#define TINYPLAN_PLANNING_MEMORYPLAN_H

#include "absl/status/status.h"
#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace tinyplan {

struct BufferRequest {
  /// Dense index of the request (0..n-1); ties are broken by it.
  unsigned id = 0;
  /// Bytes (already rounded up to the alignment by the caller if wanted).
  int64_t size = 0;
  /// The offset must be a multiple of this (>= 1).
  int64_t align = 1;
  /// Inclusive lifetime in steps: live from step `first` to step `last`.
  int64_t first = 0;
  int64_t last = 0;
  /// Overlap with a dying input: request `overlapWith` (or -1) is read for
  /// the last time at step `first`, by the kernel that writes this buffer,
  /// and that kernel never writes a byte before it has finished reading
  /// the input bytes under it, as long as this buffer starts at least
  /// `overlapHead` bytes (<= size) below the input. So the two may share
  /// bytes, provided this offset + overlapHead <= the input's offset;
  /// otherwise they are disjoint as usual. Against the input, this buffer
  /// counts as its first `overlapHead` bytes.
  int overlapWith = -1;
  int64_t overlapHead = 0;
  /// Then exactly overlapHead below the input, or not overlapping it at all
  /// (the greedy walks keep such a pair apart; greedy-overlap places it).
  bool overlapExact = false;

  bool overlapsInTime(const BufferRequest &other) const {
    return first <= other.last && other.first <= last;
  }
};

struct MemoryPlan {
  /// Offset of each request, indexed by request id.
  std::vector<int64_t> offsets;
  /// Bytes of arena the plan needs: the highest end of any buffer.
  int64_t arena = 0;
  /// Max over steps of live bytes: no plan can use a smaller arena.
  int64_t lowerBound = 0;
  /// Packer that produced the plan ("greedy-size", "exact", ...).
  std::string strategy;
  /// The arena is the minimum possible (it equals the lower bound, or an
  /// exhaustive search proved that nothing smaller fits).
  bool provenOptimal = false;
  /// Nodes the exact search expanded (0 when it did not run).
  int64_t searchNodes = 0;
};

/// Max over steps of the summed sizes of the requests live at that step,
/// an overlapping pair counting as what it needs at least together at its
/// step: max(input + overlapHead, output).
int64_t computeLowerBound(llvm::ArrayRef<BufferRequest> requests);

/// The bytes [begin, end) that a buffer \p placed at \p offset keeps
/// \p request from extending into (request at o conflicts iff
/// o + request.size > begin and o < end); both live at a common step.
/// Usually placed's own bytes; for an overlapping pair, shifted so that
/// only the output's head counts against the input.
std::pair<int64_t, int64_t> busyRange(const BufferRequest &placed, int64_t offset,
                                      const BufferRequest &request);

/// Every overlapping pair well formed: the input exists, is another
/// request, dies at the output's first step and is overlapped by one output
/// at most; 0 <= overlapHead <= size.
absl::Status checkOverlapPairs(llvm::ArrayRef<BufferRequest> requests);

/// Whether some request overlaps a dying input (overlapWith >= 0).
bool hasOverlaps(llvm::ArrayRef<BufferRequest> requests);

/// Highest offset + size over all requests (0 for none).
int64_t arenaOf(llvm::ArrayRef<BufferRequest> requests,
                llvm::ArrayRef<int64_t> offsets);

/// Independent check of a plan: one offset per request, offsets aligned and
/// non-negative, every buffer inside the arena, and no two buffers that are
/// live at the same step sharing a byte. O(n log n + overlapping pairs).
absl::Status verifyPlan(llvm::ArrayRef<BufferRequest> requests,
                        const MemoryPlan &plan);

} // namespace tinyplan

#endif
