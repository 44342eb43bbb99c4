//===- Movement.h - Ops whose results are their input's elements moved -*- C++ -*-===//
//
// Private to lib/Ops. Split, Expand, Tile, DepthToSpace and SpaceToDepth
// compute nothing: every result element is one input element, found by a
// StridedRead (OpParams.h). Each op file says how to read each result; this
// base class gives them the folding, cost and view behaviour that follow
// from the read, so the folded constants, the planner and the C (which is
// the same strided copy) agree.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_OPS_MOVEMENT_H
#define TINYPLAN_LIB_OPS_MOVEMENT_H

#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

class MovementOp : public OpDef {
public:
  /// How result \p result of a node that passed inference reads operand 0.
  using ReadFn = absl::StatusOr<StridedRead> (*)(const Node &node, unsigned result);

  MovementOp(std::string opType, unsigned minOperands, unsigned maxOperands,
             unsigned minResults, unsigned maxResults, ReadFn read)
      : OpDef(std::move(opType), minOperands, maxOperands, minResults, maxResults),
        read_(read) {}

  bool canFold() const override { return true; }

  /// Each result gathered from operand 0 as the C reads it.
  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t opset) const override;

  /// Shapes, repeats and split sizes are not parameters.
  OpCost cost(const Node &node) const override;

  /// A result that is the whole input in order (a Split into one part, an
  /// Expand or Tile that repeats nothing, a block size of 1).
  bool isView(const Node &node, unsigned result) const override;

private:
  ReadFn read_;
};

} // namespace tinyplan

#endif
