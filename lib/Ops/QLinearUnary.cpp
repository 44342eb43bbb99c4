//===- QLinearUnary.cpp - tinyplan QLinearUnary ---------------------------===//
//
// QLinearUnary(x, x_scale, x_zero_point, y_scale, y_zero_point) {op, ...}
// in domain "tinyplan" is what the fuse-qdq pass makes of a QDQ group
// DequantizeLinear -> float elementwise op -> QuantizeLinear that ONNX
// Runtime leaves in float (Tanh, Exp, Relu whose range the Q does not
// cover, ...): attribute op names the float op, its own attributes (alpha,
// ...) come along. Each element is dequantized, the op applied in float
// and the value quantized, with exactly the arithmetic of the three
// separate nodes, so the bits are theirs; only the float tensors are gone
// from the arena. int8 / uint8, per-tensor parameters.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"

namespace tinyplan {
namespace {

class QLinearUnaryOp final : public OpDef {
public:
  QLinearUnaryOp() : OpDef("QLinearUnary", 5, 5, 1, 1, "tinyplan") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    TP_RETURN_IF_ERROR(checkQuantizedType(x.dtype, "input x"));
    TP_ASSIGN_OR_RETURN(std::string op, node.getString("op", ""));
    if (op.empty())
      return modelError("attribute 'op' (the float op) is required");
    TP_RETURN_IF_ERROR(checkScaleOperand(node, 1, "x_scale", std::nullopt));
    TP_RETURN_IF_ERROR(checkZeroPointOperand(node, 2, "x_zero_point", x.dtype, 1));
    TP_RETURN_IF_ERROR(checkScaleOperand(node, 3, "y_scale", std::nullopt));
    DType yType = node.operand(4)->type().dtype;
    TP_RETURN_IF_ERROR(checkQuantizedType(yType, "y_zero_point"));
    TP_RETURN_IF_ERROR(checkZeroPointOperand(node, 4, "y_zero_point", yType, 3));
    if (yType != x.dtype)
      return quantUnsupported("input and output of different types (", dtypeName(x.dtype).str(),
                              ", ", dtypeName(yType).str(), ") are not supported");
    return TypeList{TensorType(yType, x.shape)};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  /// Element i is read before element i is written.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &, unsigned) const override {
    return {0};
  }

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    return elementwisePatch(node, {0});
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<QLinearUnaryOp>()); }

} // namespace tinyplan
