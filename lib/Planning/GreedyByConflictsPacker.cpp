//===- GreedyByConflictsPacker.cpp - Most constrained first ---------------===//
//
// 1. Count, for each buffer, the bytes of other buffers live at the same
//    time (its conflict weight).
// 2. Visit buffers by conflict weight, then size, largest first.
// 3. Place each at the lowest offset that fits.
//
//===----------------------------------------------------------------------===//
#include "GreedyPlacement.h"
#include "tinyplan/Planning/Packers.h"

#include <algorithm>
#include <numeric>

namespace tinyplan {

std::vector<int64_t> packGreedyByConflicts(llvm::ArrayRef<BufferRequest> requests) {
  size_t count = requests.size();
  // Conflict weight by a sweep over start order: O(n log n + overlaps).
  std::vector<unsigned> byFirst(count);
  std::iota(byFirst.begin(), byFirst.end(), 0);
  std::sort(byFirst.begin(), byFirst.end(), [&](unsigned a, unsigned b) {
    return std::make_pair(requests[a].first, a) < std::make_pair(requests[b].first, b);
  });
  std::vector<int64_t> weight(count, 0);
  for (size_t i = 0; i < count; ++i) {
    const BufferRequest &a = requests[byFirst[i]];
    for (size_t j = i + 1; j < count && requests[byFirst[j]].first <= a.last; ++j) {
      const BufferRequest &b = requests[byFirst[j]];
      weight[a.id] += b.size;
      weight[b.id] += a.size;
    }
  }
  std::vector<unsigned> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
    if (weight[a] != weight[b])
      return weight[a] > weight[b];
    return requests[a].size > requests[b].size;
  });
  return placeInOrder(requests, order, GapChoice::FirstFit);
}

} // namespace tinyplan
