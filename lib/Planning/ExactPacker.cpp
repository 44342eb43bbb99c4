//===- ExactPacker.cpp - Branch-and-bound search for the smallest arena ---===//
//
// A search over canonical solutions in the spirit of MiniMalloc (Moffitt,
// ASPLOS 2023). Any packing can be pushed down until every buffer rests at
// offset 0 or on a buffer below it; listing such a packing by offset, each
// buffer sits exactly at its "minimum offset", the highest top of the
// already listed buffers it conflicts with. So the search only ever places
// buffers at their minimum offset, in non-decreasing offset order.
//
// Feasibility of a capacity C:
// 1. Cut time into sections (maximal step ranges with the same live set);
//    where no buffer crosses a section boundary the problem splits into
//    independent partitions, solved one after another.
// 2. Depth-first: list the unplaced buffers by (minimum offset, static
//    rank). Skip a buffer that would break the offset order (canonical
//    order), and stop at the first whose offset reaches the lowest top any
//    unplaced buffer could have (dominance: that would leave a gap another
//    buffer fills better).
// 3. Placing a buffer raises the minimum offsets of its conflicts and the
//    floors of its sections; a section's floor is also at least the lowest
//    minimum offset among its unplaced buffers.
// 4. Prune when some section's max(floor, current offset) plus the sizes of
//    its unplaced buffers exceeds C (cross-section bound).
// 5. A try of a capacity runs each partition with several static rankings
//    in turn, each within a node limit, so one unlucky ranking does not eat
//    the budget.
//
// Minimisation, from the best heuristic plan (the incumbent), in rounds of
// doubling node limit: each round tries the lowest capacity not proven
// infeasible (first the lower bound), then bisects between what failed and
// the best arena found. With a target capacity, that capacity is decided
// first (MiniMalloc's decision problem). The tries form one fixed sequence
// that the node budget only cuts short, and the incumbent is replaced only
// by smaller arenas: a larger budget never gives a larger arena.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/Packers.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <numeric>

namespace tinyplan {

namespace {

int64_t alignUp(int64_t value, int64_t align) {
  return (value + align - 1) / align * align;
}

/// Sections, conflicts and partitions of the non-empty requests.
struct SearchProblem {
  llvm::ArrayRef<BufferRequest> requests;
  /// Buffers that take part (size > 0).
  std::vector<unsigned> active;
  /// Per request: its sections [sectionBegin, sectionEnd).
  std::vector<int> sectionBegin, sectionEnd;
  std::vector<std::vector<unsigned>> sectionBuffers;
  /// Per request: where its slots start in `slots`, one per section it
  /// spans, each its position in that section's sectionBuffers.
  std::vector<int> slotBase, slots;
  std::vector<std::vector<unsigned>> conflicts;
  /// Independent groups of buffers with their section ranges.
  struct Partition {
    std::vector<unsigned> buffers;
    int firstSection = 0, endSection = 0;
  };
  std::vector<Partition> partitions;

