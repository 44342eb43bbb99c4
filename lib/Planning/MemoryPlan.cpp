//===- MemoryPlan.cpp - Lower bound, arena and the plan verifier ----------===//
#include "tinyplan/Planning/MemoryPlan.h"
#include "tinyplan/Support/Status.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace tinyplan {

int64_t computeLowerBound(llvm::ArrayRef<BufferRequest> requests) {
  // Sweep: +size at `first`, -size after `last`; ends sort before starts at
  // the same step so a buffer ending at t-1 never counts with one from t.
  std::vector<std::pair<int64_t, int64_t>> events;
  events.reserve(requests.size() * 2);
  for (const BufferRequest &r : requests) {
    events.push_back({r.first, r.size});
    events.push_back({r.last + 1, -r.size});
  }
  std::sort(events.begin(), events.end());
  int64_t live = 0, peak = 0;
  for (const auto &[step, delta] : events) {
    live += delta;
    peak = std::max(peak, live);
  }
  return peak;
}

int64_t arenaOf(llvm::ArrayRef<BufferRequest> requests,
                llvm::ArrayRef<int64_t> offsets) {
  int64_t arena = 0;
  for (const BufferRequest &r : requests)
    if (r.size > 0)
      arena = std::max(arena, offsets[r.id] + r.size);
  return arena;
}

absl::Status verifyPlan(llvm::ArrayRef<BufferRequest> requests,
                        const MemoryPlan &plan) {
  auto fail = [](auto... parts) {
    return absl::InternalError(absl::StrCat("invalid memory plan: ", parts...));
  };
  if (plan.offsets.size() != requests.size())
    return fail(plan.offsets.size(), " offsets for ", requests.size(), " buffers");
  for (size_t i = 0; i < requests.size(); ++i) {
    const BufferRequest &r = requests[i];
    if (r.id != i)
      return fail("request ", i, " has id ", r.id);
    int64_t offset = plan.offsets[i];
    if (offset < 0 || r.align < 1 || offset % r.align != 0)
      return fail("buffer ", i, " at offset ", offset, " is not aligned to ", r.align);
    if (offset + r.size > plan.arena)
      return fail("buffer ", i, " [", offset, ", ", offset + r.size,
                  ") ends past the arena of ", plan.arena);
  }
  // Sweep over time keeping the live buffers ordered by offset: a new
  // buffer may only touch its neighbours in that order.
  std::vector<unsigned> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
    return std::make_pair(requests[a].first, a) < std::make_pair(requests[b].first, b);
  });
  using Live = std::pair<int64_t, unsigned>; // (offset, id)
  std::set<Live> live;
  std::vector<std::pair<int64_t, unsigned>> expiries; // (last, id), min-heap
  auto later = [](const auto &a, const auto &b) { return a > b; };
  for (unsigned id : order) {
    const BufferRequest &r = requests[id];
    if (r.size == 0)
      continue;
    while (!expiries.empty() && expiries.front().first < r.first) {
      std::pop_heap(expiries.begin(), expiries.end(), later);
      unsigned gone = expiries.back().second;
      expiries.pop_back();
      live.erase({plan.offsets[gone], gone});
    }
    int64_t begin = plan.offsets[id], end = begin + r.size;
    auto next = live.lower_bound({begin, 0});
    if (next != live.end() && next->first < end)
      return fail("buffers ", id, " and ", next->second, " overlap in bytes [",
                  next->first, ", ", end, ") while both are live");
    if (next != live.begin()) {
      auto prev = std::prev(next);
      int64_t prevEnd = prev->first + requests[prev->second].size;
      if (prevEnd > begin)
        return fail("buffers ", prev->second, " and ", id, " overlap in bytes [",
                    begin, ", ", prevEnd, ") while both are live");
    }
    live.insert({begin, id});
    expiries.push_back({r.last, id});
    std::push_heap(expiries.begin(), expiries.end(), later);
  }
  return absl::OkStatus();
}

} // namespace tinyplan
