//===- QLinearSoftmax.cpp - com.microsoft QLinearSoftmax ------------------===//
//
// QLinearSoftmax(X, X_scale, x_zero_point?, y_scale, y_zero_point?)
// (ONNX Runtime's contrib domain): Softmax of int8 / uint8 X dequantized,
// quantized with y's parameters (per tensor, y of X's type). Attribute
// `opset` (required) is the ONNX Softmax opset it stands for: below 13 the
// rows are everything from `axis` on flattened, from 13 on they run along
// `axis` alone. `axis` defaults to -1 for every opset: ONNX Runtime's
// schema gives it that default (its kernel's fallback to 1 below opset 13
// never applies; checked against ONNX Runtime 1.30).
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"

namespace tinyplan {
namespace {

class QLinearSoftmaxOp final : public OpDef {
public:
  QLinearSoftmaxOp() : OpDef("QLinearSoftmax", 4, 5, 1, 1, "com.microsoft") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    TP_RETURN_IF_ERROR(checkQuantizedType(x.dtype, "input X"));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 1, "x", x.dtype));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 3, "y", x.dtype));
    if (!node.hasAttr("opset"))
      return modelError("attribute 'opset' is missing");
    TP_ASSIGN_OR_RETURN(int64_t opset, node.getInt("opset", 13));
    (void)opset;
    TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", -1));
    if (x.rank() == 0)
      return modelError("input X must have rank 1 or more, got ", x.str());
    TP_RETURN_IF_ERROR(normalizeAxis(axis, x.rank()).status());
    return TypeList{x};
  }

  OpCost cost(const Node &) const override { return OpCost(); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<QLinearSoftmaxOp>()); }

} // namespace tinyplan
