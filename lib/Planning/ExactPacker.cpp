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
// 5. Run with several static rankings in turn, doubling a node limit, so one
//    unlucky ranking does not eat the budget.
//
// Minimisation: decide C = lower bound first, then bisect between the best
// arena found and the largest capacity proven infeasible.
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
  std::vector<std::vector<unsigned>> conflicts;
  /// Independent groups of buffers with their section ranges.
  struct Partition {
    std::vector<unsigned> buffers;
    int firstSection = 0, endSection = 0;
  };
  std::vector<Partition> partitions;

  explicit SearchProblem(llvm::ArrayRef<BufferRequest> requests)
      : requests(requests), sectionBegin(requests.size(), 0),
        sectionEnd(requests.size(), 0), conflicts(requests.size()) {
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
      for (int s = sectionBegin[id]; s < sectionEnd[id]; ++s)
        sectionBuffers[s].push_back(id);
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
/// spans, W = lifetime in steps, C = sections spanned, A = area (size x
/// lifetime). Instances differ in which ranking finds a packing quickly.
enum class RankKey { Total, Width, Sections, Area };
const std::vector<std::vector<RankKey>> kRankings = {
    {RankKey::Width, RankKey::Area, RankKey::Total},
    {RankKey::Sections, RankKey::Area, RankKey::Total},
    {RankKey::Total, RankKey::Area, RankKey::Width},
    {RankKey::Total, RankKey::Width, RankKey::Area},
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
        sectionEpoch_(problem.sectionBuffers.size(), 0) {
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
      case RankKey::Sections: return p_.sectionEnd[id] - p_.sectionBegin[id];
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
    stack_.push_back({id, offsetLog_.size(), floorLog_.size(), sectionMinLog_.size()});
    placed_[id] = true;
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
          sectionMinLog_.push_back({s, sectionMin_[s], sectionMinCount_[s]});
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
      for (unsigned b : p_.sectionBuffers[s]) {
        if (placed_[b] || minOffset_[b] > lowest)
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
    size_t offsetMark, floorMark, sectionMinMark;
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
  std::vector<SectionMinChange> sectionMinLog_;
  std::vector<int> affected_;
  std::vector<uint64_t> sectionEpoch_;
  uint64_t epoch_ = 0;
};

/// Whether every partition fits in \p capacity; fills \p offsets if so.
Outcome decide(const SearchProblem &problem, int64_t capacity, int64_t &budget,
               const Deadline &deadline, std::vector<int64_t> &offsets) {
  for (const auto &partition : problem.partitions) {
    int64_t limit = std::max<int64_t>(64, partition.buffers.size());
    Outcome outcome = Outcome::OutOfBudget;
    while (outcome == Outcome::OutOfBudget && budget > 0 && !deadline.passed()) {
      for (const std::vector<RankKey> &ranking : kRankings) {
        int64_t allowed = std::min(limit, budget);
        FeasibilitySearch search(problem, capacity, ranking, allowed, deadline);
        outcome = search.run(partition.buffers);
        budget -= search.nodesUsed(allowed);
        if (outcome == Outcome::Found)
          for (unsigned id : partition.buffers)
            offsets[id] = search.offsets()[id];
        if (outcome != Outcome::OutOfBudget || budget <= 0 || deadline.passed())
          break;
      }
      limit *= 2;
    }
    if (outcome != Outcome::Found)
      return outcome;
  }
  return Outcome::Found;
}

} // namespace

ExactSearchResult packExact(llvm::ArrayRef<BufferRequest> requests,
                            llvm::ArrayRef<int64_t> incumbent, int64_t nodeBudget,
                            double timeLimit) {
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

  int64_t budget = nodeBudget;
  // Capacities below `proven` + 1 are proven infeasible (lowerBound - 1 is
  // by definition of the bound); below `skipped` + 1 the search gave up.
  int64_t proven = lowerBound - 1, skipped = lowerBound - 1;
  bool firstTry = true;
  Deadline overall;
  if (timeLimit > 0) {
    overall.set = true;
    overall.at = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(timeLimit));
  }
  while (skipped + 1 < result.arena && budget > 0 && !overall.passed()) {
    // Try the bound itself first: on real networks it is usually reachable.
    // Then bisect; each try gets a slice of the budget so one hard capacity
    // cannot starve the easier ones above it.
    int64_t low = skipped + 1, high = result.arena - 1;
    int64_t capacity = firstTry ? low : low + (high - low) / 2;
    firstTry = false;
    // The bound gets half of everything; each later try a quarter of what
    // is left (of nodes, and of time when limited).
    int64_t share = capacity == lowerBound ? 2 : 4;
    int64_t slice = std::min(budget, std::max<int64_t>(budget / share, 1000));
    int64_t sliceLeft = slice;
    Deadline sliceDeadline = overall;
    if (overall.set)
      sliceDeadline.at = Clock::now() + (overall.at - Clock::now()) / share;
    std::vector<int64_t> offsets(requests.size(), 0);
    Outcome outcome = decide(problem, capacity, sliceLeft, sliceDeadline, offsets);
    budget -= slice - sliceLeft;
    result.nodesExpanded += slice - sliceLeft;
    if (outcome == Outcome::Found) {
      result.offsets = std::move(offsets);
      result.arena = arenaOf(requests, result.offsets);
    } else {
      skipped = capacity;
      // Infeasible at one capacity means infeasible at every smaller one.
      if (outcome == Outcome::Infeasible)
        proven = std::max(proven, capacity);
    }
  }
  result.proven = proven + 1 >= result.arena;
  return result;
}

} // namespace tinyplan
