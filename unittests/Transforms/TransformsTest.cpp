//===- TransformsTest.cpp - Passes on hand-built graphs -------------------===//
//
// BatchNormalization folding checked numerically: random Conv / Gemm /
// MatMul+Add weights and statistics, the unfused network evaluated in double
// against the folded one (whose float weights the pass rounded once). Also
// constant folding on graphs import never saw, the checks the pipeline runs
// after each pass, and cost on fused nodes.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/IR/Graph.h"
#include "tinyplan/Ops/Inference.h"
#include "tinyplan/Transforms/Passes.h"

#include "gtest/gtest.h"
#include <cmath>
#include <cstring>
#include <random>

namespace tinyplan {
namespace {

/// A graph built node by node; every node is inferred as it is added.
struct Builder {
  Graph graph{"t"};
  std::mt19937 rng{12345};

  std::vector<float> random(int64_t count, float lo, float hi) {
    std::uniform_real_distribution<float> dist(lo, hi);
    std::vector<float> values(static_cast<size_t>(count));
    for (float &v : values)
      v = dist(rng);
    return values;
  }
  Value *constant(const std::string &name, std::vector<float> values,
                  llvm::ArrayRef<int64_t> shape) {
    return graph.addConstant(name, Tensor::fromFloats(values, shape));
  }
  Value *node(const std::string &opType, llvm::ArrayRef<Value *> operands,
              const std::string &result,
              std::vector<std::pair<std::string, Attribute>> attrs = {}) {
    Node *n = graph.addNode(result + ".node", opType, "", operands, {result});
    for (auto &[name, value] : attrs)
      n->setAttr(name, value);
    absl::Status status = inferNode(*n, graph.opsetVersion());
    EXPECT_TRUE(status.ok()) << status;
    return n->result();
  }
  /// Random BatchNormalization statistics for \p channels, var > 0.
  Value *batchNorm(Value *input, int64_t channels, float epsilon) {
    Value *scale = constant("scale", random(channels, -2, 2), {channels});
    Value *bias = constant("bias", random(channels, -1, 1), {channels});
    Value *mean = constant("mean", random(channels, -1, 1), {channels});
    Value *var = constant("var", random(channels, 0.01f, 3), {channels});
    return node("BatchNormalization", {input, scale, bias, mean, var}, "y",
                {{"epsilon", Attribute(epsilon)}});
  }
};

const Tensor &data(const Value *value) { return *value->constant(); }

/// The per-channel affine map of BatchNormalization node \p bn in double.
void bnAffine(const Node &bn, int64_t c, double &scale, double &shift) {
  double eps = bn.attr("epsilon")->getFloat();
  double s = data(bn.operand(1)).doubleAt(c), b = data(bn.operand(2)).doubleAt(c);
  double mean = data(bn.operand(3)).doubleAt(c), var = data(bn.operand(4)).doubleAt(c);
  scale = s / std::sqrt(var + eps);
  shift = b - mean * scale;
}

/// [1, cin, h, w] x [cout, cin, k, k] (+ bias), stride 1, no padding, in
/// double from the stored floats.
std::vector<double> conv(const std::vector<float> &x, int64_t cin, int64_t h, int64_t w,
                         const Tensor &weight, const Tensor *bias) {
  int64_t cout = weight.shape()[0], k = weight.shape()[2];
  int64_t oh = h - k + 1, ow = w - k + 1;
  std::vector<double> y;
  for (int64_t m = 0; m < cout; ++m)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        double acc = bias ? bias->doubleAt(m) : 0.0;
        for (int64_t c = 0; c < cin; ++c)
          for (int64_t a = 0; a < k; ++a)
            for (int64_t b = 0; b < k; ++b)
              acc += double(x[size_t((c * h + i + a) * w + j + b)]) *
                     weight.doubleAt(((m * cin + c) * k + a) * k + b);
        y.push_back(acc);
      }
  return y;
}

const Node *onlyNodeOf(const Graph &graph, llvm::StringRef opType) {
  const Node *found = nullptr;
  for (const auto &node : graph.nodes())
    if (node->opType() == opType) {
      EXPECT_EQ(found, nullptr) << "two " << opType.str() << " nodes";
      found = node.get();
    }
  return found;
}

TEST(FoldBatchNormTest, ConvMatchesDoubleEvaluation) {
  for (bool withBias : {true, false}) {
    Builder b;
    const int64_t cin = 3, cout = 4, k = 3, h = 6, w = 5;
    Value *x = b.graph.addInput("x", TensorType(DType::F32, {1, cin, h, w}));
    Value *weight = b.constant("w", b.random(cout * cin * k * k, -1, 1), {cout, cin, k, k});
    llvm::SmallVector<Value *, 3> operands = {x, weight};
    if (withBias)
      operands.push_back(b.constant("b", b.random(cout, -1, 1), {cout}));
    Value *c = b.node("Conv", operands, "c");
    Value *y = b.batchNorm(c, cout, 1e-3f);
    b.graph.addOutput(y);

    // Reference: Conv then BatchNormalization, all in double.
    std::vector<float> input = b.random(cin * h * w, -1, 1);
    const Node &bn = *y->producer();
    std::vector<double> expected =
        conv(input, cin, h, w, data(weight), withBias ? &data(operands[2]) : nullptr);
    int64_t perChannel = int64_t(expected.size()) / cout;
    // Kept: the pass deletes the BatchNormalization node.
    std::vector<double> scales(cout);
    for (int64_t m = 0; m < cout; ++m) {
      double shift;
      bnAffine(bn, m, scales[size_t(m)], shift);
      for (int64_t i = 0; i < perChannel; ++i) {
        double &v = expected[size_t(m * perChannel + i)];
        v = scales[size_t(m)] * v + shift;
      }
    }

    Tensor oldWeight = data(weight); // the pass drops the unused constant
    ASSERT_TRUE(createFoldBatchNormPass()->run(b.graph).ok());
    ASSERT_TRUE(verifyAfterPass(b.graph).ok());
    ASSERT_EQ(b.graph.numNodes(), 1u);
    const Node &folded = *b.graph.node(0);
    EXPECT_EQ(folded.opType(), "Conv");
    EXPECT_EQ(folded.result()->name(), "y");
    ASSERT_NE(folded.operand(2), nullptr);

    // Each new weight is the double product rounded once.
    const Tensor &newWeight = data(folded.operand(1));
    for (int64_t i = 0; i < newWeight.numElements(); ++i)
      EXPECT_EQ(float(newWeight.doubleAt(i)),
                float(oldWeight.doubleAt(i) * scales[size_t(i / (cin * k * k))]));
    // The folded network, evaluated in double from its float constants,
    // matches to float precision.
    std::vector<double> actual =
        conv(input, cin, h, w, newWeight, &data(folded.operand(2)));
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i)
      EXPECT_NEAR(actual[i], expected[i], 1e-5 * (1 + std::fabs(expected[i]))) << i;
  }
}

