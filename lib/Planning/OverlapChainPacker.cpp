//===- OverlapChainPacker.cpp - Overlapping pairs placed as rigid chains ---===//
//
// The other heuristics place buffers one at a time, largest first, so an
// input usually lands at the bottom before the output that could overlap
// it from below. This one joins every overlapping pair (and pairs linked
// through a buffer that is the output of one and the input of the next)
// into a chain whose members keep the tightest relative offsets: each
// output exactly its head below its input. A chain is never live all at
// once, so it costs little more than its largest member. Units (chains and
// lone buffers), largest member first, go to the lowest offset where every
// member fits among the buffers already placed.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/Packers.h"

#include <algorithm>
#include <numeric>

namespace tinyplan {

namespace {

int64_t alignUp(int64_t value, int64_t align) {
  return (value + align - 1) / align * align;
}

struct Unit {
  std::vector<unsigned> members;
  /// Offset of each member above the unit's base.
  std::vector<int64_t> rel;
  int64_t largest = 0;
  int64_t align = 1;
};

/// Each unit in \p order at the lowest base where every member fits.
std::vector<int64_t> placeUnits(llvm::ArrayRef<BufferRequest> requests,
                                const std::vector<Unit> &order) {
  size_t count = requests.size();
  std::vector<int64_t> offsets(count, 0);
  std::vector<bool> placed(count, false);
  std::vector<std::pair<unsigned, unsigned>> conflicts; // (member index, placed id)
  std::vector<int64_t> candidates;
  for (const Unit &unit : order) {
    conflicts.clear();
    candidates.assign(1, 0);
    int64_t above = 0;
    for (unsigned i = 0; i < unit.members.size(); ++i) {
      const BufferRequest &m = requests[unit.members[i]];
      if (m.size == 0)
        continue;
      for (size_t p = 0; p < count; ++p) {
        if (!placed[p] || requests[p].size == 0 || !requests[p].overlapsInTime(m))
          continue;
        conflicts.push_back({i, unsigned(p)});
        int64_t end = busyRange(requests[p], offsets[p], m).second - unit.rel[i];
        candidates.push_back(std::max<int64_t>(0, end));
        above = std::max(above, end);
      }
    }
    // Every member above everything it meets always fits.
    candidates.push_back(above);
    for (int64_t &c : candidates)
      c = alignUp(c, unit.align);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    auto fits = [&](int64_t base) {
      for (unsigned i = 0; i < unit.members.size(); ++i)
        if ((base + unit.rel[i]) % requests[unit.members[i]].align != 0)
          return false;
      for (const auto &[i, p] : conflicts) {
        const BufferRequest &m = requests[unit.members[i]];
        int64_t at = base + unit.rel[i];
        auto [begin, end] = busyRange(requests[p], offsets[p], m);
        if (at + m.size > begin && at < end)
          return false;
      }
      return true;
    };
    int64_t base = candidates.back();
    for (int64_t c : candidates)
      if (fits(c)) {
        base = c;
        break;
      }
    for (unsigned i = 0; i < unit.members.size(); ++i) {
      offsets[unit.members[i]] = base + unit.rel[i];
      placed[unit.members[i]] = true;
    }
  }
  return offsets;
}

} // namespace

std::vector<int64_t> packOverlapChains(llvm::ArrayRef<BufferRequest> requests) {
  if (!hasOverlaps(requests))
    return packGreedyBySize(requests);
  size_t count = requests.size();
  std::vector<int> next(count, -1);
  for (const BufferRequest &r : requests)
    if (r.overlapWith >= 0)
      next[size_t(r.overlapWith)] = int(r.id);

  // Chains from the buffers that overlap nothing, down the pairs.
  std::vector<Unit> units;
  for (const BufferRequest &r : requests) {
    if (r.overlapWith >= 0)
      continue;
    Unit unit;
    int64_t offset = 0;
    for (int id = int(r.id); id >= 0; id = next[size_t(id)]) {
      const BufferRequest &member = requests[size_t(id)];
      if (!unit.members.empty())
        offset -= member.overlapHead;
      unit.members.push_back(unsigned(id));
      unit.rel.push_back(offset);
      unit.largest = std::max(unit.largest, member.size);
      unit.align = std::max(unit.align, member.align);
    }
    int64_t lowest = *std::min_element(unit.rel.begin(), unit.rel.end());
    for (int64_t &rel : unit.rel)
      rel -= lowest;
    units.push_back(std::move(unit));
  }
  // Two orders: largest member first, and in order of the steps (a chain
  // then settles above what dies as it starts); the smaller arena wins.
  std::vector<Unit> bySize = units;
  std::stable_sort(bySize.begin(), bySize.end(), [](const Unit &a, const Unit &b) {
    return a.largest > b.largest;
  });
  std::stable_sort(units.begin(), units.end(), [&](const Unit &a, const Unit &b) {
    return requests[a.members.front()].first < requests[b.members.front()].first;
  });
  std::vector<int64_t> first = placeUnits(requests, bySize);
  std::vector<int64_t> second = placeUnits(requests, units);
  return arenaOf(requests, second) < arenaOf(requests, first) ? second : first;
}

} // namespace tinyplan
