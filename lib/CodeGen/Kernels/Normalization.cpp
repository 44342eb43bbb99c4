//===- Normalization.cpp - C for Layer-, Instance- and GroupNormalization -===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// Each row's mean and 1 / sqrt(variance + epsilon), then (x - mean) *
/// that * scale + bias (kernels/normalization.c). f32 only, the statistics
/// in float (stash_type 1); Scale and B must hold a value for every
/// element of a row (no broadcast inside it).
absl::Status emitLayerNorm(const Node &node, CEmitContext &ctx) {
  const TensorType &x = node.operand(0)->type();
  if (x.dtype != DType::F32)
    return unsupportedKernel(node, absl::StrCat("X of type ", dtypeName(x.dtype).str()));
  TP_ASSIGN_OR_RETURN(LayerNormRows rows, layerNormRows(node));
  if (rows.stashType != DType::F32)
    return unsupportedKernel(node, absl::StrCat("stash_type ", dtypeName(rows.stashType).str()));
  for (unsigned i = 1; i < node.numOperands(); ++i)
    if (node.operand(i) && node.operand(i)->type().numElements() != rows.n)
      return unsupportedKernel(node, absl::StrCat(i == 1 ? "Scale" : "B", " ",
                                                  node.operand(i)->type().str(),
                                                  " broadcast inside a row"));
  if (rows.rows * rows.n == 0)
    return absl::OkStatus();
  std::string name = requireLibraryKernel(ctx, "tp_layernorm_f32");
  auto optional = [&](const Value *value) {
    return value ? ctx.pointer(*value) : std::string("0");
  };
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.operand(1)), ", ", optional(node.operand(2)), ", ",
                        ctx.pointer(*node.result(0)), ", ",
                        optional(node.numResults() > 1 ? node.result(1) : nullptr), ", ",
                        optional(node.numResults() > 2 ? node.result(2) : nullptr), ", ",
                        rows.rows, ", ", rows.n, ", ", cFloatLiteral(rows.epsilon, DType::F32),
                        ");"));
  return absl::OkStatus();
}

/// Each (n, c) plane normalised as LayerNormalization's rows, with the
/// channel's scale and B: GroupNormalization's kernel with one channel per
/// group. f32 only.
absl::Status emitInstanceNorm(const Node &node, CEmitContext &ctx) {
  const TensorType &x = node.operand(0)->type();
  if (x.dtype != DType::F32)
    return unsupportedKernel(node, absl::StrCat("input of type ", dtypeName(x.dtype).str()));
  TP_ASSIGN_OR_RETURN(float epsilon, node.getFloat("epsilon", 1e-5f));
  int64_t plane = 1;
  for (int64_t d = 2; d < x.rank(); ++d)
    plane *= x.shape[d];
  if (x.numElements() == 0)
    return absl::OkStatus();
  std::string name = requireLibraryKernel(ctx, "tp_groupnorm_f32");
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.operand(1)), ", ", ctx.pointer(*node.operand(2)), ", ",
                        ctx.pointer(*node.result(0)), ", ", x.shape[0], ", ", x.shape[1], ", 1, ",
                        plane, ", ", cFloatLiteral(epsilon, DType::F32), ", 1);"));
  return absl::OkStatus();
}

/// Each group of channels of an image normalised as one row, with the
/// group's or the channel's scale and bias. f32 only, the statistics in
/// float (stash_type 1).
absl::Status emitGroupNorm(const Node &node, CEmitContext &ctx) {
  const TensorType &x = node.operand(0)->type();
  if (x.dtype != DType::F32)
    return unsupportedKernel(node, absl::StrCat("X of type ", dtypeName(x.dtype).str()));
  TP_ASSIGN_OR_RETURN(GroupNormGroups groups, groupNormGroups(node, ctx.opset()));
  if (groups.stashType != DType::F32)
    return unsupportedKernel(node,
                             absl::StrCat("stash_type ", dtypeName(groups.stashType).str()));
  if (x.numElements() == 0)
    return absl::OkStatus();
  std::string name = requireLibraryKernel(ctx, "tp_groupnorm_f32");
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.operand(1)), ", ", ctx.pointer(*node.operand(2)), ", ",
                        ctx.pointer(*node.result(0)), ", ", groups.batch, ", ", groups.groups,
                        ", ", groups.channelsPerGroup, ", ", groups.plane, ", ",
                        cFloatLiteral(groups.epsilon, DType::F32), ", ",
                        groups.perChannel ? 1 : 0, ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("LayerNormalization", emitLayerNorm);
  registry.addPortable("InstanceNormalization", emitInstanceNorm);
  registry.addPortable("GroupNormalization", emitGroupNorm);
}

} // namespace tinyplan
