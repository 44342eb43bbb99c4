//===- DepthToSpace.cpp - ONNX DepthToSpace and SpaceToDepth --------------===//
//
// DepthToSpace(x) {blocksize, mode} moves blocks of channels of an
// [N, C, H, W] input into blocksize x blocksize tiles of space, giving
// [N, C / b^2, H * b, W * b]; mode (opset 11) says how a channel index
// splits: "DCR" (the default, and the only mode before opset 11) as
// (tile row, tile column, channel), "CRD" as (channel, tile row, tile
// column). SpaceToDepth is the inverse of DCR: [N, C * b^2, H / b, W / b].
// ONNX defines both as a reshape to 6-D, a transpose and a reshape back,
// which is one strided read of the input.
//
//===----------------------------------------------------------------------===//
#include "Movement.h"
#include "FoldUtils.h"
#include "tinyplan/Support/Checked.h"

namespace tinyplan {
namespace {

/// The input's dims and the checked blocksize.
struct Blocks {
  int64_t n, c, h, w, b;
};

absl::StatusOr<Blocks> blocks(const Node &node) {
  const TensorType &input = node.operand(0)->type();
  if (input.rank() != 4)
    return modelError("input must be 4-D [N, C, H, W], got ", input.str());
  if (!node.hasAttr("blocksize"))
    return modelError("attribute 'blocksize' is required");
  TP_ASSIGN_OR_RETURN(int64_t b, node.getInt("blocksize", 0));
  if (b <= 0)
    return modelError("blocksize must be positive, got ", b);
  return Blocks{input.shape[0], input.shape[1], input.shape[2], input.shape[3], b};
}

/// Whether DepthToSpace \p node uses mode CRD (else DCR).
absl::StatusOr<bool> isCrd(const Node &node) {
  TP_ASSIGN_OR_RETURN(std::string mode, node.getString("mode", "DCR"));
  if (mode != "DCR" && mode != "CRD")
    return modelError("mode must be 'DCR' or 'CRD', got '", mode, "'");
  return mode == "CRD";
}

class DepthToSpaceOp final : public MovementOp {
public:
  DepthToSpaceOp() : MovementOp("DepthToSpace", 1, 1, 1, 1, depthToSpaceRead) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    if (opset < 11 && node.hasAttr("mode"))
      return modelError("attribute 'mode' exists since opset 11");
    TP_RETURN_IF_ERROR(isCrd(node).status());
    TP_ASSIGN_OR_RETURN(Blocks in, blocks(node));
    std::optional<int64_t> area = checkedMul(in.b, in.b);
    if (!area || in.c % *area != 0)
      return modelError("channels ", in.c, " are not a multiple of blocksize^2 (blocksize ",
                        in.b, ")");
    std::optional<int64_t> h = checkedMul(in.h, in.b), w = checkedMul(in.w, in.b);
    if (!h || !w)
      return modelError("the result's dims overflow");
    return TypeList{TensorType(node.operand(0)->type().dtype, {in.n, in.c / *area, *h, *w})};
  }
};

class SpaceToDepthOp final : public MovementOp {
public:
  SpaceToDepthOp() : MovementOp("SpaceToDepth", 1, 1, 1, 1, spaceToDepthRead) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_ASSIGN_OR_RETURN(Blocks in, blocks(node));
    if (in.h % in.b != 0 || in.w % in.b != 0)
      return modelError("height ", in.h, " and width ", in.w,
                        " must be multiples of blocksize ", in.b);
    std::optional<int64_t> area = checkedMul(in.b, in.b);
    std::optional<int64_t> c = area ? checkedMul(in.c, *area) : std::nullopt;
    if (!c)
      return modelError("the result's channels overflow");
    return TypeList{
        TensorType(node.operand(0)->type().dtype, {in.n, *c, in.h / in.b, in.w / in.b})};
  }
};

} // namespace

absl::StatusOr<StridedRead> depthToSpaceRead(const Node &node, unsigned) {
  TP_ASSIGN_OR_RETURN(Blocks in, blocks(node));
  TP_ASSIGN_OR_RETURN(bool crd, isCrd(node));
  int64_t b = in.b, c = in.c / (b * b), plane = in.h * in.w;
  // The result walked as [N, C', H, b (tile row), W, b (tile column)]; the
  // input channel is (row * b + column) * C' + c' in DCR, c' * b^2 + row * b
  // + column in CRD.
  StridedRead read;
  read.dims = {in.n, c, in.h, b, in.w, b};
  if (crd)
    read.strides = {in.c * plane, b * b * plane, in.w, b * plane, 1, plane};
  else
    read.strides = {in.c * plane, plane, in.w, b * c * plane, 1, c * plane};
  return read;
}

absl::StatusOr<StridedRead> spaceToDepthRead(const Node &node, unsigned) {
  TP_ASSIGN_OR_RETURN(Blocks in, blocks(node));
  int64_t b = in.b;
  // The result walked as [N, b (row in tile), b (column in tile), C, H / b,
  // W / b], reading input pixel (h' * b + row, w' * b + column).
  StridedRead read;
  read.dims = {in.n, b, b, in.c, in.h / b, in.w / b};
  read.strides = {in.c * in.h * in.w, in.w, 1, in.h * in.w, b * in.w, b};
  return read;
}

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<DepthToSpaceOp>());
  registry.add(std::make_unique<SpaceToDepthOp>());
}

} // namespace tinyplan
