//===- CEmit.cpp - Helpers shared by the C kernels ------------------------===//
//
// C types and exact literals per dtype, requests of kernels/ kernels, the
// fused-activation expression, copies and broadcasting.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/CodeGen/Layout.h"
#include "tinyplan/Ops/Activations.h"
#include "tinyplan/Support/CWriter.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"
#include <cassert>
#include <cmath>
#include <cstring>

namespace tinyplan {

std::optional<llvm::StringRef> cType(DType type) {
  switch (type) {
  case DType::F32:
    return llvm::StringRef("float");
  case DType::F64:
    return llvm::StringRef("double");
  case DType::I8:
    return llvm::StringRef("int8_t");
  case DType::U8:
  case DType::Bool:
    return llvm::StringRef("uint8_t");
  case DType::I16:
    return llvm::StringRef("int16_t");
  case DType::U16:
    return llvm::StringRef("uint16_t");
  case DType::I32:
    return llvm::StringRef("int32_t");
  case DType::U32:
    return llvm::StringRef("uint32_t");
  case DType::I64:
    return llvm::StringRef("int64_t");
  case DType::U64:
    return llvm::StringRef("uint64_t");
  case DType::F16:
  case DType::BF16:
    return std::nullopt;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> requireCType(const Node &node, DType type) {
  if (std::optional<llvm::StringRef> name = cType(type))
    return name->str();
  return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
}

llvm::StringRef cStorageType(DType type) {
  return cType(type).value_or(llvm::StringRef("uint16_t"));
}

std::string cTypeSuffix(DType type) { return dtypeName(type).str(); }

std::string cStorageSuffix(DType type) {
  if (type == DType::Bool)
    return "u8";
  if (type == DType::F16 || type == DType::BF16)
    return "u16";
  return cTypeSuffix(type);
}

std::string requireNarrowToFloatC(CEmitContext &ctx, DType narrow) {
  assert((narrow == DType::F16 || narrow == DType::BF16) && "not a 16-bit float");
  return requireLibraryKernel(ctx, absl::StrCat("tp_", cTypeSuffix(narrow), "_to_f32"));
}

std::string requireToNarrowFloatC(CEmitContext &ctx, DType wide, DType narrow) {
  assert((narrow == DType::F16 || narrow == DType::BF16) && "not a 16-bit float");
  assert((wide == DType::F32 || wide == DType::F64) && "not float or double");
  return requireLibraryKernel(
      ctx, absl::StrCat("tp_", cTypeSuffix(wide), "_to_", cTypeSuffix(narrow)));
}

std::string cFloatLiteral(double value, DType type) {
  bool isF32 = type != DType::F64;
  const char *suffix = isF32 ? "f" : "";
  if (std::isnan(value))
    return std::signbit(value) ? "(-NAN)" : "NAN";
  if (std::isinf(value))
    return absl::StrCat(value < 0 ? "(-" : "(", isF32 ? "HUGE_VALF" : "HUGE_VAL", ")");
  if (value == 0)
    return absl::StrCat(std::signbit(value) ? "-0.0" : "0.0", suffix);
  // %a is exact; a negative literal is a unary minus applied to it, which
  // needs parentheses only where it could touch another minus.
  std::string text = absl::StrFormat("%a", isF32 ? double(float(value)) : value);
  return absl::StrCat(value < 0 ? "(" : "", text, suffix, value < 0 ? ")" : "");
}

static std::string signedLiteral(int64_t value, int bits) {
  if (bits == 64) {
    if (value == INT64_MIN)
      return "(-INT64_C(9223372036854775807) - 1)";
    return absl::StrCat("INT64_C(", value, ")");
  }
  if (bits == 32 && value == INT32_MIN)
    return "(-2147483647 - 1)";
  return absl::StrCat(value);
}

std::string cElementLiteral(const Tensor &tensor, int64_t index) {
  DType type = tensor.dtype();
  int64_t at = tensor.isSplat() ? 0 : index;
  switch (type) {
  case DType::F32:
  case DType::F64:
    return cFloatLiteral(tensor.doubleAt(at), type);
  case DType::I8:
    return signedLiteral(tensor.intAt(at), 8);
  case DType::I16:
    return signedLiteral(tensor.intAt(at), 16);
  case DType::I32:
    return signedLiteral(tensor.intAt(at), 32);
  case DType::I64:
    return signedLiteral(tensor.intAt(at), 64);
  case DType::U64:
    return absl::StrCat("UINT64_C(", uint64_t(tensor.intAt(at)), ")");
  case DType::U32:
    return absl::StrCat(uint64_t(tensor.intAt(at)), "u");
  case DType::U8:
  case DType::U16:
  case DType::Bool:
    return absl::StrCat(tensor.intAt(at));
  case DType::F16:
  case DType::BF16: {
    // Raw bit patterns; no kernel computes on them.
    uint16_t bits;
    std::memcpy(&bits, tensor.rawBytes().data() + at * 2, 2);
    return absl::StrFormat("0x%04x", bits);
  }
  }
  return "0";
}

std::string cIntList(llvm::ArrayRef<int64_t> values) {
  return absl::StrJoin(values, ", ");
}

std::optional<std::string> activationC(CEmitContext &ctx, llvm::StringRef kind,
                                       llvm::StringRef v, DType type,
                                       llvm::ArrayRef<std::string> args) {
  if (!findActivation(kind))
    return std::nullopt;
  std::string name = requireLibraryKernel(
      ctx, absl::StrCat("tp_", kind.lower(), type == DType::F64 ? "_f64" : "_f32"));
  std::vector<std::string> all = {v.str()};
  all.insert(all.end(), args.begin(), args.end());
  return cCall(name, all);
}

absl::StatusOr<std::string> typedKernelName(const Node &node, llvm::StringRef op, DType type) {
  std::string name = absl::StrCat("tp_", op.str(), "_", cTypeSuffix(type));
  if (!KernelLibrary::builtin().find(name))
    return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
  return name;
}

std::string requireLibraryKernel(CEmitContext &ctx, llvm::StringRef name) {
  const KernelLibrary &library = KernelLibrary::builtin();
  if (!library.find(name))
    llvm::report_fatal_error(llvm::Twine("no kernel ") + name + " in kernels/");
  for (const LibraryKernel *kernel : library.closure({name.str()}))
    ctx.requireKernel(kernel->name, kernel->text());
  return name.str();
}

std::string requireKernelInstance(CEmitContext &ctx, llvm::StringRef prototype,
                                  llvm::StringRef name,
                                  llvm::ArrayRef<std::pair<std::string, std::string>> replacements) {
  const KernelLibrary &library = KernelLibrary::builtin();
  absl::StatusOr<LibraryKernel> instance =
      library.instantiate(prototype, name, IdentifierMap(replacements.begin(), replacements.end()));
  if (!instance.ok())
    llvm::report_fatal_error(llvm::Twine(std::string(instance.status().message())));
  for (const std::string &use : instance->uses)
    requireLibraryKernel(ctx, use);
  ctx.requireKernel(instance->name, instance->text());
  return name.str();
}

/// A stable 32-bit digest (FNV-1a): the same on every host and run.
static uint32_t fnv1a(llvm::StringRef text) {
  uint32_t hash = 2166136261u;
  for (char c : text)
    hash = (hash ^ uint8_t(c)) * 16777619u;
  return hash;
}

absl::StatusOr<FusedActivationC> fusedActivationC(CEmitContext &ctx, const Node &node,
                                                  DType type) {
  FusedActivationC result;
  TP_ASSIGN_OR_RETURN(std::string kind, node.getString("fused_activation", ""));
  if (kind.empty()) {
    result.expression = "v";
    return result;
  }
  const ActivationInfo *activation = findActivation(kind);
  if (!activation)
    return unsupportedKernel(node, absl::StrCat("fused_activation '", kind, "'"));
  // Each parameter as an exact literal; an absent one (a Clip bound) is its
  // default, which changes nothing.
  std::vector<std::string> args;
  for (const ActivationParam &param : activation->params) {
    TP_ASSIGN_OR_RETURN(float value, node.getFloat(param.fused, param.dflt));
    args.push_back(cFloatLiteral(value, type));
  }
  std::optional<std::string> expression = activationC(ctx, kind, "v", type, args);
  // The parameters are baked into the expression, so the kernel variant is
  // named by a digest of it.
  result.suffix = absl::StrCat("_", llvm::StringRef(kind).lower(), "_",
                               absl::StrFormat("%08x", fnv1a(*expression)));
  result.expression = *expression;
  return result;
}

void emitCopy(CEmitContext &ctx, const Value &dst, const Value &src) {
  std::optional<int64_t> d = ctx.arenaOffset(dst), s = ctx.arenaOffset(src);
  if (d && s && *d == *s)
    return;
  int64_t bytes = dst.type().numBytes();
  if (bytes == 0)
    return;
  ctx.emit(absl::StrCat("memmove(", ctx.pointer(dst), ", ", ctx.pointer(src), ", ",
                        bytes, ");"));
}

absl::Status emitOperandCopy(const Node &node, CEmitContext &ctx) {
  emitCopy(ctx, *node.result(0), *node.operand(0));
  return absl::OkStatus();
}

MergedStrides mergeStrides(llvm::ArrayRef<int64_t> dims, llvm::ArrayRef<int64_t> strides) {
  // Dims of 1 move nothing; a dim whose stride steps over exactly the next
  // dim's extent merges with it.
  MergedStrides merged;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] == 1)
      continue;
    if (!merged.dims.empty() && merged.steps.back() == strides[d] * dims[d]) {
      merged.dims.back() *= dims[d];
      merged.steps.back() = strides[d];
    } else {
      merged.dims.push_back(dims[d]);
      merged.steps.push_back(strides[d]);
    }
  }
  return merged;
}

