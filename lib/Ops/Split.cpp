//===- Split.cpp - ONNX Split: a tensor cut into parts along one axis -----===//
//
// Split(input, split?) {axis, split, num_outputs}. The part sizes come from
// the `split` attribute before opset 13 and from a constant `split` input
// since; opset 18 may instead give `num_outputs`, every part then
// ceil(dim / num_outputs) long and the last one what remains. Without
// either, the axis is cut into as many equal parts as the node has results.
// Each result is a window of the input: a strided copy, or the input itself
// when there is only one part.
//
//===----------------------------------------------------------------------===//
#include "Movement.h"
#include "FoldUtils.h"
#include "tinyplan/Support/Checked.h"

namespace tinyplan {
namespace {

constexpr unsigned kMaxResults = 1 << 16;

/// The axis and the length of every part, checked against the input.
struct SplitParts {
  int64_t axis = 0;
  std::vector<int64_t> sizes;
};

absl::StatusOr<SplitParts> splitParts(const Node &node) {
  const TensorType &input = node.operand(0)->type();
  if (input.rank() == 0)
    return modelError("input must have rank >= 1, got a scalar");
  SplitParts parts;
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", 0));
  TP_ASSIGN_OR_RETURN(parts.axis, normalizeAxis(axis, input.rank()));
  int64_t dim = input.shape[size_t(parts.axis)];
  int64_t count = node.numResults();
  if (node.numOperands() > 1 && node.operand(1)) {
    TP_ASSIGN_OR_RETURN(parts.sizes, constantIntsOperand(node, 1, "split"));
  } else if (node.hasAttr("split")) {
    TP_ASSIGN_OR_RETURN(parts.sizes, node.getInts("split"));
  } else if (node.hasAttr("num_outputs")) {
    TP_ASSIGN_OR_RETURN(int64_t outputs, node.getInt("num_outputs", 0));
    if (outputs != count)
      return modelError("num_outputs is ", outputs, " but the node has ", count, " outputs");
    // Every part but the last is ceil(dim / outputs) long.
    int64_t chunk = dim / count + (dim % count != 0);
    int64_t last = dim - chunk * (count - 1);
    if (last < 0)
      return modelError("axis ", parts.axis, " of length ", dim, " cannot be split into ",
                        count, " parts of ", chunk, " and a smaller last one");
    parts.sizes.assign(size_t(count - 1), chunk);
    parts.sizes.push_back(last);
  } else {
    if (dim % count != 0)
      return modelError("axis ", parts.axis, " of length ", dim,
                        " cannot be split into ", count, " equal parts");
    parts.sizes.assign(size_t(count), dim / count);
  }
  if (int64_t(parts.sizes.size()) != count)
    return modelError("split has ", parts.sizes.size(), " entries but the node has ", count,
                      " outputs");
  int64_t total = 0;
  for (int64_t size : parts.sizes) {
    if (size < 0)
      return modelError("split ", intListStr(parts.sizes), " has a negative entry");
    std::optional<int64_t> sum = checkedAdd(total, size);
    if (!sum)
      return modelError("split ", intListStr(parts.sizes), " overflows");
    total = *sum;
  }
  if (total != dim)
    return modelError("split ", intListStr(parts.sizes), " sums to ", total,
                      ", not to the length ", dim, " of axis ", parts.axis);
  return parts;
}

class SplitOp final : public MovementOp {
public:
  SplitOp() : MovementOp("Split", 1, 2, 1, kMaxResults, splitRead) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    bool splitInput = node.numOperands() > 1 && node.operand(1);
    if (opset < 13 && splitInput)
      return modelError("'split' is an attribute before opset 13, not an input");
    if (opset >= 13 && node.hasAttr("split"))
      return modelError("'split' is an input since opset 13, not an attribute");
    if (node.hasAttr("num_outputs")) {
      if (opset < 18)
        return modelError("attribute 'num_outputs' exists since opset 18");
      if (splitInput)
        return modelError("'split' and 'num_outputs' are both given");
    }
    for (unsigned r = 0; r < node.numResults(); ++r)
      if (!node.result(r))
        return modelError("output ", r, " is missing");
    TP_ASSIGN_OR_RETURN(SplitParts parts, splitParts(node));
    const TensorType &input = node.operand(0)->type();
    TypeList types;
    for (int64_t size : parts.sizes) {
      Shape shape(input.shape.begin(), input.shape.end());
      shape[size_t(parts.axis)] = size;
      types.push_back(TensorType(input.dtype, shape));
    }
    return types;
  }
};

} // namespace

absl::StatusOr<StridedRead> splitRead(const Node &node, unsigned result) {
  TP_ASSIGN_OR_RETURN(SplitParts parts, splitParts(node));
  const TensorType &input = node.operand(0)->type();
  StridedRead read;
  read.strides = rowMajorStrides(input.shape);
  read.dims.assign(input.shape.begin(), input.shape.end());
  read.dims[size_t(parts.axis)] = parts.sizes[result];
  for (unsigned r = 0; r < result; ++r)
    read.offset += parts.sizes[r] * read.strides[size_t(parts.axis)];
  return read;
}

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<SplitOp>()); }

} // namespace tinyplan
