//===- PadTest.cpp - Pad in every opset form ------------------------------===//
#include "OpTestHelpers.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

TEST(PadTest, PadsInput) {
  OneNode t;
  t.make("Pad", {t.input("x", {1, 3, 4, 5}), t.ints("pads", {0, 0, 1, 2, 0, 0, 3, -1})});
  ASSERT_TRUE(t.infer(13).ok());
  EXPECT_EQ(t.type(), f32({1, 3, 8, 6}));
  OpCost cost = nodeCost(*t.node);
  EXPECT_EQ(cost.params, 0);
  EXPECT_EQ(cost.macs, 0);
}

TEST(PadTest, AttributeFormsBeforeOpset11) {
  OneNode v2;
  v2.make("Pad", {v2.input("x", {2, 3})});
  v2.set("pads", Attribute(Ints{1, 0, 1, 2}));
  v2.set("value", Attribute(1.5f));
  ASSERT_TRUE(v2.infer(2).ok());
  EXPECT_EQ(v2.type(), f32({4, 5}));
  // Opset 1 called it `paddings`.
  EXPECT_EQ(v2.error(1), "attribute 'paddings' is required");

  OneNode v1;
  v1.make("Pad", {v1.input("x", {2, 3})});
  v1.set("paddings", Attribute(Ints{0, 2, 0, 2}));
  ASSERT_TRUE(v1.infer(1).ok());
  EXPECT_EQ(v1.type(), f32({2, 7}));

  OneNode extra;
  extra.make("Pad", {extra.input("x", {2, 3}), extra.ints("pads", {0, 0, 0, 0})});
  extra.set("pads", Attribute(Ints{0, 0, 0, 0}));
  EXPECT_EQ(extra.error(10), "takes 1 input before opset 11, got 2");
}

TEST(PadTest, ConstantValue) {
  OneNode t;
  Value *value = t.graph.addConstant("v", Tensor::fromFloats({2.0f}, {}));
  t.make("Pad", {t.input("x", {2, 3}), t.ints("pads", {1, 1, 1, 1}), value});
  ASSERT_TRUE(t.infer(11).ok());
  EXPECT_EQ(t.type(), f32({4, 5}));

  OneNode wrong;
  Value *vector = wrong.graph.addConstant("v", Tensor::fromFloats({1.0f, 2.0f}, {2}));
  wrong.make("Pad", {wrong.input("x", {2, 3}), wrong.ints("pads", {1, 1, 1, 1}), vector});
  EXPECT_EQ(wrong.error(11), "constant_value must be a scalar, got f32[2]");
}

TEST(PadTest, AxesInputFromOpset18) {
  OneNode t;
  t.make("Pad", {t.input("x", {1, 3, 4, 5}), t.ints("pads", {1, 2, 3, 4}), nullptr,
                 t.ints("axes", {-1, 1})});
  ASSERT_TRUE(t.infer(18).ok());
  // axis 3: 5 + 1 + 3; axis 1: 3 + 2 + 4
  EXPECT_EQ(t.type(), f32({1, 9, 4, 9}));
  EXPECT_EQ(t.error(17), "input 'axes' requires opset 18, the model uses opset 17");

  OneNode dup;
  dup.make("Pad", {dup.input("x", {1, 3}), dup.ints("pads", {1, 2, 3, 4}), nullptr,
                   dup.ints("axes", {1, -1})});
  EXPECT_EQ(dup.error(18), "axis 1 appears twice in axes");

  OneNode count;
  count.make("Pad", {count.input("x", {1, 3}), count.ints("pads", {1, 2, 3, 4}), nullptr,
                     count.ints("axes", {1})});
  EXPECT_EQ(count.error(18),
            "pads has 4 values, expected 2 (a begin and an end for each of 1 axes)");
}

TEST(PadTest, Errors) {
  for (const char *mode : {"reflect", "edge", "wrap"}) {
    OneNode t;
    t.make("Pad", {t.input("x", {2, 3}), t.ints("pads", {1, 1, 1, 1})});
    t.set("mode", Attribute(std::string(mode)));
    EXPECT_EQ(t.error(19),
              std::string("mode '") + mode + "' is not supported (only 'constant')");
  }
  {
    OneNode t;
    t.make("Pad", {t.input("x", {2, 3}), t.input("pads", {4}, DType::I64)});
    EXPECT_EQ(t.error(13), "input 'pads' ('pads') is computed at run time; it must be a compile-time constant (dynamic shapes are not supported)");
  }
  {
    OneNode t;
    t.make("Pad", {t.input("x", {2, 3}), t.ints("pads", {0, -2, 0, -2})});
    EXPECT_EQ(t.error(13), "pads [-2, -2] make axis 1 (size 3) negative");
  }
  {
    OneNode t;
    t.make("Pad", {t.input("x", {2, 3}), t.ints("pads", {0, INT64_MAX, 0, 1})});
    EXPECT_EQ(t.error(13), "pads [9223372036854775807, 1] make axis 1 too large");
  }
  {
    OneNode t;
    t.make("Pad", {t.input("x", {2, 3}), t.ints("pads", {0, 1 << 30, 0, 1 << 30})});
    EXPECT_NE(t.error(13), "<ok>");
  }
}

} // namespace
