//===- Slice.cpp - ONNX Slice: strided windows along some axes ------------===//
//
// Slice(data, starts, ends, axes?, steps?) since opset 10; before that
// starts, ends and axes are attributes and there are no steps. The bounds
// must be compile-time constants (every shape is static). Out-of-range
// bounds are clamped as ONNX specifies, which is how exporters write "to the
// end" (INT64_MAX) and "reverse" (start -1, end INT64_MIN, step -1).
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Clamps a start or end the way ONNX does for a dim of size \p dim.
/// Negative values count from the back first. Ends may reach one past the
/// last element in the direction of travel: dim going forward, -1 going back.
int64_t clampBound(int64_t value, int64_t dim, bool forward, bool isEnd) {
  if (value < 0)
    value += dim; // cannot overflow: dim >= 0
  int64_t low = forward || !isEnd ? 0 : -1;
  int64_t high = forward ? dim : dim - 1;
  return std::max(low, std::min(value, high));
}

} // namespace

absl::StatusOr<SliceWindow> resolveSliceWindow(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  int64_t rank = data.rank();
  std::vector<int64_t> starts, ends, axes, steps;
  if (opset < 10) {
    if (node.numOperands() > 1)
      return modelError("starts, ends and axes are attributes before opset 10, "
                        "not inputs");
    if (!node.hasAttr("starts") || !node.hasAttr("ends"))
      return modelError("attributes 'starts' and 'ends' are required");
    TP_ASSIGN_OR_RETURN(starts, node.getInts("starts"));
    TP_ASSIGN_OR_RETURN(ends, node.getInts("ends"));
    TP_ASSIGN_OR_RETURN(axes, node.getInts("axes"));
  } else {
    TP_ASSIGN_OR_RETURN(starts, constantIntsOperand(node, 1, "starts"));
    TP_ASSIGN_OR_RETURN(ends, constantIntsOperand(node, 2, "ends"));
    if (node.operand(3)) {
      TP_ASSIGN_OR_RETURN(axes, constantIntsOperand(node, 3, "axes"));
    }
    if (node.operand(4)) {
      TP_ASSIGN_OR_RETURN(steps, constantIntsOperand(node, 4, "steps"));
    }
  }
  if (ends.size() != starts.size())
    return modelError("starts has ", starts.size(), " entries, ends has ",
                      ends.size());
  if (axes.empty() && !(opset >= 10 && node.operand(3)))
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(int64_t(i));
  if (axes.size() != starts.size())
    return modelError("axes has ", axes.size(), " entries, starts has ",
                      starts.size());
  if (steps.empty() && !(opset >= 10 && node.operand(4)))
    steps.assign(starts.size(), 1);
  if (steps.size() != starts.size())
    return modelError("steps has ", steps.size(), " entries, starts has ",
                      starts.size());

  SliceWindow window;
  window.starts.assign(size_t(rank), 0);
  window.steps.assign(size_t(rank), 1);
  window.shape.assign(data.shape.begin(), data.shape.end());
  std::vector<bool> seen(size_t(rank), false);
  for (size_t i = 0; i < starts.size(); ++i) {
    TP_ASSIGN_OR_RETURN(int64_t axis, normalizeAxis(axes[i], rank));
    if (seen[size_t(axis)])
      return modelError("axis ", axes[i], " is sliced twice");
    seen[size_t(axis)] = true;
    int64_t step = steps[i];
    if (step == 0)
      return modelError("step along axis ", axes[i], " is 0");
    int64_t dim = data.shape[size_t(axis)];
    bool forward = step > 0;
    int64_t start = clampBound(starts[i], dim, forward, /*isEnd=*/false);
    int64_t end = clampBound(ends[i], dim, forward, /*isEnd=*/true);
    // Elements covered, and the step's magnitude (INT64_MIN has none in
    // int64; any step longer than the dim takes one element, so saturate).
    int64_t span = forward ? end - start : start - end;
    int64_t magnitude = forward ? step : (step == INT64_MIN ? INT64_MAX : -step);
    window.starts[size_t(axis)] = start;
    window.steps[size_t(axis)] = step;
    window.shape[size_t(axis)] = span > 0 ? (span - 1) / magnitude + 1 : 0;
  }
  return window;
}

namespace {

class SliceOp final : public OpDef {
public:
  SliceOp() : OpDef("Slice", 1, 5) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    if (opset >= 10 && node.numOperands() < 3)
      return modelError("expects 3 to 5 inputs since opset 10, got ",
                        node.numOperands());
    TP_ASSIGN_OR_RETURN(SliceWindow window, resolveSliceWindow(node, opset));
    return TypeList{TensorType(node.operand(0)->type().dtype, window.shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t opset) const override {
    TP_ASSIGN_OR_RETURN(SliceWindow window, resolveSliceWindow(node, opset));
    const Tensor &data = *operands[0];
    Shape inStrides = rowMajorStrides(data.shape());
    size_t rank = window.shape.size();
    Tensor result =
        gatherElements(data, node.result(0)->type(), [&](int64_t i) {
          int64_t source = 0;
          for (size_t d = rank; d-- > 0;) {
            int64_t index = i % window.shape[d];
            i /= window.shape[d];
            source += (window.starts[d] + index * window.steps[d]) * inStrides[d];
          }
          return source;
        });
    return TensorList{std::move(result)};
  }

  /// starts, ends, axes and steps are not parameters.
  OpCost cost(const Node &node) const override { return dataOperandCost(node, {0}); }

  /// A window that is the whole input in order (exporters write "0 to
  /// INT64_MAX") changes nothing.
  bool isView(const Node &node, unsigned) const override { return isWholeInput(node); }
  bool isIdentity(const Node &node) const override { return isWholeInput(node); }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    return QdqFusion{QdqFusion::Kind::Move};
  }

private:
  static bool isWholeInput(const Node &node) {
    // Bounds are inputs since opset 10 and attributes before; the operand
    // count says which form the node has.
    absl::StatusOr<SliceWindow> window = resolveSliceWindow(node, node.numOperands() > 1 ? 10 : 1);
    if (!window.ok())
      return false;
    const TensorType &input = node.operand(0)->type();
    for (size_t d = 0; d < window->shape.size(); ++d)
      if (window->shape[d] != input.shape[d] ||
          (window->shape[d] > 1 && (window->starts[d] != 0 || window->steps[d] != 1)))
        return false;
    return true;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<SliceOp>()); }

} // namespace tinyplan
