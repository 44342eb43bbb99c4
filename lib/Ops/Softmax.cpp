//===- Softmax.cpp - ONNX Softmax and LogSoftmax --------------------------===//
//
// Both keep the input's shape and type. What `axis` means changed in opset
// 13: before it, the input is coerced to 2-D [prod(dims[:axis]),
// prod(dims[axis:])] and normalised over the second factor, i.e. over ALL
// dims from axis on, with axis defaulting to 1; from 13 on, it normalises
// along the single dim `axis`, defaulting to -1. softmaxRows (OpParams.h)
// tells a kernel which; shapes do not change either way.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Opset in which `axis` became a single dim rather than a 2-D coercion.
constexpr int64_t kSingleAxisSince = 13;

} // namespace

absl::StatusOr<SoftmaxRows> softmaxRows(const Node &node, int64_t opset) {
  const TensorType &input = node.operand(0)->type();
  bool coerced = opset < kSingleAxisSince;
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", coerced ? 1 : -1));
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, input.rank()));
  SoftmaxRows rows;
  for (int64_t d = 0; d < input.rank(); ++d) {
    int64_t dim = input.shape[d];
    if (d < axis)
      rows.outer *= dim;
    else if (d == axis || coerced)
      rows.n *= dim;
    else
      rows.inner *= dim;
  }
  return rows;
}

namespace {

constexpr const char *kSoftmaxOps[] = {"Softmax", "LogSoftmax"};

class SoftmaxOp final : public OpDef {
public:
  explicit SoftmaxOp(const char *opType) : OpDef(opType, 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "input"));
    const TensorType &input = node.operand(0)->type();
    int64_t defaultAxis = opset < kSingleAxisSince ? 1 : -1;
    TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", defaultAxis));
    // Validates the range only; the coerced form needs no other check.
    TP_RETURN_IF_ERROR(normalizeAxis(axis, input.rank()).status());
    return TypeList{input};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  // Softmax (not LogSoftmax) becomes com.microsoft QLinearSoftmax, which
  // takes the version of the Softmax it replaces: before 13 the axis
  // coerces the input to 2-D.
  std::optional<QdqFusion> qdqFusion(const Node &, int64_t opset) const override {
    if (opType() != "Softmax")
      return std::nullopt;
    QdqFusion fusion(QdqFusion::Kind::Unary, "QLinearSoftmax", "com.microsoft");
    int64_t since = opset >= kSingleAxisSince ? kSingleAxisSince : opset >= 11 ? 11 : 1;
    fusion.extraAttributes.emplace_back("opset", Attribute(since));
    return fusion;
  }

  // No in-place reuse: a row kernel could overwrite its input (max, then
  // exp-and-sum, then scale, all within the row), but that is a promise
  // about the C kernel nobody has written yet. Add inPlaceOperands here when
  // the kernel is written and tested in place.
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const char *opType : kSoftmaxOps)
    registry.add(std::make_unique<SoftmaxOp>(opType));
}

} // namespace tinyplan
