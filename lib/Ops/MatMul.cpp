//===- MatMul.cpp - ONNX MatMul with numpy matmul semantics ---------------===//
//
// numpy.matmul: the last two dims are the matrices, the leading ones are
// batch dims that broadcast against each other. A 1-D A is a row vector
// ([K] -> [1, K]) and a 1-D B a column vector ([K] -> [K, 1]); the dim that
// promotion added is dropped from the result again.
//
// Passes may record an activation applied to every output element as it is
// stored: `fused_activation` with `fused_alpha`, `fused_beta`, `fused_min`,
// `fused_max` (see checkFusedActivation in OpUtils.h). They change no shape
// or cost.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/Checked.h"

#include <limits>

namespace tinyplan {
namespace {

/// The shared dimension K of \p node's operands (A's last dim).
int64_t innerDim(const Node &node) {
  const TensorType &a = node.operand(0)->type();
  return a.rank() == 0 ? 0 : a.shape.back();
}

class MatMulOp final : public OpDef {
public:
  MatMulOp() : OpDef("MatMul", 2, 2) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t) const override {
    const TensorType &a = node.operand(0)->type();
    const TensorType &b = node.operand(1)->type();
    TP_RETURN_IF_ERROR(checkMatrixProductTypes(a, b));
    if (a.rank() == 0 || b.rank() == 0)
      return modelError("operands must have rank at least 1, got A ", a.str(),
                        " and B ", b.str());

    Shape aShape = a.shape, bShape = b.shape;
    if (a.rank() == 1)
      aShape.insert(aShape.begin(), 1);
    if (b.rank() == 1)
      bShape.push_back(1);
    int64_t kA = aShape.back();
    int64_t kB = bShape[bShape.size() - 2];
    if (kA != kB)
      return modelError("inner dimensions differ: A ", a.str(), " has K = ",
                        kA, ", B ", b.str(), " has K = ", kB);

    auto aBatch = llvm::ArrayRef<int64_t>(aShape).drop_back(2);
    auto bBatch = llvm::ArrayRef<int64_t>(bShape).drop_back(2);
    absl::StatusOr<Shape> batch = broadcastShapes(aBatch, bBatch);
    if (!batch.ok())
      return modelError("batch dims of A ", a.str(), " and B ", b.str(),
                        " do not broadcast");

    Shape outShape = *batch;
    if (a.rank() > 1)
      outShape.push_back(aShape[aShape.size() - 2]);
    if (b.rank() > 1)
      outShape.push_back(bShape.back());
    TP_RETURN_IF_ERROR(checkFusedActivation(node, a.dtype));
    return TypeList{TensorType(a.dtype, outShape)};
  }

  OpCost cost(const Node &node) const override {
    OpCost cost;
    // A constant operand is a weight matrix, whatever its element type.
    for (const Value *operand : node.operands())
      if (operand && operand->isConstant())
        cost.params += operand->type().numElements();
    if (!node.result()->hasType())
      return cost;
    // The result holds prod(batch) * M * N elements (promoted 1-D dims are
    // 1 either way), each a K-term dot product.
    std::optional<int64_t> macs =
        checkedMul(node.result()->type().numElements(), innerDim(node));
    cost.macs = macs ? *macs : std::numeric_limits<int64_t>::max();
    return cost;
  }

  bool acceptsFusedActivation(const Node &) const override { return true; }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    return QdqFusion{QdqFusion::Kind::MatMul, "QLinearMatMul", ""};
  }

  /// [M, K] x [K, N] -> [M, N]: output channel n (axis 1) is column n of B.
  /// Other ranks put something else on axis 1. The bias, if any, is a
  /// following Add.
  std::optional<ChannelLinearity> channelLinearity(const Node &node) const override {
    if (node.operand(0)->type().rank() != 2 || node.operand(1)->type().rank() != 2)
      return std::nullopt;
    ChannelLinearity linearity;
    linearity.weightOperand = 1;
    linearity.weightAxis = 1;
    return linearity;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<MatMulOp>()); }

} // namespace tinyplan
