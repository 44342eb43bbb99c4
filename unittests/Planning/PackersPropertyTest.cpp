//===- PackersPropertyTest.cpp - Seeded random checks of every packer -----===//
//
// Random problems from fixed seeds (std::mt19937, so the same instances on
// every machine): every plan verifies, no arena is below the lower bound,
// the exact search and auto are never worse than a heuristic, and on tiny
// problems the exact search proves the same optimum an independent
// brute-force solver finds. The verifier itself is cross-checked against a
// quadratic all-pairs check on random, often invalid, plans.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/MemoryPlan.h"
#include "tinyplan/Planning/PackCsv.h"
#include "tinyplan/Planning/Packers.h"

#include "gtest/gtest.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <random>

using namespace tinyplan;

namespace {

constexpr PackStrategy kHeuristics[] = {
    PackStrategy::Linear, PackStrategy::GreedyBySize, PackStrategy::BestFit,
    PackStrategy::GreedyByConflicts, PackStrategy::GreedyByBreadth};

struct Shape {
  int minBuffers, maxBuffers;
  int64_t maxSteps;   // lifetimes inside [0, maxSteps)
  int64_t maxSize;    // sizes in [1, maxSize]
  bool zeroSizes;     // about one buffer in eight has size 0
  bool alignments;    // alignments drawn from {1, 2, 4, 8}
};

std::vector<BufferRequest> randomProblem(std::mt19937 &rng, const Shape &shape) {
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  int count = int(uniform(shape.minBuffers, shape.maxBuffers));
  std::vector<BufferRequest> requests(count);
  for (int i = 0; i < count; ++i) {
    BufferRequest &r = requests[i];
    r.id = i;
    r.first = uniform(0, shape.maxSteps - 1);
    // Mostly short lifetimes, some long ones, as in real networks.
    int64_t span = uniform(0, 3) == 0 ? shape.maxSteps : std::max<int64_t>(1, shape.maxSteps / 4);
    r.last = std::min(shape.maxSteps - 1, r.first + uniform(0, span - 1));
    r.size = uniform(1, shape.maxSize);
    if (shape.zeroSizes && uniform(0, 7) == 0)
      r.size = 0;
    r.align = shape.alignments ? int64_t(1) << uniform(0, 3) : 1;
  }
  return requests;
}

std::string describe(llvm::ArrayRef<BufferRequest> requests) {
  std::string text;
  for (const BufferRequest &r : requests)
    text += "  {id " + std::to_string(r.id) + ", size " + std::to_string(r.size) +
            ", align " + std::to_string(r.align) + ", steps [" + std::to_string(r.first) +
            ", " + std::to_string(r.last) + "]}\n";
  return text;
}

/// All-pairs plan check, written independently of verifyPlan's sweep.
bool quadraticValid(llvm::ArrayRef<BufferRequest> requests, const MemoryPlan &plan) {
  if (plan.offsets.size() != requests.size())
    return false;
  for (size_t i = 0; i < requests.size(); ++i) {
    const BufferRequest &a = requests[i];
    int64_t offset = plan.offsets[i];
    if (offset < 0 || offset % a.align != 0 || offset + a.size > plan.arena)
      return false;
    for (size_t j = 0; j < i; ++j) {
      const BufferRequest &b = requests[j];
      bool together = a.first <= b.last && b.first <= a.last;
      bool shareBytes = offset < plan.offsets[j] + b.size && plan.offsets[j] < offset + a.size;
      if (together && shareBytes && a.size > 0 && b.size > 0)
        return false;
    }
  }
  return true;
}

/// The smallest arena, by exhaustive search, for a handful of buffers.
///
/// Completeness. Take any valid plan and repeatedly move some buffer down
/// to the lowest aligned offset where it still fits; offsets only shrink,
/// so this stops, at a plan no larger than the first. There every buffer b
/// at offset o sits at 0 or at alignUp(T, b.align), where T is the highest
/// top among the buffers that are live with b and lie below it: every such
/// buffer ends at or below T <= alignUp(T) <= o, every one above starts at
/// or above o + size, so b could otherwise drop to alignUp(T). List that
/// plan's buffers by offset: each offset is then in the candidate set
/// {0} ∪ {alignUp(top of an already listed, time-overlapping buffer)}, and
/// offsets along the list never decrease. The search below tries every
/// unplaced buffer at every candidate offset not below the previous one, so
/// it walks that list and finds a plan at least as small as any optimum.
/// Cutting branches whose top already reaches the best arena found only
/// discards plans that cannot improve on it.
class BruteForce {
public:
  explicit BruteForce(llvm::ArrayRef<BufferRequest> requests)
      : requests_(requests), offsets_(requests.size(), 0),
        placed_(requests.size(), false) {}

