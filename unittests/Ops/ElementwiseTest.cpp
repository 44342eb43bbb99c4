//===- ElementwiseTest.cpp - Unary, broadcasting and Clip ops -------------===//
#include "OpTestHelpers.h"
#include "tinyplan/Ops/Inference.h"

#include <cstring>

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

TEST(ElementwiseTest, BroadcastShapes) {
  OneNode t;
  t.make("Add", {t.input("a", {8, 1, 6, 1}), t.input("b", {7, 1, 5})});
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({8, 7, 6, 5}));

  OneNode sum;
  sum.make("Sum", {sum.input("a", {3, 1}), sum.input("b", {4}), sum.input("c", {})});
  ASSERT_TRUE(sum.infer().ok());
  EXPECT_EQ(sum.type(), f32({3, 4}));

  OneNode bad;
  bad.make("Sub", {bad.input("a", {3}), bad.input("b", {3}, DType::I32)});
  EXPECT_EQ(bad.error(), "input 1 has type i32[3], input 0 has f32[3]");
}

TEST(ElementwiseTest, IntegerDivTruncatesTowardZero) {
  OneNode t;
  t.make("Div", {t.graph.addConstant("a", Tensor::fromInt64s({-7, 7, INT64_MIN}, {3})),
                 t.graph.addConstant("b", Tensor::fromInt64s({2, -2, -1}, {3}))});
  t.graph.addOutput(t.node->result());
  ASSERT_TRUE(inferGraph(t.graph).ok());
  const Tensor *value = t.graph.outputs()[0]->constant();
  ASSERT_NE(value, nullptr);
  // INT64_MIN / -1 wraps instead of trapping.
  EXPECT_EQ(value->toInt64s(), (Ints{-3, -3, INT64_MIN}));
}

TEST(ElementwiseTest, FloatMulFoldsBroadcastingARow) {
  OneNode t;
  t.make("Mul", {t.graph.addConstant("a", Tensor::fromFloats({1, 2, 3, 4}, {2, 2})),
                 t.graph.addConstant("b", Tensor::fromFloats({0.5f, -1}, {2}))});
  t.graph.addOutput(t.node->result());
  ASSERT_TRUE(inferGraph(t.graph).ok());
  const Tensor *value = t.graph.outputs()[0]->constant();
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->doubleAt(0), 0.5);
  EXPECT_EQ(value->doubleAt(1), -2.0);
  EXPECT_EQ(value->doubleAt(2), 1.5);
  EXPECT_EQ(value->doubleAt(3), -4.0);
}

TEST(ElementwiseTest, UnaryTypesAndNoFoldingOfLibmOps) {
  OneNode t;
  t.make("Tanh", {t.graph.addConstant("c", Tensor::fromFloats({0.5f}, {1}))});
  t.graph.addOutput(t.node->result());
  ASSERT_TRUE(inferGraph(t.graph).ok());
  // Exp/Tanh/Sigmoid stay nodes: folding them would bake in the host's libm.
  EXPECT_EQ(t.graph.numNodes(), 1u);

  OneNode relu;
  relu.make("Relu", {relu.input("x", {4}, DType::U8)});
  EXPECT_EQ(relu.error(), "input 0 must be a float or signed integer tensor, got u8[4]");
}

TEST(ElementwiseTest, ClipBoundsAndCost) {
  OneNode t;
  Value *lo = t.graph.addConstant("lo", Tensor::fromFloats({0}, {}));
  Value *hi = t.graph.addConstant("hi", Tensor::fromFloats({6}, {}));
  t.make("Clip", {t.input("x", {1, 8}), lo, hi});
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({1, 8}));
  EXPECT_EQ(nodeCost(*t.node).params, 0);

  // Bounds computed at run time are fine: they do not change the shape.
  OneNode dyn;
  dyn.make("Clip", {dyn.input("x", {2}), dyn.input("m", {})});
  ASSERT_TRUE(dyn.infer().ok());
  EXPECT_EQ(dyn.type(), f32({2}));
}

TEST(ElementwiseTest, PReluSlopeBroadcastsOneWay) {
  OneNode t;
  t.make("PRelu", {t.input("x", {1, 4, 5, 5}), t.weight("s", {4, 1, 1})});
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({1, 4, 5, 5}));
  EXPECT_EQ(nodeCost(*t.node).params, 4);
}

} // namespace
