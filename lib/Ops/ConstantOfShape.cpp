//===- ConstantOfShape.cpp - ONNX ConstantOfShape: a filled tensor --------===//
//
// ConstantOfShape(shape) {value}: a tensor of the given (constant) shape
// with every element equal to the one-element 'value' (default float 0).
// Exporters use it for masks and padding; the result is folded to a SPLAT
// tensor, never materialised, because the shape can be large. An empty
// shape gives a scalar.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {
namespace {

class ConstantOfShapeOp final : public OpDef {
public:
  ConstantOfShapeOp() : OpDef("ConstantOfShape", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_RETURN_IF_ERROR(requireRank(node, 0, 1, "input"));
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> shape,
                        constantIntsOperand(node, 0, "input"));
    for (int64_t dim : shape)
      if (dim < 0)
        return modelError("shape ", intListStr(shape), " has a negative dimension");
    TP_ASSIGN_OR_RETURN(const Tensor *value, fillValue(node));
    return TypeList{TensorType(value ? value->dtype() : DType::F32, shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *>,
                                  int64_t) const override {
    TP_ASSIGN_OR_RETURN(const Tensor *value, fillValue(node));
    const TensorType &type = node.result(0)->type();
    if (!value) {
      std::vector<uint8_t> zero(size_t(dtypeSize(type.dtype)), 0);
      return TensorList{Tensor::splat(type, zero)};
    }
    // Dense or splat, a one-element tensor stores exactly one element.
    return TensorList{Tensor::splat(type, value->rawBytes())};
  }

  /// The shape input is not a parameter.
  OpCost cost(const Node &) const override { return OpCost(); }

private:
  /// The 'value' attribute, or null for the default float 0.
  static absl::StatusOr<const Tensor *> fillValue(const Node &node) {
    if (!node.hasAttr("value"))
      return nullptr;
    TP_ASSIGN_OR_RETURN(const Tensor *value, node.getTensor("value"));
    if (value->numElements() != 1)
      return modelError("attribute 'value' must have exactly one element, got ",
                        value->type().str());
    return value;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<ConstantOfShapeOp>());
}

} // namespace tinyplan
