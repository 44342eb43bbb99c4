//===- Shape.cpp - ONNX Shape: the static shape as an int64 tensor --------===//
//
// Every shape in tinyplan is static, so Shape is always known at compile time
// even when its input is a feature map computed on the target: it folds from
// the operand's type, never its data. This is what lets exporters' shape
// subgraphs (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) disappear.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {
namespace {

/// The [start, end) range of dims Shape reports. Opset 15 added 'start' and
/// 'end'; negative values count from the back and both are clamped to
/// [0, rank], so an empty range is not an error.
absl::StatusOr<std::pair<int64_t, int64_t>> dimRange(const Node &node,
                                                     int64_t rank, int64_t opset) {
  int64_t start = 0, end = rank;
  if (opset >= 15) {
    TP_ASSIGN_OR_RETURN(start, node.getInt("start", 0));
    TP_ASSIGN_OR_RETURN(end, node.getInt("end", rank));
  }
  auto clamp = [rank](int64_t axis) {
    if (axis < 0)
      axis = axis < -rank ? 0 : axis + rank;
    return std::min(axis, rank);
  };
  start = clamp(start);
  end = std::max(start, clamp(end));
  return std::make_pair(start, end);
}

class ShapeOp final : public OpDef {
public:
  ShapeOp() : OpDef("Shape", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    TP_ASSIGN_OR_RETURN(auto range, dimRange(node, node.operand(0)->type().rank(), opset));
    return TypeList{TensorType(DType::I64, {range.second - range.first})};
  }

  bool canFold() const override { return true; }
  bool foldNeedsConstantOperands() const override { return false; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *>,
                                  int64_t opset) const override {
    // The operand need not be constant: read its type.
    llvm::ArrayRef<int64_t> shape = node.operand(0)->type().shape;
    TP_ASSIGN_OR_RETURN(auto range, dimRange(node, int64_t(shape.size()), opset));
    return TensorList{Tensor::fromInt64s(
        shape.slice(size_t(range.first), size_t(range.second - range.first)))};
  }

  /// Reads no data, so a constant input is not a parameter of this node.
  OpCost cost(const Node &) const override { return OpCost(); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<ShapeOp>()); }

} // namespace tinyplan
