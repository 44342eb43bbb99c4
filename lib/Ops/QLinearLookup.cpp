//===- QLinearLookup.cpp - com.microsoft QLinearSigmoid, QLinearLeakyRelu -===//
//
// QLinearSigmoid / QLinearLeakyRelu(X, X_scale, X_zero_point?, Y_scale,
// Y_zero_point?) (ONNX Runtime's contrib domain): X, int8 or uint8,
// dequantized, passed through the logistic function or LeakyRelu
// (attribute alpha, default 0.01), quantized again with Y's parameters
// (per tensor, Y of X's type). ONNX Runtime computes both as a table of
// 256 results, one per byte value.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"

namespace tinyplan {
namespace {

class QLinearLookupOp final : public OpDef {
public:
  explicit QLinearLookupOp(const char *opType) : OpDef(opType, 4, 5, 1, 1, "com.microsoft") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    TP_RETURN_IF_ERROR(checkQuantizedType(x.dtype, "input X"));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 1, "X", x.dtype));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 3, "Y", x.dtype));
    TP_ASSIGN_OR_RETURN(float alpha, node.getFloat("alpha", 0.01f));
    (void)alpha;
    return TypeList{x};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    return elementwisePatch(node, {0});
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<QLinearLookupOp>("QLinearSigmoid"));
  registry.add(std::make_unique<QLinearLookupOp>("QLinearLeakyRelu"));
}

} // namespace tinyplan
