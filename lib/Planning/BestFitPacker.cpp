//===- BestFitPacker.cpp - Largest first, tightest gap --------------------===//
//
// 1. Sort buffers by size, largest first (ties by id).
// 2. Place each in the gap between conflicting placed buffers that leaves
//    the least slack; if no gap fits, on top of them.
//
//===----------------------------------------------------------------------===//
#include "GreedyPlacement.h"
#include "tinyplan/Planning/Packers.h"

namespace tinyplan {

std::vector<int64_t> packBestFit(llvm::ArrayRef<BufferRequest> requests) {
  return placeInOrder(requests, orderBySizeDescending(requests), GapChoice::BestFit);
}

} // namespace tinyplan