  int64_t solve() {
    best_ = 0;
    for (const BufferRequest &r : requests_) // linear packing bounds the optimum
      best_ = (best_ + r.align - 1) / r.align * r.align + r.size;
    best_ += 1;
    dfs(0, 0, 0);
    return best_;
  }

private:
  void dfs(size_t placedCount, int64_t lastOffset, int64_t top) {
    if (top >= best_)
      return;
    if (placedCount == requests_.size()) {
      best_ = top;
      return;
    }
    for (const BufferRequest &r : requests_) {
      if (placed_[r.id])
        continue;
      if (r.size == 0) { // takes no bytes and conflicts with nothing
        placed_[r.id] = true;
        dfs(placedCount + 1, lastOffset, top);
        placed_[r.id] = false;
        return;
      }
      std::vector<int64_t> candidates = {0};
      for (const BufferRequest &o : requests_)
        if (placed_[o.id] && o.size > 0 && o.overlapsInTime(r))
          candidates.push_back((offsets_[o.id] + o.size + r.align - 1) / r.align * r.align);
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      for (int64_t offset : candidates) {
        if (offset < lastOffset || !fits(r, offset))
          continue;
        placed_[r.id] = true;
        offsets_[r.id] = offset;
        dfs(placedCount + 1, offset, std::max(top, offset + r.size));
        placed_[r.id] = false;
      }
    }
  }

  bool fits(const BufferRequest &r, int64_t offset) const {
    for (const BufferRequest &o : requests_)
      if (placed_[o.id] && o.size > 0 && o.overlapsInTime(r) &&
          offset < offsets_[o.id] + o.size && offsets_[o.id] < offset + r.size)
        return false;
    return true;
  }

