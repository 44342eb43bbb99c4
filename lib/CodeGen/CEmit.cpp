//===- CEmit.cpp - Helpers shared by the C kernels ------------------------===//
//
// C types and exact literals per dtype, the fused-activation expression,
// copies, broadcasting and the blocked matrix product.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/CMath.h"
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/Ops/Activations.h"
#include "tinyplan/Support/CWriter.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
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
  for (const LibraryKernel *kernel : library.closure(instance->uses))
    ctx.requireKernel(kernel->name, kernel->text());
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

/// y dense over dims; x walked with strides xs, the innermost dim as the
/// inner loop.
static constexpr const char *kStridedCopyKernel = R"(static void $NAME(const $T *x, $T *y, int32_t rank,
    const int32_t *dims, const int32_t *xs) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const int32_t inner = dims[rank - 1], step = xs[rank - 1];
  int32_t rows = 1, r, d, k, xi = 0;
  for (d = 0; d < rank - 1; ++d)
    rows *= dims[d];
  for (r = 0; r < rows; ++r) {
    const $T *xr = x + xi;
    for (k = 0; k < inner; ++k)
      y[k] = xr[k * step];
    y += inner;
    for (d = rank - 2; d >= 0; --d) {
      xi += xs[d];
      if (++idx[d] < dims[d])
        break;
      xi -= xs[d] * dims[d];
      idx[d] = 0;
    }
  }
}
)";

absl::Status emitStridedCopy(CEmitContext &ctx, const Node &node, const Value &dst,
                             const Value &src, int64_t srcOffset,
                             llvm::ArrayRef<int64_t> dims, llvm::ArrayRef<int64_t> strides) {
  int64_t count = 1;
  for (int64_t dim : dims)
    count *= dim;
  if (count == 0)
    return absl::OkStatus();
  // Dims of 1 move nothing; a dim whose stride steps over exactly the next
  // dim's extent merges with it.
  std::vector<int64_t> merged, steps;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] == 1)
      continue;
    if (!merged.empty() && steps.back() == strides[d] * dims[d]) {
      merged.back() *= dims[d];
      steps.back() = strides[d];
    } else {
      merged.push_back(dims[d]);
      steps.push_back(strides[d]);
    }
  }
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
  std::string name = absl::StrCat("tp_copy_strided_", cTypeSuffix(type));
  ctx.requireKernel(name, absl::StrReplaceAll(kStridedCopyKernel,
                                              {{"$NAME", name}, {"$T", cStorageType(type).str()}}));
  ctx.emit(absl::StrCat("{\n  static const int32_t dims[] = {", cIntList(merged),
                        "}, xs[] = {", cIntList(steps), "};\n  ", name, "(", from, ", ",
                        ctx.pointer(dst), ", ", merged.size(), ", dims, xs);\n}"));
  return absl::OkStatus();
}

