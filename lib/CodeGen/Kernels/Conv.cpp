//===- Conv.cpp - C for Conv: 1-D to 3-D, grouped, dilated ----------------===//
//
// The kernels (docs/generated-c.md) are written for each window geometry:
// register-blocked tiles of output channels x pixels with the kernel columns
// unrolled, padding kept out of the tiles; 3-D is direct. A fused activation
// (checkFusedActivation in OpUtils.h) is applied to each output as it is
// stored.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/CWriter.h"

#include "absl/strings/str_format.h"
#include <set>

namespace tinyplan {
namespace {

/// What every kernel variant of one Conv node shares: the C element type,
/// its fused multiply-add, the activation applied on store, and the layouts
/// of input and output (Layout.h). Channels-last, a pixel's channels are
/// adjacent and pixels XS (input) or YS (output) elements apart: the tiles
/// and their order of terms are the same, only their addresses change.
struct ConvKernelTypes {
  std::string type;
  std::string fma;
  FusedActivationC act;
  bool inLast = false, outLast = false;

  /// Input element \p pixel (an offset in pixels) from a tile's xr.
  std::string inPixel(const std::string &pixel) const {
    return inLast ? pixel == "0" ? pixel : absl::StrCat(pixel, " * XS") : pixel;
  }
  /// The step from one input channel to the next.
  std::string inChannelStep() const { return inLast ? "1" : "HW"; }
};

/// The window geometry a 2-D kernel is specialised on (1-D runs as 2-D with
/// KH = 1). Channel counts and image sizes stay run-time arguments, so the
/// layers of a model share a few kernels.
struct ConvWindow2d {
  int64_t kh, kw, sh, sw, dh, dw;
};

/// Output channels per pass: four while a group has that many left (each
/// loaded input then feeds four accumulators), else one (depthwise, and the
/// remainder).
constexpr int kChannelBlock = 4;

/// Output pixels per tile along a row, tried largest first. The one-channel
/// pass reuses its loads only across pixels, so it takes more of them, and
/// narrow rows (small late feature maps) still find a tile that fits.
std::vector<int> pixelBlocks(int channels) {
  if (channels == 1)
    return {8, 4, 1};
  return {4, 1};
}

/// The kernel columns of a tile are unrolled (constant offsets, every input
/// loaded once for all the pixels that use it) unless the body gets long.
bool unrollColumns(const ConvWindow2d &k, int channels, int pixels) {
  return k.kw * channels * pixels <= 128;
}

/// `enum { KH = 3, ... }`: the window geometry as constants of the kernel.
void windowEnum(CWriter &w, const ConvWindow2d &k) {
  w.line(absl::StrFormat("enum { KH = %d, KW = %d, SH = %d, SW = %d, DH = %d, DW = %d };", k.kh,
                         k.kw, k.sh, k.sw, k.dh, k.dw));
}

/// `{ const T v = ACC; const T r = ACT; DEST = r; }`: one result, activated
/// and stored. The activated value gets a name of its own: with the
/// activation's function call (tp_relu_f32(v)) inside the store, gcc 12
/// computes each store address apart, 4 % more instructions on an M4.
void storeLine(CWriter &w, const ConvKernelTypes &t, const std::string &acc,
               const std::string &dest) {
  w.line("{ const ", t.type, " v = ", acc, "; const ", t.type, " r = ", t.act.expression, "; ",
         dest, " = r; }");
}

std::string accName(int i, int j) { return absl::StrCat("a", i, "_", j); }

/// The pixels of a tile along one output row: for each, the offset of its
/// kernel column 0 from the tile's input pointer xr, and the kernel columns
/// [kw0, kw1) that lie inside the input.
struct TilePixel {
  int64_t base, kw0, kw1;
};

/// \p count pixels SW apart whose windows lie inside the input.
std::vector<TilePixel> interiorPixels(const ConvWindow2d &k, int count) {
  std::vector<TilePixel> pixels;
  for (int j = 0; j < count; ++j)
    pixels.push_back({j * k.sw, 0, k.kw});
  return pixels;
}

/// Every pixel of an output row \p outWidth wide over an input row \p width
/// wide with \p padLeft columns of padding, relative to the row's start.
std::vector<TilePixel> wholeRowPixels(const ConvWindow2d &k, int64_t width, int64_t outWidth,
                                      int64_t padLeft) {
  std::vector<TilePixel> pixels;
  for (int64_t j = 0; j < outWidth; ++j) {
    int64_t base = j * k.sw - padLeft, kw0 = 0, kw1 = k.kw;
    while (kw0 < kw1 && base + kw0 * k.dw < 0)
      ++kw0;
    while (kw1 > kw0 && base + (kw1 - 1) * k.dw >= width)
      --kw1;
    pixels.push_back({base, kw0, kw1});
  }
  return pixels;
}

/// The terms of one tile for one kernel row at xr (weights at w0, w1, ...):
/// \p mb channels x \p pixels, each input and weight loaded once.
void tileRow(CWriter &w, const ConvKernelTypes &t, const ConvWindow2d &k, int mb,
             llvm::ArrayRef<TilePixel> pixels) {
  const std::string &T = t.type;
  const int pb = int(pixels.size());
  if (unrollColumns(k, mb, pb)) {
    // Offsets are never negative: a tile's pixels read only inside the row.
    std::set<int64_t> loaded;
    auto name = [](int64_t off) { return absl::StrCat("x", off); };
    for (int64_t kw = 0; kw < k.kw; ++kw) {
      bool used = false;
      for (const TilePixel &p : pixels) {
        if (kw < p.kw0 || kw >= p.kw1)
          continue;
        used = true;
        int64_t off = p.base + kw * k.dw;
        if (loaded.insert(off).second)
          w.line("const ", T, " ", name(off), " = xr[", t.inPixel(absl::StrCat(off)), "];");
      }
      if (!used)
        continue;
      for (int i = 0; i < mb; ++i)
        w.line("const ", T, " v", i, "_", kw, " = w", i, "[", kw, "];");
      for (int i = 0; i < mb; ++i)
        for (int j = 0; j < pb; ++j)
          if (kw >= pixels[j].kw0 && kw < pixels[j].kw1)
            w.line(accName(i, j), " = ",
                   cCall(t.fma, {name(pixels[j].base + kw * k.dw),
                                 absl::StrCat("v", i, "_", kw), accName(i, j)}),
                   ";");
    }
    return;
  }
  // Interior pixels only (the whole-row tiles are always unrolled).
  w.line("const ", T, " *xp = xr;");
  w.open("for (kw = 0; kw < KW; ++kw, xp += ", t.inPixel("DW"), ")");
  for (int j = 0; j < pb; ++j)
    w.line("const ", T, " x", j, " = xp[", t.inPixel(absl::StrCat(j, " * SW")), "];");
  for (int i = 0; i < mb; ++i)
    w.line("const ", T, " v", i, " = w", i, "[kw];");
  for (int i = 0; i < mb; ++i)
    for (int j = 0; j < pb; ++j)
      w.line(accName(i, j), " = ",
             cCall(t.fma, {absl::StrCat("x", j), absl::StrCat("v", i), accName(i, j)}), ";");
  w.close();
}

/// `yr[i * OHW + ow + j]`: output channel i, pixel j of the tile
/// (channels-last: `yr[i + (ow + j) * YS]`).
std::string outputAt(const ConvKernelTypes &t, int i, int j) {
  std::string pixel = absl::StrCat("ow", j ? absl::StrCat(" + ", j) : "");
  if (t.outLast)
    return absl::StrCat("yr[", i ? absl::StrCat(i, " + ") : "",
                        j ? absl::StrCat("(", pixel, ")") : pixel, " * YS]");
  return absl::StrCat("yr[", i ? absl::StrCat(i, " * OHW + ") : "", pixel, "]");
}

/// A tile of \p mb channels x \p pixels: kernel rows [kh0, kh1), the input
/// row read from xr = its start + \p column. The accumulators of a channel
/// are declared on a line of their own.
void convTile(CWriter &w, const ConvKernelTypes &t, const ConvWindow2d &k, int mb,
              llvm::ArrayRef<TilePixel> pixels, llvm::StringRef column) {
  const std::string &T = t.type;
  const int pb = int(pixels.size());
  for (int i = 0; i < mb; ++i) {
    std::vector<std::string> accs;
    for (int j = 0; j < pb; ++j)
      accs.push_back(absl::StrCat(accName(i, j), " = b", i));
    std::string list = absl::StrJoin(accs, ", ");
    w.line(i ? "  " : T + " ", list, i + 1 < mb ? "," : ";");
  }
  std::string weights = absl::StrCat("const ", T, " *w0 = w");
  std::string others, advance = ", w0 += KW";
  for (int i = 1; i < mb; ++i) {
    absl::StrAppend(&others, ", *w", i, " = w", i - 1, " + WS");
    absl::StrAppend(&advance, ", w", i, " += KW");
  }
  if (k.kh == 1) {
    // One kernel row: an output row reads one input row or none.
    w.open("if (kh0 < kh1)")
        .line("const ", T, " *xr = x + ",
              t.inLast ? absl::StrCat("(ih0 * W", column.str(), ") * XS") : absl::StrCat("ih0 * W", column.str()),
              ";");
    w.line(weights, others, ";")
        .open("for (c = 0; c < C; ++c, xr += ", t.inChannelStep(), advance, ")");
  } else {
    w.open("for (c = 0; c < C && kh0 < kh1; ++c)");
    std::string row = absl::StrCat("(ih0 + kh0 * DH) * W", column.str());
    w.line("const ", T, " *xr = x + ",
           t.inLast ? absl::StrCat("c + (", row, ") * XS") : absl::StrCat("c * HW + ", row), ";");
    w.line(weights, " + (c * KH + kh0) * KW", others, ";");
    w.open("for (kh = kh0; kh < kh1; ++kh, xr += DH * W", t.inLast ? " * XS" : "", advance, ")");
  }
  tileRow(w, t, k, mb, pixels);
  w.close().close();
  for (int i = 0; i < mb; ++i)
    for (int j = 0; j < pb; ++j)
      storeLine(w, t, accName(i, j), outputAt(t, i, j));
}

/// One pixel of \p mb channels with the kernel columns clipped to the input.
void convBorderPixel(CWriter &w, const ConvKernelTypes &t, int mb) {
  const std::string &T = t.type;
  w.line("const int32_t kw0 = iw0 < 0 ? (DW - 1 - iw0) / DW : 0;");
  w.line("const int32_t kw1 = iw0 + (KW - 1) * DW < W ? KW : (W - iw0 + DW - 1) / DW;");
  std::vector<std::pair<std::string, std::string>> accs;
  for (int i = 0; i < mb; ++i)
    accs.emplace_back(accName(i, 0), absl::StrCat("b", i));
  w.line(cDeclaration(T, accs));
  w.nest("for (c = 0; c < C; ++c)").open("for (kh = kh0; kh < kh1; ++kh)");
  std::string pixel = "(ih0 + kh * DH) * W + iw0 + kw0 * DW";
  w.line("const ", T, " *xr = x + ",
         t.inLast ? absl::StrCat("c + (", pixel, ") * XS") : absl::StrCat("c * HW + ", pixel),
         ";");
  w.line("const ", T, " *wr = w + (c * KH + kh) * KW;");
  w.open("for (kw = kw0; kw < kw1; ++kw, xr += ", t.inPixel("DW"), ")")
      .line("const ", T, " v = *xr;");
  for (int i = 0; i < mb; ++i)
    w.line(accName(i, 0), " = ",
           cCall(t.fma, {"v", absl::StrCat("wr[", i ? absl::StrCat(i, " * WS + ") : "", "kw]"),
                         accName(i, 0)}),
           ";");
  w.close().close().dedent();
  for (int i = 0; i < mb; ++i)
    storeLine(w, t, accName(i, 0), outputAt(t, i, 0));
}

/// A layer whose output rows are narrow gets its input and output widths
/// and left padding built into the kernel: each output row is one tile whose
/// pixels clip their kernel columns at generation time.
struct NarrowRow {
  int64_t width, outWidth, padLeft;
};

/// The widest output row one tile takes: its accumulators stay in registers.
int64_t wholeRowLimit(int channels) { return channels == 1 ? 8 : 5; }

/// One pass: \p mb output channels of a group over the whole output map.
/// Pixels whose window lies inside the input along the row (columns
/// [owA, owB)) go in tiles (pixelBlocks) with every kernel column, the
/// others one at a time with the kernel columns clipped; with \p narrow, a
/// row is one tile. Kernel rows are clipped per output row. Every path sums
/// an output as its bias plus its terms in the order (c, kh, kw), one fused
/// multiply-add each, so the result does not depend on the path.
std::string convPass(const ConvKernelTypes &t, const ConvWindow2d &k, const std::string &name,
                     int mb, const std::optional<NarrowRow> &narrow) {
  const std::string &T = t.type;
  CWriter w;
  w.line("static void ", name, "(const ", T, " *x, const ", T, " *w, const ", T, " *b, ", T,
         " *y,");
  w.line("    int32_t C, int32_t H, int32_t W, int32_t OH, int32_t OW, int32_t PT, int32_t PL,");
  bool anyLast = t.inLast || t.outLast;
  // Channels-last results are written a row range at a time (convDriver).
  w.open("    ", t.outLast ? "int32_t oh0, int32_t oh1, " : "", "int32_t owA, int32_t owB",
         anyLast ? ", int32_t XS, int32_t YS" : "", ")");
  windowEnum(w, k);
  std::vector<std::string> sizes;
  if (!t.inLast)
    sizes.push_back("HW = H * W");
  if (mb > 1 && !t.outLast)
    sizes.push_back("OHW = OH * OW");
  if (mb > 1)
    sizes.push_back("WS = C * KH * KW");
  if (!sizes.empty())
    w.line("const int32_t ", absl::StrJoin(sizes, ", "), ";");
  if (anyLast && !t.inLast)
    w.line("(void)XS;");
  if (anyLast && !t.outLast)
    w.line("(void)YS;");
  std::vector<std::pair<std::string, std::string>> biases;
  for (int i = 0; i < mb; ++i)
    biases.emplace_back(absl::StrCat("b", i), absl::StrCat("b ? b[", i, "] : (", T, ")0"));
  w.line(cDeclaration("const " + T, biases));
  w.line("int32_t oh, ", narrow ? "c" : "ow, c, kh, kw", narrow && k.kh > 1 ? ", kh" : "", ";");
  if (narrow) {
    w.line("/* Built for rows of ", narrow->width, " -> ", narrow->outWidth, " pixels, ",
           narrow->padLeft, " padded on the left. */");
    w.line("const int32_t ow = 0;").line("(void)PL;").line("(void)owA;").line("(void)owB;");
  }
  if (t.outLast)
    w.line("(void)OH;").open("for (oh = oh0; oh < oh1; ++oh)");
  else
    w.open("for (oh = 0; oh < OH; ++oh)");
  w.line("const int32_t ih0 = oh * SH - PT;");
  w.line("const int32_t kh0 = ih0 < 0 ? (DH - 1 - ih0) / DH : 0;");
  w.line("const int32_t kh1 = ih0 + (KH - 1) * DH < H ? KH : (H - ih0 + DH - 1) / DH;");
  w.line(T, " *yr = y + oh * OW", t.outLast ? " * YS" : "", ";");
  if (narrow) {
    w.open("");
    convTile(w, t, k, mb, wholeRowPixels(k, narrow->width, narrow->outWidth, narrow->padLeft),
             "");
    w.close().close().close();
    return w.str();
  }
  w.open("for (ow = 0; ow < OW;)").line("const int32_t iw0 = ow * SW - PL;");
  std::vector<int> blocks = pixelBlocks(mb);
  for (size_t b = 0; b < blocks.size(); ++b) {
    std::string condition = absl::StrCat("ow >= owA && ow + ", blocks[b], " <= owB");
    if (b == 0)
      w.open("if (", condition, ")");
    else
      w.elseIf(condition);
    convTile(w, t, k, mb, interiorPixels(k, blocks[b]), " + iw0");
    w.line("ow += ", blocks[b], ";");
  }
  w.orElse();
  convBorderPixel(w, t, mb);
  w.line("++ow;").close().close().close().close();
  return w.str();
}

/// The driver of a 2-D kernel: batches, groups, and the passes over a
/// group's output channels (\p blocks: the channel counts of the passes it
/// needs, largest first, named \p base + "_m" + count). Channels-first, each
/// pass takes the whole output map. Channels-last, output rows are
/// outermost: every pass of a row runs before the next row, so that the
/// result may overlap the input rows already read (convRowsOverlap).
std::string convDriver(const ConvKernelTypes &t, const ConvWindow2d &k, const std::string &name,
                       const std::string &base, llvm::ArrayRef<int> blocks) {
  const std::string &T = t.type;
  CWriter w;
  w.line("static void ", name, "(const ", T, " *x, const ", T, " *w, const ", T, " *b, ", T,
         " *y,");
  w.line("    int32_t N, int32_t C, int32_t H, int32_t W, int32_t M, int32_t OH, int32_t OW,");
  w.open("    int32_t PT, int32_t PL, int32_t G)");
  windowEnum(w, k);
  w.line("const int32_t CG = C / G, MG = M / G;");
  w.line("/* Output columns [owA, owB) read no padding. */");
  w.line("const int32_t last = W - 1 - (KW - 1) * DW + PL;");
  w.line("const int32_t owA = (PL + SW - 1) / SW;");
  w.line("const int32_t owB = last < 0 ? 0 : (last / SW + 1 < OW ? last / SW + 1 : OW);");
  w.line("int32_t n, g, m", t.outLast ? ", oh" : "", ";");
  w.nest("for (n = 0; n < N; ++n)");
  if (t.outLast)
    w.nest("for (oh = 0; oh < OH; ++oh)");
  w.nest("for (g = 0; g < G; ++g)").open("for (m = 0; m < MG;)");
  w.line("const int32_t o = g * MG + m;");
  w.line("const ", T, " *xg = x + ",
         t.inLast ? "n * H * W * C + g * CG" : "(n * C + g * CG) * H * W", ";");
  w.line("const ", T, " *wo = w + o * CG * KH * KW;");
  w.line("const ", T, " *bo = b ? b + o : b;");
  w.line(T, " *yo = y + ", t.outLast ? "n * OH * OW * M + o" : "(n * M + o) * OH * OW", ";");
  for (size_t i = 0; i < blocks.size(); ++i) {
    std::string call = absl::StrCat(base, "_m", blocks[i],
                                    "(xg, wo, bo, yo, CG, H, W, OH, OW, PT, PL, ",
                                    t.outLast ? "oh, oh + 1, " : "", "owA, owB",
                                    t.inLast || t.outLast ? ", C, M" : "", ");");
    bool last = i + 1 == blocks.size();
    if (blocks.size() > 1) {
      if (i == 0)
        w.open("if (MG - m >= ", blocks[i], ")");
      else if (last)
        w.orElse();
      else
        w.elseIf(absl::StrCat("MG - m >= ", blocks[i]));
    }
    w.line(call).line("m += ", blocks[i], ";");
    if (blocks.size() > 1 && last)
      w.close();
  }
  w.close().dedent().dedent();
  if (t.outLast)
    w.dedent();
  w.close();
  return w.str();
}

/// The direct 3-D convolution over NCDHW of kernels/conv3d.c, with \p t's
/// fused activation: tp_conv3d_f32 or its f64 instance, or an instance
/// whose element function is a one-line wrapper of the activation
/// expression (the node's parameters baked in), named like it.
std::string requireConv3dKernel(CEmitContext &ctx, const ConvKernelTypes &t, DType type) {
  std::string name = absl::StrCat("tp_conv3d_", cTypeSuffix(type), t.act.suffix);
  if (t.act.suffix.empty())
    return requireLibraryKernel(ctx, name);
  std::string act = absl::StrCat("tp_act", t.act.suffix);
  ctx.requireKernel(act, absl::StrCat("static inline ", t.type, " ", act, "(", t.type,
                                      " v) { return ", t.act.expression, "; }\n"));
  std::vector<std::pair<std::string, std::string>> map;
  if (type == DType::F64)
    map = {{"float", "double"}, {"tp_fmaf", "fma"}};
  map.emplace_back("tp_conv3d_identity_f32", act);
  return requireKernelInstance(ctx, "tp_conv3d_f32", name, map);
}

absl::Status emitConv(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &weight = node.operand(1)->type();
  const TensorType &output = node.result()->type();
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, input.dtype));
  llvm::ArrayRef<int64_t> spatial =
      llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
  llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(WindowGeometry g,
                      computeWindowGeometry(node, spatial, kernel, false, true));
  TP_ASSIGN_OR_RETURN(int64_t group, node.getInt("group", 1));
  ConvKernelTypes t;
  t.type = cType(input.dtype)->str();
  // f32 multiply-adds are tp_fmaf (kernels/cmath.c): one fused instruction
  // where the core has one, exactly rounded everywhere.
  t.fma = input.dtype == DType::F32 ? "tp_fmaf" : "fma";
  if (input.dtype == DType::F32)
    requireLibraryKernel(ctx, "tp_fmaf");
  TP_ASSIGN_OR_RETURN(t.act, fusedActivationC(ctx, node, input.dtype));
  t.inLast = ctx.channelsLast(*node.operand(0));
  t.outLast = ctx.channelsLast(*node.result());
  const Value *bias = node.operand(2);
  std::string operands = absl::StrCat(
      ctx.pointer(*node.operand(0)), ", ", ctx.pointer(*node.operand(1)), ", ",
      bias ? ctx.pointer(*bias) : std::string("0"), ", ", ctx.pointer(*node.result()));
  if (output.numElements() == 0)
    return absl::OkStatus();

