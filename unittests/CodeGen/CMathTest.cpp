//===- CMathTest.cpp - Elementary functions required by the C kernels -----===//
#include "tinyplan/CodeGen/CMath.h"

#include "gtest/gtest.h"
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace tinyplan;

namespace {

/// Keeps the definitions in the order they were first required, once per
/// key, as the C emitter does.
class RecordingContext final : public CEmitContext {
public:
  std::string pointer(const Value &) override { return "p"; }
  std::optional<int64_t> arenaOffset(const Value &) const override { return std::nullopt; }
  void requireKernel(llvm::StringRef key, llvm::StringRef definition) override {
    if (keys_.insert(key.str()).second)
      kernels.emplace_back(key.str(), definition.str());
  }
  void emit(llvm::StringRef) override {}
  int64_t opset() const override { return 17; }
  std::string scratchPointer(const Node &, llvm::StringRef) override { return "s"; }
  std::string constantTable(llvm::StringRef, llvm::StringRef, const Tensor &,
                            llvm::ArrayRef<int64_t>) override {
    return "t";
  }

  std::vector<std::pair<std::string, std::string>> kernels;

private:
  std::set<std::string> keys_;
};

TEST(CMathTest, F32FunctionsComeAfterWhatTheyCallAndOnce) {
  RecordingContext ctx;
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Tanh, DType::F32), "tp_tanhf");
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Sigmoid, DType::F32), "tp_sigmoidf");
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Exp, DType::F32), "tp_expf");
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Log, DType::F32), "tp_logf");
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Tanh, DType::F32), "tp_tanhf");
  ASSERT_EQ(ctx.kernels.size(), 4u);
  EXPECT_EQ(ctx.kernels[0].first, "tp_expf");
  EXPECT_EQ(ctx.kernels[1].first, "tp_tanhf");
  EXPECT_EQ(ctx.kernels[2].first, "tp_sigmoidf");
  EXPECT_EQ(ctx.kernels[3].first, "tp_logf");
  EXPECT_NE(ctx.kernels[0].second.find("static inline float tp_expf(float x) {"),
            std::string::npos);
  EXPECT_NE(ctx.kernels[1].second.find("e = tp_expf(a + a);"), std::string::npos);
  EXPECT_NE(ctx.kernels[2].second.find("static float tp_sigmoidf(float x) {"),
            std::string::npos);
  EXPECT_NE(ctx.kernels[2].second.find("tp_expf(x < 0 ? x : -x)"), std::string::npos);
}

TEST(CMathTest, F64UsesLibmAndItsOwnSigmoid) {
  RecordingContext ctx;
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Exp, DType::F64), "exp");
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Log, DType::F64), "log");
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Tanh, DType::F64), "tanh");
  EXPECT_TRUE(ctx.kernels.empty());
  EXPECT_EQ(requireCMath(ctx, CMathFunction::Sigmoid, DType::F64), "tp_sigmoid");
  ASSERT_EQ(ctx.kernels.size(), 1u);
  const std::string &text = ctx.kernels[0].second;
  EXPECT_NE(text.find("static double tp_sigmoid(double x) {"), std::string::npos);
  EXPECT_NE(text.find("const double e = exp(x < 0 ? x : -x)"), std::string::npos);
  EXPECT_NE(text.find("return fma(w, fma(-y, dl, fma(-y, d, n)), y);"), std::string::npos);
  EXPECT_EQ(text.find('$'), std::string::npos);
}

TEST(CMathTest, ActivationsCallTheirFunctionWithWhatItUses) {
  RecordingContext ctx;
  EXPECT_EQ(activationC(ctx, "Relu", "v", DType::F32, {}), "tp_relu_f32(v)");
  EXPECT_EQ(activationC(ctx, "Relu", "v", DType::F64, {}), "tp_relu_f64(v)");
  EXPECT_EQ(activationC(ctx, "Tanh", "acc", DType::F32, {}), "tp_tanh_f32(acc)");
  EXPECT_EQ(activationC(ctx, "Sigmoid", "acc", DType::F64, {}), "tp_sigmoid_f64(acc)");
  EXPECT_EQ(activationC(ctx, "HardSigmoid", "v", DType::F32, {"alpha", "beta"}),
            "tp_hardsigmoid_f32(v, alpha, beta)");
  EXPECT_EQ(activationC(ctx, "Abs", "v", DType::F32, {}), std::nullopt);
  std::vector<std::string> keys;
  for (const auto &kernel : ctx.kernels)
    keys.push_back(kernel.first);
  EXPECT_EQ(keys, (std::vector<std::string>{"tp_relu_f32", "tp_relu_f64", "tp_expf", "tp_tanhf",
                                            "tp_tanh_f32", "tp_sigmoid", "tp_sigmoid_f64",
                                            "tp_hardsigmoid_f32"}));
  EXPECT_NE(ctx.kernels[0].second.find("static inline float tp_relu_f32(float x) {"),
            std::string::npos);
}

} // namespace