  explicit SearchProblem(llvm::ArrayRef<BufferRequest> requests)
      : requests(requests), sectionBegin(requests.size(), 0),
        sectionEnd(requests.size(), 0), slotBase(requests.size(), 0),
        conflicts(requests.size()) {
    std::vector<int64_t> cuts;
    for (const BufferRequest &r : requests)
      if (r.size > 0) {
        active.push_back(r.id);
        cuts.push_back(r.first);
        cuts.push_back(r.last + 1);
      }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    int numSections = cuts.empty() ? 0 : int(cuts.size()) - 1;
    sectionBuffers.resize(numSections);
    std::vector<int> crossing(numSections + 1, 0);
    for (unsigned id : active) {
      const BufferRequest &r = requests[id];
      sectionBegin[id] = std::lower_bound(cuts.begin(), cuts.end(), r.first) - cuts.begin();
      sectionEnd[id] = std::lower_bound(cuts.begin(), cuts.end(), r.last + 1) - cuts.begin();
      slotBase[id] = slots.size();
      for (int s = sectionBegin[id]; s < sectionEnd[id]; ++s) {
        slots.push_back(sectionBuffers[s].size());
        sectionBuffers[s].push_back(id);
      }
      for (int s = sectionBegin[id] + 1; s < sectionEnd[id]; ++s)
        ++crossing[s];
    }
    // Conflicts through a sweep over start order.
    std::vector<unsigned> byStart = active;
    std::sort(byStart.begin(), byStart.end(), [&](unsigned a, unsigned b) {
      return std::make_pair(sectionBegin[a], a) < std::make_pair(sectionBegin[b], b);
    });
    for (size_t i = 0; i < byStart.size(); ++i)
      for (size_t j = i + 1;
           j < byStart.size() && sectionBegin[byStart[j]] < sectionEnd[byStart[i]]; ++j) {
        conflicts[byStart[i]].push_back(byStart[j]);
        conflicts[byStart[j]].push_back(byStart[i]);
      }
    // Partitions: split where no buffer crosses a section boundary.
    Partition current;
    for (int s = 0; s < numSections; ++s) {
      if (s > 0 && crossing[s] == 0) {
        current.endSection = s;
        if (!current.buffers.empty())
          partitions.push_back(std::move(current));
        current = Partition();
        current.firstSection = s;
      }
      for (unsigned id : sectionBuffers[s])
        if (sectionBegin[id] == s)
          current.buffers.push_back(id);
    }
    current.endSection = numSections;
    if (!current.buffers.empty())
      partitions.push_back(std::move(current));
  }
};

enum class Outcome { Found, Infeasible, OutOfBudget };

/// An optional wall-clock limit; never set, it never passes.
struct Deadline {
  bool set = false;
  std::chrono::steady_clock::time_point at;
  bool passed() const { return set && std::chrono::steady_clock::now() >= at; }
};

/// Static rankings tried in turn: each a list of keys compared largest
/// first, ties by id. T = most bytes in the busiest section the buffer
/// spans, W = lifetime in steps, A = area (size x lifetime). Instances
/// differ in which ranking finds a packing quickly; MiniMalloc's three,
/// busiest section first.
enum class RankKey { Total, Width, Area };
const std::vector<std::vector<RankKey>> kRankings = {
    {RankKey::Total, RankKey::Width, RankKey::Area},
    {RankKey::Total, RankKey::Area, RankKey::Width},
    {RankKey::Width, RankKey::Area, RankKey::Total},
};

/// Depth-first feasibility search of one capacity.
class FeasibilitySearch {
public:
  FeasibilitySearch(const SearchProblem &problem, int64_t capacity,
                    const std::vector<RankKey> &ranking, int64_t nodeLimit,
                    const Deadline &deadline)
      : p_(problem), capacity_(capacity), ranking_(ranking), deadline_(deadline),
        rank_(problem.requests.size(), 0), nodesLeft_(nodeLimit),
        offsets_(problem.requests.size(), 0),
        minOffset_(problem.requests.size(), 0),
        placed_(problem.requests.size(), false),
        floor_(problem.sectionBuffers.size(), 0),
        remaining_(problem.sectionBuffers.size(), 0),
        crossing_(problem.sectionBuffers.size() + 1, 0),
        sectionMin_(problem.sectionBuffers.size(), 0),
        sectionMinCount_(problem.sectionBuffers.size(), 0),
        sectionEpoch_(problem.sectionBuffers.size(), 0),
        unplacedIn_(problem.sectionBuffers), slots_(problem.slots) {
    for (unsigned id : p_.active) {
      for (int s = p_.sectionBegin[id]; s < p_.sectionEnd[id]; ++s) {
        remaining_[s] += p_.requests[id].size;
        ++sectionMinCount_[s]; // every minimum offset starts at 0
      }
      for (int s = p_.sectionBegin[id] + 1; s < p_.sectionEnd[id]; ++s)
        ++crossing_[s];
    }
  }

  /// Solves one static partition.
  Outcome run(const std::vector<unsigned> &buffers) { return solveGroup(buffers); }
  int64_t nodesUsed(int64_t limit) const { return limit - nodesLeft_; }
  const std::vector<int64_t> &offsets() const { return offsets_; }

private:
  struct Range {
    int begin, end; // sections [begin, end)
  };

  /// Cross-section bound of one section: its unplaced bytes must fit
  /// above its floor, the current offset, and the lowest minimum offset of
  /// its unplaced buffers (nothing can start below that).
  bool sectionFits(int s, int64_t offset) const {
    return remaining_[s] == 0 ||
           std::max({floor_[s], sectionMin_[s], offset}) + remaining_[s] <= capacity_;
  }

