//===- TopK.cpp - ONNX TopK: the k largest or smallest along an axis ------===//
//
// TopK(X, K) -> (Values, Indices): along `axis` (default -1) the K largest
// elements (largest = 0: smallest) and their i64 indices, both of X's shape
// with that dim K. K is an attribute in opset 1 and a one-element 1-D i64
// input from opset 10 on, which must be a constant here (it decides the
// result's shape); it may not exceed the axis. Opset 11 adds `largest` and
// `sorted` and every numeric type (before: f16, f32, f64). Of equal
// elements the one with the lower index comes first, as ONNX specifies;
// with sorted = 0 the order is unspecified, and tinyplan sorts anyway.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

absl::StatusOr<TopKRows> topKRows(const Node &node, int64_t opset) {
  const TensorType &x = node.operand(0)->type();
  if (x.rank() == 0)
    return modelError("input X must have rank at least 1, got ", x.str());
  TopKRows rows;
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", -1));
  TP_ASSIGN_OR_RETURN(rows.axis, normalizeAxis(axis, x.rank()));
  AxisBlocks blocks = axisBlocks(x.shape, rows.axis);
  rows.outer = blocks.outer;
  rows.inner = blocks.inner;
  rows.n = x.shape[size_t(rows.axis)];
  if (opset < 10) {
    if (node.numOperands() > 1)
      return modelError("takes 1 input before opset 10 (k is an attribute), got ",
                        node.numOperands());
    if (!node.hasAttr("k"))
      return modelError("attribute 'k' is missing");
    TP_ASSIGN_OR_RETURN(rows.k, node.getInt("k", 0));
  } else {
    if (node.numOperands() < 2 || !node.operand(1))
      return modelError("input 'K' is missing");
    if (node.hasAttr("k"))
      return modelError("attribute 'k' became the input K in opset 10");
    const TensorType &kType = node.operand(1)->type();
    if (kType.dtype != DType::I64 || kType.rank() != 1 || kType.numElements() != 1)
      return modelError("input 'K' must be a 1-D i64 tensor of one element, got ", kType.str());
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> k, constantIntsOperand(node, 1, "K"));
    rows.k = k[0];
  }
  if (rows.k < 0 || rows.k > rows.n)
    return modelError("K = ", rows.k, " is not in [0, ", rows.n, "], the size of axis ",
                      rows.axis);
  if (opset >= 11) {
    TP_ASSIGN_OR_RETURN(rows.largest, getFlagAttr(node, "largest", true));
    TP_ASSIGN_OR_RETURN(rows.sorted, getFlagAttr(node, "sorted", true));
  } else if (node.hasAttr("largest") || node.hasAttr("sorted")) {
    return modelError("attributes 'largest' and 'sorted' arrived in opset 11");
  }
  return rows;
}

namespace {

class TopKOp final : public OpDef {
public:
  TopKOp() : OpDef("TopK", 1, 2, 2, 2) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &x = node.operand(0)->type();
    bool typeOk = opset >= 11 ? isFloat(x.dtype) || isInteger(x.dtype)
                              : x.dtype == DType::F16 || x.dtype == DType::F32 ||
                                    x.dtype == DType::F64;
    if (!typeOk)
      return modelError("input X has type ", x.str(), ", which TopK does not take in opset ",
                        opset);
    TP_ASSIGN_OR_RETURN(TopKRows rows, topKRows(node, opset));
    Shape shape(x.shape);
    shape[size_t(rows.axis)] = rows.k;
    return TypeList{TensorType(x.dtype, shape), TensorType(DType::I64, shape)};
  }

  /// K is not a learned parameter.
  OpCost cost(const Node &node) const override { return dataOperandCost(node, {0}); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<TopKOp>()); }

} // namespace tinyplan
