//===- LinearPacker.cpp - No reuse: the baseline --------------------------===//
//
// Every buffer gets its own bytes, in id order: what a compiler without a
// planner does, and the figure the savings are measured against.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/Packers.h"

namespace tinyplan {

std::vector<int64_t> packLinear(llvm::ArrayRef<BufferRequest> requests) {
  std::vector<int64_t> offsets(requests.size(), 0);
  int64_t cursor = 0;
  for (const BufferRequest &r : requests) {
    if (r.size == 0)
      continue; // needs no bytes; offset 0 is always in range
    cursor = (cursor + r.align - 1) / r.align * r.align;
    offsets[r.id] = cursor;
    cursor += r.size;
  }
  return offsets;
}

} // namespace tinyplan
