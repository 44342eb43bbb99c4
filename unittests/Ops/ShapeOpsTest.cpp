//===- ShapeOpsTest.cpp - Shape, Gather, Slice, Cast, Reshape & co --------===//
//
// Inference and folding of the ops exporters use to compute shapes, with
// hand-computed expectations (numpy slicing and indexing rules).
//
//===----------------------------------------------------------------------===//
#include "OpTestHelpers.h"
#include "tinyplan/Ops/Inference.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

/// The constant a graph output became after inferGraph, or null.
const Tensor *foldedOutput(const Graph &graph, unsigned index = 0) {
  return graph.outputs()[index]->constant();
}

TEST(ShapeOpsTest, ShapeFoldsFromTheTypeOfAFeatureMap) {
  OneNode t;
  Value *x = t.input("x", {2, 3, 4, 5});
  t.make("Relu", {x}, {"r"});
  Node *shape = t.graph.addNode("s", "Shape", "", {t.node->result()}, {"shape"});
  shape->setAttr("start", Attribute(int64_t(1)));
  t.graph.addOutput(shape->result());
  ASSERT_TRUE(inferGraph(t.graph).ok());
  ASSERT_NE(foldedOutput(t.graph), nullptr);
  EXPECT_EQ(foldedOutput(t.graph)->toInt64s(), (Ints{3, 4, 5}));
  // Opset 13 has no start/end: the attribute is not read.
  OneNode old;
  old.make("Shape", {old.input("x", {2, 3})});
  old.set("start", Attribute(int64_t(1)));
  ASSERT_TRUE(old.infer(13).ok());
  EXPECT_EQ(old.type(), TensorType(DType::I64, {2}));
}

TEST(ShapeOpsTest, GatherShapesAndNegativeIndices) {
  OneNode t;
  t.make("Gather", {t.input("x", {5, 6, 7}), t.ints("i", {-1, 0})});
  t.set("axis", Attribute(int64_t(1)));
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({5, 2, 7}));

  OneNode scalar;
  scalar.make("Gather", {scalar.ints("dims", {4, 5, 6}),
                         scalar.graph.addConstant("i", Tensor::fromInt64s({-1}, {}))});
  scalar.graph.addOutput(scalar.node->result());
  ASSERT_TRUE(inferGraph(scalar.graph).ok());
  const Tensor *value = foldedOutput(scalar.graph);
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->type(), TensorType(DType::I64, {}));
  EXPECT_EQ(value->intAt(0), 6);

  OneNode bad;
  bad.make("Gather", {bad.input("x", {3}), bad.ints("i", {-4})});
  EXPECT_EQ(bad.error(), "index -4 is out of range for an axis of size 3");
}

TEST(ShapeOpsTest, SliceClampsLikeOnnx) {
  // x[:, 1:INT64_MAX:2] on [4, 8]: 1, 3, 5, 7.
  OneNode t;
  t.make("Slice", {t.input("x", {4, 8}), t.ints("s", {1}), t.ints("e", {INT64_MAX}),
                   t.ints("a", {-1}), t.ints("st", {2})});
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({4, 4}));

  // r[5:INT64_MIN:-2] on 6 elements: 5, 3, 1.
  OneNode back;
  back.make("Slice", {back.ints("r", {0, 1, 2, 3, 4, 5}), back.ints("s", {5}),
                      back.ints("e", {INT64_MIN}), back.ints("a", {0}),
                      back.ints("st", {-2})});
  back.graph.addOutput(back.node->result());
  ASSERT_TRUE(inferGraph(back.graph).ok());
  ASSERT_NE(foldedOutput(back.graph), nullptr);
  EXPECT_EQ(foldedOutput(back.graph)->toInt64s(), (Ints{5, 3, 1}));

  // A step of INT64_MIN takes the first element and nothing else.
  OneNode huge;
  huge.make("Slice", {huge.input("x", {6}), huge.ints("s", {-1}), huge.ints("e", {-7}),
                      huge.ints("a", {0}), huge.ints("st", {INT64_MIN})});
  ASSERT_TRUE(huge.infer().ok());
  EXPECT_EQ(huge.type(), f32({1}));

  OneNode attrs;
  attrs.make("Slice", {attrs.input("x", {4, 8})});
  attrs.set("starts", Attribute(Ints{-3}));
  attrs.set("ends", Attribute(Ints{100}));
  ASSERT_TRUE(attrs.infer(9).ok());
  EXPECT_EQ(attrs.type(), f32({3, 8}));
}

