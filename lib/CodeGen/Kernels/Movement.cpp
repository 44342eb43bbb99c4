//===- Movement.cpp - C for Split, Expand, Tile, DepthToSpace, SpaceToDepth ===//
//
// Each result of these ops is the strided read lib/Ops resolves for it
// (StridedRead in OpParams.h), emitted as the strided copy of
// kernels/copy.c that Transpose and Slice use: strides of 0 repeat an
// element, contiguous runs are a memmove, and a result the planner made a
// view of the input needs no code. Channels-first only.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

using ReadFn = absl::StatusOr<StridedRead> (*)(const Node &, unsigned);

struct MovementC {
  const char *opType;
  ReadFn read;
};

const MovementC kMovementC[] = {
    {"Split", splitRead},
    {"Expand", expandRead},
    {"Tile", tileRead},
    {"DepthToSpace", depthToSpaceRead},
    {"SpaceToDepth", spaceToDepthRead},
};

absl::Status emitMovement(const Node &node, CEmitContext &ctx, ReadFn read) {
  for (unsigned r = 0; r < node.numResults(); ++r) {
    TP_ASSIGN_OR_RETURN(StridedRead window, read(node, r));
    TP_RETURN_IF_ERROR(emitStridedCopy(ctx, node, *node.result(r), *node.operand(0),
                                       window.offset, window.dims, window.strides));
  }
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  for (const MovementC &entry : kMovementC)
    registry.addPortable(entry.opType, [read = entry.read](const Node &node, CEmitContext &ctx) {
      return emitMovement(node, ctx, read);
    });
}

} // namespace tinyplan
