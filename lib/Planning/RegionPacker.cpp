//===- RegionPacker.cpp - Buffers split across memory regions -------------===//
//
// For an arena larger than any one RAM region of the part: the regions are
// laid end to end in one offset space, region k from the summed sizes of
// those before it, and the greedy placement keeps every buffer inside one
// region. The offsets stay a valid single-arena plan (verifyPlan holds), so
// every check made on plans holds per region too. Fast regions (TCM) go
// first and get the buffers the kernels touch most, where that still fits.
//
//===----------------------------------------------------------------------===//
#include "GreedyPlacement.h"
#include "tinyplan/Planning/Packers.h"

#include <algorithm>

namespace tinyplan {

std::optional<std::vector<int64_t>>
packAcrossRegions(llvm::ArrayRef<BufferRequest> requests, llvm::ArrayRef<int64_t> regionSizes,
                  unsigned fastRegions, llvm::ArrayRef<double> accesses) {
  std::vector<int64_t> ends;
  int64_t end = 0, fastEnd = 0;
  for (int64_t size : regionSizes) {
    ends.push_back(end += size);
    if (ends.size() <= fastRegions)
      fastEnd = end;
  }
  // Largest first packs tightest in one arena; in step order, the buffers
  // of the first layers take the first regions and the later ones the next,
  // where largest first can fill a small region with a buffer that leaves
  // no room for one it must sit beside.
  std::vector<unsigned> bySize = orderBySizeDescending(requests);
  std::vector<unsigned> byStep = bySize;
  std::stable_sort(byStep.begin(), byStep.end(), [&](unsigned a, unsigned b) {
    return requests[a].first < requests[b].first;
  });
  auto highestEnd = [&](const std::vector<int64_t> &offsets) {
    int64_t highest = 0;
    for (const BufferRequest &r : requests)
      highest = std::max(highest, offsets[r.id] + r.size);
    return highest;
  };
  // Most accessed per byte first: first fit then gives the fast regions
  // the buffers the kernels touch most for their size.
  std::vector<unsigned> byDensity = bySize;
  bool weighed = fastRegions > 0 && accesses.size() == requests.size();
  if (weighed)
    std::stable_sort(byDensity.begin(), byDensity.end(), [&](unsigned a, unsigned b) {
      return accesses[a] * double(std::max<int64_t>(1, requests[b].size)) >
             accesses[b] * double(std::max<int64_t>(1, requests[a].size));
    });
  auto fastAccesses = [&](const std::vector<int64_t> &offsets) {
    double sum = 0;
    if (weighed)
      for (const BufferRequest &r : requests)
        if (r.size > 0 && offsets[r.id] < fastEnd)
          sum += accesses[r.id];
    return sum;
  };
  // First fit fills the regions from the first (the preferred) up; best fit
  // sometimes leaves room where first fit does not. Of those that fit, the
  // most accesses in the fast regions win, then the lowest end.
  std::optional<std::vector<int64_t>> best;
  double bestFast = 0;
  for (const std::vector<unsigned> *order : {&bySize, &byStep, &byDensity}) {
    if (order == &byDensity && !weighed)
      continue;
    for (GapChoice choice : {GapChoice::FirstFit, GapChoice::BestFit}) {
      std::vector<int64_t> offsets = placeInOrder(requests, *order, choice, ends);
      if (highestEnd(offsets) > end)
        continue;
      double fast = fastAccesses(offsets);
      if (!best || fast > bestFast ||
          (fast == bestFast && highestEnd(offsets) < highestEnd(*best))) {
        best = std::move(offsets);
        bestFast = fast;
      }
    }
  }
  return best;
}

} // namespace tinyplan
