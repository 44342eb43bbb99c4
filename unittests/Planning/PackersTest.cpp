//===- PackersTest.cpp - Hand-computed plans for every packing strategy ----===//
//
// Small problems whose answers were worked out on paper: what each greedy
// order does, what the exact search finds, the lower bound, alignment and
// zero-size buffers, and the verifier's verdict on hand-built plans.
// Lifetimes are our inclusive steps: MiniMalloc's half-open [lower, upper)
// is first = lower, last = upper - 1.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/MemoryPlan.h"
#include "tinyplan/Planning/Packers.h"

#include "gtest/gtest.h"

using namespace tinyplan;

namespace {

BufferRequest req(unsigned id, int64_t size, int64_t first, int64_t last,
                  int64_t align = 1) {
  BufferRequest r;
  r.id = id;
  r.size = size;
  r.align = align;
  r.first = first;
  r.last = last;
  return r;
}

MemoryPlan planOf(std::vector<int64_t> offsets, int64_t arena) {
  MemoryPlan plan;
  plan.offsets = std::move(offsets);
  plan.arena = arena;
  return plan;
}

MemoryPlan packOrDie(llvm::ArrayRef<BufferRequest> requests, PackStrategy strategy) {
  PackOptions options;
  options.strategy = strategy;
  absl::StatusOr<MemoryPlan> plan = packBuffers(requests, options);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : MemoryPlan();
}

// The case where first-fit is not optimal. Half-open [0,5)x4, [5,6)x5,
// [1,4)x5, [4,6)x5, i.e. inclusive:
//   0: size 4, steps 0..4     1: size 5, steps 5..5
//   2: size 5, steps 1..3     3: size 5, steps 4..5
// Live bytes: step 0: 4; 1-3: 4+5; 4: 4+5; 5: 5+5 = 10 (the lower bound).
// Optimum 10: 3 at [0,5), 1 at [5,10), 2 at [0,5), 0 at [5,9).
std::vector<BufferRequest> fourBuffers() {
  return {req(0, 4, 0, 4), req(1, 5, 5, 5), req(2, 5, 1, 3), req(3, 5, 4, 5)};
}

TEST(PackersTest, StrategyNamesRoundTrip) {
  for (PackStrategy s :
       {PackStrategy::Linear, PackStrategy::GreedyBySize, PackStrategy::BestFit,
        PackStrategy::GreedyByConflicts, PackStrategy::GreedyByBreadth,
        PackStrategy::OverlapChains, PackStrategy::Exact, PackStrategy::Auto}) {
    std::optional<PackStrategy> parsed = parsePackStrategy(packStrategyName(s));
    ASSERT_TRUE(parsed.has_value()) << packStrategyName(s).str();
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(packStrategyName(PackStrategy::GreedyBySize), "greedy-size");
  EXPECT_EQ(packStrategyName(PackStrategy::Auto), "auto");
  EXPECT_FALSE(parsePackStrategy("first-fit").has_value());
  EXPECT_FALSE(parsePackStrategy("").has_value());
  EXPECT_FALSE(parsePackStrategy("Auto").has_value());
}

TEST(PackersTest, FourBufferLowerBound) {
  EXPECT_EQ(computeLowerBound(fourBuffers()), 10);
}

TEST(PackersTest, FourBufferLinear) {
  // Id order, no reuse: 0, 4, 9, 14; arena 19.
  auto requests = fourBuffers();
  EXPECT_EQ(packLinear(requests), (std::vector<int64_t>{0, 4, 9, 14}));
  MemoryPlan plan = packOrDie(requests, PackStrategy::Linear);
  EXPECT_EQ(plan.arena, 19);
  EXPECT_EQ(plan.lowerBound, 10);
  EXPECT_EQ(plan.strategy, "linear");
  EXPECT_FALSE(plan.provenOptimal);
}

TEST(PackersTest, FourBufferGreedyBySize) {
  // Order 1, 2, 3, 0 (size 5 ties by id, then size 4):
  // 1 -> 0; 2 (no conflict with 1) -> 0; 3 (conflicts 1) -> 5;
  // 0 (conflicts 2 [0,5) and 3 [5,10)) -> 10. Arena 14.
  auto requests = fourBuffers();
  EXPECT_EQ(packGreedyBySize(requests), (std::vector<int64_t>{10, 0, 0, 5}));
  MemoryPlan plan = packOrDie(requests, PackStrategy::GreedyBySize);
  EXPECT_EQ(plan.arena, 14);
  EXPECT_EQ(plan.strategy, "greedy-size");
  EXPECT_FALSE(plan.provenOptimal);
}

TEST(PackersTest, FourBufferBestFit) {
  // Same order as greedy-size and no gap ever fits: same offsets.
  auto requests = fourBuffers();
  EXPECT_EQ(packBestFit(requests), (std::vector<int64_t>{10, 0, 0, 5}));
  EXPECT_EQ(packOrDie(requests, PackStrategy::BestFit).arena, 14);
}

TEST(PackersTest, FourBufferGreedyByConflicts) {
  // Conflict weights: 0 -> 5+5 = 10, 1 -> 5, 2 -> 4, 3 -> 4+5 = 9.
  // Order 0, 3, 1, 2: 0 -> 0; 3 (conflicts 0 [0,4)) -> 4; 1 (conflicts 3
  // [4,9), gap [0,4) too small) -> 9; 2 (conflicts 0) -> 4. Arena 14.
  auto requests = fourBuffers();
  EXPECT_EQ(packGreedyByConflicts(requests), (std::vector<int64_t>{0, 9, 4, 4}));
  EXPECT_EQ(packOrDie(requests, PackStrategy::GreedyByConflicts).arena, 14);
}

TEST(PackersTest, FourBufferGreedyByBreadth) {
  // Breadth at the start steps: 0 -> 4, 1 -> 9, 4 -> 9, 5 -> 10.
  // Step 5 first: 1, 3; then step 1: 2, 0. 1 -> 0; 3 (conflicts 1) -> 5;
  // 2 -> 0; 0 (conflicts 2 [0,5), 3 [5,10)) -> 10. Arena 14.
  auto requests = fourBuffers();
  EXPECT_EQ(packGreedyByBreadth(requests), (std::vector<int64_t>{10, 0, 0, 5}));
  EXPECT_EQ(packOrDie(requests, PackStrategy::GreedyByBreadth).arena, 14);
}

TEST(PackersTest, FourBufferExactAndAuto) {
  auto requests = fourBuffers();
  for (PackStrategy s : {PackStrategy::Exact, PackStrategy::Auto}) {
    MemoryPlan plan = packOrDie(requests, s);
    EXPECT_EQ(plan.arena, 10) << packStrategyName(s).str();
    EXPECT_EQ(plan.lowerBound, 10);
    EXPECT_TRUE(plan.provenOptimal);
    EXPECT_EQ(plan.strategy, "exact");
    EXPECT_TRUE(verifyPlan(requests, plan).ok());
  }
}

TEST(PackersTest, PackExactDirectly) {
  auto requests = fourBuffers();
  std::vector<int64_t> greedy = packGreedyBySize(requests);
  ExactSearchResult result = packExact(requests, greedy, 1'000'000);
  EXPECT_EQ(result.arena, 10);
  EXPECT_TRUE(result.proven);
  EXPECT_GT(result.nodesExpanded, 0);
  EXPECT_EQ(arenaOf(requests, result.offsets), 10);

  // No budget: the incumbent stands, unproven.
  ExactSearchResult none = packExact(requests, greedy, 0);
  EXPECT_EQ(none.arena, 14);
  EXPECT_EQ(none.offsets, greedy);
  EXPECT_FALSE(none.proven);
  EXPECT_EQ(none.nodesExpanded, 0);

  // An incumbent at the lower bound is optimal without searching.
  std::vector<int64_t> optimal = {5, 5, 0, 0};
  ExactSearchResult done = packExact(requests, optimal, 1'000'000);
  EXPECT_EQ(done.arena, 10);
  EXPECT_TRUE(done.proven);
  EXPECT_EQ(done.nodesExpanded, 0);
  EXPECT_EQ(done.offsets, optimal);
}

// A search that runs out of nodes stops at the budget exactly.
TEST(PackersTest, ExactNodeCountWithinBudget) {
  std::vector<BufferRequest> requests = {req(0, 5, 0, 0, 8), req(1, 8, 0, 2, 4),
                                         req(2, 9, 2, 2)};
  std::vector<int64_t> greedy = packGreedyBySize(requests);
  ExactSearchResult result = packExact(requests, greedy, 1);
  EXPECT_LE(result.nodesExpanded, 1);
}

TEST(PackersTest, AutoKeepsAHeuristicAtTheBound) {
  // The README example of MiniMalloc (input.12.csv): lower bound 12, which
  // greedy-size reaches, so no search runs.
  //   b1 [0,3)x4, b2 [3,9)x4, b3 [0,9)x4, b4 [9,21)x4, b5 [0,21)x4
  std::vector<BufferRequest> requests = {req(0, 4, 0, 2), req(1, 4, 3, 8),
                                         req(2, 4, 0, 8), req(3, 4, 9, 20),
                                         req(4, 4, 0, 20)};
  EXPECT_EQ(computeLowerBound(requests), 12);
  EXPECT_EQ(packGreedyBySize(requests), (std::vector<int64_t>{0, 0, 4, 0, 8}));
  MemoryPlan plan = packOrDie(requests, PackStrategy::Auto);
  EXPECT_EQ(plan.arena, 12);
  EXPECT_TRUE(plan.provenOptimal);
  EXPECT_EQ(plan.strategy, "greedy-size");
  EXPECT_EQ(packOrDie(requests, PackStrategy::Linear).arena, 20);
  // Exact names itself even when a heuristic was already optimal.
  EXPECT_EQ(packOrDie(requests, PackStrategy::Exact).strategy, "exact");
}

TEST(PackersTest, BestFitPicksTheTightestGap) {
  // Largest first:
  //   0: 40, steps 4..4 -> [0,40)
  //   1: 20, steps 0..1 -> [0,20)
  //   2: 16, steps 1..2 -> conflicts 1 -> [20,36)
  //   3: 12, steps 2..3 -> conflicts 2 -> [0,12)
  //   4: 10, steps 2..4 -> conflicts 0, 2, 3 -> [40,50)
  //   5:  3, steps 2..2 -> conflicts 2, 3, 4: gaps [12,20) (slack 5) and
  //       [36,40) (slack 1). First fit takes 12, best fit 36.
  // Live at step 4: 40 + 10 = 50 = the lower bound, so both are optimal.
  std::vector<BufferRequest> requests = {req(0, 40, 4, 4), req(1, 20, 0, 1),
                                         req(2, 16, 1, 2), req(3, 12, 2, 3),
                                         req(4, 10, 2, 4), req(5, 3, 2, 2)};
  EXPECT_EQ(computeLowerBound(requests), 50);
  EXPECT_EQ(packGreedyBySize(requests), (std::vector<int64_t>{0, 0, 20, 0, 40, 12}));
  EXPECT_EQ(packBestFit(requests), (std::vector<int64_t>{0, 0, 20, 0, 40, 36}));
  MemoryPlan plan = packOrDie(requests, PackStrategy::BestFit);
  EXPECT_EQ(plan.arena, 50);
  EXPECT_TRUE(plan.provenOptimal);
}

TEST(PackersTest, LinearAlignsEveryBuffer) {
  // All live together; id order: 0 -> 0 (3 bytes), 1 -> 4 (5 bytes, align 4),
  // 2 -> 16 (2 bytes, align 16). Arena 18.
  std::vector<BufferRequest> requests = {req(0, 3, 0, 0), req(1, 5, 0, 0, 4),
                                         req(2, 2, 0, 0, 16)};
  EXPECT_EQ(packLinear(requests), (std::vector<int64_t>{0, 4, 16}));
  EXPECT_EQ(packOrDie(requests, PackStrategy::Linear).arena, 18);
}

TEST(PackersTest, AlignmentMakesTheOptimumExceedTheBound) {
  // Two buffers live together, both aligned to 4: 5 bytes and 3 bytes.
  // Largest first: 5 at 0, 3 at 8 -> 11. The other way: 3 at 0, 5 at 4 ->
  // 9. 8 (the bound) would need them back to back, which alignment forbids,
  // so 9 is optimal and the search must prove it.
  std::vector<BufferRequest> requests = {req(0, 5, 0, 1, 4), req(1, 3, 1, 2, 4)};
  EXPECT_EQ(computeLowerBound(requests), 8);
  for (PackStrategy s : {PackStrategy::GreedyBySize, PackStrategy::BestFit,
                         PackStrategy::GreedyByBreadth}) {
    MemoryPlan plan = packOrDie(requests, s);
    EXPECT_EQ(plan.offsets, (std::vector<int64_t>{0, 8})) << packStrategyName(s).str();
    EXPECT_EQ(plan.arena, 11);
  }
  // Conflict weights are the other buffer's bytes: 0 -> 3, 1 -> 5, so
  // greedy-conflicts takes 1 first and happens to find the optimum.
  EXPECT_EQ(packGreedyByConflicts(requests), (std::vector<int64_t>{4, 0}));
  for (PackStrategy s : {PackStrategy::Exact, PackStrategy::Auto}) {
    MemoryPlan plan = packOrDie(requests, s);
    EXPECT_EQ(plan.offsets, (std::vector<int64_t>{4, 0})) << packStrategyName(s).str();
    EXPECT_EQ(plan.arena, 9);
    EXPECT_EQ(plan.lowerBound, 8);
    EXPECT_TRUE(plan.provenOptimal);
  }
  // The search itself, from largest-first's 11, must prove 9.
  ExactSearchResult result = packExact(requests, {0, 8}, 1000);
  EXPECT_EQ(result.arena, 9);
  EXPECT_TRUE(result.proven);
}

TEST(PackersTest, ChainReachesTheBound) {
  // A chain of short buffers that first-fit orders could stack badly:
  //   0: 1, steps 0..1    1: 2, steps 1..2    2: 1, steps 2..3
  //   3: 2, steps 0..0    4: 2, steps 3..3
  // Bound: step 0: 1+2 = 3, 1: 1+2 = 3, 2: 2+1 = 3, 3: 1+2 = 3 -> 3.
  // Arena 3 is reachable: 3 at [0,2), 0 at [2,3), 1 at [0,2), 2 at [2,3),
  // 4 at [0,2).
  std::vector<BufferRequest> requests = {req(0, 1, 0, 1), req(1, 2, 1, 2),
                                         req(2, 1, 2, 3), req(3, 2, 0, 0),
                                         req(4, 2, 3, 3)};
  EXPECT_EQ(computeLowerBound(requests), 3);
  MemoryPlan plan = packOrDie(requests, PackStrategy::Exact);
  EXPECT_EQ(plan.arena, 3);
  EXPECT_TRUE(plan.provenOptimal);
  EXPECT_TRUE(verifyPlan(requests, planOf({2, 0, 2, 0, 0}, 3)).ok());
}

TEST(PackersTest, EmptyProblem) {
  std::vector<BufferRequest> none;
  EXPECT_EQ(computeLowerBound(none), 0);
  for (PackStrategy s :
       {PackStrategy::Linear, PackStrategy::GreedyBySize, PackStrategy::BestFit,
        PackStrategy::GreedyByConflicts, PackStrategy::GreedyByBreadth,
        PackStrategy::OverlapChains, PackStrategy::Exact, PackStrategy::Auto}) {
    MemoryPlan plan = packOrDie(none, s);
    EXPECT_EQ(plan.arena, 0) << packStrategyName(s).str();
    EXPECT_TRUE(plan.offsets.empty());
    EXPECT_TRUE(plan.provenOptimal);
  }
}

TEST(PackersTest, ZeroSizeBuffersTakeNoBytes) {
  // A zero-size buffer conflicts with nothing and does not raise the arena.
  std::vector<BufferRequest> requests = {req(0, 0, 0, 5), req(1, 8, 0, 2),
                                         req(2, 0, 1, 1), req(3, 8, 1, 3)};
  EXPECT_EQ(computeLowerBound(requests), 16);
  for (PackStrategy s : {PackStrategy::GreedyBySize, PackStrategy::BestFit,
                         PackStrategy::GreedyByConflicts, PackStrategy::GreedyByBreadth,
                         PackStrategy::Exact, PackStrategy::Auto}) {
    MemoryPlan plan = packOrDie(requests, s);
    EXPECT_EQ(plan.arena, 16) << packStrategyName(s).str();
    EXPECT_TRUE(plan.provenOptimal);
  }
  // Only zero-size buffers: arena 0.
  std::vector<BufferRequest> empty = {req(0, 0, 0, 0), req(1, 0, 0, 3)};
  EXPECT_EQ(computeLowerBound(empty), 0);
  EXPECT_EQ(packOrDie(empty, PackStrategy::Auto).arena, 0);
  EXPECT_EQ(packOrDie(empty, PackStrategy::Linear).arena, 0);
}

// Linear keeps a zero-size buffer with a large alignment inside the arena.
TEST(PackersTest, LinearZeroSizeAlignedBuffer) {
  std::vector<BufferRequest> requests = {req(0, 10, 0, 0), req(1, 0, 0, 0, 16)};
  PackOptions options;
  options.strategy = PackStrategy::Linear;
  absl::StatusOr<MemoryPlan> plan = packBuffers(requests, options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->arena, 10);
}

TEST(PackersTest, LowerBound) {
  // Touching inclusive lifetimes [0,1] and [2,3] never meet.
  EXPECT_EQ(computeLowerBound({req(0, 7, 0, 1), req(1, 5, 2, 3)}), 7);
  // [0,2] and [2,3] share step 2.
  EXPECT_EQ(computeLowerBound({req(0, 7, 0, 2), req(1, 5, 2, 3)}), 12);
  // The peak is in the middle; alignment does not enter the bound.
  EXPECT_EQ(computeLowerBound({req(0, 3, 0, 9, 16), req(1, 4, 2, 4), req(2, 6, 4, 6),
                               req(3, 100, 8, 8), req(4, 1, 3, 3)}),
            103);
  EXPECT_EQ(computeLowerBound({req(0, 3, 0, 9), req(1, 4, 2, 4), req(2, 6, 4, 6),
                               req(3, 1, 3, 3)}),
            13); // step 4: 3 + 4 + 6
  // Steps need not start at 0 and may be far apart.
  EXPECT_EQ(computeLowerBound({req(0, 5, 1000000, 1000000), req(1, 5, 7, 999999)}), 5);
  // Zero-size buffers add nothing.
  EXPECT_EQ(computeLowerBound({req(0, 0, 0, 9), req(1, 2, 0, 9)}), 2);
}

TEST(PackersTest, ArenaOf) {
  EXPECT_EQ(arenaOf({}, {}), 0);
  EXPECT_EQ(arenaOf({req(0, 4, 0, 0), req(1, 2, 0, 0)}, {0, 10}), 12);
  // A zero-size buffer does not count, wherever it sits.
  EXPECT_EQ(arenaOf({req(0, 4, 0, 0), req(1, 0, 0, 0)}, {0, 100}), 4);
}

TEST(PackersTest, MalformedRequestsAreRejected) {
  auto rejects = [](std::vector<BufferRequest> requests) {
    absl::StatusOr<MemoryPlan> plan = packBuffers(requests);
    EXPECT_FALSE(plan.ok());
    if (!plan.ok()) {
      EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
    }
  };
  rejects({req(1, 4, 0, 0)});                  // id not dense
  rejects({req(0, -1, 0, 0)});                 // negative size
  rejects({req(0, 4, 0, 0, 0)});               // alignment 0
  rejects({req(0, 4, 3, 2)});                  // last before first
  rejects({req(0, 4, 0, 0), req(0, 4, 0, 0)}); // duplicate id
}

TEST(PackersTest, DeterministicOnTies) {
  // Eight identical buffers: ties are broken by id, so ids go up the arena
  // in order, and a second run gives the same offsets.
  std::vector<BufferRequest> requests;
  for (unsigned i = 0; i < 8; ++i)
    requests.push_back(req(i, 16, 0, 3));
  std::vector<int64_t> expected = {0, 16, 32, 48, 64, 80, 96, 112};
  EXPECT_EQ(packGreedyBySize(requests), expected);
  EXPECT_EQ(packBestFit(requests), expected);
  EXPECT_EQ(packGreedyByConflicts(requests), expected);
  EXPECT_EQ(packGreedyByBreadth(requests), expected);
  MemoryPlan a = packOrDie(requests, PackStrategy::Auto);
  MemoryPlan b = packOrDie(requests, PackStrategy::Auto);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.arena, 128);
  EXPECT_TRUE(a.provenOptimal);
}

//===----------------------------------------------------------------------===//
// The verifier on hand-built plans.
//===----------------------------------------------------------------------===//

class VerifyPlanTest : public ::testing::Test {
protected:
  // 0 and 1 live together; 2 lives after both; 3 is empty.
  std::vector<BufferRequest> requests = {req(0, 8, 0, 2, 4), req(1, 4, 1, 3, 4),
                                         req(2, 8, 4, 5, 4), req(3, 0, 0, 5, 1)};