absl::Status emitStridedCopy(CEmitContext &ctx, const Node &node, const Value &dst,
                             const Value &src, int64_t srcOffset,
                             llvm::ArrayRef<int64_t> dims, llvm::ArrayRef<int64_t> strides) {
  int64_t count = 1;
  for (int64_t dim : dims)
    count *= dim;
  if (count == 0)
    return absl::OkStatus();
  auto [merged, steps] = mergeStrides(dims, strides);
  DType type = dst.type().dtype;
  int64_t size = dtypeSize(type);
  std::string from = ctx.pointer(src);
  if (srcOffset != 0)
    from = absl::StrCat(from, " + ", srcOffset);
  if (merged.empty() || (merged.size() == 1 && steps[0] == 1)) {
    std::optional<int64_t> at = ctx.arenaOffset(src), to = ctx.arenaOffset(dst);
    if (!(at && to && *at + srcOffset * size == *to))
      ctx.emit(absl::StrCat("memmove(", ctx.pointer(dst), ", ", from, ", ", count * size, ");"));
    return absl::OkStatus();
  }
  if (merged.size() > 8)
    return unsupportedKernel(node, "a copy over more than 8 non-contiguous dims");
  std::string name = requireLibraryKernel(ctx, "tp_copy_strided_" + cStorageSuffix(type));
  ctx.emit(absl::StrCat("{\n  static const int32_t dims[] = {", cIntList(merged),
                        "}, xs[] = {", cIntList(steps), "};\n  ", name, "(", from, ", ",
                        ctx.pointer(dst), ", ", merged.size(), ", dims, xs);\n}"));
  return absl::OkStatus();
}

