//===- GreedyPlacement.cpp - Place buffers one by one in a given order ----===//
#include "GreedyPlacement.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace tinyplan {

static int64_t alignUp(int64_t value, int64_t align) {
  return (value + align - 1) / align * align;
}

/// The lowest offset from \p cursor, aligned for \p r, where \p r crosses
/// none of \p regionEnds.
static int64_t firstUncrossed(int64_t cursor, const BufferRequest &r,
                              llvm::ArrayRef<int64_t> regionEnds) {
  int64_t candidate = alignUp(cursor, r.align);
  for (int64_t end : regionEnds)
    if (candidate < end && candidate + r.size > end && r.size > 0)
      candidate = alignUp(end, r.align);
  return candidate;
}

std::vector<int64_t> placeInOrder(llvm::ArrayRef<BufferRequest> requests,
                                  llvm::ArrayRef<unsigned> order, GapChoice choice,
                                  llvm::ArrayRef<int64_t> regionEnds) {
  std::vector<int64_t> offsets(requests.size(), 0);
  std::vector<unsigned> placed;
  placed.reserve(requests.size());
  std::vector<std::pair<int64_t, int64_t>> busy; // [begin, end) of conflicts
  for (unsigned id : order) {
    const BufferRequest &r = requests[id];
    // 1. Collect the byte ranges of placed buffers live at the same time
    //    (shifted for an overlapping pair, busyRange), sorted by offset.
    busy.clear();
    for (unsigned other : placed)
      if (requests[other].size > 0 && requests[other].overlapsInTime(r))
        busy.push_back(busyRange(requests[other], offsets[other], r));
    std::sort(busy.begin(), busy.end());
    // 2. Walk the gaps between them from the bottom.
    int64_t best = -1, bestSlack = std::numeric_limits<int64_t>::max();
    int64_t cursor = 0;
    for (const auto &[begin, end] : busy) {
      int64_t candidate = firstUncrossed(cursor, r, regionEnds);
      if (candidate + r.size <= begin) {
        int64_t slack = begin - (candidate + r.size);
        if (choice == GapChoice::FirstFit) {
          best = candidate;
          break;
        }
        if (slack < bestSlack) {
          best = candidate;
          bestSlack = slack;
        }
      }
      cursor = std::max(cursor, end);
    }
    // 3. Otherwise above everything.
    offsets[id] = best >= 0 ? best : firstUncrossed(cursor, r, regionEnds);
    placed.push_back(id);
  }
  return offsets;
}

std::vector<unsigned> orderBySizeDescending(llvm::ArrayRef<BufferRequest> requests) {
  std::vector<unsigned> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
    return requests[a].size > requests[b].size;
  });
  return order;
}

} // namespace tinyplan
