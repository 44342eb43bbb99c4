//===- ReduceMean.cpp - C for ReduceMean ----------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// For each output element in order, sums the reduced elements into a
/// local and divides by their count (kernels/reduce.c): floats sum in their
/// own type (f16 and bf16 in float); integers sum in 64 bits and divide
/// truncating toward zero, as ONNX Runtime does.
absl::Status emitReduceMean(const Node &node, CEmitContext &ctx) {
  const Value &input = *node.operand(0), &result = *node.result(0);
  const TensorType &data = input.type();
  TP_ASSIGN_OR_RETURN(llvm::SmallBitVector reduced, reducedAxes(node, ctx.opset()));
  if (result.type().numElements() == data.numElements()) {
    emitCopy(ctx, result, input);
    return absl::OkStatus();
  }
  // Kept and reduced dims apart, in order; dims of 1 dropped and a dim
  // merged into the one before it of the same kind when contiguous.
  Shape strides = rowMajorStrides(data.shape);
  std::vector<int64_t> dims[2], steps[2];
  int64_t count = 1;
  for (int64_t d = 0; d < data.rank(); ++d) {
    bool isReduced = reduced.test(d);
    if (isReduced)
      count *= data.shape[d];
    if (data.shape[d] == 1)
      continue;
    std::vector<int64_t> &ds = dims[isReduced], &ss = steps[isReduced];
    if (!ds.empty() && ss.back() == strides[d] * data.shape[d]) {
      ds.back() *= data.shape[d];
      ss.back() = strides[d];
    } else {
      ds.push_back(data.shape[d]);
      ss.push_back(strides[d]);
    }
  }
  for (int k = 0; k < 2; ++k)
    if (dims[k].empty()) {
      dims[k].push_back(1);
      steps[k].push_back(0);
    }
  if (dims[0].size() > 8 || dims[1].size() > 8)
    return unsupportedKernel(node, "more than 8 non-contiguous kept or reduced dims");
  std::string name =
      requireLibraryKernel(ctx, absl::StrCat("tp_reducemean_", cTypeSuffix(data.dtype)));
  ctx.emit(absl::StrCat("{\n  static const int32_t od[] = {", cIntList(dims[0]),
                        "}, os[] = {", cIntList(steps[0]), "};\n  static const int32_t rd[] = {",
                        cIntList(dims[1]), "}, rs[] = {", cIntList(steps[1]), "};\n  ", name,
                        "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ",
                        dims[0].size(), ", od, os, ", dims[1].size(), ", rd, rs, ", count,
                        ");\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("ReduceMean", emitReduceMean); }

} // namespace tinyplan