/// y = A * op(B) + C for A [m, k], then BatchNormalization over columns.
TEST(FoldBatchNormTest, GemmAndMatMulAddMatchDoubleEvaluation) {
  const int64_t m = 3, k = 5, n = 4;
  enum Form { GemmTransB, Gemm, GemmRowBias, MatMulAdd };
  for (Form form : {GemmTransB, Gemm, GemmRowBias, MatMulAdd}) {
    Builder b;
    Value *a = b.graph.addInput("a", TensorType(DType::F32, {m, k}));
    bool transB = form == GemmTransB;
    Shape wShape = transB ? Shape{n, k} : Shape{k, n};
    Value *weight = b.constant("w", b.random(n * k, -1, 1), wShape);
    // Gemm's C may broadcast: [n], or [m, 1] (one value per row).
    Shape cShape = form == GemmRowBias ? Shape{m, 1} : Shape{n};
    Value *bias = b.constant("c", b.random(cShape[0] * cShape.back(), -1, 1), cShape);
    Value *pre;
    if (form == MatMulAdd)
      pre = b.node("Add", {b.node("MatMul", {a, weight}, "mm"), bias}, "pre");
    else
      pre = b.node("Gemm", {a, weight, bias}, "pre",
                   {{"transB", Attribute(int64_t(transB))}, {"alpha", Attribute(0.5f)}});
    Value *y = b.batchNorm(pre, n, 1e-5f);
    b.graph.addOutput(y);
    const Node &bn = *y->producer();
    double alpha = form == MatMulAdd ? 1.0 : 0.5;

    std::vector<float> input = b.random(m * k, -1, 1);
    auto evaluate = [&](const Tensor &w, const Tensor &c, bool affine) {
      std::vector<double> out;
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          double acc = 0;
          for (int64_t p = 0; p < k; ++p)
            acc += double(input[size_t(i * k + p)]) *
                   w.doubleAt(transB ? j * k + p : p * n + j);
          int64_t ci = c.shape().size() == 2 && c.shape()[1] == 1 ? i
                       : c.shape().size() == 2                      ? i * n + j
                                                                    : j;
          double v = alpha * acc + c.doubleAt(ci);
          if (affine) {
            double scale, shift;
            bnAffine(bn, j, scale, shift);
            v = scale * v + shift;
          }
          out.push_back(v);
        }
      return out;
    };
    std::vector<double> expected = evaluate(data(weight), data(bias), true);

    ASSERT_TRUE(createFoldBatchNormPass()->run(b.graph).ok()) << form;
    ASSERT_TRUE(verifyAfterPass(b.graph).ok()) << form;
    EXPECT_EQ(onlyNodeOf(b.graph, "BatchNormalization"), nullptr) << form;
    EXPECT_EQ(b.graph.outputs()[0]->name(), "y");
    const Node *linear = onlyNodeOf(b.graph, form == MatMulAdd ? "MatMul" : "Gemm");
    ASSERT_NE(linear, nullptr);
    const Node *biasNode = form == MatMulAdd ? onlyNodeOf(b.graph, "Add") : linear;
    const Tensor &newBias = data(biasNode->operand(form == MatMulAdd ? 1 : 2));
    if (form == GemmRowBias) {
      EXPECT_EQ(newBias.shape(), llvm::ArrayRef<int64_t>({m, n}));
    }
    std::vector<double> actual = evaluate(data(linear->operand(1)), newBias, false);
    for (size_t i = 0; i < actual.size(); ++i)
      EXPECT_NEAR(actual[i], expected[i], 1e-5 * (1 + std::fabs(expected[i])))
          << "form " << form << " element " << i;
  }
}