TEST(ShapeOpsTest, ReshapeFamily) {
  OneNode t;
  t.make("Reshape", {t.input("x", {2, 3, 4}), t.ints("s", {0, -1, 2})});
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({2, 6, 2}));

  OneNode flatten;
  flatten.make("Flatten", {flatten.input("x", {2, 3, 4})});
  flatten.set("axis", Attribute(int64_t(-1)));
  ASSERT_TRUE(flatten.infer().ok());
  EXPECT_EQ(flatten.type(), f32({6, 4}));

  OneNode squeeze;
  squeeze.make("Squeeze", {squeeze.input("x", {1, 3, 1})});
  ASSERT_TRUE(squeeze.infer().ok());
  EXPECT_EQ(squeeze.type(), f32({3}));

  OneNode unsqueeze;
  unsqueeze.make("Unsqueeze", {unsqueeze.input("x", {3}), unsqueeze.ints("a", {-1, 0})});
  ASSERT_TRUE(unsqueeze.infer().ok());
  EXPECT_EQ(unsqueeze.type(), f32({1, 3, 1}));

  // Folding a splat re-labels it: still one element of storage.
  OneNode splat;
  Value *zeros = splat.weight("z", {4, 6});
  splat.make("Reshape", {zeros, splat.ints("s", {2, 12})});
  splat.graph.addOutput(splat.node->result());
  ASSERT_TRUE(inferGraph(splat.graph).ok());
  const Tensor *value = foldedOutput(splat.graph);
  ASSERT_NE(value, nullptr);
  EXPECT_TRUE(value->isSplat());
  EXPECT_EQ(value->type(), f32({2, 12}));
}

TEST(ShapeOpsTest, ConstantOfShapeIsASplat) {
  OneNode t;
  t.make("ConstantOfShape", {t.ints("s", {100000, 1000})});
  t.graph.addOutput(t.node->result());
  ASSERT_TRUE(inferGraph(t.graph).ok());
  const Tensor *value = foldedOutput(t.graph);
  ASSERT_NE(value, nullptr);
  EXPECT_TRUE(value->isSplat());
  EXPECT_EQ(value->rawBytes().size(), 4u);
  EXPECT_EQ(value->doubleAt(12345), 0.0);
}

TEST(ShapeOpsTest, CastRoundsAndTruncates) {
  OneNode t;
  t.make("Cast", {t.graph.addConstant(
                     "f", Tensor::fromFloats({-1.5f, 2.99f, 1e30f, 0.1f}, {4}))});
  t.set("to", Attribute(int64_t(6))); // int32
  t.graph.addOutput(t.node->result());
  ASSERT_TRUE(inferGraph(t.graph).ok());
  const Tensor *value = foldedOutput(t.graph);
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->dtype(), DType::I32);
  // Truncation toward zero; 1e30 saturates to int64 and then wraps to int32
  // (INT64_MAX's low 32 bits are 0xffffffff).
  EXPECT_EQ(value->toInt64s(), (Ints{-1, 2, -1, 0}));
}

TEST(ShapeOpsTest, ConcatAndTransposeFold) {
  OneNode t;
  Value *a = t.graph.addConstant("a", Tensor::fromInt64s({1, 2, 3, 4}, {2, 2}));
  Value *b = t.graph.addConstant("b", Tensor::fromInt64s({5, 6}, {1, 2}));
  t.make("Concat", {a, b}, {"c"});
  t.set("axis", Attribute(int64_t(0)));
  Node *transpose = t.graph.addNode("t", "Transpose", "", {t.node->result()}, {"ct"});
  t.graph.addOutput(transpose->result());
  ASSERT_TRUE(inferGraph(t.graph).ok());
  const Tensor *value = foldedOutput(t.graph);
  ASSERT_NE(value, nullptr);
  // [[1,2],[3,4],[5,6]]^T
  EXPECT_EQ(value->type(), TensorType(DType::I64, {2, 3}));
  EXPECT_EQ(value->toInt64s(), (Ints{1, 3, 5, 2, 4, 6}));
}

TEST(ShapeOpsTest, DropoutMaskAndCost) {
  OneNode t;
  t.make("Dropout", {t.input("x", {2, 3})}, {"y", "mask"});
  ASSERT_TRUE(t.infer(13).ok());
  EXPECT_EQ(t.type(1), TensorType(DType::Bool, {2, 3}));
  ASSERT_TRUE(t.infer(9).ok());
  EXPECT_EQ(t.type(1), f32({2, 3}));

  OneNode reshape;
  reshape.make("Reshape", {reshape.weight("w", {4, 6}), reshape.ints("s", {24})});
  EXPECT_EQ(nodeCost(*reshape.node).params, 24);
  OneNode shape;
  shape.make("Shape", {shape.weight("w", {4, 6})});
  EXPECT_EQ(nodeCost(*shape.node).params, 0);
}

} // namespace
