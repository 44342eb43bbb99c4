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

/// Depth-first feasibility search of one capacity.
class FeasibilitySearch {
public:
  FeasibilitySearch(const SearchProblem &problem, int64_t capacity,
                    const std::vector<int> &rank, int64_t nodeLimit)
      : p_(problem), capacity_(capacity), rank_(rank), nodesLeft_(nodeLimit),
        offsets_(problem.requests.size(), 0),
        minOffset_(problem.requests.size(), 0),
        placed_(problem.requests.size(), false),
        floor_(problem.sectionBuffers.size(), 0),
        remaining_(problem.sectionBuffers.size(), 0),
        crossing_(problem.sectionBuffers.size() + 1, 0) {
    for (unsigned id : p_.active) {
      for (int s = p_.sectionBegin[id]; s < p_.sectionEnd[id]; ++s)
        remaining_[s] += p_.requests[id].size;
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

  bool fits(Range range, int64_t offset) const {
    for (int s = range.begin; s < range.end; ++s)
      if (std::max(floor_[s], offset) + remaining_[s] > capacity_)
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
    auto solvePiece = [&]() {
      Range range = rangeOf(piece);
      if (!fits(range, 0))
        return Outcome::Infeasible;
      return search(piece, range, 0, -1, piece.size());
    };
    for (size_t i = 0; i <= unplaced.size(); ++i) {
      if (i == unplaced.size() ||
          (!piece.empty() && p_.sectionBegin[unplaced[i]] >= pieceEnd)) {
        Outcome outcome = solvePiece();
        if (outcome != Outcome::Found) {
          unplaceTo(mark);
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
    if (nodesLeft_-- <= 0)
      return Outcome::OutOfBudget;

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
      size_t mark = stack_.size();
      bool split = place(c.id, c.offset);
      Outcome outcome = Outcome::Infeasible;
      if (fits(range, c.offset))
        outcome = split ? solveGroup(group)
                        : search(group, range, c.offset, c.rank, unplacedCount - 1);
      if (outcome == Outcome::Found)
        return outcome;
      unplaceTo(mark);
      if (outcome == Outcome::OutOfBudget)
        return outcome;
    }
    return Outcome::Infeasible;
  }

  /// Places \p id; returns whether some section boundary it spanned is now
  /// crossed by no unplaced buffer (the group falls apart there).
  bool place(unsigned id, int64_t offset) {
    const BufferRequest &r = p_.requests[id];
    int64_t top = offset + r.size;
    stack_.push_back({id, offsetLog_.size(), floorLog_.size()});
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
    touched_.clear();
    for (unsigned other : p_.conflicts[id]) {
      if (placed_[other])
        continue;
      int64_t raised = alignUp(top, p_.requests[other].align);
      if (raised <= minOffset_[other])
        continue;
      offsetLog_.push_back({other, minOffset_[other]});
      minOffset_[other] = raised;
      touched_.push_back(other);
    }
    // A section's floor is at least the lowest minimum offset of its
    // unplaced buffers: nothing can start below that.
    for (unsigned other : touched_)
      for (int s = p_.sectionBegin[other]; s < p_.sectionEnd[other]; ++s) {
        int64_t lowest = INT64_MAX;
        for (unsigned b : p_.sectionBuffers[s])
          if (!placed_[b])
            lowest = std::min(lowest, minOffset_[b]);
        if (lowest != INT64_MAX && floor_[s] < lowest) {
          floorLog_.push_back({s, floor_[s]});
          floor_[s] = lowest;
        }
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
    size_t offsetMark, floorMark;
  };

  const SearchProblem &p_;
  int64_t capacity_;
  const std::vector<int> &rank_;
  int64_t nodesLeft_;
  std::vector<int64_t> offsets_;
  std::vector<int64_t> minOffset_;
  std::vector<bool> placed_;
  std::vector<int64_t> floor_, remaining_;
  /// crossing_[s]: unplaced buffers spanning the boundary before section s.
  std::vector<int> crossing_;
  std::vector<Placement> stack_;
  std::vector<std::pair<unsigned, int64_t>> offsetLog_;
  std::vector<std::pair<int, int64_t>> floorLog_;
  std::vector<unsigned> touched_;
};

/// Static rankings tried in turn: each a list of keys compared largest
/// first, ties by id. T = most bytes in the busiest section the buffer
/// spans, C = sections spanned, A = area (size x sections), Z = size.
enum class RankKey { Total, Sections, Area, Size };
const std::vector<std::vector<RankKey>> kRankings = {
    {RankKey::Sections, RankKey::Area, RankKey::Total},
    {RankKey::Total, RankKey::Area, RankKey::Sections},
    {RankKey::Total, RankKey::Sections, RankKey::Area},
};

std::vector<int> makeRank(const SearchProblem &p, const std::vector<RankKey> &keys) {
  size_t n = p.requests.size();
  std::vector<int64_t> sectionTotal(p.sectionBuffers.size(), 0);
  for (size_t s = 0; s < p.sectionBuffers.size(); ++s)
    for (unsigned id : p.sectionBuffers[s])
      sectionTotal[s] += p.requests[id].size;
  auto key = [&](unsigned id, RankKey k) -> int64_t {
    int64_t sections = p.sectionEnd[id] - p.sectionBegin[id];
    switch (k) {
    case RankKey::Total: {
      int64_t total = 0;
      for (int s = p.sectionBegin[id]; s < p.sectionEnd[id]; ++s)
        total = std::max(total, sectionTotal[s]);
      return total;
    }
    case RankKey::Sections: return sections;
    case RankKey::Area: return p.requests[id].size * sections;
    case RankKey::Size: return p.requests[id].size;
    }
    return 0;
  };
  std::vector<unsigned> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
    for (RankKey k : keys) {
      int64_t ka = key(a, k), kb = key(b, k);
      if (ka != kb)
        return ka > kb;
    }
    return false;
  });
  std::vector<int> rank(n, 0);
  for (size_t i = 0; i < n; ++i)
    rank[order[i]] = int(i);
  return rank;
}

/// Whether every partition fits in \p capacity; fills \p offsets if so.
Outcome decide(const SearchProblem &problem, const std::vector<std::vector<int>> &ranks,
               int64_t capacity, int64_t &budget, std::vector<int64_t> &offsets) {
  for (const auto &partition : problem.partitions) {
    int64_t limit = std::max<int64_t>(64, partition.buffers.size());
    Outcome outcome = Outcome::OutOfBudget;
    while (outcome == Outcome::OutOfBudget && budget > 0) {
      for (const std::vector<int> &rank : ranks) {
        int64_t allowed = std::min(limit, budget);
        FeasibilitySearch search(problem, capacity, rank, allowed);
        outcome = search.run(partition.buffers);
        budget -= search.nodesUsed(allowed);
        if (outcome == Outcome::Found)
          for (unsigned id : partition.buffers)
            offsets[id] = search.offsets()[id];
        if (outcome != Outcome::OutOfBudget || budget <= 0)
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
                            llvm::ArrayRef<int64_t> incumbent, int64_t nodeBudget) {
  ExactSearchResult result;
  result.offsets.assign(incumbent.begin(), incumbent.end());
  result.arena = arenaOf(requests, incumbent);
  int64_t lowerBound = computeLowerBound(requests);
  if (result.arena <= lowerBound) {
    result.proven = true;
    return result;
  }
  SearchProblem problem(requests);
  std::vector<std::vector<int>> ranks;
  for (const auto &keys : kRankings)
    ranks.push_back(makeRank(problem, keys));

  int64_t budget = nodeBudget;
  // Largest capacity known infeasible (lowerBound - 1 is infeasible by
  // definition of the bound).
  int64_t infeasible = lowerBound - 1;
  bool firstTry = true;
  while (infeasible + 1 < result.arena && budget > 0) {
    // Try the bound itself first: on real networks it is usually reachable.
    int64_t capacity = firstTry ? infeasible + 1
                                : infeasible + 1 + (result.arena - 1 - (infeasible + 1)) / 2;
    firstTry = false;
    std::vector<int64_t> offsets(requests.size(), 0);
    int64_t before = budget;
    Outcome outcome = decide(problem, ranks, capacity, budget, offsets);
    result.nodesExpanded += before - budget;
    if (outcome == Outcome::Found) {
      result.offsets = std::move(offsets);
      result.arena = arenaOf(requests, result.offsets);
    } else if (outcome == Outcome::Infeasible) {
      infeasible = capacity;
    } else {
      break; // budget spent; the best plan so far stands, unproven
    }
  }
  result.proven = infeasible + 1 >= result.arena;
  return result;
}

} // namespace tinyplan
