//===- Reduce.cpp - ONNX ReduceMean, ReduceSum and the other reductions ---===//
//
// The Reduce family: one table row per op. Each reduces a set of axes,
// kept as size-1 dims (keepdims = 1, the default) or dropped. The axes are
// an attribute until the opset in which they became an optional constant
// input (13 for ReduceSum, 18 for the others). No axes means every axis,
// unless that opset's noop_with_empty_axes asks for no reduction, in which
// case each element is reduced on its own (ReduceL1 of one element is its
// absolute value).
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

#include "llvm/ADT/SmallBitVector.h"

namespace tinyplan {
namespace {

struct ReduceRow {
  const char *opType;
  /// The opset from which `axes` is an input rather than an attribute.
  int64_t axesInputSince;
  /// Whether the reduction of a single element is that element (Mean, Sum,
  /// Max, Min, Prod, LogSumExp), so that reducing nothing is a view.
  bool singleIsItself;
  /// The opset from which bool data is allowed (ReduceMax and ReduceMin
  /// from 20: any and all); 0 for never.
  int64_t boolSince = 0;
};

constexpr ReduceRow kReduceOps[] = {
    {"ReduceMean", 18, true},       {"ReduceSum", 13, true},    {"ReduceMax", 18, true, 20},
    {"ReduceMin", 18, true, 20},    {"ReduceProd", 18, true},   {"ReduceL1", 18, false},
    {"ReduceL2", 18, false},        {"ReduceLogSum", 18, false}, {"ReduceLogSumExp", 18, true},
    {"ReduceSumSquare", 18, false},
};

const ReduceRow &reduceRow(llvm::StringRef opType) {
  for (const ReduceRow &row : kReduceOps)
    if (opType == row.opType)
      return row;
  llvm_unreachable("not a Reduce op");
}

} // namespace

absl::StatusOr<llvm::SmallBitVector> reducedAxes(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  const int64_t since = reduceRow(node.opType()).axesInputSince;
  std::vector<int64_t> axes;
  bool noopWithEmptyAxes = false;
  if (opset < since) {
    if (node.numOperands() > 1)
      return modelError("takes 1 input before opset ", since, ", got ", node.numOperands());
    TP_ASSIGN_OR_RETURN(axes, node.getInts("axes"));
  } else {
    if (node.hasAttr("axes"))
      return modelError("attribute 'axes' became an input in opset ", since);
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

class ReduceOp final : public OpDef {
public:
  explicit ReduceOp(const ReduceRow &row) : OpDef(row.opType, 1, 2), row_(row) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    const TensorType &data = node.operand(0)->type();
    bool boolOk = data.dtype == DType::Bool && row_.boolSince && opset >= row_.boolSince;
    if (!isFloat(data.dtype) && !isInteger(data.dtype) && !boolOk)
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
  /// reduced), the ops whose reduction of one element is that element
  /// leave the bytes as they are.
  bool isView(const Node &node, unsigned) const override {
    return row_.singleIsItself &&
           node.result(0)->type().numElements() == node.operand(0)->type().numElements();
  }
  bool isIdentity(const Node &node) const override {
    return row_.singleIsItself && node.result(0)->type() == node.operand(0)->type();
  }

private:
  const ReduceRow &row_;
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const ReduceRow &row : kReduceOps)
    registry.add(std::make_unique<ReduceOp>(row));
}

} // namespace tinyplan
