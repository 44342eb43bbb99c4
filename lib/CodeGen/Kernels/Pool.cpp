//===- Pool.cpp - C for AveragePool, MaxPool and the global pools ---------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// Windowed pools over N, C and three spatial dims (1-D and 2-D run with
/// leading spatial dims of 1); the output is written in order. The window
/// is clipped to the input once per output element; the average divides
/// by the clipped window, or with count_include_pad by the window clipped
/// to the padded input (as ONNX Runtime does). `g` holds the geometry:
/// input and output extents, kernel, strides, dilations, begin and end
/// pads (each D, H, W), then count_include_pad or storage_order.
/// The taps [*k0, *k1) of a window of K taps at dilation DL starting at s
/// that fall inside an input of n elements, and the window's end clipped to
/// the input padded by pe at the end.
constexpr const char *kPoolWindowKernel = R"(static void tp_pool_window(int32_t s, int32_t K, int32_t DL, int32_t n, int32_t pe,
    int32_t *k0, int32_t *k1, int32_t *end) {
  *k0 = s < 0 ? (DL - 1 - s) / DL : 0;
  *k1 = (n - s + DL - 1) / DL;
  if (*k1 > K)
    *k1 = K;
  *end = s + K < n + pe ? s + K : n + pe;
}
)";

constexpr const char *kPoolKernel = R"(static void $NAME(const $T *x, $T *y,$INDICES int32_t NC, const int32_t *g) {
  const int32_t D = g[0], H = g[1], W = g[2], OD = g[3], OH = g[4], OW = g[5];
  const int32_t KD = g[6], KH = g[7], KW = g[8], SD = g[9], SH = g[10], SW = g[11];
  const int32_t DD = g[12], DH = g[13], DW = g[14], PF = g[15], PT = g[16], PL = g[17];
  const int32_t PK = g[18], PB = g[19], PR = g[20], mode = g[21];
  int32_t nc, od, oh, ow, id, ih, iw, kd0, kd1, dp, kh0, kh1, hp, kw0, kw1, wp;
  (void)mode;
  for (nc = 0; nc < NC; ++nc) {
    const $T *xc = x + nc * D * H * W;
    for (od = 0; od < OD; ++od) {
      const int32_t ds = od * SD - PF;
      tp_pool_window(ds, KD, DD, D, PK, &kd0, &kd1, &dp);
      for (oh = 0; oh < OH; ++oh) {
        const int32_t hs = oh * SH - PT;
        tp_pool_window(hs, KH, DH, H, PB, &kh0, &kh1, &hp);
        for (ow = 0; ow < OW; ++ow) {
          const int32_t ws = ow * SW - PL;
          $DECL
          tp_pool_window(ws, KW, DW, W, PR, &kw0, &kw1, &wp);
          for (id = kd0; id < kd1; ++id)
            for (ih = kh0; ih < kh1; ++ih) {
              const int32_t row = ((ds + id * DD) * H + hs + ih * DH) * W + ws;
              const $T *xr = xc + row;
              for (iw = kw0; iw < kw1; ++iw) {
                const $T v = xr[iw * DW];
                $STEP
              }
            }
          $STORE
        }
      }
    }
  }
}
)";

/// Global pools: one reduction per (n, c) plane of S elements.
constexpr const char *kGlobalPoolKernel = R"(static void $NAME(const $T *x, $T *y, int32_t NC, int32_t S) {
  int32_t nc, i;
  for (nc = 0; nc < NC; ++nc) {
    const $T *xc = x + nc * S;
    $T acc = xc[0];
    for (i = 1; i < S; ++i) {
      const $T v = xc[i];
      $STEP
    }
    y[nc] = $STORE;
  }
}
)";

