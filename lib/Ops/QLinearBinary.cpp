//===- QLinearBinary.cpp - com.microsoft QLinearAdd and QLinearMul --------===//
//
// QLinearAdd / QLinearMul(A, A_scale, A_zero_point?, B, B_scale,
// B_zero_point?, C_scale, C_zero_point?) (ONNX Runtime's contrib domain,
// as its quantizer writes them): A and B, int8 or uint8 of one type,
// dequantized, added or multiplied with numpy broadcasting, the result
// quantized with C's parameters. Every scale and zero point is per tensor.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"

namespace tinyplan {
namespace {

class QLinearBinaryOp final : public OpDef {
public:
  explicit QLinearBinaryOp(const char *opType) : OpDef(opType, 7, 8, 1, 1, "com.microsoft") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &a = node.operand(0)->type(), &b = node.operand(3)->type();
    TP_RETURN_IF_ERROR(checkQuantizedType(a.dtype, "input A"));
    if (b.dtype != a.dtype)
      return modelError("inputs A and B have different types: ", a.str(), ", ", b.str());
    for (auto [index, prefix] : {std::pair<unsigned, const char *>{1, "A"}, {4, "B"}, {6, "C"}})
      TP_RETURN_IF_ERROR(checkPerTensorParams(node, index, prefix, a.dtype));
    TP_ASSIGN_OR_RETURN(Shape shape, broadcastShapes(a.shape, b.shape));
    return TypeList{TensorType(a.dtype, shape)};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    return elementwisePatch(node, {0, 3});
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<QLinearBinaryOp>("QLinearAdd"));
  registry.add(std::make_unique<QLinearBinaryOp>("QLinearMul"));
}

} // namespace tinyplan
