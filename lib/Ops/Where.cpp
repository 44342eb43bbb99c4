//===- Where.cpp - ONNX Where: an elementwise choice between two tensors --===//
//
// Where(condition, X, Y): X's element where the bool condition holds, Y's
// elsewhere, the three broadcast numpy-style. X and Y have one dtype, which
// is the result's (any, since opset 16 bf16 too; opset 9 has all the
// others). Elements are chosen bit for bit, never converted, so constants
// fold exactly.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {
namespace {

class WhereOp final : public OpDef {
public:
  WhereOp() : OpDef("Where", 3, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &condition = node.operand(0)->type();
    const TensorType &x = node.operand(1)->type(), &y = node.operand(2)->type();
    if (condition.dtype != DType::Bool)
      return modelError("input 'condition' must be a bool tensor, got ", condition.str());
    if (x.dtype != y.dtype)
      return modelError("X has type ", x.str(), ", Y has ", y.str());
    TP_ASSIGN_OR_RETURN(Shape shape, broadcastShapes(condition.shape, x.shape));
    TP_ASSIGN_OR_RETURN(shape, broadcastShapes(shape, y.shape));
    return TypeList{TensorType(x.dtype, shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const TensorType &type = node.result(0)->type();
    int64_t size = dtypeSize(type.dtype);
    llvm::SmallVector<llvm::ArrayRef<int64_t>, 3> shapes;
    for (const Tensor *operand : operands)
      shapes.push_back(operand->shape());
    std::vector<uint8_t> bytes(size_t(type.numBytes()));
    forEachBroadcast(type.shape, shapes, [&](int64_t out, llvm::ArrayRef<int64_t> in) {
      const Tensor &chosen = operands[0]->intAt(in[0]) ? *operands[1] : *operands[2];
      int64_t index = &chosen == operands[1] ? in[1] : in[2];
      const uint8_t *from = chosen.rawBytes().data() + (chosen.isSplat() ? 0 : index * size);
      std::memcpy(bytes.data() + out * size, from, size_t(size));
    });
    return TensorList{Tensor(type, std::move(bytes))};
  }

  /// y[i] reads condition, X and Y at i (or their broadcast elements, which
  /// live elsewhere) before it is written: X or Y, when it has the result's
  /// type, may be overwritten.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &node, unsigned) const override {
    llvm::SmallVector<unsigned, 2> result;
    for (unsigned i = 1; i <= 2; ++i)
      if (node.operand(i)->type() == node.result(0)->type())
        result.push_back(i);
    return result;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<WhereOp>()); }

} // namespace tinyplan
