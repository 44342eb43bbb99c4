//===- Transpose.cpp - ONNX Transpose: permute the axes -------------------===//
//
// Transpose(data) {perm}: result dim i is input dim perm[i]; without perm the
// axes are reversed. Folding a constant (a weight stored the other way
// round) moves elements; a splat stays a splat.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

absl::StatusOr<std::vector<int64_t>> transposePermutation(const Node &node) {
  int64_t rank = node.operand(0)->type().rank();
  std::vector<int64_t> reversed;
  for (int64_t d = rank; d-- > 0;)
    reversed.push_back(d);
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, node.getInts("perm", reversed));
  if (int64_t(perm.size()) != rank)
    return modelError("perm ", intListStr(perm), " has ", perm.size(),
                      " entries, the input has rank ", rank);
  std::vector<bool> seen(size_t(rank), false);
  for (int64_t axis : perm) {
    if (axis < 0 || axis >= rank || seen[size_t(axis)])
      return modelError("perm ", intListStr(perm), " is not a permutation of ",
                        "the axes 0..", rank - 1);
    seen[size_t(axis)] = true;
  }
  return perm;
}

namespace {

class TransposeOp final : public OpDef {
public:
  TransposeOp() : OpDef("Transpose", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &input = node.operand(0)->type();
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, transposePermutation(node));
    Shape shape;
    for (int64_t axis : perm)
      shape.push_back(input.shape[size_t(axis)]);
    return TypeList{TensorType(input.dtype, shape)};
  }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    return QdqFusion{QdqFusion::Kind::Move};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const Tensor &input = *operands[0];
    const TensorType &type = node.result(0)->type();
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, transposePermutation(node));
    Shape inStrides = rowMajorStrides(input.shape());
    size_t rank = perm.size();
    Tensor result = gatherElements(input, type, [&](int64_t i) {
      int64_t source = 0;
      for (size_t d = rank; d-- > 0;) {
        source += (i % type.shape[d]) * inStrides[size_t(perm[d])];
        i /= type.shape[d];
      }
      return source;
    });
    return TensorList{std::move(result)};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<TransposeOp>()); }

} // namespace tinyplan
