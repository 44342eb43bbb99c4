//===- MatrixProduct.cpp - Blocked matrix-product kernels -----------------===//
//
// Gemm and MatMul (and a 1x1 Conv's pointwise case goes through Conv's own
// tiles) share one kernel shape, generated per operand layout and fused
// activation with CWriter: rows four at a time (each loaded B value feeds
// four accumulators), then one at a time with wider column tiles (each
// loaded A value feeds eight). Accumulators stay in locals; each output is
// K fused multiply-adds in k order, then alpha, C and the activation.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/Support/CWriter.h"
#include "tinyplan/Support/Status.h"

namespace tinyplan {
namespace {

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
OperandWalk operandWalk(int64_t tileStride, int64_t kStride, llvm::StringRef kName) {
  OperandWalk walk;
  walk.neighbours = kStride != 1 && tileStride == 1;
  walk.step = kStride == 1 ? "1" : kName.str();
  return walk;
}

/// What the tiles of one kernel share.
struct MatrixKernelC {
  std::string type, fma, act;
  OperandWalk aw, bw;
};

std::string accName(int r, int c) { return absl::StrCat("a", r, "_", c); }

/// The pointers of one operand's tile: one per lane unless the lanes are
/// neighbours.
void tilePointers(CWriter &w, const MatrixKernelC &kc, const char *name, const char *base,
                  const char *stride, int lanes, const OperandWalk &walk) {
  if (walk.neighbours || lanes == 1) {
    w.line("const ", kc.type, " *", name, " = ", base, ";");
    return;
  }
  std::string d = absl::StrCat("const ", kc.type, " *", name, "0 = ", base);
  for (int l = 1; l < lanes; ++l)
    absl::StrAppend(&d, ", *", name, l, " = ", name, l - 1, " + ", stride);
  w.line(d, ";");
}

/// The loads of one operand's tile values for one k, and the pointer steps.
void tileLoads(CWriter &w, const MatrixKernelC &kc, const char *value, const char *name,
               int lanes, const OperandWalk &walk) {
  if (walk.neighbours || lanes == 1) {
    for (int l = 0; l < lanes; ++l)
      w.line("const ", kc.type, " ", value, l, " = ", name, "[", l, "];");
    w.line(name, " += ", walk.step, ";");
    return;
  }
  for (int l = 0; l < lanes; ++l)
    w.line("const ", kc.type, " ", value, l, " = *", name, l, ";");
  for (int l = 0; l < lanes; ++l)
    w.line(name, l, " += ", walk.step, ";");
}

/// One mb x nb tile of y[i.., j..].
void matrixTile(CWriter &w, const MatrixKernelC &kc, int mb, int nb) {
  std::vector<std::pair<std::string, std::string>> accs;
  for (int r = 0; r < mb; ++r)
    for (int c = 0; c < nb; ++c)
      accs.emplace_back(accName(r, c), "0");
  w.line(cDeclaration(kc.type, accs));
  tilePointers(w, kc, "ap", "at + i * sAi", "sAi", mb, kc.aw);
  tilePointers(w, kc, "bp", "bt + j * sBj", "sBj", nb, kc.bw);
  w.open("for (k = 0; k < K; ++k)");
  tileLoads(w, kc, "u", "ap", mb, kc.aw);
  tileLoads(w, kc, "v", "bp", nb, kc.bw);
  for (int r = 0; r < mb; ++r)
    for (int c = 0; c < nb; ++c)
      w.line(accName(r, c), " = ",
             cCall(kc.fma, {absl::StrCat("u", r), absl::StrCat("v", c), accName(r, c)}), ";");
  w.close();
  for (int r = 0; r < mb; ++r)
    for (int c = 0; c < nb; ++c) {
      std::string row = r ? absl::StrCat("(i + ", r, ")") : "i";
      std::string col = c ? absl::StrCat("(j + ", c, ")") : "j";
      w.open("").line(kc.type, " v = alpha * ", accName(r, c), ";");
      w.nest("if (c)").line("v = v + beta * c[", row, " * sCi + ", col, " * sCj];").dedent();
      // As in the Conv tiles: the activated value named before the store.
      w.line("const ", kc.type, " r = ", kc.act, ";");
      w.line("yt[", row, " * N + ", col, "] = r;").close();
    }
}

/// Loops over the columns of a band of \p mb rows in tiles of the widths
/// \p widths (largest first, the last one 1).
void matrixBand(CWriter &w, const MatrixKernelC &kc, int mb, llvm::ArrayRef<int> widths) {
  w.open("for (j = 0; j < N;)");
  for (size_t i = 0; i < widths.size(); ++i) {
    std::string condition = absl::StrCat("N - j >= ", widths[i]);
    if (i == 0)
      w.open("if (", condition, ")");
    else if (i + 1 == widths.size())
      w.orElse();
    else
      w.elseIf(condition);
    matrixTile(w, kc, mb, widths[i]);
    w.line("j += ", widths[i], ";");
  }
  w.close().close();
}

std::string matrixKernel(llvm::StringRef name, const MatrixKernelC &kc) {
  const std::string &T = kc.type;
  CWriter w;
  w.line("static void ", name, "(const ", T, " *a, const ", T, " *b, const ", T, " *c, ", T,
         " *y,");
  w.line("    int32_t batches, int32_t sAb, int32_t sBb, int32_t M, int32_t N, int32_t K,");
  w.line("    int32_t sAi, int32_t sAk, int32_t sBk, int32_t sBj, int32_t sCi, int32_t sCj,");
  w.open("    ", T, " alpha, ", T, " beta)").line("int32_t t, i, j, k;");
  // A stride the kernel was specialised on is not read at run time.
  if (kc.aw.step == "1")
    w.line("(void)sAk;");
  if (kc.bw.step == "1")
    w.line("(void)sBk;");
  w.open("for (t = 0; t < batches; ++t)");
  w.line("const ", T, " *at = a + t * sAb;").line("const ", T, " *bt = b + t * sBb;");
  w.line(T, " *yt = y + t * M * N;");
  w.open("for (i = 0; i < M;)").open("if (M - i >= 4)");
  matrixBand(w, kc, 4, {4, 1});
  w.line("i += 4;").orElse();
  matrixBand(w, kc, 1, {8, 4, 1});
  w.line("i += 1;").close().close().close().close();
  return w.str();
}

} // namespace

absl::Status emitMatrixProduct(CEmitContext &ctx, const Node &node, const Value &a,
                               const Value &b, const Value &y,
                               const MatrixProductC &p) {
  DType type = y.type().dtype;
  if (type != DType::F32 && type != DType::F64)
    return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
  TP_ASSIGN_OR_RETURN(FusedActivationC act, fusedActivationC(ctx, node, type));
  // Specialised on the layout: which strides are 1.
  OperandWalk aw = operandWalk(p.aRow, p.aCol, "sAk");
  OperandWalk bw = operandWalk(p.bCol, p.bRow, "sBk");
  auto layout = [](const OperandWalk &w, const char *tile) {
    return w.step == "1" ? "k" : w.neighbours ? tile : "g";
  };
  std::string name = absl::StrCat("tp_matmul_", cTypeSuffix(type), "_a", layout(aw, "i"), "b",
                                  layout(bw, "j"), act.suffix);
  // f32 multiply-adds are tp_fmaf (kernels/cmath.c): one fused instruction
  // where the core has one, exactly rounded everywhere.
  if (type == DType::F32)
    requireLibraryKernel(ctx, "tp_fmaf");
  ctx.requireKernel(name, matrixKernel(name, {cType(type)->str(),
                                              type == DType::F32 ? "tp_fmaf" : "fma",
                                              act.expression, aw, bw}));
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

} // namespace tinyplan