absl::Status emitBroadcastBinary(CEmitContext &ctx, const Node &node,
                                 llvm::StringRef elementFunction, DType type, const Value &a,
                                 const Value &b, const Value &y) {
  const TensorType &out = y.type();
  int64_t n = out.numElements();
  if (n == 0)
    return absl::OkStatus();
  // The loops of kernels/binary.c, named after the element function
  // (tp_add_f32: tp_binary_add_f32, tp_binary_same_add_f32).
  assert(elementFunction.starts_with("tp_") && "not a kernel name");
  llvm::StringRef op = elementFunction.drop_front(3);
  std::string suffix = cTypeSuffix(type);
  std::pair<std::string, std::string> placeholder = {absl::StrCat("tp_binary_op_", suffix),
                                                     elementFunction.str()};
  std::string call = absl::StrCat(ctx.pointer(a), ", ", ctx.pointer(b), ", ", ctx.pointer(y),
                                  ", ", n);
  if (a.type().numElements() == n && b.type().numElements() == n) {
    std::string name =
        requireKernelInstance(ctx, absl::StrCat("tp_binary_same_", suffix),
                              absl::StrCat("tp_binary_same_", op.str()), {placeholder});
    ctx.emit(absl::StrCat(name, "(", call, ");"));
    return absl::OkStatus();
  }
  // Strides of each operand over the result's dims (0 where it broadcasts);
  // dims of 1 contribute nothing and are dropped.
  auto strides = [&](const TensorType &type) {
    std::vector<int64_t> result(out.rank(), 0);
    int64_t stride = 1;
    for (int64_t d = type.rank() - 1, o = out.rank() - 1; d >= 0; --d, --o) {
      if (type.shape[d] != 1)
        result[o] = stride;
      stride *= type.shape[d];
    }
    return result;
  };
  std::vector<int64_t> as = strides(a.type()), bs = strides(b.type()), dims, ka, kb;
  for (int64_t d = 0; d < out.rank(); ++d)
    if (out.shape[d] != 1) {
      dims.push_back(out.shape[d]);
      ka.push_back(as[d]);
      kb.push_back(bs[d]);
    }
  if (dims.size() > 8)
    return unsupportedKernel(node, "broadcasting over more than 8 dims");
  std::string name = requireKernelInstance(ctx, absl::StrCat("tp_binary_", suffix),
                                           absl::StrCat("tp_binary_", op.str()), {placeholder});
  ctx.emit(absl::StrCat("{\n  static const int32_t dims[] = {", cIntList(dims),
                        "}, as[] = {", cIntList(ka), "}, bs[] = {", cIntList(kb), "};\n  ",
                        name, "(", call, ", ", dims.size(), ", dims, as, bs);\n}"));
  return absl::OkStatus();
}

/// How a matrix product kernel reads the tile values of one operand for one
/// k: as neighbours of one pointer (the tile's stride is 1; the pointer then
/// steps by the k stride), or through a pointer per row / column stepping by
/// the k stride, which is the literal 1 when known.
struct OperandWalk {
  bool neighbours = false;
  std::string step;
};

/// The walk over an operand whose tile lanes (A's rows, B's columns) are
/// \p tileStride apart and whose k steps are \p kStride apart; \p kName is
/// the kernel parameter holding kStride.
static OperandWalk operandWalk(int64_t tileStride, int64_t kStride, llvm::StringRef kName) {
  OperandWalk walk;
  walk.neighbours = kStride != 1 && tileStride == 1;
  walk.step = kStride == 1 ? "1" : kName.str();
  return walk;
}

