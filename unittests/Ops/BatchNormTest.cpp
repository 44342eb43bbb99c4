//===- BatchNormTest.cpp - BatchNormalization inference and cost ----------===//
#include "OpTestHelpers.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

/// A BatchNormalization over \p x with per-channel operands of \p channels.
void makeBatchNorm(OneNode &t, Shape x, int64_t channels,
                   llvm::ArrayRef<std::string> results = {"y"}) {
  t.make("BatchNormalization",
         {t.input("x", x), t.weight("scale", {channels}), t.weight("b", {channels}),
          t.weight("mean", {channels}), t.weight("var", {channels})},
         results);
}

TEST(BatchNormTest, ShapeUnchangedAndCost) {
  for (Shape x : {Shape{2, 5}, Shape{1, 5, 7}, Shape{1, 5, 4, 4}, Shape{1, 5, 2, 2, 2}}) {
    OneNode t;
    makeBatchNorm(t, x, 5);
    ASSERT_TRUE(t.infer().ok());
    EXPECT_EQ(t.type(), f32(x));
    OpCost cost = nodeCost(*t.node);
    EXPECT_EQ(cost.params, 4 * 5);
    EXPECT_EQ(cost.macs, 0);
  }
}

TEST(BatchNormTest, TrainingIsRejected) {
  OneNode outputs;
  makeBatchNorm(outputs, {1, 3, 4, 4}, 3, {"y", "mean", "var"});
  EXPECT_EQ(outputs.error(15), "training-mode outputs are not supported");
  OneNode old;
  makeBatchNorm(old, {1, 3, 4, 4}, 3, {"y", "mean", "var", "saved_mean", "saved_var"});
  EXPECT_EQ(old.error(9), "training-mode outputs are not supported");

  OneNode mode;
  makeBatchNorm(mode, {1, 3, 4, 4}, 3);
  mode.set("training_mode", Attribute(int64_t(1)));
  EXPECT_EQ(mode.error(14), "training_mode = 1 is not supported (inference only)");
}

TEST(BatchNormTest, SpatialZeroBeforeOpset9) {
  OneNode t;
  makeBatchNorm(t, {1, 3, 4, 4}, 3);
  t.set("spatial", Attribute(int64_t(0)));
  EXPECT_EQ(t.error(7), "spatial = 0 (per-activation statistics) is not supported");
  t.set("spatial", Attribute(int64_t(1)));
  EXPECT_TRUE(t.infer(7).ok());
}

TEST(BatchNormTest, OperandChecks) {
  {
    OneNode t;
    t.make("BatchNormalization",
           {t.input("x", {1, 3, 2, 2}), t.weight("scale", {3}), t.weight("b", {4}),
            t.weight("mean", {3}), t.weight("var", {3})});
    EXPECT_EQ(t.error(), "B has 4 elements, input has 3 channels");
  }
  {
    OneNode t;
    t.make("BatchNormalization",
           {t.input("x", {1, 3, 2, 2}), t.weight("scale", {3}), t.weight("b", {3}),
            t.weight("mean", {1, 3}), t.weight("var", {3})});
    EXPECT_EQ(t.error(), "input_mean must be 1-D, got f32[1,3]");
  }
  {
    OneNode t;
    makeBatchNorm(t, {3}, 3);
    EXPECT_EQ(t.error(), "input must have rank at least 2 (N, C, ...), got f32[3]");
  }
  {
    OneNode t;
    t.make("BatchNormalization",
           {t.input("x", {1, 3, 2, 2}, DType::I32), t.weight("scale", {3}),
            t.weight("b", {3}), t.weight("mean", {3}), t.weight("var", {3})});
    EXPECT_EQ(t.error(), "input 'X' must be a float tensor, got i32[1,3,2,2]");
  }
}

TEST(BatchNormTest, MixedFloatTypesFromOpset15) {
  OneNode t;
  t.make("BatchNormalization",
         {t.input("x", {1, 2, 3}, DType::F16), t.weight("scale", {2}), t.weight("b", {2}),
          t.weight("mean", {2}, DType::F64), t.weight("var", {2}, DType::F64)});
  ASSERT_TRUE(t.infer(15).ok());
  EXPECT_EQ(t.type(), TensorType(DType::F16, {1, 2, 3}));
  EXPECT_EQ(t.error(14), "scale has type f32, X has f16");

  OneNode split;
  split.make("BatchNormalization",
             {split.input("x", {1, 2, 3}), split.weight("scale", {2}),
              split.weight("b", {2}), split.weight("mean", {2}),
              split.weight("var", {2}, DType::F64)});
  EXPECT_EQ(split.error(15), "input_var has type f64, input_mean has f32");
}

} // namespace