  void expectInvalid(const MemoryPlan &plan, const std::string &fragment) {
    absl::Status status = verifyPlan(requests, plan);
    ASSERT_FALSE(status.ok()) << "expected: " << fragment;
    EXPECT_NE(std::string(status.message()).find(fragment), std::string::npos)
        << status.message();
  }
};

TEST_F(VerifyPlanTest, AcceptsValidPlans) {
  EXPECT_TRUE(verifyPlan(requests, planOf({0, 8, 0, 0}, 12)).ok());
  EXPECT_TRUE(verifyPlan(requests, planOf({4, 0, 4, 3}, 12)).ok());
  // Reusing bytes across time is what planning is for.
  EXPECT_TRUE(verifyPlan(requests, planOf({0, 8, 4, 12}, 12)).ok());
  // A larger arena than needed is not an error.
  EXPECT_TRUE(verifyPlan(requests, planOf({0, 8, 0, 0}, 100)).ok());
  // Back to back in bytes: [0,8) and [8,12) touch, do not overlap.
  EXPECT_TRUE(verifyPlan(requests, planOf({4, 0, 0, 0}, 12)).ok());
  // The empty buffer may sit inside another one.
  EXPECT_TRUE(verifyPlan(requests, planOf({0, 8, 0, 4}, 12)).ok());
}

TEST_F(VerifyPlanTest, RejectsOverlap) {
  // 1 starts inside 0, which lies below it.
  expectInvalid(planOf({0, 4, 0, 0}, 12), "buffers 0 and 1 overlap in bytes [4, 8)");
  expectInvalid(planOf({4, 8, 0, 0}, 12), "overlap");
  // Same offset.
  expectInvalid(planOf({0, 0, 0, 0}, 12), "buffers 1 and 0 overlap in bytes [0, 4)");
}

TEST_F(VerifyPlanTest, RejectsOverlapAboveAndBelow) {
  //   0: 10 bytes, steps 0..9   1: 2 bytes, steps 1..9   2: 2 bytes, steps 2..9
  std::vector<BufferRequest> three = {req(0, 10, 0, 9), req(1, 2, 1, 9),
                                      req(2, 2, 2, 9)};
  EXPECT_TRUE(verifyPlan(three, planOf({0, 10, 12}, 14)).ok());
  EXPECT_TRUE(verifyPlan(three, planOf({4, 0, 2}, 14)).ok());
  EXPECT_TRUE(verifyPlan(three, planOf({4, 2, 0}, 14)).ok());
  // 2 ends inside 0, which starts above it.
  EXPECT_FALSE(verifyPlan(three, planOf({4, 0, 3}, 14)).ok());
  // 2 starts inside 0, which starts below it.
  EXPECT_FALSE(verifyPlan(three, planOf({0, 12, 8}, 14)).ok());
  // 1 and 2 overlap each other, both clear of 0.
  EXPECT_FALSE(verifyPlan(three, planOf({0, 10, 11}, 14)).ok());
  // A buffer that died earlier may share bytes with a new one.
  std::vector<BufferRequest> apart = {req(0, 4, 0, 0), req(1, 4, 1, 1)};
  EXPECT_TRUE(verifyPlan(apart, planOf({0, 0}, 4)).ok());
  EXPECT_FALSE(verifyPlan({req(0, 4, 0, 1), req(1, 4, 1, 1)}, planOf({0, 2}, 6)).ok());
}

TEST_F(VerifyPlanTest, RejectsMisalignedAndNegative) {
  expectInvalid(planOf({0, 10, 0, 0}, 14), "not aligned to 4");
  expectInvalid(planOf({-4, 8, 0, 0}, 12), "not aligned");
}

TEST_F(VerifyPlanTest, RejectsBuffersPastTheArena) {
  expectInvalid(planOf({0, 8, 0, 0}, 11), "ends past the arena of 11");
  expectInvalid(planOf({0, 8, 8, 0}, 12), "ends past the arena");
  // Even an empty buffer must not start past the end.
  expectInvalid(planOf({0, 8, 0, 13}, 12), "ends past the arena");
}

TEST_F(VerifyPlanTest, RejectsWrongShape) {
  expectInvalid(planOf({0, 8, 0}, 12), "3 offsets for 4 buffers");
  std::vector<BufferRequest> swapped = {req(1, 4, 0, 0), req(0, 4, 0, 0)};
  EXPECT_FALSE(verifyPlan(swapped, planOf({0, 4}, 8)).ok());
}

// An output that may overlap its dying input from 16 B below it: in lives
// [0, 1], out [1, 2], both 100 B; a third buffer of 50 B lives at step 1.
std::vector<BufferRequest> overlapPair() {
  std::vector<BufferRequest> requests = {req(0, 100, 0, 1), req(1, 100, 1, 2), req(2, 50, 1, 1)};
  requests[1].overlapWith = 0;
  requests[1].overlapHead = 16;
  return requests;
}

TEST(PackersTest, OverlapPairLowerBound) {
  // Step 1 needs max(100 + 16, 100) for the pair, plus 50.
  EXPECT_EQ(computeLowerBound(overlapPair()), 166);
  std::vector<BufferRequest> plain = overlapPair();
  plain[1].overlapWith = -1;
  EXPECT_EQ(computeLowerBound(plain), 250);
}

TEST(PackersTest, OverlapPairVerifier) {
  std::vector<BufferRequest> requests = overlapPair();
  // out at 50, in its head above at 66, the third below.
  EXPECT_TRUE(verifyPlan(requests, planOf({66, 50, 0}, 166)).ok());
  // One byte closer than the head: rejected.
  EXPECT_FALSE(verifyPlan(requests, planOf({65, 50, 0}, 165)).ok());
  // Output above its input, disjoint: fine; overlapping from above: not.
  EXPECT_TRUE(verifyPlan(requests, planOf({50, 150, 0}, 250)).ok());
  EXPECT_FALSE(verifyPlan(requests, planOf({50, 149, 0}, 249)).ok());
  // The third buffer may not sit under the head.
  EXPECT_FALSE(verifyPlan(requests, planOf({66, 50, 20}, 166)).ok());
  // Without the pair the same placement is an overlap.
  requests[1].overlapWith = -1;
  EXPECT_FALSE(verifyPlan(requests, planOf({66, 50, 0}, 166)).ok());
}

TEST(PackersTest, OverlapPairExact) {
  // An exact pair may share bytes only at exactly its head below.
  std::vector<BufferRequest> requests = overlapPair();
  requests[1].overlapExact = true;
  EXPECT_TRUE(verifyPlan(requests, planOf({66, 50, 0}, 166)).ok());
  EXPECT_FALSE(verifyPlan(requests, planOf({82, 50, 0}, 182)).ok());
  EXPECT_TRUE(verifyPlan(requests, planOf({150, 50, 0}, 250)).ok());
  // The greedy walks keep it apart; the chains place it exactly.
  EXPECT_EQ(packOrDie(requests, PackStrategy::GreedyByConflicts).arena, 250);
  MemoryPlan plan = packOrDie(requests, PackStrategy::OverlapChains);
  EXPECT_EQ(plan.arena, 166);
  EXPECT_EQ(plan.offsets[0], plan.offsets[1] + 16);
}

TEST(PackersTest, OverlapPairMalformed) {
  std::vector<BufferRequest> requests = overlapPair();
  requests[0].last = 2; // the input is still read after the output's step
  EXPECT_FALSE(checkOverlapPairs(requests).ok());
  EXPECT_FALSE(packBuffers(requests).ok());
  requests = overlapPair();
  requests[1].overlapHead = 101;
  EXPECT_FALSE(checkOverlapPairs(requests).ok());
}

TEST(PackersTest, OverlapChainsReachTheBound) {
  MemoryPlan plan = packOrDie(overlapPair(), PackStrategy::OverlapChains);
  EXPECT_EQ(plan.arena, 166);
  EXPECT_EQ(plan.offsets[0], plan.offsets[1] + 16);
  plan = packOrDie(overlapPair(), PackStrategy::Auto);
  EXPECT_EQ(plan.arena, 166);
  EXPECT_TRUE(plan.provenOptimal);
  // Greedy by size puts the input at the bottom: no room for the head.
  EXPECT_EQ(packOrDie(overlapPair(), PackStrategy::GreedyBySize).arena, 250);
}

// LeNet-5's buffers (bytes, steps) in an 8,192 B region and a 20,480 B
// one: the conv results fit only the second, the pooled maps must take the
// first. Largest first puts the second conv's result in the first region
// and leaves the first pooled map nowhere; step order fits.
TEST(PackersTest, RegionsKeepEveryBufferInOne) {
  std::vector<BufferRequest> requests = {
      req(0, 4096, 0, 0), req(1, 18816, 0, 1), req(2, 4704, 1, 3),
      req(3, 6400, 3, 4), req(4, 1600, 4, 6), req(5, 480, 6, 8)};
  std::optional<std::vector<int64_t>> offsets = packAcrossRegions(requests, {8192, 20480});
  ASSERT_TRUE(offsets);
  MemoryPlan plan;
  plan.offsets = *offsets;
  for (const BufferRequest &r : requests) {
    int64_t begin = plan.offsets[r.id], end = begin + r.size;
    plan.arena = std::max(plan.arena, end);
    EXPECT_TRUE(end <= 8192 || begin >= 8192) << "request " << r.id << " crosses regions";
  }
  EXPECT_LE(plan.arena, 8192 + 20480);
  EXPECT_TRUE(verifyPlan(requests, plan).ok());
  EXPECT_GE(plan.offsets[1], 8192);
  EXPECT_LT(plan.offsets[2], 8192);
  // A buffer larger than every region fits nowhere; two of 6,000 B live
  // together take a region each, and a third has none left.
  EXPECT_FALSE(packAcrossRegions({req(0, 10240, 0, 0)}, {8192, 8192}));
  EXPECT_TRUE(packAcrossRegions({req(0, 6000, 0, 0), req(1, 6000, 0, 0)}, {8192, 8192}));
  EXPECT_FALSE(
      packAcrossRegions({req(0, 6000, 0, 0), req(1, 6000, 0, 0), req(2, 6000, 0, 0)},
                        {8192, 8192}));
}

TEST(RegionPacker, FastRegionGetsTheMostAccessedBuffers) {
  // Three buffers live together in a 32 KB fast region and a 64 KB one:
  // largest first puts the 32 KB one (little accessed) in the fast region;
  // with accesses the 16 KB one read once per MAC goes there instead.
  std::vector<BufferRequest> requests = {req(0, 16384, 0, 1), req(1, 32768, 0, 1),
                                         req(2, 16384, 0, 1)};
  std::optional<std::vector<int64_t>> plain = packAcrossRegions(requests, {32768, 65536});
  ASSERT_TRUE(plain);
  EXPECT_EQ((*plain)[1], 0);
  std::vector<double> accesses = {593920, 24576, 4096};
  std::optional<std::vector<int64_t>> weighed =
      packAcrossRegions(requests, {32768, 65536}, /*fastRegions=*/1, accesses);
  ASSERT_TRUE(weighed);
  EXPECT_LT((*weighed)[0], 32768);
  EXPECT_GE((*weighed)[1], 32768);
  MemoryPlan plan;
  plan.offsets = *weighed;
  for (const BufferRequest &r : requests)
    plan.arena = std::max(plan.arena, plan.offsets[r.id] + r.size);
  EXPECT_TRUE(verifyPlan(requests, plan).ok());
  // No fast region: accesses change nothing.
  EXPECT_EQ(packAcrossRegions(requests, {32768, 65536}, 0, accesses), plain);
}

} // namespace