/// One mb x nb tile of y[i.., j..]: accumulators in locals, K fused
/// multiply-adds each in k order, then alpha, C and the activation.
static std::string matrixTile(llvm::StringRef T, llvm::StringRef fma, llvm::StringRef act,
                              const OperandWalk &aw, const OperandWalk &bw, int mb, int nb,
                              llvm::StringRef in) {
  std::string s, i = in.str();
  auto acc = [](int r, int c) { return absl::StrCat("a", r, "_", c); };
  absl::StrAppend(&s, i, T.str());
  for (int r = 0; r < mb; ++r)
    for (int c = 0; c < nb; ++c)
      absl::StrAppend(&s, r || c ? ", " : " ", acc(r, c), " = 0");
  absl::StrAppend(&s, ";\n");
  // Pointers: one per lane unless the lanes are neighbours.
  auto pointers = [&](const char *name, const char *base, const char *stride, int lanes,
                      const OperandWalk &w) {
    if (w.neighbours || lanes == 1)
      return absl::StrCat(i, "const ", T.str(), " *", name, " = ", base, ";\n");
    std::string d = absl::StrCat(i, "const ", T.str(), " *", name, "0 = ", base);
    for (int l = 1; l < lanes; ++l)
      absl::StrAppend(&d, ", *", name, l, " = ", name, l - 1, " + ", stride);
    return d + ";\n";
  };
  absl::StrAppend(&s, pointers("ap", "at + i * sAi", "sAi", mb, aw),
                  pointers("bp", "bt + j * sBj", "sBj", nb, bw), i,
                  "for (k = 0; k < K; ++k) {\n");
  auto loads = [&](const char *value, const char *name, int lanes, const OperandWalk &w) {
    std::string d;
    if (w.neighbours || lanes == 1) {
      for (int l = 0; l < lanes; ++l)
        absl::StrAppend(&d, i, "  const ", T.str(), " ", value, l, " = ", name, "[", l, "];\n");
      return absl::StrCat(d, i, "  ", name, " += ", w.step, ";\n");
    }
    for (int l = 0; l < lanes; ++l)
      absl::StrAppend(&d, i, "  const ", T.str(), " ", value, l, " = *", name, l, ";\n");
    for (int l = 0; l < lanes; ++l)
      absl::StrAppend(&d, i, "  ", name, l, " += ", w.step, ";\n");
    return d;
  };
  absl::StrAppend(&s, loads("u", "ap", mb, aw), loads("v", "bp", nb, bw));
  for (int r = 0; r < mb; ++r)
    for (int c = 0; c < nb; ++c)
      absl::StrAppend(&s, i, "  ", acc(r, c), " = ", fma.str(), "(u", r, ", v", c, ", ",
                      acc(r, c), ");\n");
  absl::StrAppend(&s, i, "}\n");
  for (int r = 0; r < mb; ++r)
    for (int c = 0; c < nb; ++c) {
      std::string row = r ? absl::StrCat("(i + ", r, ")") : "i";
      std::string col = c ? absl::StrCat("(j + ", c, ")") : "j";
      absl::StrAppend(&s, i, "{\n", i, "  ", T.str(), " v = alpha * ", acc(r, c), ";\n", i,
                      "  if (c)\n", i, "    v = v + beta * c[", row, " * sCi + ", col,
                      " * sCj];\n", i, "  yt[", row, " * N + ", col, "] = ", act.str(), ";\n",
                      i, "}\n");
    }
  return s;
}

/// Loops over the columns of a band of \p mb rows in tiles of the widths
/// \p widths (largest first, the last one 1).
static std::string matrixBand(llvm::StringRef T, llvm::StringRef fma, llvm::StringRef act,
                              const OperandWalk &aw, const OperandWalk &bw, int mb,
                              llvm::ArrayRef<int> widths, llvm::StringRef in) {
  std::string s, i = in.str();
  absl::StrAppend(&s, i, "for (j = 0; j < N;) {\n");
  for (size_t w = 0; w < widths.size(); ++w) {
    bool last = w + 1 == widths.size();
    absl::StrAppend(&s, i, "  ", w ? "} else " : "",
                    last ? "{\n" : absl::StrCat("if (N - j >= ", widths[w], ") {\n"),
                    matrixTile(T, fma, act, aw, bw, mb, widths[w], in.str() + "    "), i,
                    "    j += ", widths[w], ";\n");
  }
  absl::StrAppend(&s, i, "  }\n", i, "}\n");
  return s;
}

/// Rows four at a time (each loaded B value feeds four accumulators), then
/// one at a time with wider column tiles (each loaded A value feeds eight).
static std::string matrixKernel(llvm::StringRef name, llvm::StringRef T, llvm::StringRef fma,
                                llvm::StringRef act, const OperandWalk &aw,
                                const OperandWalk &bw) {
  std::string s = absl::StrCat(
      "static void ", name.str(), "(const ", T.str(), " *a, const ", T.str(), " *b, const ",
      T.str(), " *c, ", T.str(), " *y,\n",
      "    int32_t batches, int32_t sAb, int32_t sBb, int32_t M, int32_t N, int32_t K,\n",
      "    int32_t sAi, int32_t sAk, int32_t sBk, int32_t sBj, int32_t sCi, int32_t sCj,\n",
      "    ", T.str(), " alpha, ", T.str(), " beta) {\n  int32_t t, i, j, k;\n");
  // A stride the kernel was specialised on is not read at run time.
  if (aw.step == "1")
    absl::StrAppend(&s, "  (void)sAk;\n");
  if (bw.step == "1")
    absl::StrAppend(&s, "  (void)sBk;\n");
  absl::StrAppend(&s, "  for (t = 0; t < batches; ++t) {\n", "    const ", T.str(),
                  " *at = a + t * sAb;\n", "    const ", T.str(), " *bt = b + t * sBb;\n", "    ",
                  T.str(), " *yt = y + t * M * N;\n", "    for (i = 0; i < M;) {\n",
                  "      if (M - i >= 4) {\n",
                  matrixBand(T, fma, act, aw, bw, 4, {4, 1}, "        "),
                  "        i += 4;\n      } else {\n",
                  matrixBand(T, fma, act, aw, bw, 1, {8, 4, 1}, "        "),
                  "        i += 1;\n      }\n    }\n  }\n}\n");
  return s;
}

