//===- ReportTest.cpp - Budgets, targets, token counts and the verdict ----===//
//
// Byte sizes as `--ram-budget` reads and the report writes them, the target
// table's consistency and the core each target implies, the C token count
// behind the code-size estimate, and the verdict of the LeNet-5 on both sides
// of its exact RAM need.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CodeSize.h"
#include "tinyplan/Import/Importer.h"
#include "tinyplan/Report/ModelReport.h"
#include "tinyplan/Report/Targets.h"
#include "tinyplan/Transforms/Passes.h"

#include "gtest/gtest.h"
#include <set>

namespace tinyplan {
namespace {

TEST(TargetsTest, ParseByteSize) {
  for (const char *text : {"262144", "256K", "256k", "256KB", "256kib", "256 KB", "262144B"})
    EXPECT_EQ(*parseByteSize(text), 262144) << text;
  EXPECT_EQ(*parseByteSize("2M"), 2 * 1024 * 1024);
  EXPECT_EQ(*parseByteSize("2MiB"), 2 * 1024 * 1024);
  EXPECT_EQ(*parseByteSize("0"), 0);
  for (const char *text : {"", "K", "12Q", "-5", "1.5M", "256KBB", "99999999999999999999",
                           "9007199254740993K"})
    EXPECT_FALSE(parseByteSize(text).ok()) << text;
}

TEST(TargetsTest, FormatByteSize) {
  EXPECT_EQ(formatByteSize(393216), "384 KB");
  EXPECT_EQ(formatByteSize(327680), "320 KB");
  EXPECT_EQ(formatByteSize(2 * 1024 * 1024), "2 MB");
  EXPECT_EQ(formatByteSize(1280 * 1024), "1280 KB");
  EXPECT_EQ(formatByteSize(1536), "1.5 KB");
  EXPECT_EQ(formatByteSize(100), "100 B");
}

TEST(TargetsTest, TableIsConsistent) {
  std::set<std::string> names;
  for (const McuTarget &target : mcuTargets()) {
    EXPECT_TRUE(names.insert(target.name.lower()).second) << target.name.str();
    EXPECT_GT(target.ramBytes, 0);
    EXPECT_GT(target.flashBytes, 0);
    EXPECT_GT(target.largestRamBlock, 0);
    EXPECT_LE(target.largestRamBlock, target.ramBytes) << target.name.str();
    EXPECT_EQ(findMcuTarget(target.name.upper()), &target);
  }
  EXPECT_GE(mcuTargets().size(), 10u);
  ASSERT_NE(findMcuTarget("stm32f469"), nullptr);
  EXPECT_EQ(findMcuTarget("stm32f469")->ramBytes, 384 * 1024);
  EXPECT_EQ(findMcuTarget("STM32F46"), nullptr);
}

TEST(TargetsTest, EveryTargetImpliesItsCpu) {
  for (const McuTarget &target : mcuTargets())
    EXPECT_TRUE(mcuTargetCpu(target).has_value())
        << target.name.str() << ": core '" << target.core.str() << "'";
  const std::pair<const char *, Cpu> kExpected[] = {
      {"STM32F469", Cpu::CortexM4F}, {"STM32F746", Cpu::CortexM7},
      {"STM32H743", Cpu::CortexM7},  {"STM32L476", Cpu::CortexM4F},
      {"STM32F072", Cpu::CortexM0},  {"nRF52840", Cpu::CortexM4F},
      {"RP2040", Cpu::CortexM0Plus}, {"ESP32-S3", Cpu::Generic},
      {"SAMD51", Cpu::CortexM4F},    {"i.MX-RT1060", Cpu::CortexM7}};
  for (auto [name, cpu] : kExpected) {
    ASSERT_NE(findMcuTarget(name), nullptr) << name;
    EXPECT_EQ(mcuTargetCpu(*findMcuTarget(name)), cpu) << name;
  }
  EXPECT_EQ(mcuCoreName(*findMcuTarget("RP2040")), "Cortex-M0+");
  EXPECT_EQ(mcuCoreName(*findMcuTarget("ESP32-S3")), "Xtensa LX7");
}

TEST(CodeSizeTest, CountsCTokens) {
  // a = b + 0x1.8p+1f ; f ( x ) ; with the comments skipped.
  EXPECT_EQ(countCTokens("a = b + 0x1.8p+1f; /* c d */ f(x); // e\n"), 11);
  EXPECT_EQ(countCTokens("y[i] = 1e-3f * (float)x[i];"), 15);
  EXPECT_EQ(countCTokens("printf(\"%d; %d\\n\", 1, 2);"), 9);
  EXPECT_EQ(countCTokens(""), 0);
  EXPECT_EQ(countCTokens("/* unterminated"), 0);
}

/// The LeNet-5 planned with the default passes.
struct LeNet {
  std::unique_ptr<Graph> graph;
  std::optional<Liveness> liveness;
  std::optional<GraphPlan> plan;

