//===- ConvTranspose.cpp - C for ConvTranspose, 1-D to 3-D ----------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include <numeric>

namespace tinyplan {
namespace {

/// kernels/convtranspose.c over NCDHW, 1-D and 2-D as 3-D with leading
/// extents of 1; geo as tp_conv_transpose_f32 reads it, the tap steps
/// L = S / gcd(S, DL) computed here.
absl::Status emitConvTranspose(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &weight = node.operand(1)->type();
  const TensorType &output = node.result()->type();
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, input.dtype));
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(
      WindowGeometry g,
      convTransposeGeometry(node, spatial, llvm::ArrayRef<int64_t>(weight.shape).drop_front(2)));
  TP_ASSIGN_OR_RETURN(int64_t group, node.getInt("group", 1));
  if (output.numElements() == 0)
    return absl::OkStatus();
  std::vector<int64_t> in(spatial.begin(), spatial.end());
  // Leading spatial axes of extent 1 (kernel 1, no padding) make it 3-D.
  while (in.size() < 3) {
    in.insert(in.begin(), 1);
    for (std::vector<int64_t> *v : {&g.outputSpatial, &g.kernel, &g.strides, &g.dilations})
      v->insert(v->begin(), 1);
    g.padsBegin.insert(g.padsBegin.begin(), 0);
  }
  std::vector<int64_t> geo = in;
  for (const std::vector<int64_t> *v :
       {&g.outputSpatial, &g.kernel, &g.strides, &g.dilations, &g.padsBegin})
    geo.insert(geo.end(), v->begin(), v->end());
  for (size_t i = 0; i < 3; ++i)
    geo.push_back(g.strides[i] / std::gcd(g.strides[i], g.dilations[i]));
  // The kernel indexes in int32_t: the attributes must fit (every tensor's
  // element count does, checked at import).
  for (int64_t v : geo)
    if (v > INT32_MAX || v < INT32_MIN)
      return unsupportedKernel(node, "an attribute beyond int32");
  if (input.dtype == DType::F32)
    requireLibraryKernel(ctx, "tp_fmaf");
  std::string name =
      requireLibraryKernel(ctx, absl::StrCat("tp_conv_transpose_", cTypeSuffix(input.dtype)));
  const Value *bias = node.operand(2);
  ctx.emit(absl::StrCat(
      "{\n  static const int32_t geo[] = {", cIntList(geo), "};\n  ", name, "(",
      ctx.pointer(*node.operand(0)), ", ", ctx.pointer(*node.operand(1)), ", ",
      bias ? ctx.pointer(*bias) : std::string("0"), ", ", ctx.pointer(*node.result()), ",\n    ",
      cIntList({input.shape[0], input.shape[1], output.shape[1], group}), ", geo);\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("ConvTranspose", emitConvTranspose); }

} // namespace tinyplan
