//===- ConvTest.cpp - Conv shape inference, diagnostics and cost ----------===//
#include "OpTestHelpers.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

TEST(ConvTest, KernelFromWeightAndCost) {
  OneNode t;
  Value *x = t.input("x", {1, 3, 8, 8});
  Value *w = t.weight("w", {4, 3, 3, 3});
  Value *b = t.weight("b", {4});
  t.make("Conv", {x, w, b});
  t.set("pads", Attribute(Ints{1, 1, 1, 1}));
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({1, 4, 8, 8}));
  OpCost cost = nodeCost(*t.node);
  EXPECT_EQ(cost.params, 4 * 3 * 3 * 3 + 4);
  // N*M*H*W * (C/group)*kh*kw
  EXPECT_EQ(cost.macs, 1 * 4 * 8 * 8 * 3 * 3 * 3);
}

TEST(ConvTest, OmittedBiasIsNotCounted) {
  OneNode t;
  t.make("Conv", {t.input("x", {1, 3, 8, 8}), t.weight("w", {4, 3, 3, 3}), nullptr});
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({1, 4, 6, 6}));
  EXPECT_EQ(nodeCost(*t.node).params, 108);
}

TEST(ConvTest, StridesDilationsAsymmetricPads) {
  OneNode t;
  t.make("Conv", {t.input("x", {2, 3, 17, 16}), t.weight("w", {5, 3, 3, 2})});
  t.set("strides", Attribute(Ints{2, 3}));
  t.set("dilations", Attribute(Ints{2, 1}));
  t.set("pads", Attribute(Ints{0, 1, 2, 0}));
  ASSERT_TRUE(t.infer().ok());
  // H: (17 + 2 - 5) / 2 + 1 = 8; W: (16 + 1 - 2) / 3 + 1 = 6
  EXPECT_EQ(t.type(), f32({2, 5, 8, 6}));
  EXPECT_EQ(nodeCost(*t.node).macs, 2 * 5 * 8 * 6 * 3 * 3 * 2);
}

TEST(ConvTest, AutoPad) {
  struct Case {
    const char *autoPad;
    int64_t stride;
    int64_t expected;
  };
  // Input 7, kernel 3.
  for (Case c : {Case{"SAME_UPPER", 2, 4}, Case{"SAME_LOWER", 2, 4},
                 Case{"SAME_UPPER", 1, 7}, Case{"VALID", 2, 3},
                 Case{"NOTSET", 1, 5}}) {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 1, 7}), t.weight("w", {1, 1, 3})});
    t.set("auto_pad", Attribute(std::string(c.autoPad)));
    t.set("strides", Attribute(Ints{c.stride}));
    ASSERT_TRUE(t.infer().ok()) << c.autoPad;
    EXPECT_EQ(t.type(), f32({1, 1, c.expected})) << c.autoPad << " " << c.stride;
  }
}

TEST(ConvTest, DepthwiseAndGrouped) {
  OneNode depthwise;
  depthwise.make("Conv", {depthwise.input("x", {1, 8, 10, 10}),
                          depthwise.weight("w", {8, 1, 3, 3})});
  depthwise.set("group", Attribute(int64_t(8)));
  ASSERT_TRUE(depthwise.infer().ok());
  EXPECT_EQ(depthwise.type(), f32({1, 8, 8, 8}));
  EXPECT_EQ(nodeCost(*depthwise.node).macs, 8 * 8 * 8 * 1 * 9);

  OneNode grouped;
  grouped.make("Conv", {grouped.input("x", {1, 8, 4, 4}),
                        grouped.weight("w", {6, 4, 1, 1})});
  grouped.set("group", Attribute(int64_t(2)));
  ASSERT_TRUE(grouped.infer().ok());
  EXPECT_EQ(grouped.type(), f32({1, 6, 4, 4}));
  EXPECT_EQ(nodeCost(*grouped.node).macs, 6 * 16 * 4);
}

TEST(ConvTest, OneAndThreeSpatialDims) {
  OneNode conv1d;
  conv1d.make("Conv", {conv1d.input("x", {1, 2, 20}), conv1d.weight("w", {4, 2, 5})});
  conv1d.set("kernel_shape", Attribute(Ints{5}));
  ASSERT_TRUE(conv1d.infer().ok());
  EXPECT_EQ(conv1d.type(), f32({1, 4, 16}));

  OneNode conv3d;
  conv3d.make("Conv",
              {conv3d.input("x", {1, 1, 5, 6, 7}), conv3d.weight("w", {2, 1, 3, 3, 3})});
  conv3d.set("strides", Attribute(Ints{1, 2, 2}));
  ASSERT_TRUE(conv3d.infer().ok());
  EXPECT_EQ(conv3d.type(), f32({1, 2, 3, 2, 3}));
  EXPECT_EQ(nodeCost(*conv3d.node).macs, 2 * 3 * 2 * 3 * 27);
}

TEST(ConvTest, Errors) {
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 3, 8, 8}), t.weight("w", {4, 5, 3, 3})});
    EXPECT_EQ(t.error(), "weight has 5 input channels, input has 3 (group 1)");
    EXPECT_EQ(std::string(t.infer().message()),
              "node 'n' (Conv): weight has 5 input channels, input has 3 (group 1)");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 6, 8, 8}), t.weight("w", {4, 2, 3, 3})});
    t.set("group", Attribute(int64_t(2)));
    EXPECT_EQ(t.error(), "weight has 2 input channels, input has 6 (group 2)");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 3, 8, 8}), t.weight("w", {4, 3, 3, 3}),
                    t.weight("b", {3})});
    EXPECT_EQ(t.error(), "bias has 3 elements, weight has 4 output channels");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 4, 8, 8}), t.weight("w", {6, 1, 3, 3})});
    t.set("group", Attribute(int64_t(4)));
    EXPECT_EQ(t.error(), "weight has 6 output channels, not divisible by group 4");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 4, 8, 8}), t.weight("w", {4, 1, 3, 3})});
    t.set("group", Attribute(int64_t(0)));
    EXPECT_EQ(t.error(), "group must be positive, got 0");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 3, 8, 8}), t.weight("w", {4, 3, 3, 3})});
    t.set("kernel_shape", Attribute(Ints{3}));
    EXPECT_EQ(t.error(), "kernel_shape [3] does not match weight f32[4,3,3,3]");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 3, 8, 8}), t.weight("w", {4, 3, 3, 3}, DType::F64)});
    EXPECT_EQ(t.error(), "weight has type f64, input has f32");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 1, 2, 2, 2, 2}), t.weight("w", {1, 1, 1, 1, 1, 1})});
    EXPECT_EQ(t.error(), "input must have rank 3, 4 or 5 (N, C and 1 to 3 spatial "
                         "dims), got f32[1,1,2,2,2,2]");
  }
  {
    OneNode t;
    t.make("Conv", {t.input("x", {1, 3, 8, 8}), t.weight("w", {4, 3, 3, 3})});
    t.set("auto_pad", Attribute(std::string("SAME")));
    EXPECT_NE(t.error(), "<ok>");
  }
}

} // namespace
