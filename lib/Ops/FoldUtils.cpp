//===- FoldUtils.cpp - Building constant tensors while folding ------------===//
//
// The writing half of constant tensors (Tensor only reads). Conversions
// follow C casts, which is what ONNX Runtime's kernels do, except where C
// leaves the result undefined (float to int out of range), where we saturate
// so a hostile model cannot make the compiler's output depend on the host.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"

#include "absl/strings/str_join.h"
#include <cassert>
#include <cmath>
#include <cstring>

namespace tinyplan {

/// Nearest-even encoding of \p value in a binary float with \p mantissaBits
/// stored mantissa bits and exponent bias \p bias (maximum biased exponent
/// 2 * bias + 1 is inf/NaN). Shared by half and bfloat16.
static uint16_t encodeNarrowFloat(double value, int mantissaBits, int bias) {
  uint16_t sign = std::signbit(value) ? 0x8000 : 0;
  int maxBiased = 2 * bias + 1;
  uint16_t infBits = uint16_t(maxBiased << mantissaBits);
  if (std::isnan(value))
    return sign | infBits | uint16_t(1 << (mantissaBits - 1));
  double magnitude = std::fabs(value);
  if (std::isinf(magnitude))
    return sign | infBits;
  if (magnitude < std::ldexp(1.0, 1 - bias)) {
    // Subnormal: count units of the smallest subnormal. A carry into the
    // smallest normal encodes correctly without special handling.
    double units = std::nearbyint(std::ldexp(magnitude, bias - 1 + mantissaBits));
    return sign | uint16_t(units);
  }
  int exponent;
  std::frexp(magnitude, &exponent); // magnitude = f * 2^exponent, f in [0.5, 1)
  double mantissa = std::nearbyint(std::ldexp(magnitude, mantissaBits + 1 - exponent));
  if (mantissa == std::ldexp(1.0, mantissaBits + 1)) {
    mantissa = std::ldexp(1.0, mantissaBits);
    ++exponent;
  }
  int biased = exponent - 1 + bias;
  if (biased >= maxBiased)
    return sign | infBits;
  return sign | uint16_t(biased << mantissaBits) |
         uint16_t(int64_t(mantissa) - (int64_t(1) << mantissaBits));
}

uint16_t doubleToHalfBits(double value) { return encodeNarrowFloat(value, 10, 15); }

uint16_t doubleToBFloat16Bits(double value) {
  return encodeNarrowFloat(value, 7, 127);
}

static void storeFloatElement(DType dtype, uint8_t *out, double value) {
  switch (dtype) {
  case DType::F32: {
    float f = float(value);
    std::memcpy(out, &f, 4);
    return;
  }
  case DType::F64:
    std::memcpy(out, &value, 8);
    return;
  case DType::F16: {
    uint16_t bits = doubleToHalfBits(value);
    std::memcpy(out, &bits, 2);
    return;
  }
  case DType::BF16: {
    uint16_t bits = doubleToBFloat16Bits(value);
    std::memcpy(out, &bits, 2);
    return;
  }
  default:
    assert(false && "not a float dtype");
  }
}

void storeIntElement(DType dtype, uint8_t *out, int64_t value) {
  if (dtype == DType::Bool) {
    *out = value != 0;
    return;
  }
  if (dtype == DType::F32) {
    // Directly, not through double: int64 -> double -> float can round twice.
    float f = float(value);
    std::memcpy(out, &f, 4);
    return;
  }
  if (isFloat(dtype)) {
    storeFloatElement(dtype, out, double(value));
    return;
  }
  // Little-endian host: the low bytes are the wrapped value.
  std::memcpy(out, &value, size_t(dtypeSize(dtype)));
}

void storeDoubleElement(DType dtype, uint8_t *out, double value) {
  if (isFloat(dtype)) {
    storeFloatElement(dtype, out, value);
    return;
  }
  if (dtype == DType::Bool) {
    *out = value != 0;
    return;
  }
  int64_t integer;
  if (std::isnan(value))
    integer = 0;
  else if (value >= 9223372036854775807.0)
    integer = INT64_MAX;
  else if (value <= -9223372036854775808.0)
    integer = INT64_MIN;
  else
    integer = int64_t(value);
  if (dtype == DType::U64 && value >= 9223372036854775808.0 && !std::isnan(value))
    integer = value >= 18446744073709551615.0 ? -1 : int64_t(uint64_t(value));
  storeIntElement(dtype, out, integer);
}

Tensor buildTensor(const TensorType &type,
                   llvm::function_ref<void(int64_t, uint8_t *)> fill) {
  int64_t count = type.numElements();
  int64_t size = dtypeSize(type.dtype);
  std::vector<uint8_t> bytes(size_t(count * size));
  for (int64_t i = 0; i < count; ++i)
    fill(i, bytes.data() + i * size);
  return Tensor(type, std::move(bytes));
}

Tensor gatherElements(const Tensor &source, const TensorType &type,
                      llvm::function_ref<int64_t(int64_t)> sourceIndex) {
  assert(source.dtype() == type.dtype);
  if (source.isSplat())
    return Tensor::splat(type, source.rawBytes());
  int64_t size = dtypeSize(type.dtype);
  const uint8_t *data = source.rawBytes().data();
  return buildTensor(type, [&](int64_t i, uint8_t *out) {
    std::memcpy(out, data + sourceIndex(i) * size, size_t(size));
  });
}

Shape rowMajorStrides(llvm::ArrayRef<int64_t> shape) {
  Shape strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * shape[i];
  return strides;
}

void forEachBroadcast(
    llvm::ArrayRef<int64_t> outShape,
    llvm::ArrayRef<llvm::ArrayRef<int64_t>> inShapes,
    llvm::function_ref<void(int64_t, llvm::ArrayRef<int64_t>)> visit) {
  size_t rank = outShape.size();
  size_t operandCount = inShapes.size();
  // strides[k][d]: step in operand k's flat index when output dim d advances;
  // 0 along broadcast dims.
  std::vector<Shape> strides(operandCount, Shape(rank, 0));
  for (size_t k = 0; k < operandCount; ++k) {
    llvm::ArrayRef<int64_t> in = inShapes[k];
    Shape own = rowMajorStrides(in);
    size_t offset = rank - in.size();
    for (size_t d = 0; d < in.size(); ++d)
      strides[k][offset + d] = in[d] == 1 ? 0 : own[d];
  }
  int64_t total = 1;
  for (int64_t dim : outShape)
    total *= dim;
  Shape counter(rank, 0);
  llvm::SmallVector<int64_t, 4> indices(operandCount, 0);
  for (int64_t i = 0; i < total; ++i) {
    visit(i, indices);
    // Odometer increment, carrying the operands' indices along.
    for (size_t d = rank; d-- > 0;) {
      for (size_t k = 0; k < operandCount; ++k)
        indices[k] += strides[k][d];
      if (++counter[d] < outShape[d])
        break;
      for (size_t k = 0; k < operandCount; ++k)
        indices[k] -= strides[k][d] * outShape[d];
      counter[d] = 0;
    }
  }
}

bool allSameSplat(llvm::ArrayRef<const Tensor *> tensors) {
  for (const Tensor *tensor : tensors)
    if (!tensor || !tensor->isSplat() ||
        tensor->rawBytes() != tensors.front()->rawBytes() ||
        tensor->dtype() != tensors.front()->dtype())
      return false;
  return true;
}

OpCost dataOperandCost(const Node &node, llvm::ArrayRef<unsigned> dataOperands) {
  OpCost cost;
  for (unsigned index : dataOperands) {
    const Value *operand = node.operand(index);
    if (operand && operand->isConstant() && operand->type().dtype != DType::I64)
      cost.params += operand->type().numElements();
  }
  return cost;
}

std::string intListStr(llvm::ArrayRef<int64_t> values) {
  return absl::StrCat("[", absl::StrJoin(values, ", "), "]");
}

} // namespace tinyplan