  llvm::ArrayRef<BufferRequest> requests_;
  std::vector<int64_t> offsets_;
  std::vector<bool> placed_;
  int64_t best_ = 0;
};

MemoryPlan packChecked(llvm::ArrayRef<BufferRequest> requests, PackStrategy strategy,
                       int64_t budget = PackOptions().searchNodeBudget) {
  PackOptions options;
  options.strategy = strategy;
  options.searchNodeBudget = budget;
  absl::StatusOr<MemoryPlan> plan = packBuffers(requests, options);
  EXPECT_TRUE(plan.ok()) << packStrategyName(strategy).str() << ": " << plan.status()
                         << "\n" << describe(requests);
  if (!plan.ok())
    return MemoryPlan();
  EXPECT_TRUE(quadraticValid(requests, *plan)) << describe(requests);
  EXPECT_EQ(plan->arena, arenaOf(requests, plan->offsets));
  EXPECT_GE(plan->arena, plan->lowerBound) << describe(requests);
  EXPECT_EQ(plan->lowerBound, computeLowerBound(requests));
  if (plan->arena == plan->lowerBound) {
    EXPECT_TRUE(plan->provenOptimal);
  }
  return *plan;
}

TEST(PackersPropertyTest, BruteForceSolverSanity) {
  // The four-buffer case: optimum 10 (first-fit 14).
  std::vector<BufferRequest> four = {{0, 4, 1, 0, 4}, {1, 5, 1, 5, 5},
                                     {2, 5, 1, 1, 3}, {3, 5, 1, 4, 5}};
  EXPECT_EQ(BruteForce(four).solve(), 10);
  // Two aligned buffers live together: 3 at 0, 5 at 4 -> 9.
  std::vector<BufferRequest> aligned = {{0, 5, 4, 0, 1}, {1, 3, 4, 1, 2}};
  EXPECT_EQ(BruteForce(aligned).solve(), 9);
  std::vector<BufferRequest> none;
  EXPECT_EQ(BruteForce(none).solve(), 0);
}

TEST(PackersPropertyTest, TinyProblemsMatchBruteForce) {
  // 300 problems of 1..6 buffers with small sizes and alignments: the exact
  // search (default budget) must prove the brute-force optimum.
  std::mt19937 rng(20240611);
  Shape shape{1, 6, 6, 12, true, false};
  int aboveBound = 0;
  for (int instance = 0; instance < 300; ++instance) {
    shape.alignments = instance % 2 == 1;
    std::vector<BufferRequest> requests = randomProblem(rng, shape);
    SCOPED_TRACE("instance " + std::to_string(instance) + "\n" + describe(requests));
    int64_t optimum = BruteForce(requests).solve();
    int64_t bound = computeLowerBound(requests);
    ASSERT_GE(optimum, bound);
    aboveBound += optimum > bound;
    for (PackStrategy s : kHeuristics)
      EXPECT_GE(packChecked(requests, s).arena, optimum) << packStrategyName(s).str();
    for (PackStrategy s : {PackStrategy::Exact, PackStrategy::Auto}) {
      MemoryPlan plan = packChecked(requests, s);
      EXPECT_TRUE(plan.provenOptimal) << packStrategyName(s).str();
      EXPECT_EQ(plan.arena, optimum) << packStrategyName(s).str();
    }
  }
  // The instances must include some where the bound is not reachable, or
  // the proofs above were all trivial.
  EXPECT_GT(aboveBound, 10);
}

TEST(PackersPropertyTest, ProvenOptimalMatchesBruteForceUnderAnyBudget) {
  // With small budgets the search may stop early; whatever it reports as
  // proven must still be the true optimum, and what it returns must never
  // be worse than its incumbent.
  std::mt19937 rng(7);
  Shape shape{3, 6, 5, 9, false, true};
  for (int instance = 0; instance < 150; ++instance) {
    std::vector<BufferRequest> requests = randomProblem(rng, shape);
    SCOPED_TRACE("instance " + std::to_string(instance) + "\n" + describe(requests));
    int64_t optimum = BruteForce(requests).solve();
    std::vector<int64_t> incumbent = packGreedyBySize(requests);
    int64_t incumbentArena = arenaOf(requests, incumbent);
    for (int64_t budget : {0, 1, 3, 10, 50}) {
      ExactSearchResult result = packExact(requests, incumbent, budget);
      MemoryPlan plan;
      plan.offsets = result.offsets;
      plan.arena = result.arena;
      EXPECT_TRUE(quadraticValid(requests, plan)) << "budget " << budget;
      EXPECT_EQ(result.arena, arenaOf(requests, result.offsets));
      EXPECT_LE(result.arena, incumbentArena);
      EXPECT_GE(result.arena, optimum);
      EXPECT_LE(result.nodesExpanded, budget);
      if (result.proven) {
        EXPECT_EQ(result.arena, optimum) << "budget " << budget;
      }
    }
  }
}

TEST(PackersPropertyTest, LargerProblemsVerifyAndExactNeverLoses) {
  // 200 problems of 1..64 buffers; the search gets a modest budget so the
  // whole test stays fast, which is enough for "never worse".
  std::mt19937 rng(12345);
  for (int instance = 0; instance < 200; ++instance) {
    Shape shape{1, 64, 4 + instance % 60, instance % 3 == 0 ? 1000 : 64,
                instance % 4 == 0, instance % 5 == 0};
    std::vector<BufferRequest> requests = randomProblem(rng, shape);
    SCOPED_TRACE("instance " + std::to_string(instance) + "\n" + describe(requests));
    int64_t bestHeuristic = INT64_MAX, bestNonLinear = INT64_MAX;
    for (PackStrategy s : kHeuristics) {
      int64_t arena = packChecked(requests, s).arena;
      bestHeuristic = std::min(bestHeuristic, arena);
      if (s != PackStrategy::Linear)
        bestNonLinear = std::min(bestNonLinear, arena);
    }
    for (PackStrategy s : {PackStrategy::Exact, PackStrategy::Auto}) {
      MemoryPlan plan = packChecked(requests, s, 20'000);
      EXPECT_LE(plan.arena, bestNonLinear) << packStrategyName(s).str();
      EXPECT_LE(plan.arena, bestHeuristic) << packStrategyName(s).str();
    }
  }
}

TEST(PackersPropertyTest, LargerBudgetNeverGivesALargerArena) {
  // The search is one fixed sequence of tries that a budget only cuts
  // short: along growing budgets the arena never grows, the nodes spent
  // never exceed the budget, and a proof, once found, stays.
  std::mt19937 rng(31337);
  int improved = 0;
  for (int instance = 0; instance < 60; ++instance) {
    Shape shape{20, 60, 40, instance % 2 ? 1000 : 64, false, instance % 3 == 0};
    std::vector<BufferRequest> requests = randomProblem(rng, shape);
    SCOPED_TRACE("instance " + std::to_string(instance) + "\n" + describe(requests));
    std::vector<int64_t> incumbent = packGreedyBySize(requests);
    int64_t previous = arenaOf(requests, incumbent);
    bool proven = false;
    for (int64_t budget : {0, 50, 200, 1000, 5000, 20000, 100000}) {
      ExactSearchResult result = packExact(requests, incumbent, budget);
      EXPECT_LE(result.arena, previous) << "budget " << budget;
      EXPECT_LE(result.nodesExpanded, budget);
      EXPECT_EQ(result.arena, arenaOf(requests, result.offsets));
      if (proven) {
        EXPECT_TRUE(result.proven) << "budget " << budget;
      }
      improved += result.arena < previous;
      previous = result.arena;
      proven = result.proven;
    }
  }
  // Budgets must matter on some instances, or nothing was tested.
  EXPECT_GT(improved, 10);
}

TEST(PackersPropertyTest, TimeLimitedRunIsReproducedByItsNodeCount) {
  // A wall-clock limit only cuts the same sequence short: the nodes it
  // spent, given as the budget, give the same plan on any machine.
  // MiniMalloc's instance E needs millions of nodes, so the limits strike.
  auto file = llvm::MemoryBuffer::getFile(TINYPLAN_SOURCE_DIR
                                          "/test/Inputs/pack/minimalloc-E.1048576.csv");
  ASSERT_TRUE(bool(file));
  absl::StatusOr<PackCsvProblem> problem = parsePackCsv((*file)->getBuffer());
  ASSERT_TRUE(problem.ok()) << problem.status();
  const std::vector<BufferRequest> &requests = problem->requests;
  std::vector<int64_t> incumbent = packGreedyBySize(requests);
  for (double seconds : {0.05, 0.2}) {
    for (int64_t target : {int64_t(0), int64_t(1048576)}) {
      ExactSearchResult timed =
          packExact(requests, incumbent, int64_t(1) << 40, seconds, target);
      EXPECT_FALSE(timed.proven);
      ExactSearchResult counted =
          packExact(requests, incumbent, timed.nodesExpanded, 0, target);
      EXPECT_EQ(counted.offsets, timed.offsets) << seconds << " s, target " << target;
      EXPECT_EQ(counted.arena, timed.arena);
      EXPECT_EQ(counted.nodesExpanded, timed.nodesExpanded);
    }
  }
}

TEST(PackersPropertyTest, TargetCapacityIsReachedAndNeverHurts) {
  // Deciding a capacity first (MiniMalloc's problem) finds a packing at or
  // below it whenever the search without a target proves one exists, and
  // never ends worse than the incumbent.
  std::mt19937 rng(1618);
  for (int instance = 0; instance < 40; ++instance) {
    Shape shape{10, 40, 30, 256, false, instance % 2 == 0};
    std::vector<BufferRequest> requests = randomProblem(rng, shape);
    SCOPED_TRACE("instance " + std::to_string(instance) + "\n" + describe(requests));
    std::vector<int64_t> incumbent = packGreedyBySize(requests);
    ExactSearchResult free = packExact(requests, incumbent, 200'000);
    if (!free.proven)
      continue;
    ExactSearchResult targeted = packExact(requests, incumbent, 200'000, 0, free.arena);
    EXPECT_EQ(targeted.arena, free.arena);
    EXPECT_TRUE(targeted.proven);
    // A target below the optimum cannot be met; the search goes on to
    // the optimum.
    ExactSearchResult tooLow = packExact(requests, incumbent, 200'000, 0, free.arena - 1);
    EXPECT_EQ(tooLow.arena, free.arena);
  }
}

TEST(PackersPropertyTest, Deterministic) {
  // Same input twice, identical offsets: for every strategy, and for a
  // search that runs out of budget too.
  std::mt19937 rng(99);
  for (int instance = 0; instance < 40; ++instance) {
    Shape shape{20, 64, 30, 256, true, true};
    std::vector<BufferRequest> requests = randomProblem(rng, shape);
    for (PackStrategy s : kHeuristics)
      EXPECT_EQ(packChecked(requests, s).offsets, packChecked(requests, s).offsets);
    for (int64_t budget : {int64_t(100), int64_t(5000)}) {
      MemoryPlan a = packChecked(requests, PackStrategy::Auto, budget);
      MemoryPlan b = packChecked(requests, PackStrategy::Auto, budget);
      EXPECT_EQ(a.offsets, b.offsets);
      EXPECT_EQ(a.arena, b.arena);
      EXPECT_EQ(a.provenOptimal, b.provenOptimal);
      EXPECT_EQ(a.strategy, b.strategy);
    }
  }
}

TEST(PackersPropertyTest, VerifierAgreesWithAllPairsCheck) {
  // Random plans, most of them wrong: verifyPlan must accept exactly the
  // ones the quadratic check accepts.
  std::mt19937 rng(4242);
  int accepted = 0, rejected = 0;
  for (int instance = 0; instance < 2000; ++instance) {
    Shape shape{1, 8, 6, 6, true, instance % 2 == 0};
    std::vector<BufferRequest> requests = randomProblem(rng, shape);
    MemoryPlan plan;
    for (const BufferRequest &r : requests) {
      int64_t slot = std::uniform_int_distribution<int64_t>(0, 5)(rng);
      int64_t offset = slot * r.align;
      if (std::uniform_int_distribution<int>(0, 19)(rng) == 0)
        offset += 1; // sometimes misaligned
      plan.offsets.push_back(offset);
    }
    plan.arena = arenaOf(requests, plan.offsets) -
                 (std::uniform_int_distribution<int>(0, 9)(rng) == 0 ? 1 : 0);
    bool expected = quadraticValid(requests, plan);
    EXPECT_EQ(verifyPlan(requests, plan).ok(), expected) << describe(requests);
    (expected ? accepted : rejected) += 1;
  }
  // Both verdicts must be well represented.
  EXPECT_GT(accepted, 200);
  EXPECT_GT(rejected, 200);
}

} // namespace
