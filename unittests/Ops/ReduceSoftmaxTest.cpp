//===- ReduceSoftmaxTest.cpp - ReduceMean, Softmax and LogSoftmax ---------===//
#include "OpTestHelpers.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

TEST(ReduceMeanTest, AxesAttribute) {
  struct Case {
    Ints axes;
    int64_t keepDims;
    Shape expected;
  };
  for (const Case &c : {Case{{1}, 1, {2, 1, 4}}, Case{{1}, 0, {2, 4}},
                        Case{{}, 1, {1, 1, 1}}, Case{{}, 0, {}},
                        Case{{-1, 0}, 0, {3}}, Case{{0, 1, 2}, 1, {1, 1, 1}}}) {
    OneNode t;
    t.make("ReduceMean", {t.input("x", {2, 3, 4})});
    if (!c.axes.empty())
      t.set("axes", Attribute(c.axes));
    t.set("keepdims", Attribute(c.keepDims));
    ASSERT_TRUE(t.infer(13).ok());
    EXPECT_EQ(t.type(), f32(c.expected));
  }
}

TEST(ReduceMeanTest, AxesInputFromOpset18) {
  OneNode t;
  t.make("ReduceMean", {t.input("x", {2, 3, 4}), t.ints("axes", {-2})});
  ASSERT_TRUE(t.infer(18).ok());
  EXPECT_EQ(t.type(), f32({2, 1, 4}));
  EXPECT_EQ(t.error(17), "takes 1 input before opset 18, got 2");

  OneNode attr;
  attr.make("ReduceMean", {attr.input("x", {2, 3, 4})});
  attr.set("axes", Attribute(Ints{1}));
  EXPECT_EQ(attr.error(18), "attribute 'axes' became an input in opset 18");

  OneNode dynamic;
  dynamic.make("ReduceMean",
               {dynamic.input("x", {2, 3, 4}), dynamic.input("axes", {1}, DType::I64)});
  EXPECT_EQ(dynamic.error(18), "input 'axes' ('axes') is computed at run time; it must be a compile-time constant (dynamic shapes are not supported)");
}

TEST(ReduceMeanTest, EmptyAxesAtOpset18) {
  OneNode all;
  all.make("ReduceMean", {all.input("x", {2, 3, 4})});
  all.set("keepdims", Attribute(int64_t(0)));
  ASSERT_TRUE(all.infer(18).ok());
  EXPECT_EQ(all.type(), f32({}));

  for (bool omitted : {true, false}) {
    OneNode noop;
    Value *x = noop.input("x", {2, 3, 4});
    Value *axes = omitted ? nullptr : noop.graph.addConstant("axes", Tensor::fromInt64s({}));
    noop.make("ReduceMean", {x, axes});
    noop.set("noop_with_empty_axes", Attribute(int64_t(1)));
    ASSERT_TRUE(noop.infer(18).ok());
    EXPECT_EQ(noop.type(), f32({2, 3, 4}));
  }
}

TEST(ReduceMeanTest, Errors) {
  OneNode t;
  t.make("ReduceMean", {t.input("x", {2, 3, 4})});
  t.set("axes", Attribute(Ints{2, -1}));
  EXPECT_EQ(t.error(13), "axis 2 appears twice in axes");
  t.set("axes", Attribute(Ints{-4}));
  EXPECT_EQ(t.error(13), "axis -4 is out of range for rank 3");
}

TEST(SoftmaxTest, DefaultAxisByOpset) {
  for (const char *op : {"Softmax", "LogSoftmax"}) {
    OneNode t;
    t.make(op, {t.input("x", {4})});
    // Opset 13+: axis -1 is fine on a vector.
    ASSERT_TRUE(t.infer(13).ok()) << op;
    EXPECT_EQ(t.type(), f32({4}));
    // Before 13 the default is 1, past the end of a vector.
    EXPECT_EQ(t.error(11), "axis 1 is out of range for rank 1");
    EXPECT_EQ(nodeCost(*t.node).macs, 0);
  }
}

TEST(SoftmaxTest, ExplicitAxisAndType) {
  OneNode t;
  t.make("Softmax", {t.input("x", {2, 3, 4}, DType::F16)});
  t.set("axis", Attribute(int64_t(-3)));
  ASSERT_TRUE(t.infer(1).ok());
  EXPECT_EQ(t.type(), TensorType(DType::F16, {2, 3, 4}));
  t.set("axis", Attribute(int64_t(3)));
  EXPECT_EQ(t.error(13), "axis 3 is out of range for rank 3");

  OneNode i;
  i.make("LogSoftmax", {i.input("x", {2, 3}, DType::I64)});
  EXPECT_EQ(i.error(13), "input 'input' must be a float tensor, got i64[2,3]");
}

} // namespace
