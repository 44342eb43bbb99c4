//===- Cast.cpp - C for Cast ----------------------------------------------===//
//
// One loop converting every element, computing exactly what Cast's folding
// does (lib/Ops/Cast.cpp): C casts, except that NaN and out-of-range floats
// saturate into integers (NaN is 0) where C leaves them undefined; f16 and
// bf16 are bit patterns converted through float (requireToNarrowFloatC).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {
namespace {

/// The C expression converting `v` (stored as type \p from) to \p to,
/// exactly as fold does; requires the helpers it calls.
std::string conversionC(CEmitContext &ctx, DType from, DType to) {
  std::string type = cStorageType(to).str();
  std::string v = "v";
  if (from == DType::F16 || from == DType::BF16) {
    // Exact in float; from there as a float source.
    v = absl::StrCat(requireNarrowToFloatC(ctx, from), "(v)");
    from = DType::F32;
    if (to == DType::F32)
      return v;
  }
  if (to == DType::Bool)
    return absl::StrCat("(uint8_t)(", v, " != 0)");
  if (to == DType::F16 || to == DType::BF16) {
    // One rounding: integers up to 16 bits are exact in float, wider ones
    // go through double as fold does.
    if (from == DType::F32 || (!isFloat(from) && dtypeSize(from) <= 2))
      return absl::StrCat(requireToNarrowFloatC(ctx, DType::F32, to), "(",
                          from == DType::F32 ? "" : "(float)", v, ")");
    return absl::StrCat(requireToNarrowFloatC(ctx, DType::F64, to), "(",
                        from == DType::F64 ? "" : "(double)", v, ")");
  }
  if (isFloat(to) || !isFloat(from))
    return absl::StrCat("(", type, ")", v);
  // Float to integer: C leaves NaN and out-of-range values undefined;
  // saturate to int64 (NaN is 0) and wrap, as fold does.
  std::string f = from == DType::F32 ? "f" : "";
  std::string suffix = cTypeSuffix(from);
  std::string toI64 = absl::StrCat("tp_", suffix, "_to_i64");
  std::string floatType = from == DType::F32 ? "float" : "double";
  ctx.requireKernel(toI64, absl::StrCat("static int64_t ", toI64, "(", floatType,
                                        " v) {\n  return v != v ? 0 : v >= 0x1p63", f,
                                        " ? INT64_MAX : v <= -0x1p63", f,
                                        " ? INT64_MIN : (int64_t)v;\n}\n"));
  if (to != DType::U64)
    return absl::StrCat("(", type, ")", toI64, "(", v, ")");
  std::string toU64 = absl::StrCat("tp_", suffix, "_to_u64");
  ctx.requireKernel(toU64, absl::StrCat("static uint64_t ", toU64, "(", floatType,
                                        " v) {\n  return v >= 0x1p63", f, " ? (v >= 0x1p64",
                                        f, " ? UINT64_MAX : (uint64_t)v) : (uint64_t)", toI64,
                                        "(v);\n}\n"));
  return absl::StrCat(toU64, "(", v, ")");
}

/// One loop applying conversionC to every element.
absl::Status emitCast(const Node &node, CEmitContext &ctx) {
  DType from = node.operand(0)->type().dtype, to = node.result(0)->type().dtype;
  const Value &input = *node.operand(0), &result = *node.result(0);
  if (from == to) {
    emitCopy(ctx, result, input);
    return absl::OkStatus();
  }
  std::string name = absl::StrCat("tp_cast_", cTypeSuffix(from), "_", cTypeSuffix(to));
  ctx.requireKernel(name, absl::StrCat("static void ", name, "(const ",
                                       cStorageType(from).str(), " *x, ",
                                       cStorageType(to).str(), R"( *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const )", cStorageType(from).str(), " v = x[i];\n    y[i] = ",
                                       conversionC(ctx, from, to), ";\n  }\n}\n"));
  int64_t n = result.type().numElements();
  if (n > 0)
    ctx.emit(absl::StrCat(name, "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ", n,
                          ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Cast", emitCast); }

} // namespace tinyplan
