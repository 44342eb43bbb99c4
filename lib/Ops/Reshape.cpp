//===- Reshape.cpp - Reshape, Flatten, Squeeze, Unsqueeze -----------------===//
//
// The ops that change a tensor's shape but not its bytes. They differ only in
// how the new shape is computed, so they are one table of shape functions
// sharing one OpDef: the result has the input's dtype, folding re-labels the
// constant (a splat stays a splat), and the shape/axes operands are not
// parameters. In generated code every one of them is a view.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/Checked.h"

namespace tinyplan {
namespace {

using ShapeFn = absl::StatusOr<Shape> (*)(const Node &, int64_t opset);

/// Reshape(data, shape) (the shape is an attribute before opset 5). A 0 copies
/// the input's dim at the same index unless allowzero = 1 (opset 14), where
/// it means an empty dim; one -1 is inferred from the element count.
absl::StatusOr<Shape> reshapeShape(const Node &node, int64_t opset) {
  const TensorType &input = node.operand(0)->type();
  std::vector<int64_t> target;
  if (opset < 5) {
    if (node.operand(1))
      return modelError("the shape is an attribute before opset 5, not an input");
    if (!node.hasAttr("shape"))
      return modelError("attribute 'shape' is required");
    TP_ASSIGN_OR_RETURN(target, node.getInts("shape"));
  } else {
    TP_RETURN_IF_ERROR(requireRank(node, 1, 1, "shape"));
    TP_ASSIGN_OR_RETURN(target, constantIntsOperand(node, 1, "shape"));
  }
  int64_t allowZero = 0;
  if (opset >= 14) {
    TP_ASSIGN_OR_RETURN(allowZero, node.getInt("allowzero", 0));
  }

  Shape shape;
  std::optional<size_t> inferred;
  bool hasZero = false;
  int64_t known = 1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t dim = target[i];
    if (dim == -1) {
      if (inferred)
        return modelError("shape ", intListStr(target), " has more than one -1");
      inferred = i;
      shape.push_back(1);
      continue;
    }
    if (dim < -1)
      return modelError("shape ", intListStr(target), " has invalid dim ", dim);
    if (dim == 0) {
      hasZero = true;
      if (!allowZero) {
        if (int64_t(i) >= input.rank())
          return modelError("shape ", intListStr(target), " copies dim ", i,
                            " (a 0), but the input ", input.str(), " has rank ",
                            input.rank());
        dim = input.shape[i];
      }
    }
    std::optional<int64_t> product = checkedMul(known, dim);
    if (!product)
      return modelError("shape ", intListStr(target), " overflows");
    known = *product;
    shape.push_back(dim);
  }
  if (allowZero && hasZero && inferred)
    return modelError("shape ", intListStr(target),
                      " has both 0 and -1, which allowzero = 1 forbids");
  int64_t total = input.numElements();
  if (inferred) {
    if (known == 0 || total % known != 0)
      return modelError("cannot reshape ", input.str(), " to ", intListStr(target),
                        ": ", total, " elements do not divide into dims of ", known);
    shape[*inferred] = total / known;
  } else if (known != total) {
    return modelError("cannot reshape ", input.str(), " (", total,
                      " elements) to ", intListStr(target), " (", known,
                      " elements)");
  }
  return shape;
}

/// Flatten(input) {axis = 1}: [prod(dims before axis), prod(dims from axis)];
/// axis may be rank (giving [n, 1]) or negative.
absl::StatusOr<Shape> flattenShape(const Node &node, int64_t) {
  const TensorType &input = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 1));
  int64_t rank = input.rank();
  if (axis < -rank || axis > rank)
    return modelError("axis ", axis, " is out of range for rank ", rank);
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= input.shape[d];
  return Shape{outer, inner};
}

/// The axes of Squeeze/Unsqueeze: an attribute before opset 13, an input
/// (which must be constant) since. nullopt when absent.
absl::StatusOr<std::optional<std::vector<int64_t>>> axesOf(const Node &node,
                                                            int64_t opset) {
  if (opset < 13) {
    if (node.operand(1))
      return modelError("axes are an attribute before opset 13, not an input");
    if (!node.hasAttr("axes"))
      return std::optional<std::vector<int64_t>>();
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> axes, node.getInts("axes"));
    return std::optional<std::vector<int64_t>>(std::move(axes));
  }
  if (!node.operand(1))
    return std::optional<std::vector<int64_t>>();
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> axes, constantIntsOperand(node, 1, "axes"));
  return std::optional<std::vector<int64_t>>(std::move(axes));
}