  bool fits(Range range, int64_t offset) const {
    for (int s = range.begin; s < range.end; ++s)
      if (!sectionFits(s, offset))
        return false;
    return true;
  }

  /// Orders \p piece by the ranking's keys, largest first, ties by id.
  void rankPiece(std::vector<unsigned> piece) {
    auto key = [&](unsigned id, RankKey k) -> int64_t {
      const BufferRequest &r = p_.requests[id];
      int64_t width = r.last - r.first + 1;
      switch (k) {
      case RankKey::Total: {
        int64_t total = 0;
        for (int s = p_.sectionBegin[id]; s < p_.sectionEnd[id]; ++s)
          total = std::max(total, remaining_[s]);
        return total;
      }
      case RankKey::Width: return width;
      case RankKey::Area: return r.size * width;
      }
      return 0;
    };
    std::vector<std::vector<int64_t>> keys(piece.size());
    std::vector<size_t> order(piece.size());
    for (size_t i = 0; i < piece.size(); ++i) {
      order[i] = i;
      for (RankKey k : ranking_)
        keys[i].push_back(key(piece[i], k));
      keys[i].push_back(-int64_t(piece[i]));
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return keys[a] > keys[b]; });
    for (size_t i = 0; i < order.size(); ++i)
      rank_[piece[order[i]]] = int(i);
  }

  /// Whether no unplaced buffer overlaps \p id in time.
  bool isHatless(unsigned id) const {
    for (unsigned other : p_.conflicts[id])
      if (!placed_[other])
        return false;
    return true;
  }

  /// fits() restricted to the sections place() just changed.
  bool changedSectionsFit(unsigned id, int64_t offset) const {
    for (int s = p_.sectionBegin[id]; s < p_.sectionEnd[id]; ++s)
      if (!sectionFits(s, offset))
        return false;
    for (int s : affected_)
      if (!sectionFits(s, offset))
        return false;
    return true;
  }

  Range rangeOf(const std::vector<unsigned> &buffers) const {
    Range range{INT32_MAX, 0};
    for (unsigned id : buffers) {
      range.begin = std::min(range.begin, p_.sectionBegin[id]);
      range.end = std::max(range.end, p_.sectionEnd[id]);
    }
    return range;
  }

  /// Splits the unplaced \p buffers where no unplaced buffer crosses a
  /// section boundary and solves the pieces one after another; they share
  /// no section, so each keeps its own canonical order.
  Outcome solveGroup(const std::vector<unsigned> &buffers) {
    std::vector<unsigned> unplaced;
    for (unsigned id : buffers)
      if (!placed_[id])
        unplaced.push_back(id);
    if (unplaced.empty())
      return Outcome::Found;
    std::sort(unplaced.begin(), unplaced.end(), [&](unsigned a, unsigned b) {
      return std::make_pair(p_.sectionBegin[a], a) < std::make_pair(p_.sectionBegin[b], b);
    });
    size_t mark = stack_.size();
    std::vector<unsigned> piece;
    int pieceEnd = -1;
    // The pieces are ranked afresh (MiniMalloc's sub-solves do the same):
    // what is left of each section's bytes has changed since the start.
    std::vector<std::pair<unsigned, int>> savedRanks;
    for (unsigned id : unplaced)
      savedRanks.push_back({id, rank_[id]});
    auto solvePiece = [&]() {
      Range range = rangeOf(piece);
      if (!fits(range, 0))
        return Outcome::Infeasible;
      rankPiece(piece);
      return search(piece, range, 0, -1, piece.size());
    };
    for (size_t i = 0; i <= unplaced.size(); ++i) {
      if (i == unplaced.size() ||
          (!piece.empty() && p_.sectionBegin[unplaced[i]] >= pieceEnd)) {
        Outcome outcome = solvePiece();
        if (outcome != Outcome::Found) {
          unplaceTo(mark);
          for (const auto &[id, rank] : savedRanks)
            rank_[id] = rank;
          return outcome;
        }
        piece.clear();
        if (i == unplaced.size())
          break;
      }
      piece.push_back(unplaced[i]);
      pieceEnd = std::max(piece.size() == 1 ? 0 : pieceEnd, p_.sectionEnd[unplaced[i]]);
    }
    return Outcome::Found;
  }

