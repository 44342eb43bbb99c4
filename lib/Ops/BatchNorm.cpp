//===- BatchNorm.cpp - ONNX BatchNormalization, inference mode ------------===//
//
// Y = scale * (X - mean) / sqrt(var + epsilon) + B per channel (dim 1).
// Only inference is supported: the optional running / saved statistics
// outputs exist for training, and the pre-opset-9 `spatial=0` variant (per
// activation statistics) never appears in exported inference models.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

#include <cmath>

namespace tinyplan {
namespace {

/// The four per-channel operands after X, in ONNX order.
constexpr const char *kChannelOperands[] = {"scale", "B", "input_mean",
                                         "input_var"};

class BatchNormOp final : public OpDef {
public:
  // Up to five results so that a training-mode node gets the specific
  // diagnostic below rather than a generic arity error.
  BatchNormOp() : OpDef("BatchNormalization", 5, 5, 1, 5) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    if (node.numResults() > 1)
      return modelError("training-mode outputs are not supported");
    if (opset >= 14) {
      TP_ASSIGN_OR_RETURN(int64_t trainingMode,
                          node.getInt("training_mode", 0));
      if (trainingMode != 0)
        return modelError("training_mode = ", trainingMode,
                          " is not supported (inference only)");
    }
    if (opset < 9) {
      TP_ASSIGN_OR_RETURN(int64_t spatial, node.getInt("spatial", 1));
      if (spatial == 0)
        return modelError("spatial = 0 (per-activation statistics) is not "
                          "supported");
    }
    // Read so that a mistyped attribute is reported.
    TP_RETURN_IF_ERROR(node.getFloat("epsilon", 1e-5f).status());

    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "X"));
    const TensorType &input = node.operand(0)->type();
    if (input.rank() < 2)
      return modelError("input must have rank at least 2 (N, C, ...), got ",
                        input.str());
    int64_t channels = input.shape[1];

    for (unsigned i = 0; i < 4; ++i) {
      const char *role = kChannelOperands[i];
      TP_RETURN_IF_ERROR(requireFloatOperand(node, i + 1, role));
      const TensorType &type = node.operand(i + 1)->type();
      if (type.rank() != 1)
        return modelError(role, " must be 1-D, got ", type.str());
      if (type.shape[0] != channels)
        return modelError(role, " has ", type.shape[0], " elements, input has ",
                          channels, " channels");
      // Opset 15 lets scale/B (T1) and mean/var (T2) differ from X; before
      // that everything is T.
      DType expected = input.dtype;
      llvm::StringRef expectedRole = "X";
      if (opset >= 15) {
        expected = node.operand(i < 2 ? 1 : 3)->type().dtype;
        expectedRole = i < 2 ? "scale" : "input_mean";
      }
      if (type.dtype != expected)
        return modelError(role, " has type ", dtypeName(type.dtype).str(), ", ",
                          expectedRole.str(), " has ",
                          dtypeName(expected).str());
    }
    return TypeList{input};
  }

  OpCost cost(const Node &node) const override {
    // scale, B, mean and var: C elements each.
    OpCost cost;
    for (unsigned i = 1; i < 5; ++i)
      if (const Value *operand = node.operand(i))
        cost.params += operand->type().numElements();
    return cost;
  }

  /// scale[c] = s[c] / sqrt(var[c] + epsilon), shift[c] = B[c] - mean[c] *
  /// scale[c], all in double from the stored values: folding rounds once,
  /// when it writes the new weights.
  std::optional<ChannelAffine> channelAffine(const Node &node) const override {
    absl::StatusOr<float> epsilon = node.getFloat("epsilon", 1e-5f);
    if (!epsilon.ok() || node.numResults() != 1)
      return std::nullopt;
    const Tensor *params[4];
    for (unsigned i = 0; i < 4; ++i) {
      params[i] = node.operand(i + 1) ? node.operand(i + 1)->constant() : nullptr;
      if (!params[i])
        return std::nullopt;
    }
    int64_t channels = params[0]->numElements();
    ChannelAffine affine;
    affine.scale.resize(size_t(channels));
    affine.shift.resize(size_t(channels));
    for (int64_t c = 0; c < channels; ++c) {
      double scale = params[0]->doubleAt(c) /
                     std::sqrt(params[3]->doubleAt(c) + double(*epsilon));
      affine.scale[size_t(c)] = scale;
      affine.shift[size_t(c)] = params[1]->doubleAt(c) - params[2]->doubleAt(c) * scale;
    }
    return affine;
  }

  /// Per element: read x, write y; channel parameters come from flash.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &,
                                                 unsigned) const override {
    return {0};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<BatchNormOp>());
}

} // namespace tinyplan
