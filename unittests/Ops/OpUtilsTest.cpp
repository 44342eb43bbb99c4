//===- OpUtilsTest.cpp - Broadcasting, axes and window geometry -----------===//
#include "tinyplan/Ops/OpUtils.h"

#include "gtest/gtest.h"

using namespace tinyplan;

namespace {

TEST(OpUtilsTest, BroadcastShapesFollowsNumpy) {
  EXPECT_EQ(*broadcastShapes({2, 3, 4}, {4}), Shape({2, 3, 4}));
  EXPECT_EQ(*broadcastShapes({1, 3, 1}, {5, 1, 7}), Shape({5, 3, 7}));
  EXPECT_EQ(*broadcastShapes({}, {2, 2}), Shape({2, 2}));
  EXPECT_EQ(*broadcastShapes({0, 1}, {1, 3}), Shape({0, 3}));
  EXPECT_EQ(broadcastShapes({2, 3}, {4}).status().message(),
            "shapes [2,3] and [4] cannot be broadcast together");
}

TEST(OpUtilsTest, NormalizeAxis) {
  EXPECT_EQ(*normalizeAxis(-1, 4), 3);
  EXPECT_EQ(*normalizeAxis(0, 4), 0);
  EXPECT_EQ(normalizeAxis(4, 4).status().message(), "axis 4 is out of range for rank 4");
  EXPECT_FALSE(normalizeAxis(-5, 4).ok());
}

/// A pool node with the given attributes on an input of \p spatial dims.
struct WindowCase {
  Graph graph;
  Node *node;
  explicit WindowCase(std::vector<int64_t> spatial) {
    Shape shape = {1, 1};
    shape.append(spatial.begin(), spatial.end());
    Value *x = graph.addInput("x", TensorType(DType::F32, shape));
    node = graph.addNode("pool", "MaxPool", "", {x}, {"y"});
  }
};

TEST(OpUtilsTest, WindowGeometryExplicitPadsStridesDilations) {
  WindowCase c({32, 32});
  c.node->setAttr("strides", Attribute(std::vector<int64_t>{2, 1}));
  c.node->setAttr("pads", Attribute(std::vector<int64_t>{1, 0, 1, 0}));
  c.node->setAttr("dilations", Attribute(std::vector<int64_t>{1, 2}));
  auto g = computeWindowGeometry(*c.node, {32, 32}, {3, 3}, true, true);
  ASSERT_TRUE(g.ok()) << g.status();
  // (32 + 2 - 3) / 2 + 1 = 16; (32 - 5) / 1 + 1 = 28.
  EXPECT_EQ(g->outputSpatial, (std::vector<int64_t>{16, 28}));
}

TEST(OpUtilsTest, WindowGeometryCeilMode) {
  WindowCase c({5});
  c.node->setAttr("strides", Attribute(std::vector<int64_t>{2}));
  c.node->setAttr("ceil_mode", Attribute(int64_t(1)));
  auto g = computeWindowGeometry(*c.node, {5}, {2}, true, true);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->outputSpatial, (std::vector<int64_t>{3})); // ceil(3 / 2) + 1
}

TEST(OpUtilsTest, WindowGeometrySameUpperAndLower) {
  WindowCase upper({7});
  upper.node->setAttr("auto_pad", Attribute(std::string("SAME_UPPER")));
  upper.node->setAttr("strides", Attribute(std::vector<int64_t>{2}));
  auto g = computeWindowGeometry(*upper.node, {7}, {4}, true, true);
  ASSERT_TRUE(g.ok()) << g.status();
  // out = ceil(7 / 2) = 4; total pad = 3 * 2 + 4 - 7 = 3: 1 before, 2 after.
  EXPECT_EQ(g->outputSpatial, (std::vector<int64_t>{4}));
  EXPECT_EQ(g->padsBegin, (std::vector<int64_t>{1}));
  EXPECT_EQ(g->padsEnd, (std::vector<int64_t>{2}));

  WindowCase lower({7});
  lower.node->setAttr("auto_pad", Attribute(std::string("SAME_LOWER")));
  lower.node->setAttr("strides", Attribute(std::vector<int64_t>{2}));
  g = computeWindowGeometry(*lower.node, {7}, {4}, true, true);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->padsBegin, (std::vector<int64_t>{2}));
  EXPECT_EQ(g->padsEnd, (std::vector<int64_t>{1}));
}

TEST(OpUtilsTest, WindowGeometryRejectsBadAttributes) {
  WindowCase zero({8});
  zero.node->setAttr("strides", Attribute(std::vector<int64_t>{0}));
  EXPECT_EQ(computeWindowGeometry(*zero.node, {8}, {3}, true, true).status().message(),
            "attribute 'strides' has value 0; it must be positive");

  WindowCase big({4});
  EXPECT_EQ(computeWindowGeometry(*big.node, {4}, {5}, true, true).status().message(),
            "kernel extent 5 along spatial axis 0 is larger than the padded input (4)");

  WindowCase negative({4});
  negative.node->setAttr("pads", Attribute(std::vector<int64_t>{-1, 0}));
  EXPECT_EQ(computeWindowGeometry(*negative.node, {4}, {2}, true, true).status().message(),
            "attribute 'pads' has value -1; it must not be negative");

  WindowCase count({4, 4});
  count.node->setAttr("strides", Attribute(std::vector<int64_t>{1}));
  EXPECT_EQ(computeWindowGeometry(*count.node, {4, 4}, {2, 2}, true, true).status().message(),
            "attribute 'strides' has 1 entries, expected 2");
}

} // namespace
