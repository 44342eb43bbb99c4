//===- Transpose.cpp - ONNX Transpose: permute the axes -------------------===//
//
// Transpose(data) {perm}: result dim i is input dim perm[i]; without perm the
// axes are reversed. Folding a constant (a weight stored the other way
// round) moves elements; a splat stays a splat.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/CEmit.h"
#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {
namespace {

class TransposeOp final : public OpDef {
public:
  TransposeOp() : OpDef("Transpose", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &input = node.operand(0)->type();
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, permutation(node));
    Shape shape;
    for (int64_t axis : perm)
      shape.push_back(input.shape[size_t(axis)]);
    return TypeList{TensorType(input.dtype, shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const Tensor &input = *operands[0];
    const TensorType &type = node.result(0)->type();
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, permutation(node));
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

  /// Walks the result in order and the input through permuted strides;
  /// dims of 1 are dropped first.
  absl::Status emitC(const Node &node, CEmitContext &ctx) const override {
    const TensorType &input = node.operand(0)->type();
    const TensorType &type = node.result(0)->type();
    TP_ASSIGN_OR_RETURN(std::string ctype, requireCType(node, type.dtype));
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> perm, permutation(node));
    Shape inStrides = rowMajorStrides(input.shape);
    std::vector<int64_t> dims, strides;
    for (size_t d = 0; d < perm.size(); ++d)
      if (type.shape[d] != 1) {
        dims.push_back(type.shape[d]);
        strides.push_back(inStrides[size_t(perm[d])]);
      }
    int64_t n = type.numElements();
    if (n == 0)
      return absl::OkStatus();
    if (dims.size() > 8)
      return unsupportedKernel(node, "more than 8 dims");
    if (dims.empty()) {
      emitCopy(ctx, *node.result(0), *node.operand(0));
      return absl::OkStatus();
    }
    std::string name = absl::StrCat("tp_transpose_", cTypeSuffix(type.dtype));
    ctx.requireKernel(name, absl::StrCat("static void ", name, "(const ", ctype, " *x, ", ctype,
                                         " *y, int32_t n, int32_t rank,\n", R"(    const int32_t *dims, const int32_t *xs) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int32_t i, d, xi = 0;
  for (i = 0; i < n; ++i) {
    y[i] = x[xi];
    for (d = rank - 1; d >= 0; --d) {
      xi += xs[d];
      if (++idx[d] < dims[d])
        break;
      xi -= xs[d] * dims[d];
      idx[d] = 0;
    }
  }
}
)"));
    ctx.emit(absl::StrCat("{\n  static const int32_t dims[] = {", cIntList(dims),
                          "}, xs[] = {", cIntList(strides), "};\n  ", name, "(",
                          ctx.pointer(*node.operand(0)), ", ", ctx.pointer(*node.result(0)),
                          ", ", n, ", ", dims.size(), ", dims, xs);\n}"));
    return absl::OkStatus();
  }

private:
  /// 'perm', checked to be a permutation of the input's axes, or the
  /// reversal when absent.
  static absl::StatusOr<std::vector<int64_t>> permutation(const Node &node) {
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
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<TransposeOp>()); }

} // namespace tinyplan
