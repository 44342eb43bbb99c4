//===- QLinearPool.cpp - com.microsoft QLinearAveragePool -----------------===//
//
// QLinearAveragePool(X, x_scale, x_zero_point?, y_scale, y_zero_point?)
// (ONNX Runtime's contrib domain, as its quantizer writes it): AveragePool
// of int8 / uint8 X dequantized, the average quantized again with y's
// parameters (per tensor), with AveragePool's attributes (kernel_shape,
// strides, pads, auto_pad, count_include_pad). Refused as not supported:
// ceil_mode and channels_last. A window covering the whole unpadded input
// is computed as QLinearGlobalAveragePool computes it, as ONNX Runtime does.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"

namespace tinyplan {
namespace {

class QLinearAveragePoolOp final : public OpDef {
public:
  QLinearAveragePoolOp() : OpDef("QLinearAveragePool", 4, 5, 1, 1, "com.microsoft") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    TP_RETURN_IF_ERROR(checkQuantizedType(x.dtype, "input X"));
    if (x.rank() < 3 || x.rank() > 5)
      return modelError("input must have rank 3, 4 or 5, got ", x.str());
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 1, "x", x.dtype));
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 3, "y", x.dtype));
    TP_ASSIGN_OR_RETURN(int64_t channelsLast, node.getInt("channels_last", 0));
    if (channelsLast != 0)
      return quantUnsupported("channels_last is not supported");
    TP_ASSIGN_OR_RETURN(int64_t ceilMode, node.getInt("ceil_mode", 0));
    if (ceilMode != 0)
      return quantUnsupported("ceil_mode is not supported");
    TP_ASSIGN_OR_RETURN(int64_t includePad, node.getInt("count_include_pad", 0));
    (void)includePad;
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> kernel, node.getInts("kernel_shape"));
    llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(x.shape).drop_front(2);
    TP_ASSIGN_OR_RETURN(WindowGeometry g,
                        computeWindowGeometry(node, spatial, kernel, false, false));
    Shape shape = {x.shape[0], x.shape[1]};
    shape.append(g.outputSpatial.begin(), g.outputSpatial.end());
    return TypeList{TensorType(x.dtype, shape)};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    absl::StatusOr<std::vector<int64_t>> kernel = node.getInts("kernel_shape");
    if (!kernel.ok() || x.rank() != 4)
      return std::nullopt;
    absl::StatusOr<WindowGeometry> geometry = computeWindowGeometry(
        node, llvm::ArrayRef<int64_t>(x.shape).drop_front(2), *kernel, false, false);
    if (!geometry.ok())
      return std::nullopt;
    return windowPatch(node, *geometry);
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<QLinearAveragePoolOp>()); }

} // namespace tinyplan
