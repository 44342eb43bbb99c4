//===- LRN.cpp - ONNX LRN (local response normalization) ------------------===//
//
// Each element is divided by a power of the sum of squares over `size`
// neighbouring channels at the same position (AlexNet, GoogLeNet):
//   y[n,c,d] = x[n,c,d] / (bias + alpha / size * sum_{i in window(c)} x[n,i,d]^2) ^ beta
// with window(c) = [c - floor((size-1)/2), c + ceil((size-1)/2)] clipped to
// the channels. The shape and type are the input's. It has no parameters
// and, like the pools, counts no MACs: the MAC totals are those the
// literature tabulates, convolutions and fully connected layers.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {
namespace {

class LrnOp final : public OpDef {
public:
  LrnOp() : OpDef("LRN", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "input"));
    const TensorType &input = node.operand(0)->type();
    if (input.rank() < 2)
      return absl::InvalidArgumentError(absl::StrCat(
          "input must be [N, C, ...], got rank ", input.rank()));
    TP_ASSIGN_OR_RETURN(std::optional<int64_t> size, node.getOptionalInt("size"));
    if (!size)
      return absl::InvalidArgumentError("attribute 'size' is required");
    if (*size < 1)
      return absl::InvalidArgumentError(
          absl::StrCat("attribute 'size' must be positive, got ", *size));
    TP_RETURN_IF_ERROR(node.getFloat("alpha", 1e-4f).status());
    TP_RETURN_IF_ERROR(node.getFloat("beta", 0.75f).status());
    TP_RETURN_IF_ERROR(node.getFloat("bias", 1.0f).status());
    return TypeList{input};
  }

  OpCost cost(const Node &) const override { return OpCost(); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<LrnOp>()); }

} // namespace tinyplan
