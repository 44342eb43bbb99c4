//===- Identity.cpp - Identity and inference-mode Dropout -----------------===//
//
// Ops whose output is their input. A pass drops them before planning; until
// then they need types, and they fold so shape subgraphs passing through an
// Identity still disappear. Dropout is the identity at inference; its
// optional mask output is all true (bool since opset 10, the input's type
// before). Training mode cannot be compiled.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {
namespace {

class IdentityOp final : public OpDef {
public:
  IdentityOp() : OpDef("Identity", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    return TypeList{node.operand(0)->type()};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    return TensorList{*operands[0]};
  }

  bool isView(const Node &, unsigned) const override { return true; }

  bool isIdentity(const Node &) const override { return true; }
};

/// Dropout(data, ratio?, training_mode?) -> (output, mask?). Before opset 12
/// ratio is an attribute; before opset 7 'is_test' says whether it trains.
class DropoutOp final : public OpDef {
public:
  DropoutOp() : OpDef("Dropout", 1, 3, 1, 2) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &input = node.operand(0)->type();
    if (opset < 12 && (node.operand(1) || node.operand(2)))
      return modelError("ratio is an attribute before opset 12, not an input");
    if (opset < 7) {
      TP_ASSIGN_OR_RETURN(int64_t isTest, node.getInt("is_test", 0));
      // Exporters of that era left is_test = 0 on inference graphs, and the
      // runtimes treat Dropout as the identity anyway; accept it.
      (void)isTest;
    }
    if (const Value *trainingMode = node.operand(2)) {
      const Tensor *flag = trainingMode->constant();
      if (!flag)
        return notConstantError(node, 2, "training_mode");
      if (flag->numElements() != 1)
        return modelError("input 'training_mode' must be a scalar, got ",
                          flag->type().str());
      if (flag->intAt(0) != 0)
        return modelError("training mode is not supported");
    }
    TypeList types{input};
    if (node.numResults() > 1)
      types.push_back(TensorType(opset >= 10 ? DType::Bool : input.dtype, input.shape));
    return types;
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    TensorList values{*operands[0]};
    if (node.numResults() > 1) {
      // The mask keeps every element: true, or 1 of the input's type.
      const TensorType &maskType = node.result(1)->type();
      std::vector<uint8_t> one(size_t(dtypeSize(maskType.dtype)));
      storeIntElement(maskType.dtype, one.data(), 1);
      values.push_back(Tensor::splat(maskType, one));
    }
    return values;
  }

  /// Neither the ratio nor the training flag is a parameter.
  OpCost cost(const Node &node) const override { return dataOperandCost(node, {0}); }

  /// The output is the input; the mask (result 1) is a buffer of its own,
  /// of another type.
  bool isView(const Node &, unsigned result) const override { return result == 0; }

  /// The output is the input; a used mask keeps the node.
  bool isIdentity(const Node &) const override { return true; }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<IdentityOp>());
  registry.add(std::make_unique<DropoutOp>());
}

} // namespace tinyplan
