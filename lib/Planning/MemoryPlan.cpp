//===- MemoryPlan.cpp - Lower bound, arena and the plan verifier ----------===//
#include "tinyplan/Planning/MemoryPlan.h"
#include "tinyplan/Support/Status.h"

#include <algorithm>
#include <numeric>
#include <set>

#include "llvm/ADT/STLExtras.h"

namespace tinyplan {

namespace {

/// The requests on a time axis of half steps, where overlapping pairs no
/// longer share a step: every step t becomes 2t (its kernel reading) and
/// 2t + 1 (writing); a dying input of an overlap ends at 2t, its output
/// starts at 2t + 1, and a third request, the output's head, holds its
/// first overlapHead bytes at 2t. Plain interval rules then hold. Heads are
/// appended after the requests, each at its output's offset.
struct HalfSteps {
  std::vector<BufferRequest> requests;
  /// For each head, the output it belongs to.
  std::vector<unsigned> headOf;
};

HalfSteps toHalfSteps(llvm::ArrayRef<BufferRequest> requests) {
  HalfSteps half;
  half.requests.assign(requests.begin(), requests.end());
  for (BufferRequest &r : half.requests) {
    r.first = 2 * r.first;
    r.last = 2 * r.last + 1;
  }
  for (const BufferRequest &r : requests) {
    if (r.overlapWith < 0)
      continue;
    half.requests[r.overlapWith].last = 2 * r.first;
    half.requests[r.id].first = 2 * r.first + 1;
    BufferRequest head;
    head.id = unsigned(half.requests.size());
    head.size = r.overlapHead;
    head.align = 1;
    head.first = head.last = 2 * r.first;
    half.requests.push_back(head);
    half.headOf.push_back(r.id);
  }
  for (BufferRequest &r : half.requests)
    r.overlapWith = -1;
  return half;
}

int64_t plainLowerBound(llvm::ArrayRef<BufferRequest> requests) {
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

} // namespace

absl::Status checkOverlapPairs(llvm::ArrayRef<BufferRequest> requests) {
  std::vector<bool> taken(requests.size(), false);
  for (size_t i = 0; i < requests.size(); ++i) {
    const BufferRequest &r = requests[i];
    if (r.overlapWith < 0)
      continue;
    size_t input = size_t(r.overlapWith);
    if (input >= requests.size() || input == i || taken[input] ||
        requests[input].last != r.first || r.overlapHead < 0 || r.overlapHead > r.size)
      return absl::InvalidArgumentError(absl::StrCat(
          "buffer request ", i, " overlaps request ", r.overlapWith,
          " which is not an input dying at its first step, or taken twice (head ",
          r.overlapHead, ")"));
    taken[input] = true;
  }
  return absl::OkStatus();
}

bool hasOverlaps(llvm::ArrayRef<BufferRequest> requests) {
  return llvm::any_of(requests, [](const BufferRequest &r) { return r.overlapWith >= 0; });
}

int64_t computeLowerBound(llvm::ArrayRef<BufferRequest> requests) {
  if (!hasOverlaps(requests))
    return plainLowerBound(requests);
  return plainLowerBound(toHalfSteps(requests).requests);
}

std::pair<int64_t, int64_t> busyRange(const BufferRequest &placed, int64_t offset,
                                      const BufferRequest &request) {
  // request at o may sit up to its head below the input: o + head <= offset.
  // (An exact pair is kept apart here.)
  if (request.overlapWith == int(placed.id) && !request.overlapExact)
    return {offset + request.size - request.overlapHead, offset + placed.size};
  // request is the input: only the output's head is in its way from above.
  if (placed.overlapWith == int(request.id) && !placed.overlapExact)
    return {offset, offset + placed.overlapHead};
  return {offset, offset + placed.size};
}

int64_t arenaOf(llvm::ArrayRef<BufferRequest> requests,
                llvm::ArrayRef<int64_t> offsets) {
  int64_t arena = 0;
  for (const BufferRequest &r : requests)
    if (r.size > 0)
      arena = std::max(arena, offsets[r.id] + r.size);
  return arena;
}

/// No two requests live at a common step share a byte (offsets checked).
template <typename Fail>
absl::Status verifyDisjoint(llvm::ArrayRef<BufferRequest> requests,
                            const MemoryPlan &plan, const Fail &fail) {
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
  // Overlapping pairs: on half steps (toHalfSteps) the rules are plain.
  if (hasOverlaps(requests)) {
    if (absl::Status status = checkOverlapPairs(requests); !status.ok())
      return fail(status.message());
    for (const BufferRequest &r : requests) {
      if (r.overlapWith < 0 || !r.overlapExact)
        continue;
      const BufferRequest &input = requests[size_t(r.overlapWith)];
      int64_t at = plan.offsets[r.id], inputAt = plan.offsets[input.id];
      if (at + r.size > inputAt && at < inputAt + input.size && at + r.overlapHead != inputAt)
        return fail("buffer ", r.id, " at ", at, " overlaps buffer ", input.id, " at ", inputAt,
                    " other than exactly ", r.overlapHead, " bytes below it");
    }
    HalfSteps half = toHalfSteps(requests);
    MemoryPlan halfPlan = plan;
    for (unsigned output : half.headOf)
      halfPlan.offsets.push_back(plan.offsets[output]);
    return verifyDisjoint(half.requests, halfPlan, fail);
  }
  return verifyDisjoint(requests, plan, fail);
}

} // namespace tinyplan
