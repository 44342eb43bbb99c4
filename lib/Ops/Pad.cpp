//===- Pad.cpp - ONNX Pad, constant mode ----------------------------------===//
//
// Pads (or, with negative amounts, crops) each axis. The amounts moved from
// attributes to inputs over the opsets:
//   opset 1      attribute `paddings`, attribute `value`
//   opset 2-10   attribute `pads`, attribute `value`
//   opset 11+    input `pads`, optional input `constant_value`
//   opset 18+    optional input `axes` selecting which axes `pads` covers
// `pads` is [x1_begin, x2_begin, ..., x1_end, x2_end, ...]. Static shapes
// need the amounts at compile time, so a `pads` input must be constant.
// Only `constant` mode is supported: reflect, edge and wrap read the input
// at mirrored positions, which no kernel implements yet.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/Checked.h"

#include "llvm/ADT/SmallBitVector.h"

namespace tinyplan {
namespace {

class PadOp final : public OpDef {
public:
  PadOp() : OpDef("Pad", 1, 4) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    const TensorType &data = node.operand(0)->type();
    TP_ASSIGN_OR_RETURN(std::string mode, node.getString("mode", "constant"));
    if (mode != "constant")
      return modelError("mode '", mode, "' is not supported (only 'constant')");

    std::vector<int64_t> pads;
    std::vector<int64_t> axes;
    if (opset < 11) {
      if (node.numOperands() > 1)
        return modelError("takes 1 input before opset 11, got ",
                          node.numOperands());
      llvm::StringRef padsName = opset < 2 ? "paddings" : "pads";
      if (!node.hasAttr(padsName))
        return modelError("attribute '", padsName.str(), "' is required");
      TP_ASSIGN_OR_RETURN(pads, node.getInts(padsName));
      TP_RETURN_IF_ERROR(node.getFloat("value", 0.0f).status());
    } else {
      if (!node.operand(1))
        return modelError("input 'pads' is required from opset 11");
      if (node.operand(1)->type().dtype != DType::I64)
        return modelError("pads must be i64, got ",
                          node.operand(1)->type().str());
      TP_ASSIGN_OR_RETURN(pads, constantIntsOperand(node, 1, "pads"));
      if (const Value *value = node.operand(2)) {
        if (value->type().dtype != data.dtype)
          return modelError("constant_value has type ",
                            dtypeName(value->type().dtype).str(),
                            ", data has ", dtypeName(data.dtype).str());
        // ONNX says scalar; exporters also write a one-element 1-D tensor.
        if (value->type().rank() > 1 || value->type().numElements() != 1)
          return modelError("constant_value must be a scalar, got ",
                            value->type().str());
      }
      if (node.operand(3)) {
        if (opset < 18)
          return modelError("input 'axes' requires opset 18, the model uses "
                            "opset ",
                            opset);
        TP_ASSIGN_OR_RETURN(axes, constantIntsOperand(node, 3, "axes"));
      }
    }

    // Without `axes`, pads covers every axis in order.
    if (!node.operand(3)) {
      for (int64_t axis = 0; axis < data.rank(); ++axis)
        axes.push_back(axis);
    }
    llvm::SmallBitVector seen(data.rank());
    for (int64_t &axis : axes) {
      TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, data.rank()));
      if (seen.test(axis))
        return modelError("axis ", axis, " appears twice in axes");
      seen.set(axis);
    }
    if (pads.size() != 2 * axes.size())
      return modelError("pads has ", pads.size(), " values, expected ",
                        2 * axes.size(), " (a begin and an end for each of ",
                        axes.size(), " axes)");

    Shape outShape = data.shape;
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t begin = pads[i], end = pads[i + axes.size()];
      int64_t axis = axes[i];
      // Pads are untrusted: keep the sum from overflowing.
      std::optional<int64_t> dim = checkedAdd(data.shape[axis], begin);
      if (dim)
        dim = checkedAdd(*dim, end);
      if (!dim)
        return modelError("pads [", begin, ", ", end, "] make axis ", axis,
                          " too large");
      if (*dim < 0)
        return modelError("pads [", begin, ", ", end, "] make axis ", axis,
                          " (size ", data.shape[axis], ") negative");
      outShape[axis] = *dim;
    }
    TP_RETURN_IF_ERROR(checkedNumElements(outShape, data.dtype).status());
    return TypeList{TensorType(data.dtype, outShape)};
  }

  OpCost cost(const Node &) const override { return OpCost(); }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<PadOp>()); }

} // namespace tinyplan
