//===- ConvIm2col.cpp - C for Conv: im2col blocks and a matrix product ----===//
//
// The second implementation of 2-D (and 1-D) Conv, chosen by --conv
// (KernelImpl::method "im2col"). For each output row, pixels whose window
// lies inside the input go in blocks of kPixels: their windows are copied
// into a scratch block of kPixels x K (K = C/G * KH * KW, laid out [K][kPixels]),
// then a matrix product over tiles of 4 output channels x kPixels reads the
// block and the weights, repacked at compile time into a constant table in
// the order the loop reads them ([G][ceil(M/G/4)][K][4], zeros for missing
// channels), so each k step is two runs of contiguous loads. Pixels whose
// window reaches into the padding are computed one at a time with their
// kernel rows and columns clipped (padded terms are skipped, never added
// as 0 * w: fmaf(0, w, -0.0f) is +0, and 0 * inf is NaN).
//
// Every output is its bias plus its terms in the order (c, kh, kw), one
// fused multiply-add each, as in the direct kernel (Conv.cpp), so both give
// the same bits.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/CWriter.h"

#include "absl/strings/str_format.h"
#include <algorithm>

namespace tinyplan {
namespace {

/// Output pixels per im2col block: 4 channels x 4 pixels are 16
/// accumulators, with 4 weights and 4 inputs 24 of the M4F's 32 single
/// registers.
constexpr int kPixels = 4;
/// Output channels per tile.
constexpr int kChannels = 4;

/// The 2-D view of a 1-D or 2-D Conv node.
struct Im2colGeometry {
  int64_t n, c, h, w, m, oh, ow, group;
  int64_t kh, kw, sh, sw, dh, dw, pt, pl;
  int64_t cg() const { return c / group; }
  int64_t mg() const { return m / group; }
  int64_t k() const { return cg() * kh * kw; }
};

absl::StatusOr<Im2colGeometry> geometry(const Node &node) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &weight = node.operand(1)->type();
  const TensorType &output = node.result()->type();
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
  llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(WindowGeometry g, computeWindowGeometry(node, spatial, kernel, false, true));
  TP_ASSIGN_OR_RETURN(int64_t group, node.getInt("group", 1));
  if (input.rank() == 3) {
    for (std::vector<int64_t> *v : {&g.kernel, &g.strides, &g.dilations})
      v->insert(v->begin(), 1);
    g.padsBegin.insert(g.padsBegin.begin(), 0);
    g.outputSpatial.insert(g.outputSpatial.begin(), 1);
  }
  Im2colGeometry r;
  r.n = input.shape[0];
  r.c = input.shape[1];
  r.h = input.rank() == 3 ? 1 : input.shape[2];
  r.w = input.shape[input.rank() - 1];
  r.m = output.shape[1];
  r.oh = g.outputSpatial[0];
  r.ow = g.outputSpatial[1];
  r.group = group;
  r.kh = g.kernel[0];
  r.kw = g.kernel[1];
  r.sh = g.strides[0];
  r.sw = g.strides[1];
  r.dh = g.dilations[0];
  r.dw = g.dilations[1];
  r.pt = g.padsBegin[0];
  r.pl = g.padsBegin[1];
  // A 1x1 window with stride 1 and no padding: one long row of pixels.
  if (r.kh == 1 && r.kw == 1 && r.sh == 1 && r.sw == 1 && r.oh == r.h && r.ow == r.w) {
    r.w *= r.h;
    r.ow *= r.oh;
    r.h = r.oh = 1;
    r.dh = r.dw = 1;
  }
  return r;
}

bool supportsIm2col(const Node &node, Cpu) {
  if (node.numOperands() < 2 || !node.operand(0) || !node.operand(1))
    return false;
  const TensorType &input = node.operand(0)->type();
  if (input.dtype != DType::F32 && input.dtype != DType::F64)
    return false;
  if (input.rank() != 3 && input.rank() != 4)
    return false;
  if (!node.operand(1)->isConstant() || node.result()->type().numElements() == 0)
    return false;
  absl::StatusOr<Im2colGeometry> g = geometry(node);
  return g.ok() && g->k() > 0 && g->mg() > 0;
}

/// Whether some output row has a block of kPixels pixels whose windows lie
/// inside the input (else every pixel takes the one-at-a-time path).
bool hasBlocks(const Im2colGeometry &g) {
  auto inside = [](int64_t in, int64_t out, int64_t k, int64_t s, int64_t d, int64_t pad) {
    int64_t first = (pad + s - 1) / s, last = in - 1 - (k - 1) * d + pad;
    int64_t end = last < 0 ? 0 : std::min(last / s + 1, out);
    return std::max<int64_t>(end - first, 0);
  };
  return inside(g.h, g.oh, g.kh, g.sh, g.dh, g.pt) > 0 &&
         inside(g.w, g.ow, g.kw, g.sw, g.dw, g.pl) >= kPixels;
}

int64_t im2colScratch(const Node &node) {
  absl::StatusOr<Im2colGeometry> g = geometry(node);
  if (!g.ok() || !hasBlocks(*g))
    return 0;
  return kPixels * g->k() * dtypeSize(node.operand(0)->type().dtype);
}

/// The rule --conv=auto follows, from the Cortex-M4F measurements in
/// bench/README.md ("Conv: direct or im2col"): the blocked direct kernel
/// was faster on every 3x3, 5x5, 10x4 and depthwise layer measured (the
/// border pixels, which im2col computes one at a time, and the copy into
/// the block cost more than the matrix product saves); im2col was ahead
/// only on a pointwise layer of 576 pixels and 64 output channels. So:
/// 1x1, stride 1, unpadded, at least 512 pixels and 64 output channels per
/// group.
bool im2colFaster(const Node &node) {
  absl::StatusOr<Im2colGeometry> g = geometry(node);
  if (!g.ok())
    return false;
  return hasBlocks(*g) && g->kh == 1 && g->kw == 1 && g->h == 1 && g->oh == 1 &&
         g->ow >= 512 && g->mg() >= 64;
}

std::string acc(int i, int j) { return absl::StrCat("a", i, "_", j); }

/// The kernel: the window geometry and the activation are built in, the
/// channel counts and image sizes are arguments.
std::string im2colKernel(const std::string &name, const std::string &T, const std::string &fma,
                         const FusedActivationC &act, const Im2colGeometry &k) {
  CWriter w;
  auto store = [&](const std::string &value, const std::string &dest) {
    w.line("{ const ", T, " v = ", value, "; ", dest, " = ", act.expression, "; }");
  };
  w.line("static void ", name, "(const ", T, " *x, const ", T, " *wp, const ", T, " *b, ", T,
         " *y, ", T, " *col,");
  w.line("    int32_t N, int32_t C, int32_t H, int32_t W, int32_t M, int32_t OH, int32_t OW,");
  w.open("    int32_t PT, int32_t PL, int32_t G)");
  w.line(absl::StrFormat("enum { KH = %d, KW = %d, SH = %d, SW = %d, DH = %d, DW = %d, NB = %d };",
                         k.kh, k.kw, k.sh, k.sw, k.dh, k.dw, kPixels));
  w.line("const int32_t CG = C / G, MG = M / G, K = CG * KH * KW, MB = (MG + 3) / 4;");
  w.line("const int32_t HW = H * W, OHW = OH * OW;");
  w.line("/* Output rows [ohA, ohB) and columns [owA, owB) read no padding. */");
  w.line("const int32_t lastH = H - 1 - (KH - 1) * DH + PT, lastW = W - 1 - (KW - 1) * DW + PL;");
  w.line("const int32_t ohA = (PT + SH - 1) / SH, owA = (PL + SW - 1) / SW;");
  w.line("const int32_t ohB = lastH < 0 ? 0 : (lastH / SH + 1 < OH ? lastH / SH + 1 : OH);");
  w.line("const int32_t owB = lastW < 0 ? 0 : (lastW / SW + 1 < OW ? lastW / SW + 1 : OW);");
  w.line("int32_t n, g, oh, ow, mb, c, kh, kw, k;");
  w.nest("for (n = 0; n < N; ++n)").open("for (g = 0; g < G; ++g)");
  w.line("const ", T, " *xg = x + (n * C + g * CG) * HW;");
  w.line("const ", T, " *wg = wp + g * MB * K * 4;");
  w.line("const ", T, " *bg = b ? b + g * MG : b;");
  w.line(T, " *yg = y + (n * M + g * MG) * OHW;");
  w.open("for (oh = 0; oh < OH; ++oh)");
  w.line("const int32_t ih0 = oh * SH - PT;");
  w.line("const int32_t kh0 = ih0 < 0 ? (DH - 1 - ih0) / DH : 0;");
  w.line("const int32_t kh1 = ih0 + (KH - 1) * DH < H ? KH : (H - ih0 + DH - 1) / DH;");
  w.line("const int inside = oh >= ohA && oh < ohB;");
  w.open("for (ow = 0; ow < OW;)");
  w.open("if (inside && ow >= owA && ow < owB && owB - owA >= NB)");
  {
    w.line("/* The last block of a row ends at owB, recomputing some pixels. */");
    w.line("const int32_t o0 = ow + NB <= owB ? ow : owB - NB;");
    w.line("const int32_t iw0 = o0 * SW - PL;");
    w.line(T, " *yr = yg + oh * OW + o0;");
    w.line("/* im2col: col[k * NB + j] is term k of pixel j. */");
    w.line(T, " *cp = col;");
    w.line("const ", T, " *xc = xg + ih0 * W + iw0;");
    w.nest("for (c = 0; c < CG; ++c, xc += HW)").open("for (kh = 0; kh < KH; ++kh)");
    w.line("const ", T, " *xr = xc + kh * DH * W;");
    w.open("for (kw = 0; kw < KW; ++kw, cp += NB)");
    for (int j = 0; j < kPixels; ++j)
      w.line("cp[", j, "] = xr[kw * DW", j ? absl::StrCat(" + ", j, " * SW") : "", "];");
    w.close().close().dedent();
    w.open("for (mb = 0; mb < MB; ++mb)");
    w.line("const int32_t m0 = mb * 4;");
    w.line("const ", T, " *wk = wg + mb * K * 4;");
    w.line("const ", T, " *ck = col;");
    for (int i = 0; i < kChannels; ++i) {
      std::string valid = i ? absl::StrCat("bg && m0 + ", i, " < MG") : "bg";
      w.line("const ", T, " b", i, " = ", valid, " ? bg[m0", i ? absl::StrCat(" + ", i) : "",
             "] : (", T, ")0;");
    }
    for (int i = 0; i < kChannels; ++i) {
      std::vector<std::pair<std::string, std::string>> accs;
      for (int j = 0; j < kPixels; ++j)
        accs.emplace_back(acc(i, j), absl::StrCat("b", i));
      w.line(cDeclaration(T, accs));
    }
    // Two k steps per iteration (then the odd one): the loop's own
    // instructions are shared by 32 multiply-adds instead of 16.
    auto step = [&](int offset) {
      std::vector<std::pair<std::string, std::string>> xs, vs;
      for (int j = 0; j < kPixels; ++j)
        xs.emplace_back(absl::StrCat("x", j),
                        absl::StrCat("ck[", offset * kPixels + j, "]"));
      for (int i = 0; i < kChannels; ++i)
        vs.emplace_back(absl::StrCat("v", i), absl::StrCat("wk[", offset * 4 + i, "]"));
      w.open("");
      w.line(cDeclaration("const " + T, xs));
      w.line(cDeclaration("const " + T, vs));
      for (int i = 0; i < kChannels; ++i)
        for (int j = 0; j < kPixels; ++j)
          w.line(acc(i, j), " = ",
                 cCall(fma, {absl::StrCat("x", j), absl::StrCat("v", i), acc(i, j)}), ";");
      w.close();
    };
    w.open("for (k = 0; k + 1 < K; k += 2, wk += 8, ck += 2 * NB)");
    step(0);
    step(1);
    w.close();
    w.open("if (k < K)");
    step(0);
    w.close();
    for (int i = 0; i < kChannels; ++i) {
      std::string row = absl::StrCat("yr[", i ? absl::StrCat("(m0 + ", i, ")") : "m0", " * OHW");
      if (i)
        w.open("if (m0 + ", i, " < MG)");
      for (int j = 0; j < kPixels; ++j)
        store(acc(i, j), absl::StrCat(row, j ? absl::StrCat(" + ", j) : "", "]"));
      if (i)
        w.close();
    }
    w.close();
    w.line("ow = o0 + NB;");
  }
  w.orElse();
  {
    w.line("/* One pixel, kernel rows and columns clipped to the input. */");
    w.line("const int32_t iw0 = ow * SW - PL;");
    w.line(T, " *yr = yg + oh * OW + ow;");
    w.line("const int32_t kw0 = iw0 < 0 ? (DW - 1 - iw0) / DW : 0;");
    w.line("const int32_t kw1 = iw0 + (KW - 1) * DW < W ? KW : (W - iw0 + DW - 1) / DW;");
    w.open("for (mb = 0; mb < MB; ++mb)");
    w.line("const int32_t m0 = mb * 4;");
    w.line("const ", T, " *wm = wg + mb * K * 4;");
    for (int i = 0; i < kChannels; ++i) {
      std::string valid = i ? absl::StrCat("bg && m0 + ", i, " < MG") : "bg";
      w.line(T, " ", acc(i, 0), " = ", valid, " ? bg[m0", i ? absl::StrCat(" + ", i) : "",
             "] : (", T, ")0;");
    }
    w.nest("for (c = 0; c < CG; ++c)").open("for (kh = kh0; kh < kh1; ++kh)");
    w.line("const ", T, " *xr = xg + c * HW + (ih0 + kh * DH) * W + iw0;");
    w.line("const ", T, " *wr = wm + (c * KH + kh) * KW * 4;");
    w.open("for (kw = kw0; kw < kw1; ++kw)");
    w.line("const ", T, " v = xr[kw * DW];");
    for (int i = 0; i < kChannels; ++i)
      w.line(acc(i, 0), " = ", cCall(fma, {"v", absl::StrCat("wr[kw * 4 + ", i, "]"), acc(i, 0)}),
             ";");
    w.close().close().dedent();
    for (int i = 0; i < kChannels; ++i) {
      std::string dest = absl::StrCat("yr[", i ? absl::StrCat("(m0 + ", i, ")") : "m0", " * OHW]");
      if (i)
        w.open("if (m0 + ", i, " < MG)");
      store(acc(i, 0), dest);
      if (i)
        w.close();
    }
    w.close();
    w.line("++ow;");
  }
  w.close().close().close().close().dedent().close();
  return w.str();
}

absl::Status emitConvIm2col(const Node &node, CEmitContext &ctx) {
  DType dtype = node.operand(0)->type().dtype;
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, dtype));
  TP_ASSIGN_OR_RETURN(Im2colGeometry k, geometry(node));
  std::string T = cType(dtype)->str();
  std::string fma = dtype == DType::F32 ? "tp_fmaf" : "fma";
  if (dtype == DType::F32)
    requireLibraryKernel(ctx, "tp_fmaf");
  TP_ASSIGN_OR_RETURN(FusedActivationC act, fusedActivationC(ctx, node, dtype));

  // The weights [M][CG][KH][KW] as [G][MB][K][4].
  const Value &weight = *node.operand(1);
  int64_t mg = k.mg(), kk = k.k(), mb = (mg + kChannels - 1) / kChannels;
  std::vector<int64_t> gather;
  gather.reserve(size_t(k.group * mb * kk * kChannels));
  for (int64_t g = 0; g < k.group; ++g)
    for (int64_t b = 0; b < mb; ++b)
      for (int64_t t = 0; t < kk; ++t)
        for (int64_t i = 0; i < kChannels; ++i) {
          int64_t m = b * kChannels + i;
          gather.push_back(m < mg ? (g * mg + m) * kk + t : -1);
        }
  std::string table = ctx.constantTable(
      absl::StrCat("im2col:", weight.id(), ":", k.group), absl::StrCat(weight.name(), "_packed"),
      *weight.constant(), gather);

  std::string name = absl::StrFormat("tp_conv2d_im2col_%s_k%dx%d_s%dx%d_d%dx%d%s",
                                     cTypeSuffix(dtype), k.kh, k.kw, k.sh, k.sw, k.dh, k.dw,
                                     act.suffix);
  ctx.requireKernel(name, im2colKernel(name, T, fma, act, k));
  const Value *bias = node.operand(2);
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ", table, ", ",
                        bias ? ctx.pointer(*bias) : std::string("0"), ", ",
                        ctx.pointer(*node.result()), ", ",
                        hasBlocks(k) ? ctx.scratchPointer(node, T) : std::string("0"), ",\n  ",
                        cIntList({k.n, k.c, k.h, k.w, k.m, k.oh, k.ow, k.pt, k.pl, k.group}),
                        ");"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  KernelImpl impl;
  impl.opType = "Conv";
  impl.name = "im2col";
  // Above the pointwise kernel (Conv.cpp): where --conv asks for im2col,
  // it goes first.
  impl.priority = 2;
  impl.supports = supportsIm2col;
  impl.emit = emitConvIm2col;
  impl.scratchBytes = im2colScratch;
  impl.method = "im2col";
  impl.faster = im2colFaster;
  registry.add(std::move(impl));
}

} // namespace tinyplan
