//===- GemmMatMulTest.cpp - Gemm and MatMul inference and cost ------------===//
#include "OpTestHelpers.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

TEST(GemmTest, TransposesAndCost) {
  for (int transA = 0; transA < 2; ++transA) {
    for (int transB = 0; transB < 2; ++transB) {
      OneNode t;
      Shape aShape = transA ? Shape{5, 2} : Shape{2, 5};
      Shape bShape = transB ? Shape{3, 5} : Shape{5, 3};
      t.make("Gemm", {t.input("a", aShape), t.weight("b", bShape), t.weight("c", {3})});
      t.set("transA", Attribute(int64_t(transA)));
      t.set("transB", Attribute(int64_t(transB)));
      ASSERT_TRUE(t.infer(13).ok()) << transA << transB;
      EXPECT_EQ(t.type(), f32({2, 3}));
      OpCost cost = nodeCost(*t.node);
      EXPECT_EQ(cost.macs, 2 * 3 * 5);
      EXPECT_EQ(cost.params, 15 + 3);
    }
  }
}

TEST(GemmTest, OptionalCFromOpset11) {
  OneNode t;
  t.make("Gemm", {t.input("a", {4, 6}), t.input("b", {6, 2})});
  ASSERT_TRUE(t.infer(11).ok());
  EXPECT_EQ(t.type(), f32({4, 2}));
  // Neither operand is constant.
  EXPECT_EQ(nodeCost(*t.node).params, 0);
  EXPECT_EQ(nodeCost(*t.node).macs, 4 * 2 * 6);
  EXPECT_EQ(t.error(9), "input C is required before opset 11");
}

TEST(GemmTest, CBroadcastsOneWay) {
  for (Shape cShape : {Shape{}, Shape{1}, Shape{3}, Shape{2, 1}, Shape{1, 3}, Shape{2, 3}}) {
    OneNode t;
    t.make("Gemm", {t.input("a", {2, 4}), t.input("b", {4, 3}), t.input("c", cShape)});
    EXPECT_TRUE(t.infer().ok()) << TensorType(DType::F32, cShape).str();
  }
  for (Shape cShape : {Shape{2}, Shape{3, 3}, Shape{1, 2, 3}}) {
    OneNode t;
    t.make("Gemm", {t.input("a", {2, 4}), t.input("b", {4, 3}), t.input("c", cShape)});
    EXPECT_EQ(t.error(), "C " + TensorType(DType::F32, cShape).str() +
                             " does not broadcast to the result shape [2,3]");
  }
}

TEST(GemmTest, BroadcastAttributeBeforeOpset7) {
  OneNode t;
  t.make("Gemm", {t.input("a", {2, 4}), t.input("b", {4, 3}), t.input("c", {3})});
  EXPECT_EQ(t.error(6), "C f32[3] does not match the result shape [2,3] (broadcast is 0)");
  t.set("broadcast", Attribute(int64_t(1)));
  EXPECT_TRUE(t.infer(6).ok());
  // From opset 7 C always broadcasts.
  EXPECT_TRUE(t.infer(7).ok());
}

TEST(GemmTest, Errors) {
  {
    OneNode t;
    t.make("Gemm", {t.input("a", {2, 4}), t.input("b", {5, 3})});
    t.set("transA", Attribute(int64_t(0)));
    EXPECT_EQ(t.error(),
              "inner dimensions differ: A f32[2,4] (transA 0) has K = 4, B f32[5,3] "
              "(transB 0) has K = 5");
  }
  {
    OneNode t;
    t.make("Gemm", {t.input("a", {2, 4}), t.input("b", {4})});
    EXPECT_EQ(t.error(), "B must be 2-D, got f32[4]");
  }
  {
    OneNode t;
    t.make("Gemm", {t.input("a", {2, 4}, DType::Bool), t.input("b", {4, 2}, DType::Bool)});
    EXPECT_EQ(t.error(), "A has unsupported type bool");
  }
  {
    OneNode t;
    t.make("Gemm", {t.input("a", {2, 4}), t.input("b", {4, 2})});
    t.set("alpha", Attribute(int64_t(2)));
    EXPECT_EQ(t.error(), "attribute 'alpha' must be float, got int");
  }
}

/// MatMul of \p a and \p b: the result type, or the error text.
std::string matmul(Shape a, Shape b, int64_t *macs = nullptr) {
  OneNode t;
  t.make("MatMul", {t.input("a", a), t.input("b", b)});
  std::string error = t.error(13);
  if (error != "<ok>")
    return error;
  if (macs)
    *macs = nodeCost(*t.node).macs;
  return t.type().str();
}

TEST(MatMulTest, NumpySemantics) {
  int64_t macs = 0;
  EXPECT_EQ(matmul({2, 3}, {3, 4}, &macs), "f32[2,4]");
  EXPECT_EQ(macs, 24);
  EXPECT_EQ(matmul({3}, {3, 4}, &macs), "f32[4]");
  EXPECT_EQ(macs, 12);
  EXPECT_EQ(matmul({2, 3}, {3}, &macs), "f32[2]");
  EXPECT_EQ(macs, 6);
  EXPECT_EQ(matmul({3}, {3}, &macs), "f32[]");
  EXPECT_EQ(macs, 3);
  EXPECT_EQ(matmul({7, 1, 2, 3}, {5, 3, 4}, &macs), "f32[7,5,2,4]");
  EXPECT_EQ(macs, 7 * 5 * 2 * 4 * 3);
  EXPECT_EQ(matmul({3}, {6, 3, 4}), "f32[6,4]");
  EXPECT_EQ(matmul({6, 2, 3}, {3}), "f32[6,2]");
  EXPECT_EQ(matmul({1, 2, 3}, {6, 3, 4}), "f32[6,2,4]");
}

TEST(MatMulTest, Errors) {
  EXPECT_EQ(matmul({2, 3}, {2, 3}),
            "inner dimensions differ: A f32[2,3] has K = 3, B f32[2,3] has K = 2");
  EXPECT_EQ(matmul({3}, {4}),
            "inner dimensions differ: A f32[3] has K = 3, B f32[4] has K = 4");
  EXPECT_EQ(matmul({2, 2, 3}, {3, 3, 4}),
            "batch dims of A f32[2,2,3] and B f32[3,3,4] do not broadcast");
  EXPECT_EQ(matmul({}, {3}),
            "operands must have rank at least 1, got A f32[] and B f32[3]");
  OneNode t;
  t.make("MatMul", {t.input("a", {2, 3}), t.input("b", {3, 4}, DType::F16)});
  EXPECT_EQ(t.error(), "B has type f16, A has f32");
}

TEST(MatMulTest, ParamsAreConstantOperands) {
  OneNode f;
  f.make("MatMul", {f.input("a", {1, 16}, DType::I64), f.weight("w", {16, 10}, DType::I64)});
  ASSERT_TRUE(f.infer().ok());
  // Integer weights are still weights.
  EXPECT_EQ(nodeCost(*f.node).params, 160);
  EXPECT_EQ(nodeCost(*f.node).macs, 160);
}

} // namespace
