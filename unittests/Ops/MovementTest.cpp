//===- MovementTest.cpp - Split, Expand, Tile, DepthToSpace, SpaceToDepth -===//
//
// The strided reads these ops resolve to, checked element by element
// against ONNX's definitions written as index arithmetic (DepthToSpace's
// reshape / transpose / reshape, np.tile, np.broadcast_to, np.split), and
// which results the planner may make views.
//
//===----------------------------------------------------------------------===//
#include "OpTestHelpers.h"
#include "tinyplan/Ops/OpParams.h"

using namespace tinyplan;
using namespace tinyplan::optest;

namespace {

/// The input element each result element reads, in result order.
Ints readIndices(const StridedRead &read) {
  int64_t count = 1;
  for (int64_t dim : read.dims)
    count *= dim;
  Ints indices;
  for (int64_t i = 0; i < count; ++i) {
    int64_t rest = i, source = read.offset;
    for (size_t d = read.dims.size(); d-- > 0;) {
      source += rest % read.dims[d] * read.strides[d];
      rest /= read.dims[d];
    }
    indices.push_back(source);
  }
  return indices;
}

TEST(MovementTest, DepthToSpaceModesAndSpaceToDepth) {
  const int64_t n = 2, c = 8, h = 3, w = 2, b = 2, cc = c / (b * b);
  for (const char *mode : {"DCR", "CRD"}) {
    OneNode t;
    t.make("DepthToSpace", {t.input("x", {n, c, h, w})});
    t.set("blocksize", Attribute(b));
    t.set("mode", Attribute(std::string(mode)));
    ASSERT_TRUE(t.infer().ok());
    EXPECT_EQ(t.type(), f32({n, cc, h * b, w * b}));
    absl::StatusOr<StridedRead> read = depthToSpaceRead(*t.node, 0);
    ASSERT_TRUE(read.ok());
    // Result (i, j, y, x) is input channel (by, bx, j) in DCR, (j, by, bx)
    // in CRD, at pixel (y / b, x / b), with by = y % b and bx = x % b.
    Ints want;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < cc; ++j)
        for (int64_t y = 0; y < h * b; ++y)
          for (int64_t x = 0; x < w * b; ++x) {
            int64_t by = y % b, bx = x % b;
            int64_t channel = std::string(mode) == "DCR" ? (by * b + bx) * cc + j
                                                         : (j * b + by) * b + bx;
            want.push_back(((i * c + channel) * h + y / b) * w + x / b);
          }
    EXPECT_EQ(readIndices(*read), want) << mode;
  }

  // SpaceToDepth: result channel (by * b + bx) * c + j at (y, x) reads
  // input channel j at (y * b + by, x * b + bx).
  OneNode s;
  s.make("SpaceToDepth", {s.input("x", {n, 3, 4, 6})});
  s.set("blocksize", Attribute(b));
  ASSERT_TRUE(s.infer().ok());
  EXPECT_EQ(s.type(), f32({n, 12, 2, 3}));
  absl::StatusOr<StridedRead> read = spaceToDepthRead(*s.node, 0);
  ASSERT_TRUE(read.ok());
  Ints want;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < 12; ++k)
      for (int64_t y = 0; y < 2; ++y)
        for (int64_t x = 0; x < 3; ++x) {
          int64_t j = k % 3, by = k / 3 / b, bx = k / 3 % b;
          want.push_back(((i * 3 + j) * 4 + y * b + by) * 6 + x * b + bx);
        }
  EXPECT_EQ(readIndices(*read), want);
}

TEST(MovementTest, TileAndExpandRepeat) {
  OneNode t;
  t.make("Tile", {t.input("x", {2, 3}), t.ints("r", {3, 2})});
  ASSERT_TRUE(t.infer().ok());
  EXPECT_EQ(t.type(), f32({6, 6}));
  absl::StatusOr<StridedRead> read = tileRead(*t.node, 0);
  ASSERT_TRUE(read.ok());
  Ints want;
  for (int64_t y = 0; y < 6; ++y)
    for (int64_t x = 0; x < 6; ++x)
      want.push_back(y % 2 * 3 + x % 3);
  EXPECT_EQ(readIndices(*read), want);

  // [3, 1] against [2, 1, 4]: [2, 3, 4], the column repeated.
  OneNode e;
  e.make("Expand", {e.input("x", {3, 1}), e.ints("s", {2, 1, 4})});
  ASSERT_TRUE(e.infer().ok());
  EXPECT_EQ(e.type(), f32({2, 3, 4}));
  read = expandRead(*e.node, 0);
  ASSERT_TRUE(read.ok());
  want.clear();
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t y = 0; y < 3; ++y)
      for (int64_t x = 0; x < 4; ++x)
        want.push_back(y);
  EXPECT_EQ(readIndices(*read), want);
}

TEST(MovementTest, SplitPartsAndViews) {
  OneNode t;
  t.make("Split", {t.input("x", {2, 7})}, {"a", "b", "c"});
  t.set("axis", Attribute(int64_t(-1)));
  t.set("num_outputs", Attribute(int64_t(3)));
  ASSERT_TRUE(t.infer(18).ok());
  EXPECT_EQ(t.type(0), f32({2, 3}));
  EXPECT_EQ(t.type(2), f32({2, 1}));
  absl::StatusOr<StridedRead> read = splitRead(*t.node, 2);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(readIndices(*read), (Ints{6, 13}));
  const OpDef *op = lookupOp(*t.node);
  ASSERT_NE(op, nullptr);
  EXPECT_FALSE(op->isView(*t.node, 0));

  // One part is the input; so is a Tile by ones and an Expand that only
  // adds a leading 1, but not a Tile that repeats.
  OneNode whole;
  whole.make("Split", {whole.input("x", {2, 7})});
  ASSERT_TRUE(whole.infer(13).ok());
  EXPECT_TRUE(lookupOp(*whole.node)->isView(*whole.node, 0));
  OneNode ones;
  ones.make("Tile", {ones.input("x", {2, 7}), ones.ints("r", {1, 1})});
  ASSERT_TRUE(ones.infer().ok());
  EXPECT_TRUE(lookupOp(*ones.node)->isView(*ones.node, 0));
  OneNode lead;
  lead.make("Expand", {lead.input("x", {2, 7}), lead.ints("s", {1, 1, 7})});
  ASSERT_TRUE(lead.infer().ok());
  EXPECT_EQ(lead.type(), f32({1, 2, 7}));
  EXPECT_TRUE(lookupOp(*lead.node)->isView(*lead.node, 0));
  OneNode twice;
  twice.make("Tile", {twice.input("x", {2, 7}), twice.ints("r", {2, 1})});
  ASSERT_TRUE(twice.infer().ok());
  EXPECT_FALSE(lookupOp(*twice.node)->isView(*twice.node, 0));
}

} // namespace