TEST(FoldBatchNormTest, GemmWithBetaIsLeftAlone) {
  Builder b;
  Value *a = b.graph.addInput("a", TensorType(DType::F32, {1, 2}));
  Value *w = b.constant("w", {1, 2, 3, 4}, {2, 2});
  Value *c = b.constant("c", {1, 1}, {2});
  Value *g = b.node("Gemm", {a, w, c}, "g", {{"beta", Attribute(2.0f)}});
  b.graph.addOutput(b.batchNorm(g, 2, 1e-5f));
  ASSERT_TRUE(createFoldBatchNormPass()->run(b.graph).ok());
  EXPECT_EQ(b.graph.numNodes(), 2u);
}

/// ConstantOfShape weights (onnx-light's ImageNet models) stay one element
/// when every channel has the same scale, and become dense when not.
TEST(FoldBatchNormTest, SplatWeightStaysSplatUnderUniformScale) {
  for (bool uniform : {true, false}) {
    Builder b;
    const int64_t cin = 2, cout = 3;
    Value *x = b.graph.addInput("x", TensorType(DType::F32, {1, cin, 4, 4}));
    float half = 0.5f;
    uint8_t element[sizeof(float)];
    std::memcpy(element, &half, sizeof(float));
    Value *weight = b.graph.addConstant(
        "w", Tensor::splat(TensorType(DType::F32, {cout, cin, 3, 3}), element));
    Value *c = b.node("Conv", {x, weight}, "c");
    std::vector<float> gamma = uniform ? std::vector<float>{2, 2, 2} : std::vector<float>{2, 3, 2};
    Value *y = b.node("BatchNormalization",
                      {c, b.constant("s", gamma, {cout}), b.constant("b", {0, 1, 2}, {cout}),
                       b.constant("m", {0, 0, 0}, {cout}), b.constant("v", {1, 1, 1}, {cout})},
                      "y", {{"epsilon", Attribute(0.0f)}});
    b.graph.addOutput(y);
    ASSERT_TRUE(createFoldBatchNormPass()->run(b.graph).ok());
    ASSERT_EQ(b.graph.numNodes(), 1u);
    const Tensor &folded = data(b.graph.node(0)->operand(1));
    EXPECT_EQ(folded.isSplat(), uniform);
    EXPECT_EQ(folded.doubleAt(0), 1.0);
    EXPECT_EQ(folded.doubleAt(folded.numElements() - 1), 1.0);
    EXPECT_EQ(folded.doubleAt(cin * 9), uniform ? 1.0 : 1.5);
  }
}

