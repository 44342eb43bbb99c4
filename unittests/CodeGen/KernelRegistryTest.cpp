//===- KernelRegistryTest.cpp - Choosing a C implementation per node ------===//
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpDef.h"

#include "gtest/gtest.h"
#include <set>
#include <string>

using namespace tinyplan;

namespace {

absl::Status emitNothing(const Node &, CEmitContext &) { return absl::OkStatus(); }

/// An implementation of \p opType called \p name.
KernelImpl impl(const char *opType, const char *name, CpuSet cpus, int priority) {
  KernelImpl result;
  result.opType = opType;
  result.name = name;
  result.cpus = cpus;
  result.priority = priority;
  result.emit = emitNothing;
  return result;
}

TEST(KernelRegistryTest, EveryOpThatSurvivesFoldingHasPortableC) {
  // Shape and ConstantOfShape always fold: their results are static.
  const std::set<std::string> kFoldedOnly = {"Shape", "ConstantOfShape"};
  for (const OpDef *op : OpRegistry::instance().all()) {
    // Other unit tests register ops of their own, in other domains.
    if (!canonicalDomain(op->domain()).empty())
      continue;
    std::vector<const KernelImpl *> impls =
        KernelRegistry::instance().implementations(op->domain(), op->opType());
    if (kFoldedOnly.count(op->opType().str())) {
      EXPECT_TRUE(impls.empty()) << op->opType().str();
      continue;
    }
    ASSERT_FALSE(impls.empty()) << op->opType().str() << " has no C kernel";
    const KernelImpl *portable = impls.back();
    EXPECT_EQ(portable->name, "portable") << op->opType().str();
    for (Cpu cpu : allCpus())
      EXPECT_TRUE(portable->cpus.contains(cpu))
          << op->opType().str() << " on " << cpuName(cpu).str();
  }
}

TEST(KernelRegistryTest, HigherPriorityForItsCpusThenPortable) {
  Graph graph;
  Value *x = graph.addInput("x", TensorType(DType::F32, {1, 4}));
  Node *relu = graph.addNode("r", "Relu", "", {x}, {"y"});
  Node *tanh = graph.addNode("t", "Tanh", "ai.onnx", {x}, {"z"});

  KernelRegistry registry;
  registry.add(impl("Relu", "portable", CpuSet::all(), 0));
  KernelImpl dsp = impl("Relu", "dsp", {Cpu::CortexM4, Cpu::CortexM4F, Cpu::CortexM7}, 1);
  // Only for rank 2, say.
  dsp.supports = [](const Node &node, Cpu) { return node.operand(0)->type().rank() == 2; };
  registry.add(dsp);
  registry.add(impl("Relu", "second", CpuSet::all(), 0));
  registry.add(impl("Tanh", "portable", CpuSet::all(), 0));

  EXPECT_EQ(registry.select(*relu, Cpu::Generic)->name, "portable");
  EXPECT_EQ(registry.select(*relu, Cpu::CortexM3)->name, "portable");
  EXPECT_EQ(registry.select(*relu, Cpu::CortexM4F)->name, "dsp");
  // "ai.onnx" is the default domain.
  EXPECT_EQ(registry.select(*tanh, Cpu::CortexM7)->name, "portable");

  std::vector<const KernelImpl *> order = registry.implementations("", "Relu");
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order[0]->name, "dsp");
  EXPECT_EQ(order[1]->name, "portable");
  EXPECT_EQ(order[2]->name, "second");

  Value *v = graph.addInput("v", TensorType(DType::F32, {4}));
  Node *rank1 = graph.addNode("r1", "Relu", "", {v}, {"w"});
  EXPECT_EQ(registry.select(*rank1, Cpu::CortexM4F)->name, "portable");
  Node *sigmoid = graph.addNode("s", "Sigmoid", "", {x}, {"u"});
  EXPECT_EQ(registry.select(*sigmoid, Cpu::Generic), nullptr);
}

TEST(CpuTest, NamesRoundTrip) {
  for (Cpu cpu : allCpus())
    EXPECT_EQ(parseCpuName(cpuName(cpu)), cpu) << cpuName(cpu).str();
  EXPECT_EQ(cpuName(Cpu::CortexM0Plus), "cortex-m0plus");
  EXPECT_EQ(parseCpuName("cortex-m5"), std::nullopt);
  EXPECT_EQ(cpuOfCore("Cortex-M4F"), Cpu::CortexM4F);
  EXPECT_EQ(cpuOfCore("cortex-m0+"), Cpu::CortexM0Plus);
  EXPECT_EQ(cpuOfCore("Xtensa LX7"), std::nullopt);
  EXPECT_EQ(cpuOfCore(""), std::nullopt);
}

TEST(CpuTest, Sets) {
  CpuSet m4 = {Cpu::CortexM4, Cpu::CortexM4F};
  EXPECT_TRUE(m4.contains(Cpu::CortexM4F));
  EXPECT_FALSE(m4.contains(Cpu::Generic));
  EXPECT_FALSE(CpuSet().contains(Cpu::Generic));
  for (Cpu cpu : allCpus())
    EXPECT_TRUE(CpuSet::all().contains(cpu));
}

} // namespace
