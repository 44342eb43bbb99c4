//===- GreedyPlacement.h - Place buffers one by one in a given order -------===//
//
// Private to lib/Planning. The greedy packers differ only in the order they
// visit buffers and in which gap they pick; the placement loop is shared.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_PLANNING_GREEDYPLACEMENT_H
#define TINYPLAN_LIB_PLANNING_GREEDYPLACEMENT_H

#include "tinyplan/Planning/MemoryPlan.h"

namespace tinyplan {

enum class GapChoice {
  /// The lowest aligned offset where the buffer fits.
  FirstFit,
  /// The gap that leaves the least slack; above everything if none fits.
  BestFit,
};

/// Places requests in \p order; each goes into a gap between the already
/// placed buffers that are live at the same time. Returns offsets by id.
/// With \p regionEnds (ascending), no buffer crosses one of those offsets:
/// a buffer that would is moved up to start there.
std::vector<int64_t> placeInOrder(llvm::ArrayRef<BufferRequest> requests,
                                  llvm::ArrayRef<unsigned> order, GapChoice choice,
                                  llvm::ArrayRef<int64_t> regionEnds = {});

/// Request ids sorted by size (largest first), ties by id.
std::vector<unsigned> orderBySizeDescending(llvm::ArrayRef<BufferRequest> requests);

} // namespace tinyplan

#endif
