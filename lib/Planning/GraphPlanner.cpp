//===- GraphPlanner.cpp - Arena offsets for every value of a graph --------===//
//
// Building a plan:
// 1. Turn every arena buffer of the liveness analysis (not caller-owned)
//    into a BufferRequest: its rounded size, the alignment, its steps.
// 2. Pack them with packBuffers, which verifies the plan at buffer level.
// 3. Give each buffer, and through it each value, its arena offset.
// 4. Check the result again at value level (verifyValuePlacement).
//
// The value-level check knows nothing of how the liveness analysis decided;
// it only trusts the relations it recorded, and checks each of them:
// - a view has exactly its operand's bytes, and a slice sits at its offset
//   inside its concat result, slices of one concat being disjoint; values
//   joined by views and slices hold the same data, so they may share bytes
//   at any time;
// - an in-place result has exactly the bytes of the operand it overwrites,
//   which is read for the last time at the step the result is written;
//   those two may share bytes at that one step;
// - an overlapping result starts at least its head below the operand it
//   overlaps, read for the last time where the result is written; those two
//   may share bytes at that one step;
// - nothing else that is live at a common step may share a byte.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/GraphPlanner.h"
#include "tinyplan/Analysis/Cost.h"
#include "tinyplan/Support/Status.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <numeric>

