//===- BatchNorm.cpp - C for BatchNormalization (inference) ---------------===//
//
// Normally folded into the convolution before it (fold-batchnorm); this is
// the kernel for one that stays a node of its own.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

#include "absl/strings/str_join.h"

namespace tinyplan {
namespace {

/// Inference normalisation per channel c of planes of S elements, in
/// ONNX Runtime's order: (x - mean) / sqrt(var + eps) * scale + B
/// (kernels/batchnorm.c).
absl::Status emitBatchNorm(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, input.dtype));
  for (unsigned i = 1; i < 5; ++i)
    if (node.operand(i)->type().dtype != input.dtype)
      return unsupportedKernel(node, "statistics of another element type than X");
  TP_ASSIGN_OR_RETURN(float eps, node.getFloat("epsilon", 1e-5f));
  std::string name =
      requireLibraryKernel(ctx, absl::StrCat("tp_batchnorm_", cTypeSuffix(input.dtype)));
  int64_t n = input.shape[0], c = input.shape[1];
  int64_t planes = n * c;
  if (planes == 0)
    return absl::OkStatus();
  std::vector<std::string> args;
  for (unsigned i = 0; i < 5; ++i)
    args.push_back(ctx.pointer(*node.operand(i)));
  args.push_back(ctx.pointer(*node.result(0)));
  ctx.emit(absl::StrCat(name, "(", absl::StrJoin(args, ", "), ", ", n, ", ", c, ", ",
                        input.numElements() / planes, ", ",
                        cFloatLiteral(eps, input.dtype), ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  registry.addPortable("BatchNormalization", emitBatchNorm);
}

} // namespace tinyplan
