//===- LivenessTest.cpp - Buffers and lifetimes over a schedule -----------===//
//
// Hand-computed lifetimes and placements on small models: the in-place,
// view and concat-slice rules and where each is refused, custom schedules,
// caller-owned I/O, and per-op scratch through a fake op registered here.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Analysis/Liveness.h"
#include "tinyplan/Import/Importer.h"
#include "tinyplan/Ops/OpDef.h"

#include "../GraphTestUtils.h"
#include "gtest/gtest.h"

namespace tinyplan {
namespace {


Liveness analyse(const Graph &graph, LivenessOptions options = {},
                 llvm::ArrayRef<unsigned> schedule = {}) {
  absl::StatusOr<Liveness> liveness = Liveness::compute(graph, schedule, options);
  EXPECT_TRUE(liveness.ok()) << liveness.status();
  return std::move(*liveness);
}

const char *const kChain = R"(
<ir_version: 8, opset_import: ["" : 17]>
chain (float[1,4] x) => (float[] y)
<int64[4] grow4 = {0, 0, 0, 4}>
{
  p = Pad(x, grow4)
  r = Relu(p)
  f = Flatten(r)
  y = Sigmoid(f)
}
)";

TEST(LivenessTest, ChainInPlaceAndView) {
  auto graph = parse(kChain);
  Liveness liveness = analyse(*graph);
  unsigned x = idOf(*graph, "x"), p = idOf(*graph, "p"), r = idOf(*graph, "r"),
           f = idOf(*graph, "f"), y = idOf(*graph, "y");
  EXPECT_EQ(liveness.value(x).first, 0);
  EXPECT_EQ(liveness.value(x).last, 0);
  EXPECT_EQ(liveness.value(p).placement, Placement::Own);
  EXPECT_EQ(liveness.value(r).placement, Placement::InPlace);
  EXPECT_EQ(liveness.value(r).related, int(p));
  EXPECT_EQ(liveness.value(f).placement, Placement::View);
  EXPECT_EQ(liveness.value(f).related, int(r));
  // y overwrites f, the view, which dies at step 3 with everything in p's
  // buffer; y is an output, so the buffer lives to the last step.
  EXPECT_EQ(liveness.value(y).placement, Placement::InPlace);
  EXPECT_EQ(liveness.value(y).related, int(f));
  ASSERT_EQ(liveness.buffers().size(), 2u);
  EXPECT_EQ(liveness.buffer(1).rootValue, int(p));
  EXPECT_EQ(liveness.buffer(1).first, 0);
  EXPECT_EQ(liveness.buffer(1).last, 3);
  EXPECT_EQ(liveness.buffer(1).rawSize, 32);
  EXPECT_EQ(liveness.buffer(0).size, 16);
  EXPECT_EQ(liveness.placementStr(y), "in place of %f");
}

TEST(LivenessTest, OptionsTurnSharingOff) {
  auto graph = parse(kChain);
  LivenessOptions options;
  options.inPlace = false;
  options.views = false;
  Liveness liveness = analyse(*graph, options);
  // Every value its own buffer: x, p, r, f, y.
  EXPECT_EQ(liveness.buffers().size(), 5u);
  for (const ValueInfo &info : liveness.values()) {
    if (info.hasBuffer) {
      EXPECT_EQ(info.placement, Placement::Own);
    }
  }
}

TEST(LivenessTest, AlignmentRoundsSizes) {
  auto graph = parse(kChain);
  LivenessOptions options;
  options.align = 64;
  Liveness liveness = analyse(*graph, options);
  EXPECT_EQ(liveness.buffer(0).rawSize, 16);
  EXPECT_EQ(liveness.buffer(0).size, 64);
  options.align = 48;
  EXPECT_FALSE(Liveness::compute(*graph, {}, options).ok());
}

TEST(LivenessTest, InPlaceRefusedWhileAViewIsReadLater) {
  auto graph = parse(R"(
<ir_version: 8, opset_import: ["" : 17]>
later (float[1,8] x) => (float[] y)
<int64[2] shape = {1, 8}>
{
  a = Neg(x)
  v = Reshape(a, shape)
  b = Relu(a)
  w = Identity(v)
  y = Add(b, w)
}
)");
  ASSERT_TRUE(graph);
  Liveness liveness = analyse(*graph);
  // Steps: 0 a, 1 v, 2 b, 3 w, 4 y. a is last read at step 2 (by Relu),
  // but its views v and w are read until step 4: b must not overwrite a.
  unsigned a = idOf(*graph, "a"), b = idOf(*graph, "b"), y = idOf(*graph, "y");
  EXPECT_EQ(liveness.value(a).last, 2);
  EXPECT_EQ(liveness.value(b).placement, Placement::Own);
  EXPECT_EQ(liveness.buffer(liveness.value(a).buffer).last, 4);
  // Both operands of the Add die at it; operand 0 is preferred.
  EXPECT_EQ(liveness.value(y).placement, Placement::InPlace);
  EXPECT_EQ(liveness.value(y).related, int(b));
}

TEST(LivenessTest, BroadcastOperandIsNotOverwritten) {
  auto graph = parse(R"(
<ir_version: 8, opset_import: ["" : 17]>
bcast (float[1,8] x, float[1,1] s) => (float[] y)
{
  a = Neg(s)
  b = Neg(x)
  y = Mul(a, b)
}
)");
  ASSERT_TRUE(graph);
  Liveness liveness = analyse(*graph);
  // a (f32[1,1]) broadcasts and is smaller than the result: only b fits.
  EXPECT_EQ(liveness.value(idOf(*graph, "y")).related, int(idOf(*graph, "b")));
}

TEST(LivenessTest, CustomScheduleChangesLifetimes) {
  auto graph = parse(R"(
<ir_version: 8, opset_import: ["" : 17]>
branches (float[1,8] x) => (float[] y)
{
  a = Neg(x)
  b = Abs(x)
  y = Add(a, b)
}
)");
  ASSERT_TRUE(graph);
  unsigned a = idOf(*graph, "a"), b = idOf(*graph, "b");
  Liveness fileOrder = analyse(*graph);
  EXPECT_EQ(fileOrder.scheduleName(), "file");
  EXPECT_EQ(fileOrder.value(a).first, 0);
  EXPECT_EQ(fileOrder.value(b).first, 1);
  // Nodes: 0 a, 1 b, 2 y. Run b first.
  absl::StatusOr<Liveness> swapped =
      Liveness::compute(*graph, {1, 0, 2}, LivenessOptions(), "mine");
  ASSERT_TRUE(swapped.ok()) << swapped.status();
  EXPECT_EQ(swapped->scheduleName(), "mine");
  EXPECT_EQ(swapped->value(a).first, 1);
  EXPECT_EQ(swapped->value(b).first, 0);
  EXPECT_EQ(swapped->stepOf(0), 1);
  // Not topological, not a permutation, wrong length.
  EXPECT_FALSE(Liveness::compute(*graph, {2, 0, 1}).ok());
  EXPECT_FALSE(Liveness::compute(*graph, {0, 0, 2}).ok());
  EXPECT_FALSE(Liveness::compute(*graph, {0, 1}).ok());
}

TEST(LivenessTest, CallerOwnedIo) {
  auto graph = parse(kChain);
  LivenessOptions options;
  options.ioInArena = false;
  Liveness liveness = analyse(*graph, options);
  unsigned x = idOf(*graph, "x"), y = idOf(*graph, "y");
  EXPECT_TRUE(liveness.buffer(liveness.value(x).buffer).external);
  EXPECT_TRUE(liveness.buffer(liveness.value(y).buffer).external);
  // The output gets the caller's bytes, so it cannot overwrite f.
  EXPECT_EQ(liveness.value(y).placement, Placement::Own);
  EXPECT_FALSE(liveness.buffer(liveness.value(idOf(*graph, "p")).buffer).external);
}

TEST(LivenessTest, ConcatSlices) {
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
  Liveness liveness = analyse(*graph);
  unsigned a = idOf(*graph, "a"), b = idOf(*graph, "b"), c = idOf(*graph, "c");
  EXPECT_EQ(liveness.value(a).sliceOf, int(c));
  EXPECT_EQ(liveness.value(a).sliceOffset, 0);
  EXPECT_EQ(liveness.value(b).sliceOf, int(c));
  EXPECT_EQ(liveness.value(b).sliceOffset, 32);
  EXPECT_EQ(liveness.value(b).buffer, liveness.value(c).buffer);
  EXPECT_EQ(liveness.value(b).offset, 32);
  const BufferInfo &buffer = liveness.buffer(liveness.value(c).buffer);
  EXPECT_EQ(buffer.first, 0);
  EXPECT_EQ(buffer.rawSize, 64);
  // x and the concat buffer (y overwrites c).
  EXPECT_EQ(liveness.buffers().size(), 2u);

  LivenessOptions options;
  options.concatSlices = false;
  Liveness noSlices = analyse(*graph, options);
  EXPECT_EQ(noSlices.value(a).sliceOf, -1);
  EXPECT_EQ(noSlices.buffers().size(), 4u);
}

TEST(LivenessTest, ConcatOperandUsedTwiceIsNotASlice) {
  auto graph = parse(R"(
<ir_version: 8, opset_import: ["" : 17]>
twice (float[1,2,2,2] x) => (float[] y, float[] z)
{
  a = Neg(x)
  b = Abs(x)
  y = Concat<axis = 1>(a, b)
  z = Relu(a)
}
)");
  ASSERT_TRUE(graph);
  Liveness liveness = analyse(*graph);
  EXPECT_EQ(liveness.value(idOf(*graph, "a")).sliceOf, -1);
  // All or nothing: b is not a slice either.
  EXPECT_EQ(liveness.value(idOf(*graph, "b")).sliceOf, -1);
}

/// An op that needs scratch memory, to test the hook without a real one.
class ScratchOp final : public OpDef {
public:
  ScratchOp() : OpDef("Scratchy", 1, 1, 1, 1, "test.tinyplan") {}
  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    return TypeList{node.operand(0)->type()};
  }
  int64_t scratchBytes(const Node &) const override { return 100; }
};