TEST(FoldConstantsTest, FoldsWhatImportNeverSaw) {
  // Built by hand, so nothing was folded at import.
  Builder b;
  Value *x = b.graph.addInput("x", TensorType(DType::F32, {2}));
  Value *one = b.constant("one", {1.0f, 2.0f}, {2});
  Value *half = b.constant("half", {0.5f, 0.25f}, {2});
  Value *sum = b.node("Add", {one, half}, "sum");
  Value *exp = b.node("Exp", {sum}, "exp");
  b.graph.addOutput(b.node("Mul", {x, exp}, "y"));
  b.graph.addOutput(sum);

  ASSERT_TRUE(createFoldConstantsPass()->run(b.graph).ok());
  ASSERT_TRUE(verifyAfterPass(b.graph).ok());
  // Add folded (exact), Exp did not (libm), Mul reads a graph input.
  ASSERT_EQ(b.graph.numNodes(), 2u);
  EXPECT_EQ(b.graph.node(0)->opType(), "Exp");
  const Value *folded = b.graph.node(0)->operand(0);
  ASSERT_TRUE(folded->isConstant());
  EXPECT_EQ(folded->name(), "sum");
  EXPECT_EQ(folded->constant()->doubleAt(0), 1.5);
  EXPECT_EQ(folded->constant()->doubleAt(1), 2.25);
  // The graph output now is the constant, under the same name.
  EXPECT_EQ(b.graph.outputs()[1], folded);
}

TEST(FuseActivationsTest, CostAndTypesUnchanged) {
  Builder b;
  Value *x = b.graph.addInput("x", TensorType(DType::F32, {1, 2, 4, 4}));
  Value *w = b.constant("w", b.random(2 * 2 * 9, -1, 1), {2, 2, 3, 3});
  Value *c = b.node("Conv", {x, w}, "c", {{"pads", Attribute(std::vector<int64_t>{1, 1, 1, 1})}});
  OpCost before = nodeCost(*c->producer());
  b.graph.addOutput(b.node("LeakyRelu", {c}, "y", {{"alpha", Attribute(0.125f)}}));
  ASSERT_TRUE(createFuseActivationsPass()->run(b.graph).ok());
  ASSERT_TRUE(verifyAfterPass(b.graph).ok());
  ASSERT_EQ(b.graph.numNodes(), 1u);
  const Node &conv = *b.graph.node(0);
  EXPECT_EQ(conv.attr("fused_activation")->getString(), "LeakyRelu");
  EXPECT_EQ(conv.attr("fused_alpha")->getFloat(), 0.125f);
  EXPECT_EQ(conv.result()->name(), "y");
  EXPECT_EQ(conv.result()->type(), TensorType(DType::F32, {1, 2, 4, 4}));
  EXPECT_EQ(nodeCost(conv).macs, before.macs);
  EXPECT_EQ(nodeCost(conv).params, before.params);
}

/// Changes a result type behind inference's back.
class BreakTypesPass final : public Pass {
public:
  llvm::StringRef name() const override { return "break-types"; }
  llvm::StringRef description() const override { return "a buggy pass"; }
  absl::Status run(Graph &graph) override {
    graph.node(0)->result()->setType(TensorType(DType::F32, {7}));
    return absl::OkStatus();
  }
};

TEST(PassPipelineTest, ChecksAndPrintsAfterEveryPass) {
  Builder b;
  Value *x = b.graph.addInput("x", TensorType(DType::F32, {1, 4}));
  Value *i = b.node("Identity", {x}, "i");
  b.graph.addOutput(b.node("Relu", {i}, "y"));

  PassPipeline pipeline;
  pipeline.add(createRemoveIdentityPass());
  pipeline.add(createRemoveDeadNodesPass());
  std::string printed;
  llvm::raw_string_ostream os(printed);
  PipelineOptions options;
  options.printAfterAll = &os;
  ASSERT_TRUE(pipeline.run(b.graph, options).ok());
  EXPECT_EQ(pipeline.names(), (std::vector<std::string>{"remove-identity",
                                                        "remove-dead-nodes"}));
  EXPECT_NE(printed.find("// -----// IR after remove-identity //----- //\n"
                         "graph @t(%x: f32[1,4]) -> (%y) {\n"
                         "  %y = Relu(%x) : f32[1,4]\n}\n"),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("// -----// IR after remove-dead-nodes //----- //"),
            std::string::npos);

  PassPipeline broken;
  broken.add(std::make_unique<BreakTypesPass>());
  absl::Status status = broken.run(b.graph);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(std::string(status.message()).rfind("break-types: invalid IR after the pass: ", 0),
            0u)
      << status;
}

TEST(PassPipelineTest, NamesAndParsing) {
  EXPECT_EQ(buildDefaultPipeline().names(), allPassNames());
  absl::StatusOr<PassPipeline> some = buildPipeline("fuse-activations, fold-constants");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->names(), (std::vector<std::string>{"fuse-activations", "fold-constants"}));
  EXPECT_TRUE(buildPipeline("")->empty());
  EXPECT_FALSE(buildPipeline("fold-constants,nope").ok());
}

} // namespace
} // namespace tinyplan
