//===- QLinearGlobalAveragePool.cpp - com.microsoft QLinearGlobalAveragePool ===//
//
// QLinearGlobalAveragePool(X, x_scale, x_zero_point?, y_scale, y_zero_point?)
// (ONNX Runtime's contrib domain): the average of each channel of int8 /
// uint8 X over all its spatial positions, dequantized and quantized again
// with y's parameters (per tensor). X is N x C x D1 x ... (channels_last
// 0, the default) or N x D1 x ... x C (channels_last 1); the result keeps
// the rank with every spatial dim 1.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"

namespace tinyplan {
namespace {

class QLinearGlobalAveragePoolOp final : public OpDef {
public:
  QLinearGlobalAveragePoolOp()
      : OpDef("QLinearGlobalAveragePool", 4, 5, 1, 1, "com.microsoft") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    TP_RETURN_IF_ERROR(checkQuantizedType(x.dtype, "input X"));
    if (x.rank() < 3)
      return modelError("input must have rank 3 or more, got ", x.str());
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 1, "x", x.dtype));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 3, "y", x.dtype));
    TP_ASSIGN_OR_RETURN(int64_t channelsLast, node.getInt("channels_last", 0));
    Shape shape = x.shape;
    int64_t first = channelsLast ? 1 : 2, last = first + x.rank() - 2;
    for (int64_t d = first; d < last; ++d)
      shape[size_t(d)] = 1;
    return TypeList{TensorType(x.dtype, shape)};
  }

  OpCost cost(const Node &) const override { return OpCost(); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<QLinearGlobalAveragePoolOp>()); }

} // namespace tinyplan
