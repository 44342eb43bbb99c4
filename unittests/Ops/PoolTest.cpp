//===- PoolTest.cpp - AveragePool, MaxPool and global pools ---------------===//
#include "OpTestHelpers.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

TEST(PoolTest, MaxPoolWindowAndCeilMode) {
  OneNode t;
  t.make("MaxPool", {t.input("x", {1, 4, 7, 8})});
  t.set("kernel_shape", Attribute(Ints{2, 3}));
  t.set("strides", Attribute(Ints{2, 2}));
  ASSERT_TRUE(t.infer().ok());
  // H: (7 - 2) / 2 + 1 = 3; W: (8 - 3) / 2 + 1 = 3
  EXPECT_EQ(t.type(), f32({1, 4, 3, 3}));
  t.set("ceil_mode", Attribute(int64_t(1)));
  ASSERT_TRUE(t.infer().ok());
  // H: ceil(5 / 2) + 1 = 4; W: ceil(5 / 2) + 1 = 4
  EXPECT_EQ(t.type(), f32({1, 4, 4, 4}));
  OpCost cost = nodeCost(*t.node);
  EXPECT_EQ(cost.params, 0);
  EXPECT_EQ(cost.macs, 0);
}

TEST(PoolTest, CeilModeDropsWindowStartingInPadding) {
  // Input 2, pads 1 + 1, kernel 3, stride 3: rounding up gives 2 windows,
  // but the second would start at padded position 3, past the input.
  OneNode t;
  t.make("AveragePool", {t.input("x", {1, 3, 2, 2})});
  t.set("kernel_shape", Attribute(Ints{3, 3}));
  t.set("strides", Attribute(Ints{3, 3}));
  t.set("pads", Attribute(Ints{1, 1, 1, 1}));
  t.set("ceil_mode", Attribute(int64_t(1)));
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({1, 3, 1, 1}));

  // Input 9, kernel 2, stride 2: the fifth window starts at 8, inside.
  OneNode kept;
  kept.make("MaxPool", {kept.input("x", {1, 1, 9})});
  kept.set("kernel_shape", Attribute(Ints{2}));
  kept.set("strides", Attribute(Ints{2}));
  kept.set("ceil_mode", Attribute(int64_t(1)));
  ASSERT_TRUE(kept.infer().ok());
  EXPECT_EQ(kept.type(), f32({1, 1, 5}));
}

TEST(PoolTest, MaxPoolIndicesAreInt64) {
  OneNode t;
  t.make("MaxPool", {t.input("x", {1, 2, 6, 6})}, {"y", "indices"});
  t.set("kernel_shape", Attribute(Ints{2, 2}));
  t.set("strides", Attribute(Ints{2, 2}));
  ASSERT_TRUE(t.infer(8).ok());
  EXPECT_EQ(t.type(0), f32({1, 2, 3, 3}));
  EXPECT_EQ(t.type(1), TensorType(DType::I64, {1, 2, 3, 3}));
  EXPECT_EQ(t.error(7), "the Indices output requires opset 8, the model uses opset 7");
}

TEST(PoolTest, DilationsByOpset) {
  OneNode max;
  max.make("MaxPool", {max.input("x", {1, 1, 9})});
  max.set("kernel_shape", Attribute(Ints{3}));
  max.set("dilations", Attribute(Ints{3}));
  ASSERT_TRUE(max.infer(10).ok());
  // Effective kernel 7: 9 - 7 + 1 = 3.
  EXPECT_EQ(max.type(), f32({1, 1, 3}));
  EXPECT_EQ(max.error(8), "attribute 'dilations' requires opset 10, the model uses opset 8");

  OneNode avg;
  avg.make("AveragePool", {avg.input("x", {1, 1, 9})});
  avg.set("kernel_shape", Attribute(Ints{3}));
  avg.set("dilations", Attribute(Ints{3}));
  EXPECT_EQ(avg.error(17),
            "attribute 'dilations' requires opset 19, the model uses opset 17");
  ASSERT_TRUE(avg.infer(19).ok());
  EXPECT_EQ(avg.type(), f32({1, 1, 3}));
}

