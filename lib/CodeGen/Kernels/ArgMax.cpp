//===- ArgMax.cpp - C for ArgMax and ArgMin -------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

bool isUnsignedType(DType type) {
  return type == DType::U8 || type == DType::U16 || type == DType::U32 || type == DType::U64;
}

/// For each of outer * inner rows of n elements, inner apart, the index of
/// the largest (smallest) element (kernels/argmax.c): the kernel for the
/// element type, an instance of the f32, f16 or i8 ArgMax kernel with the
/// type and the comparison replaced.
absl::Status emitArgReduce(const Node &node, CEmitContext &ctx, bool isMin) {
  const TensorType &data = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(ArgReduce arg, argReduce(node, ctx.opset()));
  const char *kind = isMin ? "min" : "max";
  std::string name = absl::StrCat("tp_arg", kind, "_", cTypeSuffix(data.dtype));
  if (KernelLibrary::builtin().find(name)) {
    requireLibraryKernel(ctx, name);
  } else {
    std::vector<std::pair<std::string, std::string>> map;
    std::string prototype;
    if (data.dtype == DType::F32 || data.dtype == DType::F64) {
      prototype = "tp_argmax_f32";
      std::string suffix = cTypeSuffix(data.dtype);
      if (data.dtype == DType::F64)
        map.emplace_back("float", "double");
      map.emplace_back("tp_argbetter_max_f32", absl::StrCat("tp_argbetter_", kind, "_", suffix));
    } else if (data.dtype == DType::F16 || data.dtype == DType::BF16) {
      prototype = "tp_argmax_f16";
      if (data.dtype == DType::BF16)
        map.emplace_back("tp_f16_to_f32", "tp_bf16_to_f32");
      map.emplace_back("tp_argbetter_max_f32", absl::StrCat("tp_argbetter_", kind, "_f32"));
    } else {
      prototype = "tp_argmax_i8";
      std::string suffix = cTypeSuffix(data.dtype);
      bool isU = isUnsignedType(data.dtype);
      if (data.dtype != DType::I8)
        map.emplace_back("int8_t", absl::StrCat(isU ? "uint" : "int", suffix.substr(1), "_t"));
      map.emplace_back("tp_argbetter_max_i64",
                       absl::StrCat("tp_argbetter_", kind, isU ? "_u64" : "_i64"));
    }
    requireKernelInstance(ctx, prototype, name, map);
  }
  if (arg.outer * arg.inner > 0)
    ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                          ctx.pointer(*node.result()), ", ", arg.outer, ", ", arg.n, ", ",
                          arg.inner, ", ", arg.selectLast ? 1 : 0, ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  for (bool isMin : {false, true})
    registry.addPortable(isMin ? "ArgMin" : "ArgMax",
                         [isMin](const Node &node, CEmitContext &ctx) {
                           return emitArgReduce(node, ctx, isMin);
                         });
}

} // namespace tinyplan
