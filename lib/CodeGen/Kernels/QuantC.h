//===- QuantC.h - Pieces of the quantized ops' C calls ----------*- C++ -*-===//
//
// Private to lib/CodeGen/Kernels: what the calls of kernels/quant.c's and
// kernels/qlinear.c's kernels share: operand expressions, the registration
// of a com.microsoft op, and the lookup tables computed at compile time as
// ONNX Runtime computes them at run time.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_CODEGEN_KERNELS_QUANTC_H
#define TINYPLAN_LIB_CODEGEN_KERNELS_QUANTC_H

#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"

#include <cassert>
#include <cmath>
#include <functional>

namespace tinyplan {

/// `(int32_t)P[0]` for a per-tensor zero-point operand, "0" when absent.
inline std::string quantZeroPointC(CEmitContext &ctx, const Value *zeroPoint) {
  return zeroPoint ? absl::StrCat("(int32_t)", ctx.pointer(*zeroPoint), "[0]") : "0";
}

/// `P[0]`: a per-tensor scale operand's value.
inline std::string quantScaleC(CEmitContext &ctx, const Value &scale) {
  return absl::StrCat(ctx.pointer(scale), "[0]");
}

/// The qmin, qmax pair of a quantized type as C arguments.
inline const char *quantRangeC(DType type) { return type == DType::I8 ? "-128, 127" : "0, 255"; }

/// Registers the portable C of com.microsoft op \p opType.
inline void addMicrosoftPortable(KernelRegistry &registry, llvm::StringRef opType,
                                 std::function<absl::Status(const Node &, CEmitContext &)> emit) {
  KernelImpl impl;
  impl.domain = "com.microsoft";
  impl.opType = opType.str();
  impl.name = "portable";
  impl.emit = std::move(emit);
  registry.add(std::move(impl));
}

/// A per-tensor scale and zero point known at compile time.
struct ConstantQuantParams {
  float scale;
  int32_t zeroPoint;
};

/// The constant values of scale operand \p scale and zero-point operand
/// \p zeroPoint (absent: 0); nullopt when either is computed at run time.
inline std::optional<ConstantQuantParams> constantQuantParams(const Value *scale,
                                                             const Value *zeroPoint) {
  if (!scale || !scale->constant() || (zeroPoint && !zeroPoint->constant()))
    return std::nullopt;
  return ConstantQuantParams{float(scale->constant()->doubleAt(0)),
                             zeroPoint ? int32_t(zeroPoint->constant()->intAt(0)) : 0};
}

/// The value of byte \p byte (0..255) of a tensor of \p type: itself for
/// uint8, its two's complement value for int8.
inline int32_t quantByteValue(int32_t byte, DType type) {
  return type == DType::I8 && byte > 127 ? byte - 256 : byte;
}

/// MLAS's MlasQuantizeLinear of one float: v / scale clamped to [qmin - zp,
/// qmax - zp] (NaN: the lower end, as maxps), rounded to even, plus zp;
/// returned as the byte that stores it.
inline uint8_t quantizeLinearByte(float v, ConstantQuantParams q, DType type) {
  float lo = float((type == DType::I8 ? -128 : 0) - q.zeroPoint);
  float hi = float((type == DType::I8 ? 127 : 255) - q.zeroPoint);
  float x = v / q.scale;
  x = x > lo ? x : lo;
  x = x < hi ? x : hi;
  return uint8_t(int32_t(std::nearbyint(x)) + q.zeroPoint);
}

/// The 256-byte table ONNX Runtime's QlinearBuildLookupTable makes: entry
/// b is byte b dequantized (x_scale * (float)(value - x_zp)), passed
/// through \p fn, and quantized with \p y (MlasQuantizeLinear); added to
/// the weights as `static const uint8_t` under \p key; returns its name.
inline std::string quantLookupTableC(CEmitContext &ctx, const Node &node, llvm::StringRef key,
                                     ConstantQuantParams x, ConstantQuantParams y, DType type,
                                     const std::function<float(float)> &fn) {
  std::vector<uint8_t> bytes(256);
  std::vector<int64_t> gather(256);
  for (int32_t b = 0; b < 256; ++b) {
    float dequantized = x.scale * float(quantByteValue(b, type) - x.zeroPoint);
    bytes[size_t(b)] = quantizeLinearByte(fn(dequantized), y, type);
    gather[size_t(b)] = b;
  }
  Tensor table(TensorType(DType::U8, {256}), std::move(bytes));
  return ctx.constantTable(absl::StrCat("qlut:", node.result()->id(), ":", key.str()),
                           absl::StrCat(node.result()->name(), "_lut"), table, gather);
}

/// A window over 1 to 3 spatial dims as the 3-D table of kernels/quant.c:
/// input extents, output extents, kernel, strides, then dilations when
/// \p withDilations, then begin pads (3 each, leading dims of 1).
inline std::vector<int64_t> quantWindowTable(llvm::ArrayRef<int64_t> spatial,
                                             llvm::ArrayRef<int64_t> outSpatial,
                                             const WindowGeometry &g, bool withDilations) {
  std::vector<int64_t> in = {1, 1, 1}, out = {1, 1, 1}, k = {1, 1, 1}, st = {1, 1, 1},
                       dil = {1, 1, 1}, pb = {0, 0, 0};
  size_t lead = 3 - spatial.size();
  for (size_t i = 0; i < spatial.size(); ++i) {
    in[lead + i] = spatial[i];
    out[lead + i] = outSpatial[i];
    k[lead + i] = g.kernel[i];
    st[lead + i] = g.strides[i];
    dil[lead + i] = g.dilations[i];
    pb[lead + i] = g.padsBegin[i];
  }
  std::vector<int64_t> table;
  for (const auto *part : {&in, &out, &k, &st})
    table.insert(table.end(), part->begin(), part->end());
  if (withDilations)
    table.insert(table.end(), dil.begin(), dil.end());
  table.insert(table.end(), pb.begin(), pb.end());
  return table;
}

/// kernels/qlinear.c's tp_qlinear_gavgpool over every image of \p node's
/// operand 0 (N, C, spatial... or, when \p channelsLast, N, spatial..., C),
/// with operands 1 to 4 the scales and zero points of QLinearGlobalAveragePool
/// and QLinearAveragePool. Refuses what ONNX Runtime refuses.
absl::Status emitQLinearGlobalAverage(const Node &node, CEmitContext &ctx, bool channelsLast);

/// Requires the requantizing integer-product kernel \p name of the library
/// (tp_qlinearconv_u8_i8, tp_qgemm_i8_i8, ...) whose result has type
/// \p outType; under --requant=fixed, its instance \p name + "_fixed",
/// which stores through tp_qstore_fixed_* (an int32 multiplier and shift)
/// instead of tp_qstore_* and tp_qstore_finite_* (tp_qstore4_fixed_*
/// instead of tp_qstore4_finite_*, and tp_requant_float_off, 0, instead of
/// tp_requant_float, which leaves out assembly that requantizes in float),
/// and so do the _fixed instances of the kernels it uses that store.
/// \p extra are more identifiers to replace the same way (in \p name and
/// in the kernels it uses that reach them), the instances named with
/// \p suffix after that: tp_qconv_wide by tp_qconv_wide_on, "_w16".
/// Returns the kernel to call.
inline std::string
requireRequantKernel(CEmitContext &ctx, const std::string &name, DType outType,
                     const std::vector<std::pair<std::string, std::string>> &extra = {},
                     const std::string &suffix = "") {
  if (!ctx.fixedRequant() && extra.empty())
    return requireLibraryKernel(ctx, name);
  std::vector<std::pair<std::string, std::string>> replacements = extra;
  std::string instance = name;
  if (ctx.fixedRequant()) {
    const std::string type = cTypeSuffix(outType);
    replacements.insert(
        replacements.end(),
        {{absl::StrCat("tp_qstore_", type), absl::StrCat("tp_qstore_fixed_", type)},
         {absl::StrCat("tp_qstore_finite_", type), absl::StrCat("tp_qstore_fixed_", type)},
         {absl::StrCat("tp_qstore4_finite_", type), absl::StrCat("tp_qstore4_fixed_", type)},
         {"tp_requant_float", "tp_requant_float_off"}});
    instance += "_fixed";
  }
  instance += suffix;
  std::vector<std::string> replaced;
  for (const auto &[from, to] : replacements)
    replaced.push_back(from);
  const KernelLibrary &library = KernelLibrary::builtin();
  const LibraryKernel *kernel = library.find(name);
  assert(kernel && "requireRequantKernel: not a library kernel");
  for (const std::string &use : kernel->uses) {
    if (llvm::is_contained(replaced, use))
      continue;
    for (const LibraryKernel *inner : library.closure({use}))
      if (llvm::is_contained(replaced, inner->name)) {
        replacements.emplace_back(use, requireRequantKernel(ctx, use, outType, extra, suffix));
        break;
      }
  }
  return requireKernelInstance(ctx, name, instance, replacements);
}

} // namespace tinyplan

#endif
