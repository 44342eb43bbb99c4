//===- Concat.cpp - ONNX Concat: join tensors along one axis --------------===//
//
// Concat(inputs...) {axis}: every input has the same dtype and rank, and the
// same dims except along the axis, where the result's dim is the sum. In
// shape subgraphs it assembles a Reshape target from scalar pieces.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"
#include "tinyplan/Support/Checked.h"

namespace tinyplan {

/// 'axis' is required since opset 4 (before, it defaulted to 1).
absl::StatusOr<int64_t> concatAxis(const Node &node, int64_t rank, int64_t opset) {
  if (opset >= 4 && !node.hasAttr("axis"))
    return modelError("attribute 'axis' is required");
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 1));
  return normalizeAxis(axis, rank);
}

namespace {

constexpr unsigned kMaxInputs = 1 << 16;

class ConcatOp final : public OpDef {
public:
  ConcatOp() : OpDef("Concat", 1, kMaxInputs) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &first = node.operand(0)->type();
    if (first.rank() == 0)
      return modelError("inputs must have rank >= 1, got a scalar");
    TP_ASSIGN_OR_RETURN(int64_t axis, concatAxis(node, first.rank(), opset));
    Shape shape(first.shape.begin(), first.shape.end());
    for (unsigned i = 1; i < node.numOperands(); ++i) {
      const Value *operand = node.operand(i);
      if (!operand)
        return modelError("input ", i, " is missing");
      const TensorType &type = operand->type();
      if (type.dtype != first.dtype)
        return modelError("input ", i, " has type ", type.str(), ", input 0 has ",
                          first.str());
      if (type.rank() != first.rank())
        return modelError("input ", i, " has rank ", type.rank(), ", input 0 has rank ",
                          first.rank(), " (", type.str(), " and ", first.str(), ")");
      for (int64_t d = 0; d < first.rank(); ++d)
        if (d != axis && type.shape[d] != first.shape[d])
          return modelError("input ", i, " ", type.str(), " differs from input 0 ",
                            first.str(), " along axis ", d,
                            ", which is not the concatenation axis ", axis);
      std::optional<int64_t> sum = checkedAdd(shape[axis], type.shape[axis]);
      if (!sum)
        return modelError("concatenated dim overflows");
      shape[axis] = *sum;
    }
    return TypeList{TensorType(first.dtype, shape)};
  }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    return QdqFusion(QdqFusion::Kind::Variadic, "QLinearConcat", "com.microsoft");
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t opset) const override {
    const TensorType &type = node.result(0)->type();
    if (allSameSplat(operands))
      return TensorList{Tensor::splat(type, operands[0]->rawBytes())};
    TP_ASSIGN_OR_RETURN(int64_t axis, concatAxis(node, type.rank(), opset));
    auto [outer, inner] = axisBlocks(type.shape, axis);
    int64_t size = dtypeSize(type.dtype);
    std::vector<uint8_t> bytes(size_t(type.numBytes()));
    uint8_t *out = bytes.data();
    for (int64_t o = 0; o < outer; ++o) {
      for (const Tensor *operand : operands) {
        int64_t chunk = operand->shape()[axis] * inner * size;
        const uint8_t *data = operand->rawBytes().data();
        if (operand->isSplat()) {
          for (int64_t b = 0; b < chunk; b += size)
            std::memcpy(out + b, data, size_t(size));
        } else if (chunk) {
          std::memcpy(out, data + o * chunk, size_t(chunk));
        }
        out += chunk;
      }
    }
    return TensorList{Tensor(type, std::move(bytes))};
  }

  /// When every dim before the axis is 1, the result is the operands' bytes
  /// one after another (NCHW, N = 1, axis = 1 is the inception case).
  std::optional<llvm::SmallVector<int64_t, 4>>
  operandSlices(const Node &node) const override {
    const TensorType &type = node.result(0)->type();
    // Inference already required 'axis' where the opset does; an absent one
    // is the old default, 1, which is what opset 1 resolves to.
    absl::StatusOr<int64_t> axis = concatAxis(node, type.rank(), 1);
    if (!axis.ok())
      return std::nullopt;
    for (int64_t d = 0; d < *axis; ++d)
      if (type.shape[d] != 1)
        return std::nullopt;
    llvm::SmallVector<int64_t, 4> offsets;
    int64_t offset = 0;
    for (const Value *operand : node.operands()) {
      if (!operand)
        return std::nullopt;
      offsets.push_back(offset);
      offset += operand->type().numBytes();
    }
    return offsets;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<ConcatOp>()); }

} // namespace tinyplan