namespace tinyplan {

namespace {

/// Bytes of the arena one value (or a scratch buffer) occupies, and when.
struct Item {
  /// Value id, or -1 for a scratch buffer.
  int value = -1;
  unsigned buffer = 0;
  int64_t start = 0, end = 0;
  int64_t first = 0, last = 0;
};

unsigned findRoot(std::vector<unsigned> &parent, unsigned x) {
  while (parent[x] != x)
    x = parent[x] = parent[parent[x]];
  return x;
}

} // namespace

absl::Status verifyValuePlacement(const Liveness &liveness,
                                  llvm::ArrayRef<std::optional<int64_t>> bufferOffsets) {
  const Graph &graph = liveness.graph();
  unsigned numValues = graph.numValues();
  auto name = [&](int id) { return "%" + graph.value(unsigned(id))->name(); };

  // Arena start of each value (nullopt: constant or caller-owned).
  std::vector<std::optional<int64_t>> start(numValues);
  for (unsigned id = 0; id < numValues; ++id) {
    const ValueInfo &info = liveness.value(id);
    if (info.hasBuffer && bufferOffsets[info.buffer])
      start[id] = *bufferOffsets[info.buffer] + info.offset;
  }

  // Check each recorded relation on its own, and join values holding the
  // same data (views, slices) into groups.
  std::vector<unsigned> group(numValues);
  std::iota(group.begin(), group.end(), 0u);
  // (overwritten, result) of every in-place relation between arena values.
  std::vector<std::pair<unsigned, unsigned>> inPlacePairs;
  for (unsigned id = 0; id < numValues; ++id) {
    const ValueInfo &info = liveness.value(id);
    if (!start[id])
      continue;
    if (info.related >= 0 && start[info.related]) {
      const ValueInfo &related = liveness.value(info.related);
      if (*start[id] != *start[info.related] || info.bytes != related.bytes)
        return absl::InternalError(absl::StrCat(
            name(id), " at [", *start[id], ", ", *start[id] + info.bytes,
            ") does not have the bytes of ", name(info.related), " at [",
            *start[info.related], ", ", *start[info.related] + related.bytes,
            ") that it ", info.placement == Placement::View ? "views" : "overwrites"));
      if (info.placement == Placement::View) {
        group[findRoot(group, id)] = findRoot(group, info.related);
      } else {
        if (related.last != info.first)
          return absl::InternalError(absl::StrCat(
              name(id), " overwrites ", name(info.related), " at step ", info.first,
              ", but it is read until step ", related.last));
        inPlacePairs.emplace_back(info.related, id);
      }
    }
    if (info.sliceOf >= 0 && start[info.sliceOf]) {
      const ValueInfo &concat = liveness.value(info.sliceOf);
      if (*start[id] != *start[info.sliceOf] + info.sliceOffset ||
          info.sliceOffset < 0 || info.sliceOffset + info.bytes > concat.bytes)
        return absl::InternalError(absl::StrCat(
            name(id), " at ", *start[id], " is not at +", info.sliceOffset,
            " inside ", name(info.sliceOf), " at ", *start[info.sliceOf]));
      group[findRoot(group, id)] = findRoot(group, info.sliceOf);
    }
  }
  // Slices of one concat hold different data: they must not overlap.
  std::vector<std::vector<unsigned>> slicesOf(numValues);
  for (unsigned id = 0; id < numValues; ++id)
    if (start[id] && liveness.value(id).sliceOf >= 0)
      slicesOf[liveness.value(id).sliceOf].push_back(id);
  for (std::vector<unsigned> &slices : slicesOf) {
    llvm::sort(slices, [&](unsigned a, unsigned b) {
      return std::make_pair(liveness.value(a).sliceOffset, a) <
             std::make_pair(liveness.value(b).sliceOffset, b);
    });
    for (size_t i = 1; i < slices.size(); ++i) {
      const ValueInfo &prev = liveness.value(slices[i - 1]);
      if (prev.sliceOffset + prev.bytes > liveness.value(slices[i]).sliceOffset)
        return absl::InternalError(absl::StrCat("slices ", name(slices[i - 1]), " and ",
                                                name(slices[i]), " overlap"));
    }
  }
  llvm::sort(inPlacePairs);
  // Each overlap: its result starts its head below the operand, which is
  // read for the last time where the result is written.
  for (unsigned id = 0; id < numValues; ++id) {
    const ValueInfo &info = liveness.value(id);
    if (!start[id] || info.overlaps < 0 || !start[info.overlaps])
      continue;
    const ValueInfo &dying = liveness.value(info.overlaps);
    if (dying.last != info.first)
      return absl::InternalError(absl::StrCat(name(id), " overlaps ", name(info.overlaps),
                                              " at step ", info.first,
                                              ", but it is read until step ", dying.last));
    bool shareBytes = *start[id] + info.bytes > *start[info.overlaps] &&
                      *start[id] < *start[info.overlaps] + dying.bytes;
    if (shareBytes && (info.overlapExact ? *start[id] + info.overlapHead != *start[info.overlaps]
                                         : *start[id] + info.overlapHead > *start[info.overlaps]))
      return absl::InternalError(absl::StrCat(
          name(id), " at ", *start[id], " overlaps ", name(info.overlaps), " at ",
          *start[info.overlaps], " with less than its head of ", info.overlapHead, " bytes below it"));
  }

  // Sweep the items by start offset; compare each with those starting
  // before it ends.
  std::vector<Item> items;
  for (unsigned id = 0; id < numValues; ++id) {
    const ValueInfo &info = liveness.value(id);
    if (start[id] && info.bytes > 0)
      items.push_back({int(id), info.buffer, *start[id], *start[id] + info.bytes,
                       info.first, info.last});
  }
  for (unsigned b = 0; b < liveness.buffers().size(); ++b) {
    const BufferInfo &buffer = liveness.buffer(b);
    if (buffer.scratchNode >= 0 && bufferOffsets[b] && buffer.rawSize > 0)
      items.push_back({-1, b, *bufferOffsets[b], *bufferOffsets[b] + buffer.rawSize,
                       buffer.first, buffer.last});
  }
  llvm::sort(items, [](const Item &a, const Item &b) {
    return std::make_tuple(a.start, a.value, a.buffer) <
           std::make_tuple(b.start, b.value, b.buffer);
  });
  auto describe = [&](const Item &item) {
    if (item.value >= 0)
      return name(item.value);
    return absl::StrCat("scratch of '",
                        graph.node(liveness.buffer(item.buffer).scratchNode)->name(), "'");
  };
  for (size_t i = 0; i < items.size(); ++i) {
    const Item &a = items[i];
    for (size_t j = i + 1; j < items.size() && items[j].start < a.end; ++j) {
      const Item &b = items[j];
      if (a.last < b.first || b.last < a.first)
        continue;
      if (a.value >= 0 && b.value >= 0) {
        unsigned va = unsigned(a.value), vb = unsigned(b.value);
        if (findRoot(group, va) == findRoot(group, vb))
          continue;
        int64_t overlapFirst = std::max(a.first, b.first);
        int64_t overlapLast = std::min(a.last, b.last);
        auto inPlace = [&](unsigned dying, unsigned written) {
          return std::binary_search(inPlacePairs.begin(), inPlacePairs.end(),
                                    std::make_pair(dying, written)) &&
                 overlapFirst == overlapLast &&
                 overlapFirst == liveness.value(written).first;
        };
        if (inPlace(va, vb) || inPlace(vb, va))
          continue;
        // Checked above.
        auto overlap = [&](unsigned dying, unsigned written) {
          return liveness.value(written).overlaps == int(dying) && overlapFirst == overlapLast &&
                 overlapFirst == liveness.value(written).first;
        };
        if (overlap(va, vb) || overlap(vb, va))
          continue;
      }
      return absl::InternalError(absl::StrCat(
          describe(a), " [", a.start, ", ", a.end, ") steps [", a.first, ", ", a.last,
          "] and ", describe(b), " [", b.start, ", ", b.end, ") steps [", b.first, ", ",
          b.last, "] share bytes while both are live"));
    }
  }
  return absl::OkStatus();
}

std::vector<BufferRequest> arenaRequests(const Liveness &liveness,
                                         std::vector<int> *requestOfBuffer) {
  std::vector<BufferRequest> requests;
  std::vector<int> requestOf;
  for (const BufferInfo &buffer : liveness.buffers()) {
    if (buffer.external) {
      requestOf.push_back(-1);
      continue;
    }
    requestOf.push_back(int(requests.size()));
    BufferRequest request;
    request.id = requests.size();
    request.size = buffer.size;
    request.align = liveness.options().align;
    request.first = buffer.first;
    request.last = buffer.last;
    requests.push_back(request);
  }
  for (unsigned b = 0; b < liveness.buffers().size(); ++b) {
    const BufferInfo &buffer = liveness.buffer(b);
    if (buffer.overlapWith >= 0 && requestOf[b] >= 0 && requestOf[buffer.overlapWith] >= 0) {
      requests[requestOf[b]].overlapWith = requestOf[buffer.overlapWith];
      requests[requestOf[b]].overlapHead = buffer.overlapHead;
      requests[requestOf[b]].overlapExact = buffer.overlapExact;
    }
  }
  if (requestOfBuffer)
    *requestOfBuffer = std::move(requestOf);
  return requests;
}

absl::StatusOr<GraphPlan> GraphPlan::build(const Liveness &liveness,
                                           const PackOptions &options) {
  GraphPlan result;
  result.liveness_ = &liveness;
  // 1. Requests for the arena buffers.
  result.requests_ = arenaRequests(liveness, &result.requestOfBuffer_);
  // 2. Pack.
  TP_ASSIGN_OR_RETURN(result.plan_, packBuffers(result.requests_, options));
  // 3-4. Offsets, checked per value.
  std::vector<std::optional<int64_t>> offsets;
  for (unsigned b = 0; b < liveness.buffers().size(); ++b)
    offsets.push_back(result.bufferOffset(b));
  TP_RETURN_IF_ERROR(withContext(verifyValuePlacement(liveness, offsets),
                                 "value-level plan check failed: "));
  // The bound over every aliasing choice, not only the ones made here.
  LivenessOptions anyAliasing = liveness.options();
  anyAliasing.wholeConcats.clear();
  result.bound_ = anyPlanBound(liveness.graph(), anyAliasing);
  // A plan that beats it would mean the bound is wrong: never print a
  // bound above a plan actually made.
  if (result.bound_.bytes > result.plan_.arena)
    return absl::InternalError(absl::StrCat("the arena bound ", result.bound_.bytes,
                                            " exceeds the plan's arena ", result.plan_.arena));
  return result;
}

/// How often the kernels touch each buffer in one inference, in elements
/// (an estimate): each value written once, read once by each reader, except
/// that a node with multiply-accumulates reads its operand 0 once per MAC;
/// a scratch buffer is read once per MAC of its node.
static std::vector<double> bufferAccesses(const Liveness &liveness) {
  const Graph &graph = liveness.graph();
  CostAnalysis cost(graph);
  std::vector<double> perValue(graph.numValues(), 0);
  for (const auto &value : graph.values())
    if (!value->isConstant())
      perValue[value->id()] = double(value->type().numElements());
  for (const auto &node : graph.nodes())
    for (unsigned i = 0; i < node->numOperands(); ++i)
      if (const Value *operand = node->operand(i); operand && !operand->isConstant()) {
        int64_t macs = cost.nodeCost(node->id()).macs;
        perValue[operand->id()] +=
            i == 0 && macs > 0 ? double(macs) : double(operand->type().numElements());
      }
  std::vector<double> perBuffer;
  for (const BufferInfo &buffer : liveness.buffers()) {
    double sum = buffer.scratchNode >= 0
                     ? double(cost.nodeCost(unsigned(buffer.scratchNode)).macs)
                     : 0;
    for (unsigned value : buffer.values)
      sum += perValue[value];
    perBuffer.push_back(sum);
  }
  return perBuffer;
}

absl::StatusOr<bool> GraphPlan::placeInRegions(llvm::ArrayRef<ArenaRegion> regions) {
  // Fast regions first; each size a multiple of every alignment, so that
  // offsets aligned in the plan stay aligned in the region's own array.
  std::vector<ArenaRegion> order(regions.begin(), regions.end());
  std::stable_partition(order.begin(), order.end(),
                        [](const ArenaRegion &region) { return region.fast; });
  int64_t align = std::max<int64_t>(1, liveness_->options().align);
  for (const BufferRequest &request : requests_)
    align = std::max(align, request.align);
  for (ArenaRegion &region : order)
    region.size = region.size / align * align;
  regions_.clear();
  auto placeWhole = [&](bool fast) {
    for (const ArenaRegion &region : order)
      if (region.fast == fast && plan_.arena <= region.size) {
        regions_.push_back({region, 0, plan_.arena, bound_.bytes, 1.0});
        return true;
      }
    return false;
  };
  // Whole in a fast region, every access fast.
  if (placeWhole(true))
    return true;

  std::vector<double> accesses(requests_.size(), 0);
  std::vector<double> perBuffer = bufferAccesses(*liveness_);
  for (unsigned b = 0; b < perBuffer.size(); ++b)
    if (requestOfBuffer_[b] >= 0)
      accesses[unsigned(requestOfBuffer_[b])] += perBuffer[b];
  std::vector<int64_t> sizes;
  unsigned fastRegions = 0;
  int64_t fastEnd = 0;
  for (const ArenaRegion &region : order) {
    sizes.push_back(region.size);
    fastRegions += region.fast;
    fastEnd += region.fast ? region.size : 0;
  }
  std::optional<std::vector<int64_t>> offsets =
      packAcrossRegions(requests_, sizes, fastRegions, accesses);
  // A split that gives the fast regions some of the traffic beats the
  // arena whole in a slower one, which would leave them idle.
  bool fastUsed = false;
  if (offsets)
    for (const BufferRequest &request : requests_)
      fastUsed |= request.size > 0 && (*offsets)[request.id] < fastEnd &&
                  accesses[request.id] > 0;
  if (!fastUsed && placeWhole(false))
    return true;
  if (!offsets)
    return false;
  MemoryPlan split;
  split.offsets = std::move(*offsets);
  split.lowerBound = plan_.lowerBound;
  split.strategy = "regions";
  for (const BufferRequest &request : requests_)
    split.arena = std::max(split.arena, split.offsets[request.id] + request.size);
  TP_RETURN_IF_ERROR(withContext(verifyPlan(requests_, split),
                                 "the plan across memory regions failed its check: "));
  wholeArena_ = plan_.arena;
  std::swap(plan_, split);
  std::vector<std::optional<int64_t>> bufferOffsets;
  for (unsigned b = 0; b < liveness_->buffers().size(); ++b)
    bufferOffsets.push_back(bufferOffset(b));
  if (absl::Status status = verifyValuePlacement(*liveness_, bufferOffsets); !status.ok()) {
    std::swap(plan_, split);
    wholeArena_ = 0;
    return withContext(status, "value-level check of the plan across memory regions failed: ");
  }

  double totalAccesses = std::accumulate(accesses.begin(), accesses.end(), 0.0);
  // Each region's share: its buffers, their highest end, their bound (an
  // overlapping pair counted as one only when both are in the region).
  int64_t base = 0;
  for (const ArenaRegion &region : order) {
    int64_t end = base + region.size;
    std::vector<BufferRequest> inside;
    std::vector<int> index(requests_.size(), -1);
    int64_t used = 0;
    double regionAccesses = 0;
    for (const BufferRequest &request : requests_) {
      int64_t offset = plan_.offsets[request.id];
      if (request.size == 0 || offset < base || offset >= end)
        continue;
      index[request.id] = int(inside.size());
      inside.push_back(request);
      used = std::max(used, offset + request.size - base);
      regionAccesses += accesses[request.id];
    }
    for (size_t i = 0; i < inside.size(); ++i) {
      inside[i].id = unsigned(i);
      int partner = inside[i].overlapWith;
      inside[i].overlapWith = partner >= 0 ? index[partner] : -1;
      if (inside[i].overlapWith < 0)
        inside[i].overlapHead = 0, inside[i].overlapExact = false;
    }
    if (!inside.empty())
      regions_.push_back({region, base, used, computeLowerBound(inside),
                          totalAccesses > 0 ? regionAccesses / totalAccesses : 0});
    base = end;
  }
  return true;
}

const RegionUse *GraphPlan::regionAt(int64_t offset) const {
  const RegionUse *found = nullptr;
  for (const RegionUse &use : regions_)
    if (use.base <= offset)
      found = &use;
  return found;
}

int64_t GraphPlan::arenaBytes() const {
  if (regions_.empty())
    return plan_.arena;
  int64_t bytes = 0;
  for (const RegionUse &use : regions_)
    bytes += use.used;
  return bytes;
}

std::optional<int64_t> GraphPlan::bufferOffset(unsigned bufferId) const {
  int request = requestOfBuffer_[bufferId];
  if (request < 0)
    return std::nullopt;
  return plan_.offsets[request];
}

std::optional<int64_t> GraphPlan::valueOffset(unsigned valueId) const {
  const ValueInfo &info = liveness_->value(valueId);
  if (!info.hasBuffer)
    return std::nullopt;
  std::optional<int64_t> base = bufferOffset(info.buffer);
  if (!base)
    return std::nullopt;
  return *base + info.offset;
}

void GraphPlan::print(llvm::raw_ostream &os) const {
  const Graph &graph = liveness_->graph();
  os << "plan @" << graph.name() << " schedule=" << liveness_->scheduleName()
     << " packer=" << plan_.strategy << " arena=" << arenaBytes()
     << " lower_bound=" << bound_.bytes << " gap=" << arenaBytes() - bound_.bytes
     << " optimal=" << (provenOptimal() ? "yes" : "no") << " packing_bound=" << plan_.lowerBound
     << " packing_optimal=" << (plan_.provenOptimal ? "yes" : "no")
     // Both bounds count the chosen kernels' scratch and overlaps.
     << " bound_given=kernels,layouts\n";
  for (const RegionUse &use : regions_)
    os << "region " << use.region.name << (use.region.fast ? " fast" : "") << " ["
       << use.base << ", " << use.base + use.region.size << ") used=" << use.used
       << " bound=" << use.bound << " accesses=" << llvm::format("%.1f", 100 * use.accessShare)
       << "%\n";
  for (const auto &value : graph.values()) {
    const ValueInfo &info = liveness_->value(value->id());
    if (!info.hasBuffer)
      continue;
    os << '%' << value->name() << ' ';
    if (std::optional<int64_t> offset = valueOffset(value->id()))
      os << '[' << *offset << ", " << *offset + info.bytes << ')';
    else
      os << "caller-owned";
    os << " [" << info.first << ", " << info.last << "] "
       << liveness_->placementStr(value->id());
    if (std::optional<int64_t> offset = valueOffset(value->id()); offset && regions_.size() > 1)
      os << " in " << regionAt(*offset)->region.name;
    os << '\n';
  }
  for (unsigned b = 0; b < liveness_->buffers().size(); ++b) {
    const BufferInfo &buffer = liveness_->buffer(b);
    if (buffer.scratchNode < 0)
      continue;
    int64_t offset = *bufferOffset(b);
    os << "scratch '" << graph.node(buffer.scratchNode)->name() << "' [" << offset
       << ", " << offset + buffer.rawSize << ") [" << buffer.first << ", "
       << buffer.last << "]\n";
  }
  if (schedule_)
    schedule_->print(os, graph);
  if (aliasing_.plans > 1) {
    os << "aliasing: plans=" << aliasing_.plans << " first_arena=" << aliasing_.firstArena
       << " whole_concats=";
    llvm::ArrayRef<unsigned> whole = liveness_->options().wholeConcats;
    for (size_t i = 0; i < whole.size(); ++i)
      os << (i ? "," : "") << '\'' << graph.node(whole[i])->name() << '\'';
    if (whole.empty())
      os << "none";
    os << '\n';
  }
}

void GraphPlan::printAscii(llvm::raw_ostream &os, unsigned columns) const {
  static constexpr llvm::StringLiteral kLetters =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const Graph &graph = liveness_->graph();
  int64_t arena = plan_.arena;
  int64_t width = std::max<int64_t>(1, (arena + columns - 1) / std::max(columns, 1u));
  int64_t numColumns = (arena + width - 1) / width;
  unsigned numSteps = liveness_->numSteps();
  os << "plan-ascii @" << graph.name() << " arena=" << arena << " columns="
     << numColumns << " bytes_per_column=" << width << '\n';

  // For each step and column the buffer covering most of the column's bytes
  // (ties: lowest request id), found buffer by buffer.
  std::vector<int64_t> cover(size_t(numSteps) * numColumns, 0);
  std::vector<int> owner(size_t(numSteps) * numColumns, -1);
  for (const BufferRequest &request : requests_) {
    int64_t start = plan_.offsets[request.id], end = start + request.size;
    if (request.size == 0)
      continue;
    for (int64_t step = request.first; step <= request.last && step < numSteps; ++step)
      for (int64_t c = start / width; c < numColumns && c * width < end; ++c) {
        int64_t bytes = std::min(end, (c + 1) * width) - std::max(start, c * width);
        size_t cell = size_t(step) * numColumns + c;
        if (bytes > cover[cell]) {
          cover[cell] = bytes;
          owner[cell] = int(request.id);
        }
      }
  }
  auto letter = [&](int request) {
    return size_t(request) < kLetters.size() ? kLetters[request] : '*';
  };
  for (unsigned step = 0; step < numSteps; ++step) {
    os << llvm::format_decimal(step, 4) << " |";
    for (int64_t c = 0; c < numColumns; ++c) {
      int request = owner[size_t(step) * numColumns + c];
      os << (request < 0 ? '.' : letter(request));
    }
    os << "| " << graph.node(liveness_->schedule()[step])->name() << '\n';
  }
  os << "legend:\n";
  for (unsigned b = 0; b < liveness_->buffers().size(); ++b) {
    int request = requestOfBuffer_[b];
    if (request < 0)
      continue;
    const BufferInfo &buffer = liveness_->buffer(b);
    const BufferRequest &r = requests_[request];
    os << "  " << letter(request) << ' ';
    if (buffer.scratchNode >= 0)
      os << "scratch '" << graph.node(buffer.scratchNode)->name() << "'";
    else
      os << '%' << graph.value(buffer.rootValue)->name();
    os << " [" << plan_.offsets[request] << ", " << plan_.offsets[request] + r.size
       << ") [" << r.first << ", " << r.last << "]\n";
  }
}

} // namespace tinyplan
