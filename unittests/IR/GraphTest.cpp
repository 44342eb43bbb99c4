//===- GraphTest.cpp - IR construction, printing and verification ---------===//
#include "tinyplan/IR/Graph.h"
#include "tinyplan/IR/Verifier.h"

#include "gtest/gtest.h"

using namespace tinyplan;

namespace {

std::string printed(const Graph &graph) {
  std::string text;
  llvm::raw_string_ostream os(text);
  graph.print(os);
  return text;
}

TEST(GraphTest, PrintsNodesConstantsAndSortedAttributes) {
  Graph graph("g");
  Value *x = graph.addInput("x", TensorType(DType::F32, {1, 3, 8, 8}));
  Value *w = graph.addConstant(
      "w", Tensor::splat(TensorType(DType::F32, {4, 3, 3, 3}), {0, 0, 0x80, 0x3f}));
  Value *shape = graph.addConstant("shape", Tensor::fromInt64s({1, -1}));
  Node *conv = graph.addNode("conv", "Conv", "", {x, w, nullptr}, {"y"});
  conv->setAttr("pads", Attribute(std::vector<int64_t>{1, 1, 1, 1}));
  conv->setAttr("kernel_shape", Attribute(std::vector<int64_t>{3, 3}));
  conv->result()->setType(TensorType(DType::F32, {1, 4, 8, 8}));
  Node *reshape = graph.addNode("flat", "Reshape", "", {conv->result(), shape}, {"z"});
  reshape->result()->setType(TensorType(DType::F32, {1, 256}));
  graph.addOutput(reshape->result());

  EXPECT_EQ(printed(graph),
            "graph @g(%x: f32[1,3,8,8]) -> (%z) {\n"
            "  const @w: f32[4,3,3,3] = splat(1.0)\n"
            "  const @shape: i64[2] = [1, -1]\n"
            "  %y = Conv(%x, @w, none) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} "
            ": f32[1,4,8,8]\n"
            "  %z = Reshape(%y, @shape) : f32[1,256]\n"
            "}\n");
  EXPECT_TRUE(verifyGraph(graph).ok());
}

TEST(GraphTest, CloneIsIndependentAndSharesConstantData) {
  Graph graph("g");
  Value *x = graph.addInput("x", TensorType(DType::F32, {1, 4}));
  Value *w = graph.addConstant("w", Tensor::fromFloats({1, 2, 3, 4}, {1, 4}));
  Node *add = graph.addNode("add", "Add", "", {x, w}, {"y"});
  add->result()->setType(TensorType(DType::F32, {1, 4}));
  graph.addOutput(add->result());

  std::unique_ptr<Graph> copy = graph.clone();
  EXPECT_EQ(printed(*copy), printed(graph));
  EXPECT_TRUE(verifyGraph(*copy).ok());
  // The copy's values and nodes are its own; the constant's data is shared.
  const Node &twin = *copy->node(0);
  EXPECT_NE(&twin, add);
  EXPECT_EQ(twin.operand(0), copy->inputs()[0]);
  EXPECT_EQ(twin.result()->producer(), &twin);
  EXPECT_EQ(copy->outputs()[0], twin.result());
  EXPECT_EQ(twin.operand(1)->constant(), w->constant());
  // Changing the copy leaves the original alone.
  copy->node(0)->setAttr("note", Attribute(int64_t(1)));
  copy->eraseNodes([](const Node &) { return false; });
  EXPECT_FALSE(add->hasAttr("note"));
  EXPECT_EQ(printed(graph).find("note"), std::string::npos);
}

TEST(GraphTest, VerifierRejectsUseBeforeDefinition) {
  Graph graph;
  Value *x = graph.addInput("x", TensorType(DType::F32, {4}));
  Node *a = graph.addNode("a", "Relu", "", {x}, {"a"});
  Node *b = graph.addNode("b", "Relu", "", {a->result()}, {"b"});
  a->result()->setType(TensorType(DType::F32, {4}));
  b->result()->setType(TensorType(DType::F32, {4}));
  graph.addOutput(b->result());
  ASSERT_TRUE(verifyGraph(graph).ok());
  // Swapping the nodes makes b use a's result before it exists.
  graph.reorderNodes({1, 0});
  absl::Status status = verifyGraph(graph);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "node 'b' (Relu): operand 'a' is not defined before "
                              "this node (undefined value or cycle)");
}

TEST(GraphTest, VerifierRejectsUntypedResultsAndMissingOutputs) {
  Graph graph;
  Value *x = graph.addInput("x", TensorType(DType::F32, {4}));
  Node *a = graph.addNode("a", "Relu", "", {x}, {"a"});
  absl::Status noOutputs = verifyGraph(graph);
  a->result()->setType(TensorType(DType::F32, {4}));
  EXPECT_FALSE(noOutputs.ok());
  graph.addOutput(a->result());
  EXPECT_TRUE(verifyGraph(graph).ok());
  graph.addNode("b", "Relu", "", {a->result()}, {"b"});
  EXPECT_EQ(verifyGraph(graph).message(), "node 'b' (Relu): result 'b' has no type");
}

