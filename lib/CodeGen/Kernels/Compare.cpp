//===- Compare.cpp - C for the comparisons, And, Or, Xor and Not ----------===//
//
// The broadcasting loops of kernels/compare.c, each made for one op and
// element type by putting the op's element function (tp_less_f32, ...) in
// place of the loop's placeholder, as the arithmetic ops do with binary.c's
// loops. Not is unary.c's byte loop with tp_not_bool.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {
namespace {

/// The ops and the element functions tp_<op>_<dtype> of kernels/compare.c.
struct CompareC {
  const char *opType;
  const char *op;
};

const CompareC kCompareC[] = {
    {"Equal", "equal"},
    {"Less", "less"},
    {"Greater", "greater"},
    {"LessOrEqual", "lessorequal"},
    {"GreaterOrEqual", "greaterorequal"},
    {"And", "and"},
    {"Or", "or"},
    {"Xor", "xor"},
};

absl::Status emitCompare(const Node &node, CEmitContext &ctx, const CompareC &entry) {
  DType type = node.operand(0)->type().dtype;
  TP_ASSIGN_OR_RETURN(std::string element, typedKernelName(node, entry.op, type));
  return emitBroadcastBinary(ctx, node, element, type, *node.operand(0), *node.operand(1),
                             *node.result(0), nullptr, "compare");
}

absl::Status emitNot(const Node &node, CEmitContext &ctx) {
  int64_t n = node.result(0)->type().numElements();
  if (n == 0)
    return absl::OkStatus();
  std::string name = requireKernelInstance(ctx, "tp_unary_u8", "tp_unary_not_bool",
                                           {{"tp_unary_op_u8", "tp_not_bool"}});
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.result(0)), ", ", n, ", 0, 0);"));
  return absl::OkStatus();
}

} // namespace

// The loops address both operands through the node's layout, as the
// arithmetic broadcasting ops do.
TINYPLAN_REGISTER_KERNELS(registry) {
  for (const CompareC &entry : kCompareC)
    registry.addPortable(
        entry.opType,
        [&entry](const Node &node, CEmitContext &ctx) { return emitCompare(node, ctx, entry); },
        sameLayoutRule);
  registry.addPortable("Not", emitNot, sameLayoutRule);
}

} // namespace tinyplan