  Outcome search(const std::vector<unsigned> &group, Range range, int64_t lastOffset,
                 int lastRank, size_t unplacedCount) {
    if (unplacedCount == 0)
      return Outcome::Found;

    struct Candidate {
      int64_t offset;
      int rank;
      unsigned id;
    };
    std::vector<Candidate> candidates;
    candidates.reserve(unplacedCount);
    int64_t lowestTop = INT64_MAX;
    for (unsigned id : group) {
      if (placed_[id])
        continue;
      candidates.push_back({minOffset_[id], rank_[id], id});
      lowestTop = std::min(lowestTop, minOffset_[id] + p_.requests[id].size);
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
      return a.offset != b.offset ? a.offset < b.offset : a.rank < b.rank;
    });

    for (const Candidate &c : candidates) {
      if (c.offset >= lowestTop)
        break; // dominance: every later candidate leaves a needless gap
      if (c.offset < lastOffset || (c.offset == lastOffset && c.rank < lastRank))
        continue; // canonical order
      if (c.offset + p_.requests[c.id].size > capacity_)
        continue;
      // Every placement tried is a node of the search tree: the budget
      // counts them, so its cost tracks the work done.
      if (nodesLeft_ <= 0 || ((nodesLeft_ & 1023) == 0 && pastDeadline()))
        return Outcome::OutOfBudget;
      --nodesLeft_;
      size_t mark = stack_.size();
      bool hatless = isHatless(c.id);
      bool split = place(c.id, c.offset);
      Outcome outcome = Outcome::Infeasible;
      // The state before this placement passed the check at lastOffset, so
      // unless the offset rose only the sections just changed can fail.
      bool ok = c.offset > lastOffset ? fits(range, c.offset)
                                      : changedSectionsFit(c.id, c.offset);
      if (ok)
        outcome = split ? solveGroup(group)
                        : search(group, range, c.offset, c.rank, unplacedCount - 1);
      if (outcome == Outcome::Found)
        return outcome;
      unplaceTo(mark);
      if (outcome == Outcome::OutOfBudget)
        return outcome;
      // Nothing unplaced can sit above a buffer no unplaced buffer overlaps,
      // so putting another buffer first cannot help (MiniMalloc's "hatless"
      // pruning).
      if (hatless)
        break;
    }
    return Outcome::Infeasible;
  }

  /// Places \p id; returns whether some section boundary it spanned is now
  /// crossed by no unplaced buffer (the group falls apart there).
  bool place(unsigned id, int64_t offset) {
    const BufferRequest &r = p_.requests[id];
    int64_t top = offset + r.size;
    stack_.push_back({id, offsetLog_.size(), floorLog_.size(), sectionMinLog_.size(),
                      countLog_.size()});
    placed_[id] = true;
    // Out of its sections' unplaced lists: the last one takes its slot.
    for (int s = p_.sectionBegin[id]; s < p_.sectionEnd[id]; ++s) {
      std::vector<unsigned> &list = unplacedIn_[s];
      int slot = slots_[p_.slotBase[id] + s - p_.sectionBegin[id]];
      unsigned moved = list.back();
      list[slot] = moved;
      slots_[p_.slotBase[moved] + s - p_.sectionBegin[moved]] = slot;
      list.pop_back();
    }
    offsets_[id] = offset;
    bool split = false;
    for (int s = p_.sectionBegin[id]; s < p_.sectionEnd[id]; ++s) {
      floorLog_.push_back({s, floor_[s]});
      floor_[s] = top;
      remaining_[s] -= r.size;
      if (s > p_.sectionBegin[id] && --crossing_[s] == 0)
        split = true;
    }
    // Raise the minimum offsets of its unplaced conflicts. A section's
    // lowest unplaced minimum offset only changes when the last buffer
    // holding it is placed or raised: count the holders, rescan on zero.
    ++epoch_;
    affected_.clear();
    auto leave = [&](unsigned buffer, int64_t oldMin) {
      for (int s = p_.sectionBegin[buffer]; s < p_.sectionEnd[buffer]; ++s)
        if (oldMin == sectionMin_[s]) {
          countLog_.push_back(s);
          if (--sectionMinCount_[s] == 0 && sectionEpoch_[s] != epoch_) {
            sectionEpoch_[s] = epoch_;
            affected_.push_back(s);
          }
        }
    };
    leave(id, minOffset_[id]);
    for (unsigned other : p_.conflicts[id]) {
      if (placed_[other])
        continue;
      int64_t raised = alignUp(top, p_.requests[other].align);
      if (raised <= minOffset_[other])
        continue;
      offsetLog_.push_back({other, minOffset_[other]});
      leave(other, minOffset_[other]);
      minOffset_[other] = raised;
    }
    for (int s : affected_) {
      int64_t lowest = INT64_MAX;
      int count = 0;
      for (unsigned b : unplacedIn_[s]) {
        if (minOffset_[b] > lowest)
          continue;
        count = minOffset_[b] == lowest ? count + 1 : 1;
        lowest = minOffset_[b];
      }
      sectionMinLog_.push_back({s, sectionMin_[s], sectionMinCount_[s]});
      sectionMin_[s] = lowest;
      sectionMinCount_[s] = count;
    }
    return split;
  }

