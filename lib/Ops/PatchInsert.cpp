//===- PatchInsert.cpp - tinyplan PatchInsert: a patch into its place -----===//
//
// PatchInsert(patch, canvas?) in domain "tinyplan", made by the patches
// rewrite (lib/Transforms/Patches.cpp): the result, of shape `shape`, is
// `canvas` (zeros where no canvas is given) with `patch` written at
// element offset `starts`. A chain of them assembles a tensor computed
// patch by patch; each may write over its canvas, so the chain keeps one
// buffer the size of the whole tensor.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {
namespace {

class PatchInsertOp final : public OpDef {
public:
  PatchInsertOp() : OpDef("PatchInsert", 1, 2, 1, 1, "tinyplan") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &patch = node.operand(0)->type();
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> shape, node.getInts("shape"));
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> starts, node.getInts("starts"));
    if (shape.size() != size_t(patch.rank()) || starts.size() != shape.size())
      return modelError("shape and starts need one value per axis of the patch ",
                        patch.str());
    for (size_t axis = 0; axis < shape.size(); ++axis)
      if (starts[axis] < 0 || starts[axis] + patch.shape[axis] > shape[axis])
        return modelError("the patch ", patch.str(), " at ", starts[axis], " on axis ", axis,
                          " does not fit in ", shape[axis]);
    TensorType result(patch.dtype, Shape(shape.begin(), shape.end()));
    if (const Value *canvas = node.operand(1))
      if (canvas->type() != result)
        return modelError("the canvas is ", canvas->type().str(), ", the result ",
                          result.str());
    return TypeList{result};
  }

  /// The patch is written where the canvas is never read.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &node, unsigned) const override {
    if (node.operand(1))
      return {1};
    return {};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<PatchInsertOp>()); }

} // namespace tinyplan
