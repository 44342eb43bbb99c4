//===- Expand.cpp - ONNX Expand and Tile: an input repeated ---------------===//
//
// Expand(input, shape) broadcasts the input numpy-style against `shape`
// (either side may have the 1s, so the result can be larger than `shape`
// says); Tile(input, repeats) lays `repeats[d]` copies of the input side by
// side along every dim d. Both need their second input as a constant (every
// shape is static). The result reads each input element several times: a
// strided copy with strides of 0, or the input itself when nothing repeats.
// Tile's `tiles` and `axis` inputs of opset 1 are not supported (tinyplan
// accepts opsets from 7).
//
//===----------------------------------------------------------------------===//
#include "Movement.h"
#include "FoldUtils.h"
#include "tinyplan/Support/Checked.h"

namespace tinyplan {
namespace {

absl::StatusOr<Shape> expandShape(const Node &node) {
  const TensorType &input = node.operand(0)->type();
  const Value *shapeInput = node.operand(1);
  if (shapeInput->type().rank() != 1)
    return modelError("input 'shape' must be 1-D, got ", shapeInput->type().str());
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> shape, constantIntsOperand(node, 1, "shape"));
  for (int64_t dim : shape)
    if (dim < 0)
      return modelError("shape ", intListStr(shape), " has a negative dim");
  absl::StatusOr<Shape> result = broadcastShapes(input.shape, shape);
  if (!result.ok())
    return modelError("input ", input.str(), " cannot be expanded to shape ",
                      intListStr(shape));
  return result;
}

absl::StatusOr<std::vector<int64_t>> tileRepeats(const Node &node) {
  const TensorType &input = node.operand(0)->type();
  if (node.operand(1)->type().rank() != 1)
    return modelError("input 'repeats' must be 1-D, got ", node.operand(1)->type().str());
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> repeats, constantIntsOperand(node, 1, "repeats"));
  if (int64_t(repeats.size()) != input.rank())
    return modelError("repeats ", intListStr(repeats), " has ", repeats.size(),
                      " entries, the input ", input.str(), " has rank ", input.rank());
  for (int64_t repeat : repeats)
    if (repeat < 0)
      return modelError("repeats ", intListStr(repeats), " has a negative entry");
  return repeats;
}

class ExpandOp final : public MovementOp {
public:
  ExpandOp() : MovementOp("Expand", 2, 2, 1, 1, expandRead) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_ASSIGN_OR_RETURN(Shape shape, expandShape(node));
    return TypeList{TensorType(node.operand(0)->type().dtype, shape)};
  }
};

class TileOp final : public MovementOp {
public:
  TileOp() : MovementOp("Tile", 2, 2, 1, 1, tileRead) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &input = node.operand(0)->type();
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> repeats, tileRepeats(node));
    Shape shape;
    for (size_t d = 0; d < repeats.size(); ++d) {
      std::optional<int64_t> dim = checkedMul(input.shape[d], repeats[d]);
      if (!dim)
        return modelError("tiled dim ", d, " overflows");
      shape.push_back(*dim);
    }
    return TypeList{TensorType(input.dtype, shape)};
  }
};

} // namespace

absl::StatusOr<StridedRead> expandRead(const Node &node, unsigned) {
  const TensorType &input = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(Shape shape, expandShape(node));
  Shape inStrides = rowMajorStrides(input.shape);
  StridedRead read;
  read.dims = shape;
  read.strides.assign(shape.size(), 0);
  size_t lead = shape.size() - size_t(input.rank());
  for (size_t d = 0; d < size_t(input.rank()); ++d)
    if (input.shape[d] != 1)
      read.strides[lead + d] = inStrides[d];
  return read;
}

absl::StatusOr<StridedRead> tileRead(const Node &node, unsigned) {
  const TensorType &input = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> repeats, tileRepeats(node));
  Shape inStrides = rowMajorStrides(input.shape);
  StridedRead read;
  for (size_t d = 0; d < repeats.size(); ++d) {
    read.dims.insert(read.dims.end(), {repeats[d], input.shape[d]});
    read.strides.insert(read.strides.end(), {0, inStrides[d]});
  }
  return read;
}

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<ExpandOp>());
  registry.add(std::make_unique<TileOp>());
}

} // namespace tinyplan
