//===- Pad.cpp - C for Pad: constant, edge and reflect modes --------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include <limits>

namespace tinyplan {
namespace {

/// One row (innermost axis) at a time, by kernels/pad.c: `g` holds five
/// ints per axis: input dim, output dim, and the PadAxis (offset, first,
/// count).
absl::Status emitPad(const Node &node, CEmitContext &ctx) {
  const Value &input = *node.operand(0), &result = *node.result(0);
  const TensorType &type = result.type();
  TP_ASSIGN_OR_RETURN(PadSpec spec, resolvePads(node, ctx.opset()));
  if (type.numElements() == 0)
    return absl::OkStatus();
  if (type.rank() == 0) {
    emitCopy(ctx, result, input);
    return absl::OkStatus();
  }
  if (type.rank() > 8)
    return unsupportedKernel(node, "more than 8 dims");
  // Per dim in memory order (the node's layout).
  std::vector<int64_t> geometry;
  for (int64_t axisIndex : memoryOrder(type.rank(), ctx.channelsLast(node))) {
    size_t d = size_t(axisIndex);
    PadAxis axis = padAxis(spec, d, input.type().shape[d]);
    geometry.insert(geometry.end(), {input.type().shape[d], type.shape[d], axis.offset,
                                     axis.first, axis.count});
  }
  // The value: the constant_value operand (read at run time), the opset <
  // 11 attribute converted to the element type, or zero.
  std::string value = "0";
  if (ctx.opset() >= 11 && node.operand(2)) {
    value = absl::StrCat(ctx.pointer(*node.operand(2)), "[0]");
  } else if (ctx.opset() < 11) {
    TP_ASSIGN_OR_RETURN(Tensor literal, padValue(node, ctx.opset(), {}));
    value = cElementLiteral(literal, 0);
  }
  std::string name = requireLibraryKernel(ctx, "tp_pad_" + cStorageSuffix(type.dtype));
  ctx.emit(absl::StrCat("{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ",
                        name, "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ",
                        type.rank(), ", g, ", int(spec.mode), ", ", value, ");\n}"));
  return absl::OkStatus();
}

/// A constant Pad of the spatial dims of a 4-D tensor writes its output rows
/// in order, output row r of a plane (channels-first) or of the image
/// (channels-last) after reading input row r - top: the row walk of a window
/// of stride 1 and `top` rows of padding. Edge, reflect and wrap read other
/// rows, so only constant padding overlaps. The pads come from attributes
/// before opset 11 and from operand 1 since; the import checked the node
/// against its opset, so either opset of the two reads them.
std::optional<KernelOverlap> padOverlap(const Node &node, const LayoutPlan &layouts) {
  const Value *input = node.operand(0);
  if (!input || input->type().rank() != 4)
    return std::nullopt;
  bool padsOperand = node.numOperands() > 1 && node.operand(1);
  absl::StatusOr<PadSpec> spec =
      resolvePads(node, padsOperand ? std::numeric_limits<int64_t>::max() : 10);
  if (!spec.ok() || spec->mode != PadMode::Constant || spec->begin.size() != 4 ||
      spec->end.size() != 4 || spec->begin[0] || spec->begin[1] || spec->end[0] || spec->end[1])
    return std::nullopt;
  RowWalk walk{1, spec->begin[2]};
  if (layouts.channelsLast(*node.result(0)))
    return rowsOverlap(node, layouts, walk);
  return channelGroupsOverlap(node, layouts, input->type().shape[1], walk);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("Pad", emitPad, sameLayoutRule, padOverlap);
}

} // namespace tinyplan