  if (input.rank() == 5) {
    std::string name = requireConv3dKernel(ctx, t, input.dtype);
    std::vector<int64_t> geo(spatial.begin(), spatial.end());
    for (const std::vector<int64_t> *v :
         {&g.outputSpatial, &g.kernel, &g.strides, &g.dilations, &g.padsBegin})
      geo.insert(geo.end(), v->begin(), v->end());
    ctx.emit(absl::StrCat("{\n  static const int32_t geo[] = {", cIntList(geo), "};\n  ", name,
                          "(", operands, ",\n    ",
                          cIntList({input.shape[0], input.shape[1], output.shape[1], group}),
                          ", geo);\n}"));
    return absl::OkStatus();
  }

  // 1-D is 2-D with a height of 1.
  if (input.rank() == 3) {
    for (std::vector<int64_t> *v : {&g.kernel, &g.strides, &g.dilations})
      v->insert(v->begin(), 1);
    g.padsBegin.insert(g.padsBegin.begin(), 0);
    g.outputSpatial.insert(g.outputSpatial.begin(), 1);
  }
  int64_t H = input.rank() == 3 ? 1 : input.shape[2];
  int64_t W = input.shape[input.rank() - 1];
  int64_t OH = g.outputSpatial[0], OW = g.outputSpatial[1];
  ConvWindow2d k{g.kernel[0], g.kernel[1], g.strides[0], g.strides[1], g.dilations[0],
                 g.dilations[1]};
  // A 1x1 window with stride 1 and no padding is a matrix product over the
  // pixels: one long row keeps every pass in the blocked path. Channels-last
  // results keep their rows, which the driver runs one by one
  // (convRowsOverlap's distance counts on them).
  if (!t.outLast && k.kh == 1 && k.kw == 1 && k.sh == 1 && k.sw == 1 && OH == H && OW == W) {
    W *= H;
    OW *= OH;
    H = OH = 1;
    k.dh = k.dw = 1;
  }
  int64_t perGroup = output.shape[1] / group;
  std::vector<int> blocks;
  if (perGroup >= kChannelBlock)
    blocks.push_back(kChannelBlock);
  if (perGroup % kChannelBlock != 0)
    blocks.push_back(1);
  std::string base = absl::StrFormat("tp_conv2d_%s_k%dx%d_s%dx%d_d%dx%d%s%s%s",
                                     cTypeSuffix(input.dtype), k.kh, k.kw, k.sh, k.sw, k.dh,
                                     k.dw, t.act.suffix, t.inLast ? "_in_nhwc" : "",
                                     t.outLast ? "_out_nhwc" : "");
  // Narrow rows: every pass must take a whole row in one tile.
  std::optional<NarrowRow> narrow;
  bool fits = true;
  for (int block : blocks)
    fits &= OW <= wholeRowLimit(block) && unrollColumns(k, block, int(OW));
  if (fits) {
    narrow = NarrowRow{W, OW, g.padsBegin[1]};
    absl::StrAppend(&base, "_w", W, "o", OW, "p", g.padsBegin[1]);
  }
  std::string name = base;
  for (int block : blocks) {
    std::string pass = absl::StrCat(base, "_m", block);
    ctx.requireKernel(pass, convPass(t, k, pass, block, narrow));
    absl::StrAppend(&name, block == blocks.front() ? "_c" : "", block);
  }
  ctx.requireKernel(name, convDriver(t, k, name, base, blocks));
  ctx.emit(absl::StrCat(
      name, "(", operands, ",\n  ",
      cIntList({input.shape[0], input.shape[1], H, W, output.shape[1], OH, OW,
                g.padsBegin[0], g.padsBegin[1], group}),
      ");"));
  return absl::OkStatus();
}

