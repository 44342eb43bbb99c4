//===- Tensor.cpp - Constant tensor data ----------------------------------===//
#include "tinyplan/IR/Tensor.h"
#include "tinyplan/IR/Attribute.h"

#include <cassert>
#include <cmath>

namespace tinyplan {

namespace {
template <typename T> T load(const uint8_t *p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

double halfToDouble(uint16_t bits) {
  int sign = bits >> 15, exponent = (bits >> 10) & 0x1f, mantissa = bits & 0x3ff;
  double magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(mantissa, -24);
  else if (exponent == 31)
    magnitude = mantissa ? NAN : INFINITY;
  else
    magnitude = std::ldexp(mantissa + 1024, exponent - 25);
  return sign ? -magnitude : magnitude;
}

double bfloatToDouble(uint16_t bits) {
  uint32_t wide = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &wide, 4);
  return value;
}
} // namespace

Tensor::Tensor(TensorType type, std::vector<uint8_t> bytes)
    : type_(std::move(type)), bytes_(std::move(bytes)) {
  assert(int64_t(bytes_.size()) == type_.numBytes() && "tensor size mismatch");
}

Tensor Tensor::splat(TensorType type, llvm::ArrayRef<uint8_t> element) {
  assert(int64_t(element.size()) == dtypeSize(type.dtype));
  Tensor tensor;
  tensor.type_ = std::move(type);
  tensor.bytes_.assign(element.begin(), element.end());
  tensor.splat_ = true;
  return tensor;
}

Tensor Tensor::fromInt64s(llvm::ArrayRef<int64_t> values) {
  return fromInt64s(values, {int64_t(values.size())});
}

Tensor Tensor::fromInt64s(llvm::ArrayRef<int64_t> values,
                          llvm::ArrayRef<int64_t> shape) {
  std::vector<uint8_t> bytes(values.size() * 8);
  if (!values.empty())
    std::memcpy(bytes.data(), values.data(), bytes.size());
  return Tensor(TensorType(DType::I64, shape), std::move(bytes));
}

Tensor Tensor::fromFloats(llvm::ArrayRef<float> values,
                          llvm::ArrayRef<int64_t> shape) {
  std::vector<uint8_t> bytes(values.size() * 4);
  if (!values.empty())
    std::memcpy(bytes.data(), values.data(), bytes.size());
  return Tensor(TensorType(DType::F32, shape), std::move(bytes));
}

double Tensor::doubleAt(int64_t index) const {
  int64_t size = dtypeSize(type_.dtype);
  const uint8_t *p = bytes_.data() + (splat_ ? 0 : index * size);
  switch (type_.dtype) {
  case DType::F32: return load<float>(p);
  case DType::F16: return halfToDouble(load<uint16_t>(p));
  case DType::BF16: return bfloatToDouble(load<uint16_t>(p));
  case DType::F64: return load<double>(p);
  case DType::I8: return load<int8_t>(p);
  case DType::U8: return load<uint8_t>(p);
  case DType::I16: return load<int16_t>(p);
  case DType::U16: return load<uint16_t>(p);
  case DType::I32: return load<int32_t>(p);
  case DType::U32: return load<uint32_t>(p);
  case DType::I64: return double(load<int64_t>(p));
  case DType::U64: return double(load<uint64_t>(p));
  case DType::Bool: return load<uint8_t>(p) ? 1 : 0;
  }
  return 0;
}

int64_t Tensor::intAt(int64_t index) const {
  int64_t size = dtypeSize(type_.dtype);
  const uint8_t *p = bytes_.data() + (splat_ ? 0 : index * size);
  switch (type_.dtype) {
  case DType::I64: return load<int64_t>(p);
  case DType::U64: return int64_t(load<uint64_t>(p));
  case DType::I32: return load<int32_t>(p);
  case DType::U32: return load<uint32_t>(p);
  case DType::I16: return load<int16_t>(p);
  case DType::U16: return load<uint16_t>(p);
  case DType::I8: return load<int8_t>(p);
  case DType::U8: return load<uint8_t>(p);
  case DType::Bool: return load<uint8_t>(p) ? 1 : 0;
  default: {
    // Float to int as C truncation, saturated so hostile values stay defined.
    double value = doubleAt(index);
    if (std::isnan(value))
      return 0;
    if (value >= 9.2e18)
      return INT64_MAX;
    if (value <= -9.2e18)
      return INT64_MIN;
    return int64_t(value);
  }
  }
}

std::vector<int64_t> Tensor::toInt64s() const {
  int64_t count = numElements();
  std::vector<int64_t> values;
  values.reserve(count);
  for (int64_t i = 0; i < count; ++i)
    values.push_back(intAt(i));
  return values;
}

Tensor Tensor::reshaped(llvm::ArrayRef<int64_t> shape) const {
  Tensor copy = *this;
  copy.type_.shape.assign(shape.begin(), shape.end());
  assert(copy.numElements() == numElements() && "reshape changes size");
  return copy;
}

void Tensor::printValues(llvm::raw_ostream &os, int64_t maxElements) const {
  auto printElement = [&](int64_t i) {
    if (isFloat(type_.dtype))
      printFloat(os, doubleAt(i));
    else if (type_.dtype == DType::U64)
      os << uint64_t(intAt(i));
    else
      os << intAt(i);
  };
  if (splat_) {
    os << "splat(";
    printElement(0);
    os << ')';
    return;
  }
  int64_t count = numElements();
  os << '[';
  for (int64_t i = 0; i < count && i < maxElements; ++i) {
    if (i)
      os << ", ";
    printElement(i);
  }
  if (count > maxElements)
    os << ", ...";
  os << ']';
}

} // namespace tinyplan
