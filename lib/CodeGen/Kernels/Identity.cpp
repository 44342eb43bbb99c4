//===- Identity.cpp - C for Identity and inference-mode Dropout -----------===//
//
// Normally removed before planning (remove-identity); what stays is a copy,
// or no code at all where the planner made the result a view.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {
namespace {

/// The output is the input; the mask keeps every element (1 / true).
absl::Status emitDropout(const Node &node, CEmitContext &ctx) {
  emitCopy(ctx, *node.result(0), *node.operand(0));
  if (node.numResults() < 2)
    return absl::OkStatus();
  const Value &mask = *node.result(1);
  TP_ASSIGN_OR_RETURN(std::string type, requireCType(node, mask.type().dtype));
  int64_t n = mask.type().numElements();
  if (n > 0)
    ctx.emit(absl::StrCat("{\n  int32_t i;\n  for (i = 0; i < ", n, "; ++i)\n    ",
                          ctx.pointer(mask), "[i] = (", type, ")1;\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("Identity", emitOperandCopy);
  registry.addPortable("Dropout", emitDropout);
}

} // namespace tinyplan
