//===- Quantize.cpp - QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear -===//
//
// QuantizeLinear(x, y_scale, y_zero_point?) maps float32 x to int8 / uint8 /
// int16 / uint16 (the zero point's type; uint8 without one, or opset 21's
// output_dtype):
// saturate(round_even(x / scale) + zero_point). DequantizeLinear(x,
// x_scale, x_zero_point?) maps int8 / uint8 / int16 / uint16 / int32 x back
// to float32: (x - zero_point) * scale. Both quantize per tensor (a scalar
// scale), from opset 13 per axis (`axis`, default 1: a 1-D scale with one
// element per index along it), and from opset 21 in blocks (`block_size`
// along `axis`: scales of x's shape with ceil(extent / block_size) along
// the axis). DynamicQuantizeLinear(x) (opset 11) computes a
// uint8 scale and zero point from x's range and quantizes with them.
//
// Refused as not supported: 4-bit types, float16 scales or data, and
// QuantizeLinear's saturate = 0 (meaningful for float8 only). The fusion
// pass (fuse-qdq) takes only 8-bit, unblocked groups; 16-bit and blocked
// Q/DQ run as they are. The C is in
// lib/CodeGen/Kernels/Quantize.cpp.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

absl::StatusOr<QuantBlocks> quantizeLinearBlocks(const Node &node, int64_t opset) {
  const TensorType &x = node.operand(0)->type();
  QuantBlocks blocks;
  blocks.inner = x.numElements();
  TP_ASSIGN_OR_RETURN(blocks.blockSize, node.getInt("block_size", 0));
  if (blocks.blockSize == 0 && !isPerAxis(node, 1))
    return blocks;
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 1));
  if (opset < 13)
    return modelError("a per-axis scale needs opset 13 or later (the model has opset ", opset,
                      ")");
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, x.rank()));
  AxisBlocks around = axisBlocks(x.shape, axis);
  blocks.outer = around.outer;
  blocks.channels = x.shape[axis];
  blocks.inner = around.inner;
  return blocks;
}

namespace {

/// Blocked scales (opset 21): the scale and zero point have x's rank and
/// shape except along `axis`, where they have ceil(x's extent / block_size)
/// elements.
absl::Status checkBlockedParams(const Node &node, int64_t opset, int64_t blockSize,
                                DType quantType) {
  if (opset < 21)
    return modelError("block_size needs opset 21 or later (the model has opset ", opset, ")");
  if (blockSize < 0)
    return modelError("block_size must be positive, got ", blockSize);
  const TensorType &x = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 1));
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, x.rank()));
  Shape expected(x.shape.begin(), x.shape.end());
  expected[size_t(axis)] = (x.shape[size_t(axis)] + blockSize - 1) / blockSize;
  for (unsigned index : {1u, 2u}) {
    const Value *param = node.operand(index);
    if (!param)
      continue;
    const TensorType &type = param->type();
    const char *role = index == 1 ? "scale" : "zero point";
    if (type.shape != expected)
      return modelError(role, " ", type.str(), " does not match the blocks of x ", x.str(),
                        " (block_size ", blockSize, " along axis ", axis, ": expected ",
                        TensorType(type.dtype, expected).str(), ")");
  }
  TP_RETURN_IF_ERROR(checkScaleValues(node, 1, "scale"));
  if (const Value *zeroPoint = node.operand(2))
    if (zeroPoint->type().dtype != quantType)
      return modelError("zero point has type ", dtypeName(zeroPoint->type().dtype).str(),
                        ", the quantized tensor has ", dtypeName(quantType).str());
  return absl::OkStatus();
}

/// Checks what QuantizeLinear and DequantizeLinear share: block_size,
/// the scale (per tensor, per axis along `axis`, or blocked) and the zero
/// point.
absl::Status checkLinearParams(const Node &node, int64_t opset, DType quantType) {
  TP_ASSIGN_OR_RETURN(int64_t blockSize, node.getInt("block_size", 0));
  if (blockSize != 0)
    return checkBlockedParams(node, opset, blockSize, quantType);
  const TensorType &x = node.operand(0)->type();
  // The axis matters (and must be in range) only for a per-axis scale.
  std::optional<int64_t> axisLength;
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 1));
  if (opset >= 13 && isPerAxis(node, 1)) {
    TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, x.rank()));
    axisLength = x.shape[axis];
  }
  TP_RETURN_IF_ERROR(checkScaleOperand(node, 1, "scale", axisLength));
  return checkZeroPointOperand(node, 2, "zero_point", quantType, 1);
}

/// QuantizeLinear and DequantizeLinear run on a window when their scale is
/// per tensor or per channel (axis 1 of a 4-D x), not blocked.
std::optional<PatchWindow> linearPatch(const Node &node, int64_t opset) {
  absl::StatusOr<QuantBlocks> blocks = quantizeLinearBlocks(node, opset);
  if (!blocks.ok() || blocks->blockSize)
    return std::nullopt;
  const Shape &x = node.operand(0)->type().shape;
  if (node.operand(1)->type().numElements() != 1 &&
      (x.size() != 4 || blocks->channels != x[1] || blocks->inner != x[2] * x[3]))
    return std::nullopt;
  return elementwisePatch(node, {0});
}