  LeNet() {
    auto imported = importModelFile(TINYPLAN_SOURCE_DIR "/onnx_models/lenet5.onnx", {});
    EXPECT_TRUE(imported.ok()) << imported.status();
    graph = std::move(*imported);
    EXPECT_TRUE(buildDefaultPipeline().run(*graph, {}).ok());
    liveness.emplace(*Liveness::compute(*graph));
    plan.emplace(*GraphPlan::build(*liveness));
  }
};

TEST(ModelReportTest, LeNetTotalsAndTheVerdictAtItsExactNeed) {
  LeNet lenet;
  CostAnalysis cost(*lenet.graph);
  absl::StatusOr<CodeSizeEstimate> code = estimateCodeSize(*lenet.plan);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(code->weightsBytes, 246824);
  // 19 kernels, and tp_fmaf, which the convolutions and matrix products call.
  EXPECT_EQ(code->kernels, 20);
  EXPECT_EQ(code->codeBytes(), code->modelBytes + code->libraryBytes);

  ReportOptions options;
  ModelReport plain = ModelReport::build(*lenet.plan, cost, code, options);
  const ReportTotals &t = plain.totals();
  EXPECT_EQ(t.params, 61706);
  EXPECT_EQ(t.macs, 416520);
  EXPECT_EQ(t.arena, 23520);
  EXPECT_EQ(t.peakBytes, t.lowerBound);
  EXPECT_EQ(t.peakStep, 1);
  EXPECT_FALSE(plain.verdict());
  // The input and the 11 nodes.
  ASSERT_EQ(plain.layers().size(), 12u);
  EXPECT_EQ(plain.layers()[0].op, "Input");
  EXPECT_EQ(plain.layers()[1].op, "Conv+Tanh");
  EXPECT_EQ(plain.layers()[1].weightBytes, (150 + 6) * 4);

  // RAM = arena + stack: 24,032 B fits 24,032 B and not one byte less.
  int64_t need = t.arena + kEstimatedStackBytes;
  for (int64_t budget : {need, need - 1}) {
    options.budget = MemoryBudget();
    options.budget->ramBytes = budget;
    ModelReport report = ModelReport::build(*lenet.plan, cost, code, options);
    ASSERT_TRUE(report.verdict());
    EXPECT_EQ(report.verdict()->ramNeeded, need);
    EXPECT_EQ(report.verdict()->fits(), budget == need);
    EXPECT_EQ(report.verdict()->flashNeeded, 246824 + code->codeBytes());
    if (budget != need) {
      EXPECT_EQ(report.verdict()->overMessage(),
                "does not fit 23.5 KB RAM: RAM needs 24,032 B, 1 B over its 24,031 B");
    }
  }

  // Without a code estimate the flash is the weights alone.
  options.budget->flashBytes = 246824;
  ModelReport noCode = ModelReport::build(*lenet.plan, cost,
                                          absl::UnimplementedError("no kernel"), options);
  EXPECT_TRUE(noCode.verdict()->fitsFlash);
  EXPECT_FALSE(noCode.verdict()->codeEstimated);
}

} // namespace
} // namespace tinyplan