TEST(PoolTest, AveragePoolAttributesByOpset) {
  OneNode t;
  t.make("AveragePool", {t.input("x", {1, 1, 5, 5})});
  t.set("kernel_shape", Attribute(Ints{3, 3}));
  t.set("pads", Attribute(Ints{1, 1, 1, 1}));
  t.set("count_include_pad", Attribute(int64_t(1)));
  ASSERT_TRUE(t.infer(7).ok());
  EXPECT_EQ(t.type(), f32({1, 1, 5, 5}));
  EXPECT_EQ(t.error(1),
            "attribute 'count_include_pad' requires opset 7, the model uses opset 1");
  t.set("count_include_pad", Attribute(int64_t(2)));
  EXPECT_EQ(t.error(), "count_include_pad must be 0 or 1, got 2");
}

TEST(PoolTest, AttributesAPoolDoesNotHave) {
  OneNode t;
  t.make("AveragePool", {t.input("x", {1, 1, 5, 5})});
  t.set("kernel_shape", Attribute(Ints{3, 3}));
  t.set("storage_order", Attribute(int64_t(0)));
  EXPECT_EQ(t.error(), "attribute 'storage_order' is not supported");

  OneNode m;
  m.make("MaxPool", {m.input("x", {1, 1, 5, 5})});
  m.set("kernel_shape", Attribute(Ints{3, 3}));
  m.set("storage_order", Attribute(int64_t(2)));
  EXPECT_EQ(m.error(), "storage_order must be 0 or 1, got 2");
}

TEST(PoolTest, GlobalPools) {
  for (const char *op : {"GlobalAveragePool", "GlobalMaxPool"}) {
    OneNode t;
    t.make(op, {t.input("x", {2, 16, 5, 7, 3})});
    ASSERT_TRUE(t.infer().ok()) << op;
    EXPECT_EQ(t.type(), f32({2, 16, 1, 1, 1}));
    EXPECT_EQ(nodeCost(*t.node).macs, 0);
  }
  OneNode t;
  t.make("GlobalMaxPool", {t.input("x", {16})});
  EXPECT_EQ(t.error(),
            "input must have rank at least 3 (N, C and spatial dims), got f32[16]");
}

TEST(PoolTest, Int8OnlyForMaxPoolFromOpset12) {
  OneNode t;
  t.make("MaxPool", {t.input("x", {1, 1, 4, 4}, DType::I8)});
  t.set("kernel_shape", Attribute(Ints{2, 2}));
  ASSERT_TRUE(t.infer(12).ok());
  EXPECT_EQ(t.type(), TensorType(DType::I8, {1, 1, 3, 3}));
  EXPECT_EQ(t.error(11), "input 'X' must be a float tensor, got i8[1,1,4,4]");

  OneNode a;
  a.make("AveragePool", {a.input("x", {1, 1, 4, 4}, DType::U8)});
  a.set("kernel_shape", Attribute(Ints{2, 2}));
  EXPECT_EQ(a.error(17), "input 'X' must be a float tensor, got u8[1,1,4,4]");
}

TEST(PoolTest, KernelShapeErrors) {
  OneNode t;
  t.make("MaxPool", {t.input("x", {1, 1, 4, 4})});
  EXPECT_EQ(t.error(), "attribute 'kernel_shape' is required");
  t.set("kernel_shape", Attribute(Ints{2}));
  EXPECT_EQ(t.error(), "kernel_shape has 1 values, input has 2 spatial dims");
  t.set("kernel_shape", Attribute(Ints{5, 5}));
  EXPECT_EQ(t.error(), "kernel extent 5 along spatial axis 0 is larger than the "
                       "padded input (4)");
}

} // namespace