/// Normalises \p axes against \p rank into a per-dim mask; repeats are errors.
absl::StatusOr<std::vector<bool>> axisMask(llvm::ArrayRef<int64_t> axes,
                                           int64_t rank) {
  std::vector<bool> mask(size_t(rank), false);
  for (int64_t axis : axes) {
    TP_ASSIGN_OR_RETURN(int64_t normalized, normalizeAxis(axis, rank));
    if (mask[size_t(normalized)])
      return modelError("axes ", intListStr(axes), " name axis ", normalized,
                        " twice");
    mask[size_t(normalized)] = true;
  }
  return mask;
}

/// Squeeze(data, axes?): drops the listed dims, which must be 1; without
/// axes (or with an empty list, as ONNX Runtime reads it) drops every 1.
absl::StatusOr<Shape> squeezeShape(const Node &node, int64_t opset) {
  const TensorType &input = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(auto axes, axesOf(node, opset));
  Shape shape;
  if (!axes || axes->empty()) {
    for (int64_t dim : input.shape)
      if (dim != 1)
        shape.push_back(dim);
    return shape;
  }
  TP_ASSIGN_OR_RETURN(std::vector<bool> squeezed, axisMask(*axes, input.rank()));
  for (int64_t d = 0; d < input.rank(); ++d) {
    if (!squeezed[size_t(d)])
      shape.push_back(input.shape[d]);
    else if (input.shape[d] != 1)
      return modelError("cannot squeeze axis ", d, " of size ", input.shape[d],
                        " in ", input.str());
  }
  return shape;
}

/// Unsqueeze(data, axes): inserts dims of size 1 at the listed positions of
/// the result (so negative axes count from the back of the result).
absl::StatusOr<Shape> unsqueezeShape(const Node &node, int64_t opset) {
  const TensorType &input = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(auto axes, axesOf(node, opset));
  if (!axes)
    return modelError(opset < 13 ? "attribute 'axes' is required"
                                 : "input 'axes' is required");
  int64_t rank = input.rank() + int64_t(axes->size());
  TP_ASSIGN_OR_RETURN(std::vector<bool> inserted, axisMask(*axes, rank));
  Shape shape;
  const int64_t *next = input.shape.begin();
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[size_t(d)] ? 1 : *next++);
  return shape;
}

struct ReshapeLikeInfo {
  const char *opType;
  unsigned minOperands, maxOperands;
  ShapeFn shapeFn;
};

const ReshapeLikeInfo kReshapeLikeOps[] = {
    {"Reshape", 1, 2, reshapeShape},
    {"Flatten", 1, 1, flattenShape},
    {"Squeeze", 1, 2, squeezeShape},
    {"Unsqueeze", 1, 2, unsqueezeShape},
};

class ReshapeLikeOp final : public OpDef {
public:
  explicit ReshapeLikeOp(const ReshapeLikeInfo &info)
      : OpDef(info.opType, info.minOperands, info.maxOperands), info_(info) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    TP_ASSIGN_OR_RETURN(Shape shape, info_.shapeFn(node, opset));
    return TypeList{TensorType(node.operand(0)->type().dtype, shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    return TensorList{operands[0]->reshaped(node.result(0)->type().shape)};
  }

  /// The shape or axes operand is not a parameter.
  OpCost cost(const Node &node) const override { return dataOperandCost(node, {0}); }

  /// The bytes are the input's bytes in the same order.
  bool isView(const Node &, unsigned) const override { return true; }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    return QdqFusion{QdqFusion::Kind::Move};
  }

private:
  const ReshapeLikeInfo &info_;
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const ReshapeLikeInfo &info : kReshapeLikeOps)
    registry.add(std::make_unique<ReshapeLikeOp>(info));
}

} // namespace tinyplan
