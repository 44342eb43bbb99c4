//===- QuantUtils.cpp - Checks shared by the quantized ops ----------------===//
#include "QuantUtils.h"

#include "tinyplan/Support/Checked.h"

#include <cmath>
#include <limits>

namespace tinyplan {

absl::Status checkQuantizedType(DType type, llvm::StringRef role, bool allowI32,
                                bool allow16) {
  bool sixteen = type == DType::I16 || type == DType::U16;
  if (type == DType::I8 || type == DType::U8 || (allowI32 && type == DType::I32) ||
      (allow16 && sixteen))
    return absl::OkStatus();
  if (sixteen)
    return quantUnsupported(role.str(), " has type ", dtypeName(type).str(),
                            ": 16-bit quantization is not supported (int8 and uint8 are)");
  return modelError(role.str(), " has type ", dtypeName(type).str(),
                    "; a quantized tensor must be int8 or uint8",
                    allowI32 ? " (or int32)" : "");
}

absl::Status checkScaleValues(const Node &node, unsigned index, llvm::StringRef role) {
  const Value *scale = node.operand(index);
  if (!scale)
    return modelError("input '", role.str(), "' is missing");
  const TensorType &type = scale->type();
  if (type.dtype == DType::F16 || type.dtype == DType::BF16)
    return quantUnsupported("scale '", role.str(), "' has type ", dtypeName(type.dtype).str(),
                            ": float16 scales are not supported (float32 are)");
  if (type.dtype != DType::F32)
    return modelError("scale '", role.str(), "' must be float32, got ", type.str());
  if (const Tensor *values = scale->constant())
    for (int64_t i = 0; i < values->numElements(); ++i) {
      double v = values->doubleAt(i);
      if (!std::isfinite(v) || v <= 0)
        return modelError("scale '", role.str(), "' element ", i, " is ", v,
                          "; a scale must be finite and positive");
    }
  return absl::OkStatus();
}

absl::Status checkScaleOperand(const Node &node, unsigned index, llvm::StringRef role,
                               std::optional<int64_t> perAxisLength) {
  TP_RETURN_IF_ERROR(checkScaleValues(node, index, role));
  const TensorType &type = node.operand(index)->type();
  bool perTensor = type.rank() == 0 || (type.rank() == 1 && type.shape[0] == 1);
  bool perAxis = perAxisLength && type.rank() == 1 && type.shape[0] == *perAxisLength;
  if (!perTensor && !perAxis) {
    if (perAxisLength)
      return modelError("scale '", role.str(), "' ", type.str(),
                        " must be a scalar or 1-D with ", *perAxisLength,
                        " elements (one per channel)");
    return modelError("scale '", role.str(), "' ", type.str(),
                      " must be a scalar (per-tensor quantization)");
  }
  return absl::OkStatus();
}

absl::Status checkZeroPointOperand(const Node &node, unsigned index, llvm::StringRef role,
                                   DType quantType, unsigned scaleIndex) {
  const Value *zeroPoint = node.operand(index);
  if (!zeroPoint)
    return absl::OkStatus();
  const TensorType &type = zeroPoint->type();
  if (type.dtype != quantType)
    return modelError("zero point '", role.str(), "' has type ", dtypeName(type.dtype).str(),
                      ", the quantized tensor has ", dtypeName(quantType).str());
  const TensorType &scale = node.operand(scaleIndex)->type();
  bool perTensor = type.rank() == 0 || (type.rank() == 1 && type.shape[0] == 1);
  bool scalePerTensor = scale.numElements() == 1;
  if (scalePerTensor ? !perTensor
                     : (type.rank() != 1 || type.shape[0] != scale.numElements()))
    return modelError("zero point '", role.str(), "' ", type.str(),
                      " does not match its scale ", scale.str());
  return absl::OkStatus();
}

absl::Status checkPerTensorParams(const Node &node, unsigned scaleIndex, llvm::StringRef prefix,
                                  DType quantType) {
  TP_RETURN_IF_ERROR(
      checkScaleOperand(node, scaleIndex, absl::StrCat(prefix.str(), "_scale"), std::nullopt));
  return checkZeroPointOperand(node, scaleIndex + 1, absl::StrCat(prefix.str(), "_zero_point"),
                               quantType, scaleIndex);
}

OpCost integerProductCost(const Node &node, int64_t k) {
  OpCost cost;
  for (const Value *operand : node.operands())
    if (operand && operand->isConstant())
      cost.params += operand->type().numElements();
  if (!node.result()->hasType())
    return cost;
  std::optional<int64_t> macs = checkedMul(node.result()->type().numElements(), k);
  cost.macs = macs ? *macs : std::numeric_limits<int64_t>::max();
  return cost;
}

bool isPerAxis(const Node &node, unsigned index) {
  const Value *operand = node.operand(index);
  return operand && operand->type().numElements() > 1;
}

namespace {

/// max |x - x_zp| over the values of \p type, x_zp the constant
/// \p zeroPoint (0 when absent) or any value of the type.
int64_t maxCentered(DType type, const Value *zeroPoint) {
  int64_t lo = type == DType::I8 ? -128 : 0, hi = type == DType::I8 ? 127 : 255;
  if (zeroPoint && !zeroPoint->constant())
    return hi - lo;
  int64_t zp = zeroPoint ? zeroPoint->constant()->intAt(0) : 0;
  return std::max(std::abs(lo - zp), std::abs(hi - zp));
}

} // namespace

absl::Status checkAccumulatorFits(const Node &node, const IntegerProduct &product) {
  const Value *x = node.operand(product.x), *w = node.operand(product.w);
  const Value *xZeroPoint = node.operand(product.xZeroPoint);
  const Value *wZeroPoint = node.operand(product.wZeroPoint);
  const TensorType &wType = w->type();
  constexpr int64_t kInt32Max = 2147483647;
  int64_t xRange = maxCentered(x->type().dtype, xZeroPoint);
  int64_t terms = 1;
  for (int64_t axis : product.reducedAxes)
    terms *= wType.shape[size_t(axis)];
  int64_t biasMax = 0;
  if (product.bias != ~0u)
    if (const Value *bias = node.operand(product.bias)) {
      if (!bias->constant())
        biasMax = kInt32Max;
      else
        for (int64_t i = 0; i < bias->type().numElements(); ++i)
          biasMax = std::max(biasMax, std::abs(bias->constant()->intAt(i)));
    }
  const Tensor *weights = w->constant();
  if (!weights || (wZeroPoint && !wZeroPoint->constant())) {
    int64_t bound = terms * xRange * 255 + biasMax;
    if (bound > kInt32Max)
      return quantUnsupported("the int32 accumulator can overflow: ", terms,
                              " products of up to ", xRange, " x 255 with weights computed at "
                              "run time sum to at most ", bound, " > 2^31 - 1");
    return absl::OkStatus();
  }
  // Sum |w - w_zp| for each output: the flat index with the reduced axes
  // dropped names the output.
  size_t rank = wType.rank();
  std::vector<bool> reduced(rank, false);
  for (int64_t axis : product.reducedAxes)
    reduced[size_t(axis)] = true;
  std::vector<int64_t> strides(rank, 1), outStrides(rank, 0);
  int64_t outputs = 1;
  for (size_t d = rank; d-- > 0;) {
    if (d + 1 < rank)
      strides[d] = strides[d + 1] * wType.shape[d + 1];
    if (!reduced[d]) {
      outStrides[d] = outputs;
      outputs *= wType.shape[d];
    }
  }
  std::vector<int64_t> sums(size_t(std::max<int64_t>(outputs, 1)), 0);
  const Tensor *zeroPoints = wZeroPoint ? wZeroPoint->constant() : nullptr;
  for (int64_t i = 0, n = weights->numElements(); i < n; ++i) {
    int64_t out = 0, zpIndex = 0;
    for (size_t d = 0; d < rank; ++d) {
      int64_t index = (i / strides[d]) % wType.shape[d];
      out += index * outStrides[d];
      if (int64_t(d) == product.zeroPointAxis)
        zpIndex = index;
    }
    int64_t zp = !zeroPoints                          ? 0
                 : zeroPoints->numElements() == 1 ? zeroPoints->intAt(0)
                                                  : zeroPoints->intAt(zpIndex);
    sums[size_t(out)] += std::abs(weights->intAt(i) - zp);
  }
  for (size_t out = 0; out < sums.size(); ++out) {
    int64_t bound = sums[out] * xRange + biasMax;
    if (bound > kInt32Max)
      return quantUnsupported("the int32 accumulator can overflow: output ", out,
                              " sums |w - w_zero_point| to ", sums[out], ", times max |x - "
                              "x_zero_point| ", xRange, " plus max |bias| ", biasMax, " is ",
                              bound, " > 2^31 - 1");
  }
  return absl::OkStatus();
}

} // namespace tinyplan