absl::Status emitPool(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &output = node.result(0)->type();
  bool isMax = isMaxPool(node);
  if (!isFloat(input.dtype) && !(isMax && cType(input.dtype)))
    return unsupportedKernel(node, absl::StrCat("element type ",
                                                dtypeName(input.dtype).str()));
  TP_ASSIGN_OR_RETURN(std::string type, requireCType(node, input.dtype));
  std::string suffix = cTypeSuffix(input.dtype);
  std::string x = ctx.pointer(*node.operand(0)), y = ctx.pointer(*node.result(0));
  if (isGlobalPool(node)) {
    std::string name = absl::StrCat("tp_global", isMax ? "max" : "avg", "pool_", suffix);
    int64_t planes = input.shape[0] * input.shape[1];
    int64_t size = input.numElements() / std::max<int64_t>(planes, 1);
    ctx.requireKernel(
        name, absl::StrReplaceAll(
                  kGlobalPoolKernel,
                  {{"$NAME", name},
                   {"$T", type},
                   {"$STEP", isMax ? "if (v > acc || v != v)\n        acc = v;" : "acc += v;"},
                   {"$STORE", isMax ? "acc" : absl::StrCat("acc / (", type, ")S")}}));
    if (size > 0)
      ctx.emit(absl::StrCat(name, "(", x, ", ", y, ", ", planes, ", ", size, ");"));
    return absl::OkStatus();
  }
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(WindowGeometry g, poolWindowGeometry(node, ctx.opset()));
  if (!isMax && llvm::any_of(g.dilations, [](int64_t d) { return d != 1; }))
    return unsupportedKernel(node, "dilations");
  // count_include_pad for the average, storage_order for the indices.
  TP_ASSIGN_OR_RETURN(int64_t mode, node.getInt(isMax ? "storage_order" : "count_include_pad", 0));
  // Leading spatial dims of 1 make every pool 3-D.
  std::vector<int64_t> in = {1, 1, 1}, out = {1, 1, 1}, k = {1, 1, 1}, st = {1, 1, 1},
                       dil = {1, 1, 1}, pb = {0, 0, 0}, pe = {0, 0, 0};
  size_t lead = 3 - spatial.size();
  for (size_t i = 0; i < spatial.size(); ++i) {
    in[lead + i] = spatial[i];
    out[lead + i] = output.shape[2 + i];
    k[lead + i] = g.kernel[i];
    st[lead + i] = g.strides[i];
    dil[lead + i] = g.dilations[i];
    pb[lead + i] = g.padsBegin[i];
    pe[lead + i] = g.padsEnd[i];
  }
  bool indices = node.numResults() > 1;
  std::string name = absl::StrCat("tp_", isMax ? "maxpool_" : "avgpool_", suffix,
                                  indices ? "_indices" : "");
  std::string decl, step, store;
  if (isMax) {
    // The smallest value, as ONNX Runtime starts from (a window inside the
    // padding yields it).
    std::string lowest = input.dtype == DType::F32   ? "-FLT_MAX"
                         : input.dtype == DType::F64 ? "-DBL_MAX"
                         : input.dtype == DType::I8  ? "(-128)"
                                                     : "0";
    decl = absl::StrCat(type, " acc = ", lowest, ";", indices ? "\n          int32_t at = -1;" : "");
    // A NaN wins (the first one, for the index).
    std::string better = isFloat(input.dtype) ? "v > acc || (v != v && acc == acc)" : "v > acc";
    step = indices ? absl::StrCat("if (", better, ") {\n                  acc = v;\n",
                                  "                  at = row + iw * DW;\n                }")
                   : absl::StrCat("if (", better, ")\n                  acc = v;");
    store = "*y++ = acc;";
    if (indices)
      // Row-major index in the plane; storage_order 1 asks for column-major.
      store += R"(
          if (at >= 0 && mode != 0)
            at = at / (W * H) + (at / W % H) * D + at % W * D * H;
          *ind++ = (int64_t)nc * D * H * W + at;)";
    ctx.requireKernel("float.h", "#include <float.h>\n");
  } else {
    decl = absl::StrCat(type, " acc = 0;");
    step = "acc += v;";
    store = absl::StrCat("*y++ = acc / (", type,
                         ")(mode ? (dp - ds) * (hp - hs) * (wp - ws)\n",
                         "              : (kd1 - kd0) * (kh1 - kh0) * (kw1 - kw0));");
  }
  ctx.requireKernel("tp_pool_window", kPoolWindowKernel);
  ctx.requireKernel(name, absl::StrReplaceAll(kPoolKernel, {{"$NAME", name},
                                                           {"$T", type},
                                                           {"$INDICES", indices ? " int64_t *ind," : ""},
                                                           {"$DECL", decl},
                                                           {"$STEP", step},
                                                           {"$STORE", store}}));
  if (output.numElements() == 0)
    return absl::OkStatus();
  std::vector<int64_t> geometry;
  for (const auto *part : {&in, &out, &k, &st, &dil, &pb, &pe})
    geometry.insert(geometry.end(), part->begin(), part->end());
  geometry.push_back(mode);
  ctx.emit(absl::StrCat("{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ", name,
                        "(", x, ", ", y, ", ", indices ? ctx.pointer(*node.result(1)) + ", " : "",
                        input.shape[0] * input.shape[1], ", g);\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  for (const char *opType : {"AveragePool", "MaxPool", "GlobalAveragePool", "GlobalMaxPool"})
    registry.addPortable(opType, emitPool);
}

} // namespace tinyplan
