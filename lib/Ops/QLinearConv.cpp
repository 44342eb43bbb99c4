//===- QLinearConv.cpp - ONNX QLinearConv and ConvInteger -----------------===//
//
// QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale,
// y_zero_point, B?) and ConvInteger(x, w, x_zero_point?, w_zero_point?)
// (opset 10): a convolution of int8 / uint8 x = [N, C, D...] and w = [M,
// C/group, k...] accumulated in int32 over (x - x_zero_point) * (w -
// w_zero_point), with the geometry attributes of Conv (kernel_shape,
// strides, pads, auto_pad, dilations, group). ConvInteger returns the int32
// sums; QLinearConv adds its int32 bias B [M] and requantizes to y's type
// with multiplier x_scale * w_scale / y_scale. x's, y's and (for
// QLinearConv) the scales are per tensor; w's scale and zero point may be
// per output channel ([M]). 1 to 3 spatial axes.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"
#include "tinyplan/Support/Checked.h"

#include <limits>

namespace tinyplan {
namespace {

struct ConvOperands {
  unsigned x, w, bias;
};

/// The shape of the result of an integer convolution of operands
/// \p operands (x, w, bias or ~0u) of \p node, types checked.
absl::StatusOr<Shape> integerConvShape(const Node &node, ConvOperands operands) {
  const TensorType &input = node.operand(operands.x)->type();
  const TensorType &weight = node.operand(operands.w)->type();
  TP_RETURN_IF_ERROR(checkQuantizedType(input.dtype, "input x"));
  TP_RETURN_IF_ERROR(checkQuantizedType(weight.dtype, "weight w"));
  TP_ASSIGN_OR_RETURN(int64_t group, checkConvShapes(node, input, weight));
  int64_t channels = input.shape[1], outChannels = weight.shape[0];
  if (outChannels % group != 0)
    return modelError("weight has ", outChannels, " output channels, not divisible by group ",
                      group);
  if (weight.shape[1] != channels / group)
    return modelError("weight has ", weight.shape[1], " input channels, input has ", channels,
                      " (group ", group, ")");
  llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
  if (node.hasAttr("kernel_shape")) {
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> kernelShape, node.getInts("kernel_shape"));
    if (llvm::ArrayRef<int64_t>(kernelShape) != kernel)
      return modelError("kernel_shape does not match weight ", weight.str());
  }
  if (operands.bias != ~0u)
    if (const Value *bias = node.operand(operands.bias)) {
      const TensorType &biasType = bias->type();
      if (biasType.dtype != DType::I32 || biasType.rank() != 1 ||
          biasType.shape[0] != outChannels)
        return modelError("bias must be int32 [", outChannels, "], got ", biasType.str());
    }
  TP_ASSIGN_OR_RETURN(WindowGeometry geometry,
                      computeWindowGeometry(node,
                                            llvm::ArrayRef<int64_t>(input.shape).drop_front(2),
                                            kernel, /*supportsCeilMode=*/false,
                                            /*supportsDilations=*/true));
  Shape shape = {input.shape[0], outChannels};
  shape.append(geometry.outputSpatial.begin(), geometry.outputSpatial.end());
  return shape;
}

/// The int32 accumulator check of an integer convolution: output channel
/// m sums over w[m]'s C/group x kernel terms.
absl::Status checkConvAccumulator(const Node &node, IntegerProduct product) {
  for (int64_t axis = 1; axis < node.operand(product.w)->type().rank(); ++axis)
    product.reducedAxes.push_back(axis);
  product.zeroPointAxis = 0;
  return checkAccumulatorFits(node, product);
}

OpCost integerConvCost(const Node &node, unsigned weightIndex) {
  OpCost cost;
  for (const Value *operand : node.operands())
    if (operand && operand->isConstant())
      cost.params += operand->type().numElements();
  const TensorType &weight = node.operand(weightIndex)->type();
  if (!node.result()->hasType() || weight.rank() < 2)
    return cost;
  // Each output element is a dot product of W[1] * prod(W[2:]) terms.
  std::optional<int64_t> macs = node.result()->type().numElements();
  for (int64_t dim : llvm::ArrayRef<int64_t>(weight.shape).drop_front(1))
    if (macs)
      macs = checkedMul(*macs, dim);
  cost.macs = macs ? *macs : std::numeric_limits<int64_t>::max();
  return cost;
}

class QLinearConvOp final : public OpDef {
public:
  QLinearConvOp() : OpDef("QLinearConv", 8, 9) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_ASSIGN_OR_RETURN(Shape shape, integerConvShape(node, {0, 3, 8}));
    DType xType = node.operand(0)->type().dtype, wType = node.operand(3)->type().dtype;
    DType yType = node.operand(7)->type().dtype;
    TP_RETURN_IF_ERROR(checkQuantizedType(yType, "y_zero_point"));
    int64_t outChannels = node.operand(3)->type().shape[0];
    TP_RETURN_IF_ERROR(checkScaleOperand(node, 1, "x_scale", std::nullopt));
    TP_RETURN_IF_ERROR(checkZeroPointOperand(node, 2, "x_zero_point", xType, 1));
    TP_RETURN_IF_ERROR(checkScaleOperand(node, 4, "w_scale", outChannels));
    TP_RETURN_IF_ERROR(checkZeroPointOperand(node, 5, "w_zero_point", wType, 4));
    TP_RETURN_IF_ERROR(checkScaleOperand(node, 6, "y_scale", std::nullopt));
    TP_RETURN_IF_ERROR(checkConvAccumulator(node, {0, 2, 3, 5, 8}));
    return TypeList{TensorType(yType, shape)};
  }

  OpCost cost(const Node &node) const override { return integerConvCost(node, 3); }

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    return convPatch(node, 3);
  }
};

class ConvIntegerOp final : public OpDef {
public:
  ConvIntegerOp() : OpDef("ConvInteger", 2, 4) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_ASSIGN_OR_RETURN(Shape shape, integerConvShape(node, {0, 1, ~0u}));
    const TensorType &x = node.operand(0)->type(), &w = node.operand(1)->type();
    if (const Value *zeroPoint = node.operand(2)) {
      const TensorType &type = zeroPoint->type();
      if (type.dtype != x.dtype)
        return modelError("zero point 'x_zero_point' has type ", dtypeName(type.dtype).str(),
                          ", x has ", dtypeName(x.dtype).str());
      if (type.numElements() != 1 || type.rank() > 1)
        return modelError("x_zero_point must be a scalar, got ", type.str());
    }
    if (const Value *zeroPoint = node.operand(3)) {
      const TensorType &type = zeroPoint->type();
      if (type.dtype != w.dtype)
        return modelError("zero point 'w_zero_point' has type ", dtypeName(type.dtype).str(),
                          ", w has ", dtypeName(w.dtype).str());
      bool perTensor = type.numElements() == 1 && type.rank() <= 1;
      if (!perTensor && (type.rank() != 1 || type.shape[0] != w.shape[0]))
        return modelError("w_zero_point ", type.str(), " must be a scalar or 1-D with ",
                          w.shape[0], " elements (one per output channel)");
    }
    TP_RETURN_IF_ERROR(checkConvAccumulator(node, {0, 2, 1, 3}));
    return TypeList{TensorType(DType::I32, shape)};
  }

  OpCost cost(const Node &node) const override { return integerConvCost(node, 1); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<QLinearConvOp>());
  registry.add(std::make_unique<ConvIntegerOp>());
}

} // namespace tinyplan
