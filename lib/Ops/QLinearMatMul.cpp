//===- QLinearMatMul.cpp - ONNX QLinearMatMul and MatMulInteger -----------===//
//
// QLinearMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point,
// y_scale, y_zero_point) and MatMulInteger(A, B, a_zero_point?,
// b_zero_point?) (opset 10): numpy matrix products of int8 / uint8
// operands, accumulated in int32 over (a - a_zero_point) * (b -
// b_zero_point). MatMulInteger returns the int32 sums; QLinearMatMul
// requantizes them to y's type with multiplier a_scale * b_scale /
// y_scale. A's parameters are per tensor (ONNX's per-row a parameters are
// not supported, as in ONNX Runtime); B's may be per column ([N]). Both
// operands have rank 2 or more; batch dims broadcast.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"


namespace tinyplan {
namespace {

/// The result shape of a product of operands \p a and \p b of \p node.
absl::StatusOr<Shape> integerMatMulShape(const Node &node, unsigned a, unsigned b) {
  const TensorType &aType = node.operand(a)->type(), &bType = node.operand(b)->type();
  TP_RETURN_IF_ERROR(checkQuantizedType(aType.dtype, "input A"));
  TP_RETURN_IF_ERROR(checkQuantizedType(bType.dtype, "input B"));
  if (aType.rank() < 2 || bType.rank() < 2)
    return quantUnsupported("1-D operands are not supported (A ", aType.str(), ", B ",
                            bType.str(), ")");
  int64_t k = aType.shape.back();
  if (bType.shape[bType.rank() - 2] != k)
    return modelError("inner dimensions differ: A ", aType.str(), ", B ", bType.str());
  TP_ASSIGN_OR_RETURN(Shape shape,
                      broadcastShapes(llvm::ArrayRef<int64_t>(aType.shape).drop_back(2),
                                      llvm::ArrayRef<int64_t>(bType.shape).drop_back(2)));
  shape.push_back(aType.shape[aType.rank() - 2]);
  shape.push_back(bType.shape.back());
  return shape;
}

/// Error unless operand \p index (absent is fine) is a per-tensor value.
absl::Status requirePerTensor(const Node &node, unsigned index, llvm::StringRef role) {
  const Value *operand = node.operand(index);
  if (operand && (operand->type().numElements() != 1 || operand->type().rank() > 1))
    return quantUnsupported(role.str(), " ", operand->type().str(),
                            ": per-row quantization of A is not supported");
  return absl::OkStatus();
}

OpCost integerMatMulCost(const Node &node, unsigned a) {
  return integerProductCost(node, node.operand(a)->type().shape.back());
}

/// The int32 accumulator check of an integer matrix product A x B, the
/// constant operand as the weights (B when neither is): each output sums
/// over A's last axis and B's second-to-last.
absl::Status checkMatMulAccumulator(const Node &node, unsigned a, unsigned aZeroPoint, unsigned b,
                                    unsigned bZeroPoint) {
  const Value *aValue = node.operand(a), *bValue = node.operand(b);
  if (aValue->isConstant() && !bValue->isConstant()) {
    IntegerProduct product{b, bZeroPoint, a, aZeroPoint};
    product.reducedAxes = {aValue->type().rank() - 1};
    product.zeroPointAxis = -1;
    return checkAccumulatorFits(node, product);
  }
  IntegerProduct product{a, aZeroPoint, b, bZeroPoint};
  int64_t rank = bValue->type().rank();
  product.reducedAxes = {rank >= 2 ? rank - 2 : 0};
  product.zeroPointAxis = rank >= 2 ? rank - 1 : -1;
  return checkAccumulatorFits(node, product);
}

class QLinearMatMulOp final : public OpDef {
public:
  QLinearMatMulOp() : OpDef("QLinearMatMul", 8, 8) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_ASSIGN_OR_RETURN(Shape shape, integerMatMulShape(node, 0, 3));
    DType aType = node.operand(0)->type().dtype, bType = node.operand(3)->type().dtype;
    DType yType = node.operand(7)->type().dtype;
    TP_RETURN_IF_ERROR(checkQuantizedType(yType, "y_zero_point"));
    TP_RETURN_IF_ERROR(requirePerTensor(node, 1, "a_scale"));
    TP_RETURN_IF_ERROR(requirePerTensor(node, 2, "a_zero_point"));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 1, "a", aType));
    TP_RETURN_IF_ERROR(checkScaleOperand(node, 4, "b_scale", shape.back()));
    TP_RETURN_IF_ERROR(checkZeroPointOperand(node, 5, "b_zero_point", bType, 4));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 6, "y", yType));
    TP_RETURN_IF_ERROR(checkMatMulAccumulator(node, 0, 2, 3, 5));
    return TypeList{TensorType(yType, shape)};
  }

  OpCost cost(const Node &node) const override { return integerMatMulCost(node, 0); }
};

class MatMulIntegerOp final : public OpDef {
public:
  MatMulIntegerOp() : OpDef("MatMulInteger", 2, 4) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_ASSIGN_OR_RETURN(Shape shape, integerMatMulShape(node, 0, 1));
    DType aType = node.operand(0)->type().dtype, bType = node.operand(1)->type().dtype;
    TP_RETURN_IF_ERROR(requirePerTensor(node, 2, "a_zero_point"));
    if (const Value *zeroPoint = node.operand(2))
      if (zeroPoint->type().dtype != aType)
        return modelError("zero point 'a_zero_point' has type ",
                          dtypeName(zeroPoint->type().dtype).str(), ", A has ",
                          dtypeName(aType).str());
    if (const Value *zeroPoint = node.operand(3)) {
      const TensorType &type = zeroPoint->type();
      if (type.dtype != bType)
        return modelError("zero point 'b_zero_point' has type ", dtypeName(type.dtype).str(),
                          ", B has ", dtypeName(bType).str());
      bool perTensor = type.numElements() == 1 && type.rank() <= 1;
      if (!perTensor && (type.rank() != 1 || type.shape[0] != shape.back()))
        return modelError("b_zero_point ", type.str(), " must be a scalar or 1-D with ",
                          shape.back(), " elements (one per column)");
    }
    TP_RETURN_IF_ERROR(checkMatMulAccumulator(node, 0, 2, 1, 3));
    return TypeList{TensorType(DType::I32, shape)};
  }

  OpCost cost(const Node &node) const override { return integerMatMulCost(node, 0); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<QLinearMatMulOp>());
  registry.add(std::make_unique<MatMulIntegerOp>());
}

} // namespace tinyplan