  /// Undoes placements, newest first, until \p mark remain.
  void unplaceTo(size_t mark) {
    while (stack_.size() > mark) {
      Placement last = stack_.back();
      stack_.pop_back();
      const BufferRequest &r = p_.requests[last.id];
      placed_[last.id] = false;
      // Back into its slots; what took them goes back to the end.
      for (int s = p_.sectionBegin[last.id]; s < p_.sectionEnd[last.id]; ++s) {
        std::vector<unsigned> &list = unplacedIn_[s];
        int slot = slots_[p_.slotBase[last.id] + s - p_.sectionBegin[last.id]];
        if (slot < int(list.size())) {
          unsigned moved = list[slot];
          slots_[p_.slotBase[moved] + s - p_.sectionBegin[moved]] = list.size();
          list.push_back(moved);
          list[slot] = last.id;
        } else {
          list.push_back(last.id);
        }
      }
      while (floorLog_.size() > last.floorMark) {
        floor_[floorLog_.back().first] = floorLog_.back().second;
        floorLog_.pop_back();
      }
      while (sectionMinLog_.size() > last.sectionMinMark) {
        const SectionMinChange &change = sectionMinLog_.back();
        sectionMin_[change.section] = change.min;
        sectionMinCount_[change.section] = change.count;
        sectionMinLog_.pop_back();
      }
      // Then the holders' counts, which were lowered before any rescan.
      while (countLog_.size() > last.countMark) {
        ++sectionMinCount_[countLog_.back()];
        countLog_.pop_back();
      }
      while (offsetLog_.size() > last.offsetMark) {
        minOffset_[offsetLog_.back().first] = offsetLog_.back().second;
        offsetLog_.pop_back();
      }
      for (int s = p_.sectionBegin[last.id]; s < p_.sectionEnd[last.id]; ++s) {
        remaining_[s] += r.size;
        if (s > p_.sectionBegin[last.id])
          ++crossing_[s];
      }
    }
  }

  struct Placement {
    unsigned id;
    size_t offsetMark, floorMark, sectionMinMark, countMark;
  };

  const SearchProblem &p_;
  int64_t capacity_;
  const std::vector<RankKey> &ranking_;
  const Deadline &deadline_;
  bool pastDeadline() const { return deadline_.passed(); }
  /// Static order of the buffers of the piece being solved (lower first).
  std::vector<int> rank_;
  int64_t nodesLeft_;
  std::vector<int64_t> offsets_;
  std::vector<int64_t> minOffset_;
  std::vector<uint8_t> placed_;
  std::vector<int64_t> floor_, remaining_;
  /// crossing_[s]: unplaced buffers spanning the boundary before section s.
  std::vector<int> crossing_;
  std::vector<Placement> stack_;
  std::vector<std::pair<unsigned, int64_t>> offsetLog_;
  std::vector<std::pair<int, int64_t>> floorLog_;
  /// sectionMin_[s]: lowest minimum offset of the unplaced buffers of s.
  std::vector<int64_t> sectionMin_;
  /// How many unplaced buffers of s have that minimum offset.
  std::vector<int> sectionMinCount_;
  struct SectionMinChange {
    int section;
    int64_t min;
    int count;
  };
  /// Sections rescanned, with what they held before.
  std::vector<SectionMinChange> sectionMinLog_;
  /// Sections whose holder count dropped by one.
  std::vector<int> countLog_;
  std::vector<int> affected_;
  std::vector<uint64_t> sectionEpoch_;
  uint64_t epoch_ = 0;
  /// Per section: its unplaced buffers, in no particular order.
  std::vector<std::vector<unsigned>> unplacedIn_;
  /// Per request and section spanned: its position in unplacedIn_
  /// (indexed like SearchProblem::slots).
  std::vector<int> slots_;
};

