//===- PadTest.cpp - Pad in every opset form ------------------------------===//
#include "OpTestHelpers.h"

#include <optional>

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

/// Pads the constant [[1, 2, 3], [4, 5, 6]] with \p pads in \p mode (and
/// constant_value \p value when given) and returns the folded elements.
Ints foldPad(const char *mode, Ints pads, std::optional<int64_t> value, Ints shape,
             int64_t opset = 13) {
  OneNode t;
  t.graph.setOpsetVersion(opset);
  Value *x = t.graph.addConstant("x", Tensor::fromInt64s({1, 2, 3, 4, 5, 6}, {2, 3}));
  Value *v = value ? t.graph.addConstant("v", Tensor::fromInt64s({*value}, {})) : nullptr;
  t.make("Pad", {x, t.ints("pads", pads), v});
  t.set("mode", Attribute(std::string(mode)));
  t.graph.addOutput(t.node->result());
  absl::Status status = inferGraph(t.graph);
  EXPECT_TRUE(status.ok()) << status;
  const Tensor *folded = t.graph.outputs()[0]->constant();
  if (!folded)
    return {};
  EXPECT_EQ(folded->type(), TensorType(DType::I64, shape));
  return folded->toInt64s();
}

TEST(PadTest, FoldsEveryMode) {
  // numpy.pad(x, ((1, 0), (2, 1)), mode="reflect")
  EXPECT_EQ(foldPad("reflect", {1, 2, 0, 1}, std::nullopt, {3, 6}),
            (Ints{6, 5, 4, 5, 6, 5, 3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5}));
  // Crops the first column, then repeats the last one.
  EXPECT_EQ(foldPad("edge", {0, -1, 0, 2}, std::nullopt, {2, 4}),
            (Ints{2, 3, 3, 3, 5, 6, 6, 6}));
  EXPECT_EQ(foldPad("constant", {1, 0, 0, -1}, 9, {3, 2}), (Ints{9, 9, 1, 2, 4, 5}));
  // numpy.pad(x, ((0, 0), (2, 1)), mode="wrap")
  EXPECT_EQ(foldPad("wrap", {0, 2, 0, 1}, std::nullopt, {2, 6}, 19),
            (Ints{2, 3, 1, 2, 3, 1, 5, 6, 4, 5, 6, 4}));
  // Reflection longer than the row repeats with period 2 * (3 - 1).
  EXPECT_EQ(foldPad("reflect", {0, 5, 0, 0}, std::nullopt, {2, 8}),
            (Ints{2, 1, 2, 3, 2, 1, 2, 3, 5, 4, 5, 6, 5, 4, 5, 6}));
}

TEST(PadTest, Errors) {
  {
    OneNode t;
    t.make("Pad", {t.input("x", {2, 3}), t.ints("pads", {1, 1, 1, 1})});
    t.set("mode", Attribute(std::string("wrap")));
    EXPECT_EQ(t.error(18), "mode 'wrap' is not supported (only 'constant', 'edge', "
                           "'reflect' and, from opset 19, 'wrap')");
  }
  {
    OneNode t;
    t.make("Pad", {t.input("x", {2, 3}), t.ints("pads", {0, 1, 0, -3})});
    t.set("mode", Attribute(std::string("reflect")));
    EXPECT_EQ(t.error(13), "mode 'reflect' needs an input element to repeat along axis 1, "
                           "which pads [1, -3] leave empty");
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
