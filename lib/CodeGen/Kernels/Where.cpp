//===- Where.cpp - C for Where --------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {
namespace {

/// kernels/where.c: the loop without broadcasting when every operand has
/// the result's elements, else the odometer over the broadcast dims.
absl::Status emitWhere(const Node &node, CEmitContext &ctx) {
  const Value &c = *node.operand(0), &a = *node.operand(1), &b = *node.operand(2);
  const Value &y = *node.result(0);
  int64_t n = y.type().numElements();
  if (n == 0)
    return absl::OkStatus();
  std::string suffix = cStorageSuffix(y.type().dtype);
  std::string call = absl::StrCat(ctx.pointer(c), ", ", ctx.pointer(a), ", ", ctx.pointer(b),
                                  ", ", ctx.pointer(y), ", ", n);
  if (c.type().numElements() == n && a.type().numElements() == n &&
      b.type().numElements() == n) {
    ctx.emit(absl::StrCat(requireLibraryKernel(ctx, "tp_where_same_" + suffix), "(", call,
                          ");"));
    return absl::OkStatus();
  }
  BroadcastLoop loop =
      broadcastLoop(ctx, node, y, {c.type().shape, a.type().shape, b.type().shape});
  if (loop.dims.size() > 8)
    return unsupportedKernel(node, "broadcasting over more than 8 dims");
  ctx.emit(absl::StrCat("{\n  static const int32_t dims[] = {", cIntList(loop.dims),
                        "}, cs[] = {", cIntList(loop.steps[0]), "}, as[] = {",
                        cIntList(loop.steps[1]), "}, bs[] = {", cIntList(loop.steps[2]),
                        "};\n  ", requireLibraryKernel(ctx, "tp_where_" + suffix), "(", call,
                        ", ", loop.dims.size(), ", dims, cs, as, bs);\n}"));
  return absl::OkStatus();
}

} // namespace

// The loop addresses every operand through the node's layout, as the
// broadcasting elementwise ops do.
TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Where", emitWhere, sameLayoutRule); }

} // namespace tinyplan