/// What the whole minimisation may still spend: search nodes, and
/// optionally wall time. Each try draws on it; once it is gone the search
/// stops where it is, so a smaller budget sees a prefix of the same search.
struct Budget {
  int64_t nodesLeft;
  Deadline deadline;
  bool exhausted() const { return nodesLeft <= 0 || deadline.passed(); }
};

/// Outcome of a try at a node limit. OutOfLimit: that limit ran out (a
/// larger one may settle it); Stopped: the whole budget did.
enum class TryOutcome { Found, Infeasible, OutOfLimit, Stopped };

/// A step every canonical packing's offsets and arena are multiples of, so
/// only capacities that are need trying: the common divisor of the sizes,
/// lowered until every alignment divides it or is a multiple of it (a top
/// that is a multiple of it then stays one when aligned).
int64_t granularityOf(llvm::ArrayRef<BufferRequest> requests) {
  int64_t g = 0;
  for (const BufferRequest &r : requests)
    if (r.size > 0)
      g = std::gcd(g, r.size);
  for (bool changed = g > 1; changed;) {
    changed = false;
    for (const BufferRequest &r : requests)
      if (r.size > 0 && g % r.align != 0 && r.align % g != 0) {
        g = std::gcd(g, r.align);
        changed = true;
      }
  }
  return std::max<int64_t>(g, 1);
}

/// Feasibility tries of capacities, partition by partition. A partition
/// keeps the smallest packing found for it: a capacity that packing fits
/// costs nothing more.
class CapacityTrier {
public:
  CapacityTrier(const SearchProblem &problem, Budget &budget)
      : problem_(problem), budget_(budget), best_(problem.partitions.size(), INT64_MAX),
        offsets_(problem.requests.size(), 0) {}

  /// Whether every partition fits in \p capacity, trying the rankings in
  /// turn within \p limit nodes each.
  TryOutcome tryAll(int64_t capacity, int64_t limit) {
    for (size_t p = 0; p < problem_.partitions.size(); ++p) {
      TryOutcome outcome = tryPartition(p, capacity, limit);
      if (outcome != TryOutcome::Found)
        return outcome;
    }
    return TryOutcome::Found;
  }

  /// Whether every partition fits in \p capacity, doubling each
  /// partition's node limit from \p firstLimit until it is settled.
  TryOutcome decide(int64_t capacity, int64_t firstLimit) {
    for (size_t p = 0; p < problem_.partitions.size(); ++p) {
      TryOutcome outcome = TryOutcome::OutOfLimit;
      for (int64_t limit = firstLimit; outcome == TryOutcome::OutOfLimit; limit *= 2)
        outcome = tryPartition(p, capacity, limit);
      if (outcome != TryOutcome::Found)
        return outcome;
    }
    return TryOutcome::Found;
  }

  /// Offsets of every partition's smallest packing (valid after a Found).
  const std::vector<int64_t> &offsets() const { return offsets_; }

private:
  TryOutcome tryPartition(size_t p, int64_t capacity, int64_t limit) {
    const SearchProblem::Partition &partition = problem_.partitions[p];
    if (best_[p] <= capacity)
      return TryOutcome::Found;
    Outcome outcome = Outcome::OutOfBudget;
    for (const std::vector<RankKey> &ranking : kRankings) {
      if (budget_.exhausted())
        return TryOutcome::Stopped;
      int64_t allowed = std::min(limit, budget_.nodesLeft);
      FeasibilitySearch search(problem_, capacity, ranking, allowed, budget_.deadline);
      outcome = search.run(partition.buffers);
      budget_.nodesLeft -= search.nodesUsed(allowed);
      if (outcome == Outcome::Found) {
        int64_t arena = 0;
        for (unsigned id : partition.buffers) {
          offsets_[id] = search.offsets()[id];
          arena = std::max(arena, offsets_[id] + problem_.requests[id].size);
        }
        best_[p] = arena;
        return TryOutcome::Found;
      }
      if (outcome == Outcome::Infeasible)
        return TryOutcome::Infeasible;
    }
    return budget_.exhausted() ? TryOutcome::Stopped : TryOutcome::OutOfLimit;
  }