class QuantizeLinearOp final : public OpDef {
public:
  QuantizeLinearOp() : OpDef("QuantizeLinear", 2, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &x = node.operand(0)->type();
    if (x.dtype == DType::F16 || x.dtype == DType::BF16)
      return quantUnsupported("input x has type ", dtypeName(x.dtype).str(),
                              ": only float32 input is supported");
    if (x.dtype != DType::F32)
      return modelError("input x must be float32, got ", x.str());
    DType quantType = DType::U8;
    if (const Value *zeroPoint = node.operand(2)) {
      quantType = zeroPoint->type().dtype;
    } else if (node.hasAttr("output_dtype")) {
      TP_ASSIGN_OR_RETURN(int64_t outputDtype, node.getInt("output_dtype", 0));
      // TensorProto data types: 2 = uint8, 3 = int8, 4 = uint16, 5 = int16.
      switch (outputDtype) {
      case 0:
      case 2: quantType = DType::U8; break;
      case 3: quantType = DType::I8; break;
      case 4: quantType = DType::U16; break;
      case 5: quantType = DType::I16; break;
      default:
        return quantUnsupported("output_dtype ", outputDtype,
                                " is not supported (int8, uint8, int16 and uint16 are)");
      }
    }
    TP_RETURN_IF_ERROR(checkQuantizedType(quantType, "the result", false, /*allow16=*/true));
    TP_ASSIGN_OR_RETURN(int64_t saturate, node.getInt("saturate", 1));
    if (saturate != 1)
      return modelError("saturate must be 1 for integer results, got ", saturate);
    TP_RETURN_IF_ERROR(checkLinearParams(node, opset, quantType));
    return TypeList{TensorType(quantType, x.shape)};
  }

  QdqRole qdqRole() const override { return QdqRole::Quantize; }

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t opset) const override {
    return linearPatch(node, opset);
  }
};

class DequantizeLinearOp final : public OpDef {
public:
  DequantizeLinearOp() : OpDef("DequantizeLinear", 2, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &x = node.operand(0)->type();
    TP_RETURN_IF_ERROR(
        checkQuantizedType(x.dtype, "input x", /*allowI32=*/true, /*allow16=*/true));
    TP_RETURN_IF_ERROR(checkLinearParams(node, opset, x.dtype));
    if (x.dtype == DType::I32)
      if (const Value *zeroPoint = node.operand(2)) {
        const Tensor *values = zeroPoint->constant();
        if (!values)
          return quantUnsupported("an int32 zero point computed at run time is not "
                                  "supported (it must be 0)");
        for (int64_t i = 0; i < values->numElements(); ++i)
          if (values->intAt(i) != 0)
            return modelError("the zero point of int32 data must be 0, element ", i,
                              " is ", values->intAt(i));
      }
    return TypeList{TensorType(DType::F32, x.shape)};
  }

  QdqRole qdqRole() const override { return QdqRole::Dequantize; }

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t opset) const override {
    return linearPatch(node, opset);
  }

  // A DequantizeLinear of constant weights left after fuse-qdq becomes a
  // float constant: its result would otherwise take arena memory. The
  // float product is the one the kernel computes, so the bits are the same.
  bool canFold() const override { return true; }
  bool foldsDuringInference() const override { return false; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t opset) const override {
    TP_ASSIGN_OR_RETURN(QuantBlocks blocks, quantizeLinearBlocks(node, opset));
    const Tensor &x = *operands[0], &scale = *operands[1];
    const Tensor *zeroPoint = operands.size() > 2 ? operands[2] : nullptr;
    std::vector<float> values(x.numElements());
    int64_t i = 0;
    int64_t perBlock = blocks.blockSize ? blocks.blockSize : 1;
    int64_t blockCount = (blocks.channels + perBlock - 1) / perBlock;
    for (int64_t o = 0; o < blocks.outer; ++o)
      for (int64_t c = 0; c < blocks.channels; ++c)
        for (int64_t k = 0; k < blocks.inner; ++k, ++i) {
          // As the kernels index them (tp_dequantize_u8, _blocked_u8).
          int64_t param = scale.numElements() == 1 ? 0
                          : blocks.blockSize
                              ? (o * blockCount + c / perBlock) * blocks.inner + k
                              : c;
          float s = static_cast<float>(scale.doubleAt(param));
          int32_t zp = zeroPoint ? static_cast<int32_t>(zeroPoint->intAt(param)) : 0;
          values[i] = static_cast<float>(static_cast<int32_t>(x.intAt(i)) - zp) * s;
        }
    return TensorList{Tensor::fromFloats(values, x.shape())};
  }
};

class DynamicQuantizeLinearOp final : public OpDef {
public:
  DynamicQuantizeLinearOp() : OpDef("DynamicQuantizeLinear", 1, 1, 3, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    if (x.dtype != DType::F32)
      return modelError("input x must be float32, got ", x.str());
    return TypeList{TensorType(DType::U8, x.shape), TensorType(DType::F32, {}),
                    TensorType(DType::U8, {})};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<QuantizeLinearOp>());
  registry.add(std::make_unique<DequantizeLinearOp>());
  registry.add(std::make_unique<DynamicQuantizeLinearOp>());
}

} // namespace tinyplan