BroadcastLoop broadcastLoop(CEmitContext &ctx, const Node &node, const Value &y,
                            llvm::ArrayRef<Shape> operandShapes) {
  // Strides of each operand over the result's dims (0 where it broadcasts),
  // in memory order (the node's layout: the layout pass lets an operand
  // broadcast channels-last only where that leaves its bytes in place);
  // dims of 1 contribute nothing and are dropped.
  const TensorType &out = y.type();
  bool channelsLast = ctx.channelsLast(node);
  std::vector<int64_t> outShape = memoryShape(out.shape, channelsLast);
  auto strides = [&](llvm::ArrayRef<int64_t> shape) {
    std::vector<int64_t> aligned(out.rank() - shape.size(), 1);
    aligned.insert(aligned.end(), shape.begin(), shape.end());
    aligned = memoryShape(aligned, channelsLast);
    std::vector<int64_t> result(out.rank(), 0);
    int64_t stride = 1;
    for (int64_t d = out.rank() - 1; d >= 0; --d) {
      if (aligned[d] != 1)
        result[d] = stride;
      stride *= aligned[d];
    }
    return result;
  };
  BroadcastLoop loop;
  loop.steps.resize(operandShapes.size());
  std::vector<std::vector<int64_t>> all;
  for (const Shape &shape : operandShapes)
    all.push_back(strides(shape));
  for (int64_t d = 0; d < out.rank(); ++d)
    if (outShape[d] != 1) {
      loop.dims.push_back(outShape[d]);
      for (size_t k = 0; k < operandShapes.size(); ++k)
        loop.steps[k].push_back(all[k][d]);
    }
  return loop;
}

