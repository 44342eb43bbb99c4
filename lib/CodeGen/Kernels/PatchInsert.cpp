//===- PatchInsert.cpp - C for PatchInsert --------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/CodeGen/Layout.h"
#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {
namespace {

/// The canvas (unless the planner put the result over it; zeros without
/// one, so that every byte of the result is defined), then the patch's
/// rows in place: one tp_concat_copy per run of rows that are evenly
/// spaced in the result, in the node's layout.
absl::Status emitPatchInsert(const Node &node, CEmitContext &ctx) {
  const Value &patch = *node.operand(0), &result = *node.result(0);
  if (const Value *canvas = node.operand(1))
    emitCopy(ctx, result, *canvas);
  else
    ctx.emit(absl::StrCat("memset(", ctx.pointer(result), ", 0, ", result.type().numBytes(),
                          ");"));
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> starts, node.getInts("starts"));
  // The patch's dims in memory order, walked with the result's strides.
  bool channelsLast = ctx.channelsLast(node);
  std::vector<int64_t> order = memoryOrder(result.type().rank(), channelsLast);
  Shape memoryStrides = rowMajorStrides(memoryShape(result.type().shape, channelsLast));
  std::vector<int64_t> partDims, partStrides;
  int64_t offset = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    partDims.push_back(patch.type().shape[order[i]]);
    partStrides.push_back(memoryStrides[i]);
    offset += starts[order[i]] * memoryStrides[i];
  }
  auto [dims, steps] = mergeStrides(partDims, partStrides);
  if (dims.empty() || steps.back() != 1) {
    dims.push_back(1);
    steps.push_back(1);
  }
  if (dims.size() > 3)
    return unsupportedKernel(node, "a patch over more than 3 non-contiguous dims");
  int64_t size = dtypeSize(result.type().dtype);
  int64_t run = dims.back() * size;
  std::string to = absl::StrCat("(uint8_t *)", ctx.pointer(result), " + ", offset * size);
  std::string from = absl::StrCat("(const uint8_t *)", ctx.pointer(patch));
  if (dims.size() == 1) {
    ctx.emit(absl::StrCat("memcpy(", to, ", ", from, ", ", run, ");"));
    return absl::OkStatus();
  }
  std::string copy = requireLibraryKernel(ctx, "tp_concat_copy");
  int64_t rows = dims[dims.size() - 2], rowStep = steps[steps.size() - 2] * size;
  if (dims.size() == 2) {
    ctx.emit(absl::StrCat(copy, "(", to, ", ", from, ", ", rows, ", ", run, ", ", rowStep,
                          ");"));
    return absl::OkStatus();
  }
  ctx.emit(absl::StrCat("for (int32_t i = 0; i < ", dims[0], "; ++i)\n  ", copy, "(", to,
                        " + i * ", steps[0] * size, ", ", from, " + i * ", rows * run, ", ",
                        rows, ", ", run, ", ", rowStep, ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  KernelImpl impl;
  impl.domain = "tinyplan";
  impl.opType = "PatchInsert";
  impl.name = "portable";
  impl.emit = emitPatchInsert;
  impl.layouts = sameLayoutRule;
  registry.add(std::move(impl));
}

} // namespace tinyplan
