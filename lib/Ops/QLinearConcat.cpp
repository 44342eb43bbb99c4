//===- QLinearConcat.cpp - com.microsoft QLinearConcat --------------------===//
//
// QLinearConcat(Y_scale, Y_zero_point, X1, X1_scale, X1_zero_point, ...)
// {axis} (ONNX Runtime's contrib domain): each int8 / uint8 input
// dequantized with its own parameters and quantized again with Y's, then
// the inputs joined along `axis` as Concat joins them. Every input, zero
// point and the result have one type; parameters are per tensor.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"
#include "tinyplan/Support/Checked.h"

namespace tinyplan {
namespace {

constexpr unsigned kMaxOperands = 2 + 3 * (1 << 14);

class QLinearConcatOp final : public OpDef {
public:
  QLinearConcatOp() : OpDef("QLinearConcat", 5, kMaxOperands, 1, 1, "com.microsoft") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    if ((node.numOperands() - 2) % 3 != 0)
      return modelError("has ", node.numOperands(),
                        " inputs; it takes Y_scale, Y_zero_point, then (X, X_scale, "
                        "X_zero_point) for each input");
    const Value *yZeroPoint = node.operand(1);
    if (!yZeroPoint)
      return modelError("input 'Y_zero_point' is missing");
    DType type = yZeroPoint->type().dtype;
    TP_RETURN_IF_ERROR(checkQuantizedType(type, "Y_zero_point"));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 0, "Y", type));
    if (!node.hasAttr("axis"))
      return modelError("attribute 'axis' is required");
    const Value *first = node.operand(2);
    if (!first)
      return modelError("input 2 is missing");
    if (first->type().rank() == 0)
      return modelError("inputs must have rank >= 1, got a scalar");
    TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 0));
    TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, first->type().rank()));
    Shape shape = first->type().shape;
    shape[size_t(axis)] = 0;
    for (unsigned i = 2; i < node.numOperands(); i += 3) {
      const Value *x = node.operand(i);
      if (!x)
        return modelError("input ", i, " is missing");
      const TensorType &t = x->type();
      std::string role = absl::StrCat("input ", i);
      TP_RETURN_IF_ERROR(checkQuantizedType(t.dtype, role));
      if (t.dtype != type)
        return modelError(role, " has type ", t.str(), ", Y_zero_point has ",
                          dtypeName(type).str());
      if (!node.operand(i + 2))
        return modelError("input ", i + 2, " (the zero point of input ", i, ") is missing");
      TP_RETURN_IF_ERROR(checkScaleOperand(node, i + 1, absl::StrCat("input ", i + 1),
                                           std::nullopt));
      TP_RETURN_IF_ERROR(
          checkZeroPointOperand(node, i + 2, absl::StrCat("input ", i + 2), type, i + 1));
      if (t.rank() != first->type().rank())
        return modelError(role, " ", t.str(), " has another rank than input 2 ",
                          first->type().str());
      for (int64_t d = 0; d < t.rank(); ++d)
        if (d != axis && t.shape[d] != shape[d])
          return modelError(role, " ", t.str(), " differs from input 2 ", first->type().str(),
                            " along axis ", d, ", which is not the concatenation axis ", axis);
      std::optional<int64_t> sum = checkedAdd(shape[axis], t.shape[axis]);
      if (!sum)
        return modelError("concatenated dim overflows");
      shape[size_t(axis)] = *sum;
    }
    return TypeList{TensorType(type, shape)};
  }

  OpCost cost(const Node &) const override { return OpCost(); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<QLinearConcatOp>()); }

} // namespace tinyplan