absl::Status emitMatrixProduct(CEmitContext &ctx, const Node &node, const Value &a,
                               const Value &b, const Value &y,
                               const MatrixProductC &p) {
  DType type = y.type().dtype;
  if (type != DType::F32 && type != DType::F64)
    return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
  TP_ASSIGN_OR_RETURN(FusedActivationC act, fusedActivationC(ctx, node, type));
  std::string ctype = cType(type)->str();
  // Specialised on the layout: which strides are 1.
  OperandWalk aw = operandWalk(p.aRow, p.aCol, "sAk");
  OperandWalk bw = operandWalk(p.bCol, p.bRow, "sBk");
  auto layout = [](const OperandWalk &w, const char *tile) {
    return w.step == "1" ? "k" : w.neighbours ? tile : "g";
  };
  std::string name = absl::StrCat("tp_matmul_", cTypeSuffix(type), "_a", layout(aw, "i"), "b",
                                  layout(bw, "j"), act.suffix);
  ctx.requireKernel(name, matrixKernel(name, ctype, type == DType::F32 ? "fmaf" : "fma",
                                       act.expression, aw, bw));
  if (y.type().numElements() == 0)
    return absl::OkStatus();
  size_t batches = p.aBatch.size();
  // Uniform batch strides make one call; anything else one call per batch.
  int64_t sAb = batches > 1 ? p.aBatch[1] - p.aBatch[0] : 0;
  int64_t sBb = batches > 1 ? p.bBatch[1] - p.bBatch[0] : 0;
  bool uniform = true;
  for (size_t t = 0; t < batches; ++t)
    uniform &= p.aBatch[t] == p.aBatch[0] + int64_t(t) * sAb &&
               p.bBatch[t] == p.bBatch[0] + int64_t(t) * sBb;
  if (!uniform && batches > 256)
    return unsupportedKernel(node, "irregular batch broadcasting over more than 256 batches");
  std::string c = p.c ? ctx.pointer(*p.c) : std::string("0");
  std::string tail = absl::StrCat(
      cIntList({p.m, p.n, p.k, p.aRow, p.aCol, p.bRow, p.bCol, p.cRow, p.cCol}), ", ",
      cFloatLiteral(p.alpha, type), ", ", cFloatLiteral(p.beta, type), ");");
  auto offset = [](const std::string &pointer, int64_t off) {
    return off == 0 ? pointer : absl::StrCat(pointer, " + ", off);
  };
  std::string pa = ctx.pointer(a), pb = ctx.pointer(b), py = ctx.pointer(y);
  if (uniform) {
    ctx.emit(absl::StrCat(name, "(", offset(pa, p.aBatch[0]), ", ", offset(pb, p.bBatch[0]),
                          ", ", c, ", ", py, ",\n  ",
                          cIntList({int64_t(batches), sAb, sBb}), ", ", tail));
    return absl::OkStatus();
  }
  for (size_t t = 0; t < batches; ++t)
    ctx.emit(absl::StrCat(name, "(", offset(pa, p.aBatch[t]), ", ", offset(pb, p.bBatch[t]),
                          ", ", c, ", ", offset(py, int64_t(t) * p.m * p.n), ", 1, 0, 0, ",
                          tail));
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