/// Whether \p node is a 1 x 1 f32 convolution of stride 1 without padding,
/// of one group and one image (1-D or 2-D): tp_pointwise_f32's case.
bool isPointwise(const Node &node, Cpu) {
  const Value *x = node.operand(0);
  const Value *w = node.operand(1);
  if (!x || !w || x->isConstant() || x->type().dtype != DType::F32 ||
      (x->type().rank() != 3 && x->type().rank() != 4) || x->type().shape[0] != 1 ||
      node.result(0)->type().numElements() == 0)
    return false;
  const TensorType &weight = w->type();
  for (size_t i = 2; i < weight.shape.size(); ++i)
    if (weight.shape[i] != 1)
      return false;
  absl::StatusOr<int64_t> group = node.getInt("group", 1);
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(x->type().shape).drop_front(2);
  llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(weight.shape).drop_front(2);
  absl::StatusOr<WindowGeometry> g = computeWindowGeometry(node, spatial, kernel, false, true);
  if (!group.ok() || *group != 1 || !g.ok())
    return false;
  for (size_t i = 0; i < spatial.size(); ++i)
    if (g->strides[i] != 1 || g->padsBegin[i] != 0 || g->outputSpatial[i] != spatial[i])
      return false;
  return true;
}

/// Channels-first: kernels/pointwise.c, pixels outermost, so that its result
/// may sit exactly on its input. Channels-last: the generated tiles.
absl::Status emitPointwise(const Node &node, CEmitContext &ctx) {
  if (ctx.channelsLast(*node.operand(0)) || ctx.channelsLast(*node.result()))
    return emitConv(node, ctx);
  TP_RETURN_IF_ERROR(requireF32OrF64Kernel(node, DType::F32));
  requireLibraryKernel(ctx, "tp_fmaf");
  ConvKernelTypes t;
  t.type = "float";
  TP_ASSIGN_OR_RETURN(t.act, fusedActivationC(ctx, node, DType::F32));
  std::string name = absl::StrCat("tp_pointwise_f32", t.act.suffix);
  if (t.act.suffix.empty()) {
    requireLibraryKernel(ctx, name);
  } else {
    std::string act = absl::StrCat("tp_act", t.act.suffix);
    ctx.requireKernel(act, absl::StrCat("static inline float ", act, "(float v) { return ",
                                        t.act.expression, "; }\n"));
    name = requireKernelInstance(ctx, "tp_pointwise_f32", name,
                                 {{"tp_pointwise_identity_f32", act}});
  }
  const TensorType &input = node.operand(0)->type();
  const Value *bias = node.operand(2);
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.operand(1)), ", ",
                        bias ? ctx.pointer(*bias) : std::string("0"), ", ",
                        ctx.pointer(*node.result()), ", ", input.shape[1], ", ",
                        node.result(0)->type().shape[1], ", ", input.numElements() / input.shape[1],
                        ", ", ctx.scratchPointer(node, "float"), ");"));
  return absl::OkStatus();
}

