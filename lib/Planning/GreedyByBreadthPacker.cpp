//===- GreedyByBreadthPacker.cpp - Busiest steps first --------------------===//
//
// The "greedy by breadth" order of TFLite's GPU and XLA's heap simulators:
// 1. Compute the live bytes (breadth) of every step.
// 2. Visit steps from the broadest down; at each, take its not yet placed
//    buffers largest first.
// 3. Place each at the lowest offset that fits.
//
//===----------------------------------------------------------------------===//
#include "GreedyPlacement.h"
#include "tinyplan/Planning/Packers.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace tinyplan {

std::vector<int64_t> packGreedyByBreadth(llvm::ArrayRef<BufferRequest> requests) {
  // Steps that matter are the ones where some buffer starts: breadth only
  // changes there. Compute each such step's live set by a sweep.
  std::vector<int64_t> steps;
  for (const BufferRequest &r : requests)
    steps.push_back(r.first);
  std::sort(steps.begin(), steps.end());
  steps.erase(std::unique(steps.begin(), steps.end()), steps.end());

  std::vector<unsigned> bySize = orderBySizeDescending(requests);
  std::vector<std::pair<int64_t, int64_t>> breadth; // (-bytes, step)
  for (int64_t step : steps) {
    int64_t bytes = 0;
    for (const BufferRequest &r : requests)
      if (r.first <= step && step <= r.last)
        bytes += r.size;
    breadth.push_back({-bytes, step});
  }
  std::sort(breadth.begin(), breadth.end());

  std::vector<bool> taken(requests.size(), false);
  std::vector<unsigned> order;
  order.reserve(requests.size());
  for (const auto &[negBytes, step] : breadth)
    for (unsigned id : bySize)
      if (!taken[id] && requests[id].first <= step && step <= requests[id].last) {
        taken[id] = true;
        order.push_back(id);
      }
  return placeInOrder(requests, order, GapChoice::FirstFit);
}

} // namespace tinyplan