absl::Status emitBroadcastBinary(CEmitContext &ctx, const Node &node,
                                 llvm::StringRef elementFunction, DType type, const Value &a,
                                 const Value &b, const Value &y, const Shape *bShape,
                                 llvm::StringRef loopFamily) {
  const TensorType &out = y.type();
  int64_t n = out.numElements();
  if (n == 0)
    return absl::OkStatus();
  // The loops of the family's kernel file, named after the element function
  // (tp_add_f32: tp_binary_add_f32, tp_binary_same_add_f32).
  assert(elementFunction.starts_with("tp_") && "not a kernel name");
  llvm::StringRef op = elementFunction.drop_front(3);
  std::string suffix = cTypeSuffix(type);
  std::string family = absl::StrCat("tp_", loopFamily.str(), "_");
  std::pair<std::string, std::string> placeholder = {absl::StrCat(family, "op_", suffix),
                                                     elementFunction.str()};
  std::string call = absl::StrCat(ctx.pointer(a), ", ", ctx.pointer(b), ", ", ctx.pointer(y),
                                  ", ", n);
  if (a.type().numElements() == n && b.type().numElements() == n) {
    std::string name =
        requireKernelInstance(ctx, absl::StrCat(family, "same_", suffix),
                              absl::StrCat(family, "same_", op.str()), {placeholder});
    ctx.emit(absl::StrCat(name, "(", call, ");"));
    return absl::OkStatus();
  }
  BroadcastLoop loop =
      broadcastLoop(ctx, node, y, {a.type().shape, bShape ? *bShape : b.type().shape});
  const std::vector<int64_t> &dims = loop.dims, &ka = loop.steps[0], &kb = loop.steps[1];
  if (dims.size() > 8)
    return unsupportedKernel(node, "broadcasting over more than 8 dims");
  std::string name = requireKernelInstance(ctx, absl::StrCat(family, suffix),
                                           absl::StrCat(family, op.str()), {placeholder});
  ctx.emit(absl::StrCat("{\n  static const int32_t dims[] = {", cIntList(dims),
                        "}, as[] = {", cIntList(ka), "}, bs[] = {", cIntList(kb), "};\n  ",
                        name, "(", call, ", ", dims.size(), ", dims, as, bs);\n}"));
  return absl::OkStatus();
}

absl::Status unsupportedKernel(const Node &node, llvm::StringRef what) {
  return modelError(node.opType(), " with ", what.str(),
                    " is not supported by the C emitter");
}

absl::Status requireF32OrF64Kernel(const Node &node, DType type) {
  if (type == DType::F32 || type == DType::F64)
    return absl::OkStatus();
  return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
}

} // namespace tinyplan