/// Registers ScratchOp once and returns a graph x -> Neg -> Scratchy -> Neg.
std::unique_ptr<Graph> scratchGraph() {
  static bool registered = [] {
    OpRegistry::instance().add(std::make_unique<ScratchOp>());
    return true;
  }();
  (void)registered;
  auto graph = std::make_unique<Graph>("scratch");
  TensorType type(DType::F32, {1, 8});
  Value *x = graph->addInput("x", type);
  Node *a = graph->addNode("a", "Neg", "", {x}, {"a"});
  Node *s = graph->addNode("s", "Scratchy", "test.tinyplan", {a->result()}, {"s"});
  Node *y = graph->addNode("y", "Neg", "", {s->result()}, {"y"});
  for (Node *node : {a, s, y})
    node->result()->setType(type);
  graph->addOutput(y->result());
  return graph;
}

TEST(LivenessTest, ScratchIsLiveOnlyDuringItsStep) {
  auto graph = scratchGraph();
  Liveness liveness = analyse(*graph);
  const BufferInfo *scratch = nullptr;
  for (const BufferInfo &buffer : liveness.buffers())
    if (buffer.scratchNode >= 0)
      scratch = &buffer;
  ASSERT_NE(scratch, nullptr);
  EXPECT_EQ(scratch->scratchNode, 1);
  EXPECT_EQ(scratch->rawSize, 100);
  EXPECT_EQ(scratch->size, 112);
  EXPECT_EQ(scratch->first, 1);
  EXPECT_EQ(scratch->last, 1);
  EXPECT_TRUE(scratch->values.empty());
  std::string text;
  llvm::raw_string_ostream os(text);
  liveness.print(os);
  EXPECT_NE(text.find("scratch of 's' 112 [1, 1]"), std::string::npos) << text;
}

TEST(LivenessTest, KernelScratchAddsToTheOpsOwn) {
  // A kernel's scratch (options.kernelScratch, by node id) is planned like
  // an op's: live at its node's step only, the two added when both exist.
  auto graph = scratchGraph();
  LivenessOptions options;
  options.kernelScratch = {40, 20}; // node 0 (Neg) and node 1 (Scratchy)
  absl::StatusOr<Liveness> liveness =
      Liveness::compute(*graph, {0, 1, 2}, options);
  ASSERT_TRUE(liveness.ok()) << liveness.status();
  std::vector<std::pair<int, int64_t>> scratch;
  for (const BufferInfo &buffer : liveness->buffers())
    if (buffer.scratchNode >= 0)
      scratch.emplace_back(buffer.scratchNode, buffer.rawSize);
  EXPECT_EQ(scratch, (std::vector<std::pair<int, int64_t>>{{0, 40}, {1, 120}}));
}

} // namespace
} // namespace tinyplan