  const SearchProblem &problem_;
  Budget &budget_;
  /// Per partition: the arena of the smallest packing found.
  std::vector<int64_t> best_;
  std::vector<int64_t> offsets_;
};

} // namespace

ExactSearchResult packExact(llvm::ArrayRef<BufferRequest> requests,
                            llvm::ArrayRef<int64_t> incumbent, int64_t nodeBudget,
                            double timeLimit, int64_t target) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  ExactSearchResult result;
  result.offsets.assign(incumbent.begin(), incumbent.end());
  result.arena = arenaOf(requests, incumbent);
  int64_t lowerBound = computeLowerBound(requests);
  if (result.arena <= lowerBound) {
    result.proven = true;
    return result;
  }
  SearchProblem problem(requests);
  const int64_t g = granularityOf(requests);
  auto roundUp = [&](int64_t v) { return (v + g - 1) / g * g; };
  auto roundDown = [&](int64_t v) { return v / g * g; };

  Budget budget{nodeBudget, {}};
  if (timeLimit > 0) {
    budget.deadline.set = true;
    budget.deadline.at = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(timeLimit));
  }
  CapacityTrier trier(problem, budget);
  // Every capacity below `open` is proven infeasible.
  int64_t open = roundUp(lowerBound);
  // The search is one fixed sequence of tries whose outcomes depend only on
  // their node limits, never on what is left of the budget: a budget cuts
  // that sequence short, so a larger one sees everything a smaller one saw
  // and the arena can only be smaller. The incumbent is only ever replaced
  // by a smaller arena.
  auto settle = [&](int64_t capacity, TryOutcome outcome) {
    if (outcome == TryOutcome::Found) {
      int64_t arena = arenaOf(requests, trier.offsets());
      if (arena < result.arena) {
        result.offsets = trier.offsets();
        result.arena = arena;
      }
    } else if (outcome == TryOutcome::Infeasible) {
      // Infeasible at one capacity means infeasible at every smaller one.
      open = std::max(open, capacity + g);
    }
    return outcome;
  };
  // A search needs a node per buffer even without backtracking.
  const int64_t firstLimit = std::max<int64_t>(64, 2 * problem.active.size());

  // 1. With a target capacity (the decision problem), settle it first.
  bool stopped = false;
  if (target > 0 && roundDown(target) >= open && roundDown(target) < result.arena)
    stopped = settle(roundDown(target), trier.decide(roundDown(target), firstLimit)) ==
              TryOutcome::Stopped;

  // 2. Minimise in rounds of doubling node limit. Each round tries the
  //    lowest capacity not proven infeasible first, then bisects between
  //    what failed and the best arena found; the first rounds try only the
  //    lowest (on real networks the lower bound is usually reachable, and
  //    then nothing else needs trying). A capacity that runs out of nodes
  //    counts as failed for the round; the next round, with twice the
  //    nodes, tries again.
  //    The lowest capacity gets as many nodes as the bisection after it
  //    may use, so that a reachable bound is found in twice the nodes a
  //    search of the bound alone would need.
  const int kBoundOnlyRounds = 3;
  int64_t bisections = 1;
  while ((int64_t(1) << bisections) * g < result.arena - open)
    ++bisections;
  for (int64_t round = 0, limit = firstLimit; !stopped && open < result.arena;
       ++round, limit *= 2) {
    int64_t low = open, high = roundDown(result.arena - 1);
    bool first = true;
    while (low <= high) {
      bool lowest = first || round < kBoundOnlyRounds;
      int64_t capacity = lowest ? low : low + roundDown((high - low) / 2);
      first = false;
      TryOutcome outcome =
          settle(capacity, trier.tryAll(capacity, lowest && round >= kBoundOnlyRounds
                                                      ? limit * bisections
                                                      : limit));
      if (outcome == TryOutcome::Stopped) {
        stopped = true;
        break;
      }
      if (outcome == TryOutcome::OutOfLimit && round < kBoundOnlyRounds)
        break;
      if (outcome == TryOutcome::Found)
        high = roundDown(result.arena - 1);
      else
        low = std::max(low, capacity + g);
      low = std::max(low, open);
    }
  }
  result.nodesExpanded = nodeBudget - budget.nodesLeft;
  result.proven = open >= result.arena;
  return result;
}

} // namespace tinyplan
