//===- Gather.cpp - ONNX Gather: select slices along one axis -------------===//
//
// Gather(data, indices) with axis a: out = data[:a] + indices.shape +
// data[a+1:]. In shape subgraphs it picks dims out of a Shape result (often
// with a scalar index, which drops the axis); in models it is an embedding
// lookup. Indices may be negative (counted from the back). Constant indices
// are range-checked at compile time; the kernel checks run-time ones.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

absl::StatusOr<int64_t> gatherAxis(const Node &node) {
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 0));
  return normalizeAxis(axis, node.operand(0)->type().rank());
}

namespace {

class GatherOp final : public OpDef {
public:
  GatherOp() : OpDef("Gather", 2, 2) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &data = node.operand(0)->type();
    const Value *indices = node.operand(1);
    if (indices->type().dtype != DType::I32 && indices->type().dtype != DType::I64)
      return modelError("indices must be int32 or int64, got ",
                        indices->type().str());
    if (data.rank() == 0)
      return modelError("data must have rank >= 1, got a scalar");
    TP_ASSIGN_OR_RETURN(int64_t axis, gatherAxis(node));
    if (const Tensor *constant = indices->constant())
      TP_RETURN_IF_ERROR(normalizedIndices(*constant, data.shape[axis]).status());

    Shape shape(data.shape.begin(), data.shape.begin() + axis);
    shape.append(indices->type().shape.begin(), indices->type().shape.end());
    shape.append(data.shape.begin() + axis + 1, data.shape.end());
    return TypeList{TensorType(data.dtype, shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const Tensor &data = *operands[0];
    TP_ASSIGN_OR_RETURN(int64_t axis, gatherAxis(node));
    int64_t axisDim = data.shape()[axis];
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> indices,
                        normalizedIndices(*operands[1], axisDim));
    int64_t inner = 1;
    for (int64_t dim : data.shape().drop_front(axis + 1))
      inner *= dim;
    int64_t count = operands[1]->numElements();
    bool splatIndices = operands[1]->isSplat();
    Tensor result = gatherElements(
        data, node.result(0)->type(), [&](int64_t i) {
          int64_t outer = i / (count * inner);
          int64_t which = (i / inner) % count;
          return (outer * axisDim + indices[splatIndices ? 0 : which]) * inner + i % inner;
        });
    return TensorList{std::move(result)};
  }

  /// An embedding table is a parameter; the indices are not.
  OpCost cost(const Node &node) const override { return dataOperandCost(node, {0}); }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    return QdqFusion{QdqFusion::Kind::Move};
  }

private:
  /// The indices mapped into [0, axisDim) (one value for a splat), or an
  /// error naming the first one out of range.
  static absl::StatusOr<std::vector<int64_t>>
  normalizedIndices(const Tensor &indices, int64_t axisDim) {
    // A splat (from ConstantOfShape) may stand for millions of elements;
    // one value says it all.
    std::vector<int64_t> values =
        indices.isSplat() ? std::vector<int64_t>{indices.intAt(0)} : indices.toInt64s();
    for (int64_t &value : values) {
      if (value < -axisDim || value >= axisDim)
        return modelError("index ", value, " is out of range for an axis of size ",
                          axisDim);
      if (value < 0)
        value += axisDim;
    }
    return values;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<GatherOp>()); }

} // namespace tinyplan
