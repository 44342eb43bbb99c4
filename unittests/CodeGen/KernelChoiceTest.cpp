//===- KernelChoiceTest.cpp - --conv and the kernels' scratch -------------===//
#include "tinyplan/CodeGen/CEmitter.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

#include "../GraphTestUtils.h"
#include "gtest/gtest.h"

using namespace tinyplan;

namespace {

/// A 3x3 Conv over 3 channels (K = 27, 8 outputs) and a depthwise one.
const char *const kTwoConvs = R"(
<ir_version: 8, opset_import: ["" : 13]>
two (float[1,3,10,10] x) => (float[1,3,10,10] d, float[1,8,10,10] y)
<float[8,3,3,3] w = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,
  1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,
  1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,
  1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,
  1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,
  1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,
  1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,
  1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27},
 float[3,1,3,3] wd = {1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9}>
{
  y = Conv <pads = [1, 1, 1, 1]> (x, w)
  d = Conv <pads = [1, 1, 1, 1], group = 3> (x, wd)
}
)";

TEST(KernelChoiceTest, ConvMethodChoosesTheImplementationAndItsScratch) {
  std::unique_ptr<Graph> graph = parse(kTwoConvs);
  ASSERT_TRUE(graph);
  const Node &conv = *graph->node(0), &depthwise = *graph->node(1);
  CEmitOptions options;
  // The default is the direct kernel, with no scratch.
  EXPECT_EQ(chooseKernel(conv, options)->name, "portable");
  EXPECT_EQ(kernelScratchBytes(*graph, options), (std::vector<int64_t>{0, 0}));
  // The registry's own choice never takes a method implementation.
  EXPECT_EQ(KernelRegistry::instance().select(conv, Cpu::Generic)->name, "portable");

  // im2col: 4 pixels x 27 terms x 4 bytes; depthwise 4 x 9 x 4.
  options.conv = ConvMethod::Im2col;
  EXPECT_EQ(chooseKernel(conv, options)->name, "im2col");
  EXPECT_EQ(chooseKernel(depthwise, options)->name, "im2col");
  EXPECT_EQ(kernelScratchBytes(*graph, options), (std::vector<int64_t>{432, 144}));

  // auto: the rule (measured on the M4) keeps 3x3 and depthwise direct.
  options.conv = ConvMethod::Auto;
  EXPECT_EQ(chooseKernel(conv, options)->name, "portable");
  EXPECT_EQ(chooseKernel(depthwise, options)->name, "portable");
  EXPECT_EQ(kernelScratchBytes(*graph, options), (std::vector<int64_t>{0, 0}));
}

/// A pointwise Conv of 1024 pixels and 64 output channels: auto's shape.
const char *const kPointwise = R"(
<ir_version: 8, opset_import: ["" : 13]>
pw (float[1,64,32,32] x) => (float[1,64,32,32] y)
<int64[4] shape = {64, 64, 1, 1}>
{
  w = ConstantOfShape <value = float[1] {0.5}> (shape)
  y = Conv (x, w)
}
)";

TEST(KernelChoiceTest, AutoTakesIm2colForWidePointwiseUnlessKeptDefault) {
  std::unique_ptr<Graph> graph = parse(kPointwise);
  ASSERT_TRUE(graph);
  const Node *conv = nullptr;
  for (const auto &node : graph->nodes())
    if (node->opType() == "Conv")
      conv = node.get();
  ASSERT_TRUE(conv);
  CEmitOptions options;
  options.conv = ConvMethod::Auto;
  EXPECT_EQ(chooseKernel(*conv, options)->name, "im2col");
  EXPECT_EQ(kernelScratchBytes(*graph, options)[conv->id()], 4 * 64 * 4);
  options.keepDefault.assign(graph->numNodes(), false);
  options.keepDefault[conv->id()] = true;
  EXPECT_EQ(chooseKernel(*conv, options)->name, "portable");
  EXPECT_EQ(kernelScratchBytes(*graph, options)[conv->id()], 0);
}

/// An int8 depthwise 3x3 QLinearConv over a 2-channel 6x6 plane.
const char *const kQDepthwise = R"(
<ir_version: 8, opset_import: ["" : 13]>
qdw (uint8[1,2,6,6] x) => (uint8[1,2,6,6] y)
<float xs = {0.5}, uint8 xz = {128}, int8[2,1,3,3] w = {1,2,3,4,5,6,7,8,9,9,8,7,6,5,4,3,2,1},
 float[2] ws = {0.25, 0.125}, int8[2] wz = {0, 0}, float ys = {2}, uint8 yz = {120}>
{
  y = QLinearConv <pads = [1, 1, 1, 1], group = 2> (x, xs, xz, w, ws, wz, ys, yz)
}
)";

TEST(KernelChoiceTest, AutoGivesTheInt8DepthwiseKernelTheWholePlaneUnlessKeptDefault) {
  std::unique_ptr<Graph> graph = parse(kQDepthwise);
  ASSERT_TRUE(graph);
  const Node &conv = *graph->node(0);
  // A ring of 3 padded rows of (6 - 1) + (3 - 1) + 4 int16, or all 8 rows;
  // and a byte to align it.
  CEmitOptions options;
  options.conv = ConvMethod::Auto;
  EXPECT_EQ(chooseKernel(conv, options)->name, "depthwise-plane");
  EXPECT_EQ(kernelScratchBytes(*graph, options)[conv.id()], 8 * 11 * 2 + 1);
  options.keepDefault.assign(graph->numNodes(), false);
  options.keepDefault[conv.id()] = true;
  EXPECT_EQ(chooseKernel(conv, options)->name, "depthwise");
  EXPECT_EQ(kernelScratchBytes(*graph, options)[conv.id()], 3 * 11 * 2 + 1);
  // Only auto takes it.
  options.keepDefault.clear();
  options.conv = ConvMethod::Direct;
  EXPECT_EQ(chooseKernel(conv, options)->name, "depthwise");
  options.conv = ConvMethod::Im2col;
  EXPECT_EQ(chooseKernel(conv, options)->name, "depthwise");
}

} // namespace
