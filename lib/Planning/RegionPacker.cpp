//===- RegionPacker.cpp - Buffers split across memory regions -------------===//
//
// For an arena larger than any one RAM region of the part: the regions are
// laid end to end in one offset space, region k from the summed sizes of
// those before it, and the greedy placement keeps every buffer inside one
// region. The offsets stay a valid single-arena plan (verifyPlan holds), so
// every check made on plans holds per region too.
//
//===----------------------------------------------------------------------===//
#include "GreedyPlacement.h"
#include "tinyplan/Planning/Packers.h"

#include <algorithm>

namespace tinyplan {

std::optional<std::vector<int64_t>>
packAcrossRegions(llvm::ArrayRef<BufferRequest> requests,
                  llvm::ArrayRef<int64_t> regionSizes) {
  std::vector<int64_t> ends;
  int64_t end = 0;
  for (int64_t size : regionSizes)
    ends.push_back(end += size);
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
  // First fit fills the regions from the first (the preferred) up; best fit
  // sometimes leaves room where first fit does not. The lowest end wins.
  std::optional<std::vector<int64_t>> best;
  for (const std::vector<unsigned> *order : {&bySize, &byStep})
    for (GapChoice choice : {GapChoice::FirstFit, GapChoice::BestFit}) {
      std::vector<int64_t> offsets = placeInOrder(requests, *order, choice, ends);
      if (highestEnd(offsets) <= end && (!best || highestEnd(offsets) < highestEnd(*best)))
        best = std::move(offsets);
    }
  return best;
}

} // namespace tinyplan
