//===- GraphPlannerTest.cpp - Arena offsets for every value ---------------===//
//
// Hand-computed plans of small models, the value-level check catching
// overlaps the relations do not allow, scratch placement, and determinism.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/GraphPlanner.h"
#include "tinyplan/Import/Importer.h"
#include "tinyplan/Ops/OpDef.h"

#include "llvm/Support/raw_ostream.h"
#include "../GraphTestUtils.h"
#include "gtest/gtest.h"

namespace tinyplan {
namespace {


const char *const kChain = kPadChain;

TEST(GraphPlannerTest, ChainReachesTheBound) {
  auto graph = parse(kChain);
  ASSERT_TRUE(graph);
  absl::StatusOr<Liveness> liveness = Liveness::compute(*graph);
  ASSERT_TRUE(liveness.ok()) << liveness.status();
  absl::StatusOr<GraphPlan> plan = GraphPlan::build(*liveness);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->arena(), 96);
  EXPECT_EQ(plan->memoryPlan().lowerBound, 96);
  EXPECT_TRUE(plan->memoryPlan().provenOptimal);
  EXPECT_EQ(plan->requests().size(), 3u);
  // In-place results share their operand's offset.
  EXPECT_EQ(plan->valueOffset(idOf(*graph, "r")), plan->valueOffset(idOf(*graph, "p")));
  EXPECT_EQ(plan->valueOffset(idOf(*graph, "y")), plan->valueOffset(idOf(*graph, "q")));
  // p and q are live together at step 2: disjoint.
  int64_t p = *plan->valueOffset(idOf(*graph, "p"));
  int64_t q = *plan->valueOffset(idOf(*graph, "q"));
  EXPECT_TRUE(p + 32 <= q || q + 64 <= p);
  // Constants have no offset.
  EXPECT_FALSE(plan->valueOffset(idOf(*graph, "grow4")).has_value());
}

TEST(GraphPlannerTest, LinearIsTheSumOfBuffers) {
  auto graph = parse(kChain);
  ASSERT_TRUE(graph);
  LivenessOptions options;
  options.inPlace = false;
  absl::StatusOr<Liveness> liveness = Liveness::compute(*graph, {}, options);
  ASSERT_TRUE(liveness.ok());
  PackOptions pack;
  pack.strategy = PackStrategy::Linear;
  absl::StatusOr<GraphPlan> plan = GraphPlan::build(*liveness, pack);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->arena(), 16 + 32 + 32 + 64 + 64);
  EXPECT_EQ(plan->memoryPlan().lowerBound, 128);
}

TEST(GraphPlannerTest, ValueCheckRejectsIllegalOverlap) {
  auto graph = parse(kChain);
  ASSERT_TRUE(graph);
  absl::StatusOr<Liveness> liveness = Liveness::compute(*graph);
  ASSERT_TRUE(liveness.ok());
  // Buffers x [0,0], p [0,2], q [2,3]. All at offset 0: x and p overlap at
  // step 0 and are not related.
  std::vector<std::optional<int64_t>> offsets = {0, 0, 64};
  absl::Status status = verifyValuePlacement(*liveness, offsets);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(std::string(status.message()).find("%x"), std::string::npos) << status;
  // p and q at overlapping bytes while both live at step 2.
  offsets = {64, 0, 16};
  EXPECT_FALSE(verifyValuePlacement(*liveness, offsets).ok());
  // A legal placement: x and q can share (never live together).
  offsets = {0, 64, 0};
  EXPECT_TRUE(verifyValuePlacement(*liveness, offsets).ok());
}

TEST(GraphPlannerTest, ConcatSlicesSitInsideTheResult) {
  auto graph = parse(R"(
<ir_version: 8, opset_import: ["" : 17]>
cat (float[1,2,2,2] x) => (float[] y)
{
  a = Neg(x)
  b = Abs(x)
  c = Concat<axis = 1>(a, b)
  y = Relu(c)
}
)");
  ASSERT_TRUE(graph);
  absl::StatusOr<Liveness> liveness = Liveness::compute(*graph);
  ASSERT_TRUE(liveness.ok());
  absl::StatusOr<GraphPlan> plan = GraphPlan::build(*liveness);
  ASSERT_TRUE(plan.ok()) << plan.status();
  int64_t c = *plan->valueOffset(idOf(*graph, "c"));
  EXPECT_EQ(*plan->valueOffset(idOf(*graph, "a")), c);
  EXPECT_EQ(*plan->valueOffset(idOf(*graph, "b")), c + 32);
  // x (32 B) and the concat buffer (64 B) are live together at steps 0-1.
  EXPECT_EQ(plan->arena(), 96);
}

/// Needs 100 bytes of scratch while it runs.
class PlannerScratchOp final : public OpDef {
public:
  PlannerScratchOp() : OpDef("PlannerScratch", 1, 1, 1, 1, "test.tinyplan") {}
  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    return TypeList{node.operand(0)->type()};
  }
  int64_t scratchBytes(const Node &) const override { return 100; }
};

TEST(GraphPlannerTest, ScratchTakesArenaDuringItsStep) {
  static bool registered = [] {
    OpRegistry::instance().add(std::make_unique<PlannerScratchOp>());
    return true;
  }();
  (void)registered;
  Graph graph("scratch");
  TensorType type(DType::F32, {1, 8}); // 32 B
  Value *x = graph.addInput("x", type);
  Node *s = graph.addNode("s", "PlannerScratch", "test.tinyplan", {x}, {"s"});
  Node *y = graph.addNode("y", "Neg", "", {s->result()}, {"y"});
  s->result()->setType(type);
  y->result()->setType(type);
  graph.addOutput(y->result());
  absl::StatusOr<Liveness> liveness = Liveness::compute(graph);
  ASSERT_TRUE(liveness.ok());
  absl::StatusOr<GraphPlan> plan = GraphPlan::build(*liveness);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // Step 0: x 32 + s 32 + scratch 112 (100 rounded to 16); step 1: s
  // (y over it) 32.
  EXPECT_EQ(plan->memoryPlan().lowerBound, 176);
  EXPECT_EQ(plan->arena(), 176);
  std::string text;
  llvm::raw_string_ostream os(text);
  plan->print(os);
  EXPECT_NE(text.find("scratch 's' ["), std::string::npos) << text;
}

TEST(GraphPlannerTest, OutputIsDeterministic) {
  auto print = [](bool ascii) {
    auto graph = parse(kChain);
    absl::StatusOr<Liveness> liveness = Liveness::compute(*graph);
    absl::StatusOr<GraphPlan> plan = GraphPlan::build(*liveness);
    std::string text;
    llvm::raw_string_ostream os(text);
    if (ascii)
      plan->printAscii(os);
    else
      plan->print(os);
    return text;
  };
  EXPECT_EQ(print(false), print(false));
  EXPECT_EQ(print(true), print(true));
  EXPECT_EQ(print(false).rfind("plan @chain schedule=file packer=", 0), 0u);
}

} // namespace
} // namespace tinyplan