TEST(GraphTest, EraseNodesRenumbersDenselyAndDropsDeadValues) {
  Graph graph;
  Value *x = graph.addInput("x", TensorType(DType::F32, {2}));
  graph.addConstant("unused", Tensor::fromInt64s({7}));
  Node *a = graph.addNode("a", "Relu", "", {x}, {"a"});
  Node *b = graph.addNode("b", "Tanh", "", {x}, {"b"});
  a->result()->setType(TensorType(DType::F32, {2}));
  b->result()->setType(TensorType(DType::F32, {2}));
  graph.addOutput(b->result());
  graph.eraseNodes([](const Node &node) { return node.name() == "a"; });
  ASSERT_EQ(graph.numNodes(), 1u);
  EXPECT_EQ(graph.node(0)->name(), "b");
  EXPECT_EQ(graph.node(0)->id(), 0u);
  ASSERT_EQ(graph.numValues(), 2u);
  EXPECT_EQ(graph.value(0)->name(), "x");
  EXPECT_EQ(graph.value(1)->name(), "b");
  EXPECT_EQ(graph.value(1)->id(), 1u);
  EXPECT_TRUE(verifyGraph(graph).ok());
}

TEST(GraphTest, TypedAttributeAccessReportsWrongKinds) {
  Graph graph;
  Value *x = graph.addInput("x", TensorType(DType::F32, {2}));
  Node *node = graph.addNode("c", "Conv", "", {x}, {"y"});
  node->setAttr("group", Attribute(2.5f));
  EXPECT_EQ(node->getInt("group", 1).status().message(),
            "attribute 'group' must be int, got float");
  EXPECT_EQ(*node->getInt("missing", 7), 7);
  EXPECT_EQ(*node->getFloat("group", 0), 2.5f);
}

TEST(TensorTest, ConvertsEveryDTypeAndKeepsSplatsSmall) {
  Tensor halfs(TensorType(DType::F16, {2}), {0x00, 0x3c, 0x00, 0xc0}); // 1.0, -2.0
  EXPECT_EQ(halfs.doubleAt(0), 1.0);
  EXPECT_EQ(halfs.doubleAt(1), -2.0);
  Tensor bytes(TensorType(DType::I8, {2}), {0xff, 0x05});
  EXPECT_EQ(bytes.intAt(0), -1);
  EXPECT_EQ(bytes.intAt(1), 5);
  Tensor big = Tensor::splat(TensorType(DType::F32, {4096, 4096}), {0, 0, 0, 0});
  EXPECT_EQ(big.rawBytes().size(), 4u);
  EXPECT_EQ(big.numElements(), 4096 * 4096);
  EXPECT_EQ(big.reshaped({16, 1048576}).shape()[1], 1048576);
}

TEST(TensorTypeTest, CheckedNumElementsRejectsOverflowAndHugeTensors) {
  EXPECT_EQ(*checkedNumElements({2, 3, 4}, DType::F32), 24);
  EXPECT_FALSE(checkedNumElements({-1, 3}, DType::F32).ok());
  EXPECT_FALSE(
      checkedNumElements({int64_t(1) << 40, int64_t(1) << 40}, DType::F32).ok());
  EXPECT_EQ(checkedNumElements({65536, 65536}, DType::F32).status().message(),
            "tensor f32[65536,65536] is larger than the 2 GiB limit");
  // Bytes: 2^31 is the limit, one more is refused.
  EXPECT_EQ(*checkedNumElements({int64_t(1) << 29}, DType::F32), int64_t(1) << 29);
  EXPECT_EQ(checkedNumElements({(int64_t(1) << 29) + 1}, DType::F32).status().message(),
            "tensor f32[536870913] is larger than the 2 GiB limit");
  // Elements: the kernels' int32_t counts reach 2^31 - 1; 2^31 one-byte
  // elements fit the byte limit but not the count.
  EXPECT_EQ(*checkedNumElements({(int64_t(1) << 31) - 1}, DType::I8), (int64_t(1) << 31) - 1);
  EXPECT_EQ(checkedNumElements({int64_t(1) << 31}, DType::I8).status().message(),
            "tensor i8[2147483648] has 2147483648 elements, more than the 2^31 - 1 the "
            "kernels' int32_t counts reach");
  EXPECT_EQ(checkedNumElements({65536, 32768}, DType::U8).status().message(),
            "tensor u8[65536,32768] has 2147483648 elements, more than the 2^31 - 1 the "
            "kernels' int32_t counts reach");
}

} // namespace