/// How a 2-D convolution's passes walk the output rows (its stride and top
/// padding); nullopt for other ranks. A channels-last result is written row
/// by row (convDriver), and a channels-first group of one channel in one
/// pass, row by row: either may overlap the input rows already read.
std::optional<RowWalk> convRowWalk(const Node &node) {
  const Value *x = node.operand(0);
  const Value *w = node.operand(1);
  if (!x || !w || x->type().rank() != 4 || w->type().rank() != 4)
    return std::nullopt;
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(x->type().shape).drop_front(2);
  llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(w->type().shape).drop_front(2);
  absl::StatusOr<WindowGeometry> g = computeWindowGeometry(node, spatial, kernel, false, true);
  if (!g.ok())
    return std::nullopt;
  return RowWalk{g->strides[0], g->padsBegin[0]};
}

std::optional<KernelOverlap> convRowsOverlap(const Node &node, const LayoutPlan &layouts) {
  std::optional<RowWalk> walk = convRowWalk(node);
  return walk ? rowsOverlap(node, layouts, *walk) : std::nullopt;
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  KernelImpl pointwise;
  pointwise.opType = "Conv";
  pointwise.name = "pointwise";
  pointwise.priority = 1;
  pointwise.supports = isPointwise;
  pointwise.emit = emitPointwise;
  pointwise.scratchBytes = [](const Node &node) {
    return 4 * node.operand(0)->type().shape[1] * int64_t(sizeof(float));
  };
  pointwise.layouts = [](const Node &) { return LayoutRule::Each; };
  // Taken where the driver finds that the overlaps make up for the scratch.
  pointwise.method = "pixels";
  pointwise.overlap = [](const Node &node, const LayoutPlan &layouts) -> std::optional<KernelOverlap> {
    // Channels-last, emitPointwise writes the generated tiles.
    if (layouts.channelsLast(*node.result(0)))
      return convRowsOverlap(node, layouts);
    if (layouts.channelsLast(*node.operand(0)))
      return std::nullopt;
    return KernelOverlap{0, 0, /*exact=*/true};
  };
  registry.add(std::move(pointwise));

  // 1-D and 2-D read and write either layout; 3-D is channels-first.
  KernelImpl impl;
  impl.opType = "Conv";
  impl.name = "portable";
  impl.emit = emitConv;
  impl.layouts = [](const Node &node) {
    int64_t rank = node.operand(0)->type().rank();
    return rank == 3 || rank == 4 ? LayoutRule::Each : LayoutRule::ChannelsFirst;
  };
  // 1-D and 2-D: tp_conv2d's driver runs the groups in order, each pass
  // reading its group's input planes only; a channels-last 2-D result goes
  // row by row.
  impl.overlap = [](const Node &node, const LayoutPlan &layouts) -> std::optional<KernelOverlap> {
    if (layouts.channelsLast(*node.result(0)))
      return convRowsOverlap(node, layouts);
    int64_t rank = node.operand(0)->type().rank();
    absl::StatusOr<int64_t> group = node.getInt("group", 1);
    if ((rank != 3 && rank != 4) || !group.ok() || *group < 2)
      return std::nullopt;
    // A group of one input and one output channel is one pass, row by row.
    return channelGroupsOverlap(node, layouts, *group, convRowWalk(node));
  };
  registry.add(std::move(impl));
}

} // namespace tinyplan
