//===- ReduceMean.cpp - ONNX ReduceMean -----------------------------------===//
//
// Mean over a set of axes, kept as size-1 dims (keepdims = 1, the default)
// or dropped. The axes are an attribute before opset 18 and an optional
// constant input from 18 on. No axes means every axis, unless opset 18's
// noop_with_empty_axes asks for the input unchanged.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

#include "llvm/ADT/SmallBitVector.h"

namespace tinyplan {

absl::StatusOr<llvm::SmallBitVector> reducedAxes(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  std::vector<int64_t> axes;
  bool noopWithEmptyAxes = false;
  if (opset < 18) {
    if (node.numOperands() > 1)
      return modelError("takes 1 input before opset 18, got ", node.numOperands());
    TP_ASSIGN_OR_RETURN(axes, node.getInts("axes"));
  } else {
    if (node.hasAttr("axes"))
      return modelError("attribute 'axes' became an input in opset 18");
    if (node.operand(1)) {
      if (node.operand(1)->type().dtype != DType::I64)
        return modelError("axes must be i64, got ", node.operand(1)->type().str());
      TP_ASSIGN_OR_RETURN(axes, constantIntsOperand(node, 1, "axes"));
    }
    TP_ASSIGN_OR_RETURN(int64_t noop, node.getInt("noop_with_empty_axes", 0));
    noopWithEmptyAxes = noop != 0;
  }

  llvm::SmallBitVector reduced(data.rank());
  if (axes.empty()) {
    if (!noopWithEmptyAxes)
      reduced.set();
    return reduced;
  }
  for (int64_t axis : axes) {
    TP_ASSIGN_OR_RETURN(int64_t normalized, normalizeAxis(axis, data.rank()));
    if (reduced.test(normalized))
      return modelError("axis ", normalized, " appears twice in axes");
    reduced.set(normalized);
  }
  return reduced;
}

namespace {

class ReduceMeanOp final : public OpDef {
public:
  ReduceMeanOp() : OpDef("ReduceMean", 1, 2) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    const TensorType &data = node.operand(0)->type();
    if (!isFloat(data.dtype) && !isInteger(data.dtype))
      return modelError("data must be numeric, got ", data.str());
    TP_ASSIGN_OR_RETURN(int64_t keepDims, node.getInt("keepdims", 1));
    TP_ASSIGN_OR_RETURN(llvm::SmallBitVector reduced, reducedAxes(node, opset));
    if (reduced.none())
      return TypeList{data};
    Shape outShape;
    for (int64_t axis = 0; axis < data.rank(); ++axis) {
      if (!reduced.test(axis))
        outShape.push_back(data.shape[axis]);
      else if (keepDims)
        outShape.push_back(1);
    }
    return TypeList{TensorType(data.dtype, outShape)};
  }

  /// Without reduced elements (noop_with_empty_axes, or only dims of 1
  /// reduced), every element is its own mean: the bytes stay as they are.
  bool isView(const Node &node, unsigned) const override {
    return node.result(0)->type().numElements() == node.operand(0)->type().numElements();
  }
  bool isIdentity(const Node &node) const override {
    return node.result(0)->type() == node.operand(0)->type();
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<ReduceMeanOp>());
}

} // namespace tinyplan
