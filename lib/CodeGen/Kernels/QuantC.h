//===- QuantC.h - Pieces of the quantized ops' C calls ----------*- C++ -*-===//
//
// Private to lib/CodeGen/Kernels: what the calls of kernels/quant.c's
// convolution and pooling kernels share.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_CODEGEN_KERNELS_QUANTC_H
#define TINYPLAN_LIB_CODEGEN_KERNELS_QUANTC_H

#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {

/// `(int32_t)P[0]` for a per-tensor zero-point operand, "0" when absent.
inline std::string quantZeroPointC(CEmitContext &ctx, const Value *zeroPoint) {
  return zeroPoint ? absl::StrCat("(int32_t)", ctx.pointer(*zeroPoint), "[0]") : "0";
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

} // namespace tinyplan

#endif
