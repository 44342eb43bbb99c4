//===- Movement.cpp - Folding and views of the element-moving ops ---------===//
//
// The behaviour MovementOp (Movement.h) derives from a StridedRead.
//
//===----------------------------------------------------------------------===//
#include "Movement.h"
#include "FoldUtils.h"

namespace tinyplan {

absl::StatusOr<TensorList> MovementOp::fold(const Node &node,
                                            llvm::ArrayRef<const Tensor *> operands,
                                            int64_t) const {
  TensorList results;
  const Tensor &source = *operands[0];
  for (unsigned r = 0; r < node.numResults(); ++r) {
    // Every element of a splat (or of a one-element input) is the same: the
    // result is a splat too, whatever its size (an Expand to 2^28 elements
    // must not take a GiB).
    if ((source.isSplat() || source.numElements() == 1) &&
        node.result(r)->type().numElements() > 0) {
      size_t width = size_t(dtypeSize(source.dtype()));
      results.push_back(Tensor::splat(node.result(r)->type(),
                                      source.rawBytes().take_front(width)));
      continue;
    }
    TP_ASSIGN_OR_RETURN(StridedRead read, read_(node, r));
    size_t rank = read.dims.size();
    results.push_back(gatherElements(*operands[0], node.result(r)->type(), [&](int64_t i) {
      int64_t source = read.offset;
      for (size_t d = rank; d-- > 0;) {
        source += (i % read.dims[d]) * read.strides[d];
        i /= read.dims[d];
      }
      return source;
    }));
  }
  return results;
}

OpCost MovementOp::cost(const Node &node) const { return dataOperandCost(node, {0}); }

bool MovementOp::isView(const Node &node, unsigned result) const {
  if (node.result(result)->type().numElements() != node.operand(0)->type().numElements())
    return false;
  absl::StatusOr<StridedRead> read = read_(node, result);
  if (!read.ok() || read->offset != 0)
    return false;
  // Row-major over the input: every dim that moves steps over all the ones
  // after it.
  int64_t expected = 1;
  for (size_t d = read->dims.size(); d-- > 0;) {
    if (read->dims[d] == 1)
      continue;
    if (read->strides[d] != expected)
      return false;
    expected *= read->dims[d];
  }
  return true;
}

} // namespace tinyplan
