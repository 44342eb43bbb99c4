//===- GreedyBySizePacker.cpp - Largest first, first fit ------------------===//
//
// TensorFlow Lite Micro's GreedyMemoryPlanner rule:
// 1. Sort buffers by size, largest first (ties by id).
// 2. Place each at the lowest offset where it does not overlap a placed
//    buffer that is live at the same time.
//
//===----------------------------------------------------------------------===//
#include "GreedyPlacement.h"
#include "tinyplan/Planning/Packers.h"

namespace tinyplan {

std::vector<int64_t> packGreedyBySize(llvm::ArrayRef<BufferRequest> requests) {
  return placeInOrder(requests, orderBySizeDescending(requests), GapChoice::FirstFit);
}

} // namespace tinyplan
