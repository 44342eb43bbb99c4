//===- CumSum.cpp - ONNX CumSum: running sums along one axis --------------===//
//
// CumSum(x, axis) (opset 11): y has x's type and shape; along `axis` each
// element is the sum of x's elements up to and including its own, or with
// exclusive = 1 up to and without it, from the first element or with
// reverse = 1 from the last. `axis` is a 0-D (or one-element 1-D) i32 or
// i64 tensor, negative counting from the end; it must be a constant here,
// since it decides the loop. Element types: f32, f64, i32, i64, u32, u64,
// and from opset 14 f16 and bf16.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

absl::StatusOr<CumSumRows> cumSumRows(const Node &node) {
  const TensorType &x = node.operand(0)->type();
  const TensorType &axisType = node.operand(1)->type();
  if (axisType.dtype != DType::I32 && axisType.dtype != DType::I64)
    return modelError("input 'axis' must be an i32 or i64 tensor, got ", axisType.str());
  if (axisType.rank() > 1 || axisType.numElements() != 1)
    return modelError("input 'axis' must be a scalar, got ", axisType.str());
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> axes, constantIntsOperand(node, 1, "axis"));
  CumSumRows rows;
  TP_ASSIGN_OR_RETURN(rows.axis, normalizeAxis(axes[0], x.rank()));
  AxisBlocks blocks = axisBlocks(x.shape, rows.axis);
  rows.outer = blocks.outer;
  rows.inner = blocks.inner;
  rows.n = x.shape[size_t(rows.axis)];
  TP_ASSIGN_OR_RETURN(rows.exclusive, getFlagAttr(node, "exclusive", false));
  TP_ASSIGN_OR_RETURN(rows.reverse, getFlagAttr(node, "reverse", false));
  return rows;
}

namespace {

bool cumSumType(DType type, int64_t opset) {
  switch (type) {
  case DType::F32:
  case DType::F64:
  case DType::I32:
  case DType::I64:
  case DType::U32:
  case DType::U64:
    return true;
  case DType::F16:
  case DType::BF16:
    return opset >= 14;
  default:
    return false;
  }
}

class CumSumOp final : public OpDef {
public:
  CumSumOp() : OpDef("CumSum", 2, 2) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &x = node.operand(0)->type();
    if (!cumSumType(x.dtype, opset))
      return modelError("input x has type ", x.str(), ", which CumSum does not take in opset ",
                        opset);
    if (x.rank() == 0)
      return modelError("input x must have rank at least 1, got ", x.str());
    TP_RETURN_IF_ERROR(cumSumRows(node).status());
    return TypeList{x};
  }

  /// The axis is not a learned parameter.
  OpCost cost(const Node &node) const override { return dataOperandCost(node, {0}); }

  /// Along each row the kernel reads x[k] before it writes y[k], and y[k]
  /// needs only x's elements before it (after it, in reverse), already
  /// read: y may be x.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &, unsigned) const override {
    return {0};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<CumSumOp>()); }

} // namespace tinyplan
