//===- ArgMax.cpp - ONNX ArgMax and ArgMin --------------------------------===//
//
// The index (i64) of the largest (smallest) element along `axis` (default
// 0), the axis kept as a dim of 1 (keepdims = 1, the default) or dropped.
// Ties go to the first index, or from opset 12 on with select_last_index =
// 1 to the last.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

absl::StatusOr<ArgReduce> argReduce(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  if (data.rank() == 0)
    return modelError("data must have rank at least 1, got ", data.str());
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 0));
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, data.rank()));
  ArgReduce arg;
  arg.axis = axis;
  TP_ASSIGN_OR_RETURN(arg.keepDims, node.getInt("keepdims", 1));
  if (opset >= 12) {
    TP_ASSIGN_OR_RETURN(int64_t last, node.getInt("select_last_index", 0));
    arg.selectLast = last != 0;
  } else if (node.hasAttr("select_last_index")) {
    return modelError("attribute 'select_last_index' arrived in opset 12");
  }
  for (int64_t d = 0; d < data.rank(); ++d) {
    if (d < axis)
      arg.outer *= data.shape[d];
    else if (d == axis)
      arg.n = data.shape[d];
    else
      arg.inner *= data.shape[d];
  }
  return arg;
}

namespace {

constexpr const char *kArgOps[] = {"ArgMax", "ArgMin"};

class ArgReduceOp final : public OpDef {
public:
  explicit ArgReduceOp(const char *opType) : OpDef(opType, 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    const TensorType &data = node.operand(0)->type();
    if (!isFloat(data.dtype) && !isInteger(data.dtype))
      return modelError("data must be numeric, got ", data.str());
    TP_ASSIGN_OR_RETURN(ArgReduce arg, argReduce(node, opset));
    if (arg.n == 0)
      return modelError("axis ", arg.axis, " has no elements to choose from");
    Shape outShape;
    for (int64_t d = 0; d < data.rank(); ++d) {
      if (d != arg.axis)
        outShape.push_back(data.shape[d]);
      else if (arg.keepDims)
        outShape.push_back(1);
    }
    return TypeList{TensorType(DType::I64, outShape)};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const char *opType : kArgOps)
    registry.add(std::make_unique<ArgReduceOp>(opType));
}

} // namespace tinyplan
