//===- Cast.cpp - C for Cast ----------------------------------------------===//
//
// One loop converting every element, an instance of kernels/cast.c's tp_cast
// calling the conversion tp_FROM_to_TO of the pair of types, which computes
// exactly what Cast's folding does (lib/Ops/Cast.cpp): C casts, except that
// NaN and out-of-range floats saturate into integers (NaN is 0) where C
// leaves them undefined; f16 and bf16 are bit patterns converted through
// float (kernels/float16.c).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {
namespace {

absl::Status emitCast(const Node &node, CEmitContext &ctx) {
  DType from = node.operand(0)->type().dtype, to = node.result(0)->type().dtype;
  const Value &input = *node.operand(0), &result = *node.result(0);
  // A bool source converts as the u8 one (0 and 1 are the same bytes), so
  // bool to u8 moves the bytes unchanged.
  std::string fromSuffix = from == DType::Bool ? "u8" : cTypeSuffix(from);
  std::string toSuffix = cTypeSuffix(to);
  if (from == to || fromSuffix == toSuffix) {
    emitCopy(ctx, result, input);
    return absl::OkStatus();
  }
  std::string name = requireKernelInstance(
      ctx, "tp_cast", absl::StrCat("tp_cast_", fromSuffix, "_", toSuffix),
      {{"float", cStorageType(from).str()},
       {"double", cStorageType(to).str()},
       {"tp_cast_element", absl::StrCat("tp_", fromSuffix, "_to_", toSuffix)}});
  int64_t n = result.type().numElements();
  if (n > 0)
    ctx.emit(absl::StrCat(name, "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ", n,
                          ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Cast", emitCast); }

} // namespace tinyplan
