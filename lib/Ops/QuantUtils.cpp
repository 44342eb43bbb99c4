//===- QuantUtils.cpp - Checks shared by the quantized ops ----------------===//
#include "QuantUtils.h"

#include "tinyplan/Support/Checked.h"

#include <cmath>
#include <limits>

namespace tinyplan {

absl::Status checkQuantizedType(DType type, llvm::StringRef role, bool allowI32) {
  if (type == DType::I8 || type == DType::U8 || (allowI32 && type == DType::I32))
    return absl::OkStatus();
  if (type == DType::I16 || type == DType::U16)
    return quantUnsupported(role.str(), " has type ", dtypeName(type).str(),
                            ": 16-bit quantization is not supported (int8 and uint8 are)");
  return modelError(role.str(), " has type ", dtypeName(type).str(),
                    "; a quantized tensor must be int8 or uint8",
                    allowI32 ? " (or int32)" : "");
}

absl::Status checkScaleOperand(const Node &node, unsigned index, llvm::StringRef role,
                               std::optional<int64_t> perAxisLength) {
  const Value *scale = node.operand(index);
  if (!scale)
    return modelError("input '", role.str(), "' is missing");
  const TensorType &type = scale->type();
  if (type.dtype == DType::F16 || type.dtype == DType::BF16)
    return quantUnsupported("scale '", role.str(), "' has type ", dtypeName(type.dtype).str(),
                            ": float16 scales are not supported (float32 are)");
  if (type.dtype != DType::F32)
    return modelError("scale '", role.str(), "' must be float32, got ", type.str());
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
  if (const Tensor *values = scale->constant())
    for (int64_t i = 0; i < values->numElements(); ++i) {
      double v = values->doubleAt(i);
      if (!std::isfinite(v) || v <= 0)
        return modelError("scale '", role.str(), "' element ", i, " is ", v,
                          "; a scale must be finite and positive");
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

} // namespace tinyplan
