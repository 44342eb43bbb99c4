/* The pools of kernels/pool.c against references that visit every tap of
 * every window and test its bounds (the kernels clip each window once):
 * 1-D, 2-D and 3-D windows with begin and end pads, strides, dilations,
 * ceil mode's extra last window, windows without any input element,
 * count_include_pad on and off, MaxPool's Indices in both storage orders,
 * NaN, infinities and signed zeros, every dtype; then the global pools.
 * KERNELS: tp_avgpool_f32 tp_avgpool_f64 tp_maxpool_f32 tp_maxpool_f64
 *          tp_avgpool_nhwc_f32 tp_avgpool_nhwc_f64 tp_maxpool_nhwc_f32
 *          tp_maxpool_nhwc_f64 tp_maxpool_nhwc_i8 tp_maxpool_nhwc_u8
 *          tp_globalavgpool_nhwc_f32 tp_globalmaxpool_nhwc_f32
 *          tp_maxpool_i8 tp_maxpool_u8 tp_maxpool_indices_f32
 *          tp_maxpool_indices_f64 tp_maxpool_indices_i8 tp_maxpool_indices_u8
 *          tp_globalavgpool_f32 tp_globalavgpool_f64 tp_globalmaxpool_f32
 *          tp_globalmaxpool_f64 */
#include "kernels.h"
#include "tp_check.h"

#define MAXN 512

/* One pool: NC planes, and per spatial dim (D, H, W) the input extent n,
 * kernel k, stride s, dilation dl, pads pb / pe, and ceil mode. */
struct pool {
  int32_t nc, n[3], k[3], s[3], dl[3], pb[3], pe[3], ceil_mode, mode;
};

/* The output extents as ONNX defines them (what the compiler passes),
 * with ceil mode's last window dropped when it would start in the end
 * padding; then the kernels' geometry table. */
static void geometry(const struct pool *p, int32_t *g) {
  int32_t d;
  for (d = 0; d < 3; ++d) {
    const int32_t span = p->n[d] + p->pb[d] + p->pe[d] - ((p->k[d] - 1) * p->dl[d] + 1);
    int32_t out = (p->ceil_mode ? (span + p->s[d] - 1) / p->s[d] : span / p->s[d]) + 1;
    if (p->ceil_mode && out > 1 && (out - 1) * p->s[d] >= p->n[d] + p->pb[d])
      --out;
    g[d] = p->n[d];
    g[3 + d] = out;
    g[6 + d] = p->k[d];
    g[9 + d] = p->s[d];
    g[12 + d] = p->dl[d];
    g[15 + d] = p->pb[d];
    g[18 + d] = p->pe[d];
  }
  g[21] = p->mode;
}

static int32_t outputs(const int32_t *g, int32_t nc) { return nc * g[3] * g[4] * g[5]; }

/* The input coordinate of tap t of output o along dim d. */
static int32_t coord(const int32_t *g, int32_t d, int32_t o, int32_t t) {
  return o * g[9 + d] - g[15 + d] + t * g[12 + d];
}

static int is_nan(double v) { return v != v; }

/* Average over the taps inside the input, in order; the divisor counts
 * them, or with count_include_pad the taps inside the padded input. */
#define AVG_REF(NAME, T)                                                       \
  static void NAME(const T *x, T *y, int32_t nc, const int32_t *g) {           \
    int32_t c, o[3], t[3], i = 0;                                              \
    for (c = 0; c < nc; ++c)                                                   \
      for (o[0] = 0; o[0] < g[3]; ++o[0])                                      \
        for (o[1] = 0; o[1] < g[4]; ++o[1])                                    \
          for (o[2] = 0; o[2] < g[5]; ++o[2]) {                                \
            T sum = 0;                                                         \
            int32_t inside = 0, padded = 0;                                    \
            for (t[0] = 0; t[0] < g[6]; ++t[0])                                \
              for (t[1] = 0; t[1] < g[7]; ++t[1])                              \
                for (t[2] = 0; t[2] < g[8]; ++t[2]) {                          \
                  int32_t d, in = 1, pad = 1, at[3];                           \
                  for (d = 0; d < 3; ++d) {                                    \
                    at[d] = coord(g, d, o[d], t[d]);                           \
                    in &= at[d] >= 0 && at[d] < g[d];                          \
                    pad &= at[d] < g[d] + g[18 + d];                           \
                  }                                                            \
                  padded += pad;                                               \
                  if (in) {                                                    \
                    sum += x[((c * g[0] + at[0]) * g[1] + at[1]) * g[2] + at[2]]; \
                    ++inside;                                                  \
                  }                                                            \
                }                                                              \
            y[i++] = sum / (T)(g[21] ? padded : inside);                       \
          }                                                                    \
  }
AVG_REF(avg_ref_f32, float)
AVG_REF(avg_ref_f64, double)

/* MaxPool: the first NaN among the window's input elements if there is
 * one, else the first of its largest elements if that is larger than the
 * type's lowest value, else that value and index -1 in the plane. The
 * index is row-major in the whole input, or column-major in the plane. */
#define MAX_REF(NAME, T, LOWEST)                                               \
  static void NAME(const T *x, T *y, int64_t *ind, int32_t nc, const int32_t *g) { \
    const int32_t D = g[0], H = g[1], W = g[2];                                \
    int32_t c, o[3], t[3], i = 0;                                              \
    for (c = 0; c < nc; ++c)                                                   \
      for (o[0] = 0; o[0] < g[3]; ++o[0])                                      \
        for (o[1] = 0; o[1] < g[4]; ++o[1])                                    \
          for (o[2] = 0; o[2] < g[5]; ++o[2]) {                                \
            T best = LOWEST;                                                   \
            int32_t best_at[3] = {-1, -1, -1}, nan_at[3] = {-1, -1, -1}, d;    \
            for (t[0] = 0; t[0] < g[6]; ++t[0])                                \
              for (t[1] = 0; t[1] < g[7]; ++t[1])                              \
                for (t[2] = 0; t[2] < g[8]; ++t[2]) {                          \
                  int32_t in = 1, at[3];                                       \
                  T v;                                                         \
                  for (d = 0; d < 3; ++d) {                                    \
                    at[d] = coord(g, d, o[d], t[d]);                           \
                    in &= at[d] >= 0 && at[d] < g[d];                          \
                  }                                                            \
                  if (!in)                                                     \
                    continue;                                                  \
                  v = x[((c * D + at[0]) * H + at[1]) * W + at[2]];            \
                  if (is_nan(v) && nan_at[0] < 0)                              \
                    memcpy(nan_at, at, sizeof at);                             \
                  if (!is_nan(v) && v > best) {                                \
                    best = v;                                                  \
                    memcpy(best_at, at, sizeof at);                            \
                  }                                                            \
                }                                                              \
            if (nan_at[0] >= 0) {                                              \
              memcpy(best_at, nan_at, sizeof nan_at);                          \
              best = x[((c * D + nan_at[0]) * H + nan_at[1]) * W + nan_at[2]]; \
            }                                                                  \
            y[i] = best;                                                       \
            if (best_at[0] < 0)                                                \
              ind[i] = (int64_t)c * D * H * W - 1;                             \
            else if (g[21] == 0)                                               \
              ind[i] = (int64_t)c * D * H * W + (best_at[0] * H + best_at[1]) * W + best_at[2]; \
            else                                                               \
              ind[i] = (int64_t)c * D * H * W + best_at[0] + best_at[1] * D + best_at[2] * D * H; \
            ++i;                                                               \
          }                                                                    \
  }
MAX_REF(max_ref_f32, float, -0x1.fffffep+127f)
MAX_REF(max_ref_f64, double, -0x1.fffffffffffffp+1023)
MAX_REF(max_ref_i8, int8_t, -128)
MAX_REF(max_ref_u8, uint8_t, 0)

static float xs[MAXN];
static double xd[MAXN];
static int8_t xi[MAXN];
static uint8_t xu[MAXN];

/* Deterministic inputs with repeats (ties), signed zeros, infinities and
 * NaNs of distinct payloads; integers of the full range. */
static void fill(int32_t n, int specials) {
  int32_t i;
  uint32_t r = 2463534242u;
  for (i = 0; i < n; ++i) {
    r ^= r << 13;
    r ^= r >> 17;
    r ^= r << 5;
    xs[i] = (float)(int32_t)(r % 41u) * 0.25f - 5.0f;
    if (specials)
      switch (r % 29u) {
      case 0: xs[i] = tp_f32_from_bits(0x7fc00000u + (r >> 24)); break;
      case 1: xs[i] = HUGE_VALF; break;
      case 2: case 3: xs[i] = -HUGE_VALF; break;
      case 4: xs[i] = -0.0f; break;
      case 5: xs[i] = 0.0f; break;
      default: break;
      }
    xd[i] = (double)xs[i] / 3;
    xi[i] = (int8_t)(r >> 8);
    xu[i] = (uint8_t)(r >> 16);
  }
}

/* Channels-last: plane nc of NC planes of S elements (C channels an
 * image) goes to (nc / C * S + i) * C + nc % C; to_last and from_last
 * move element i of plane nc there and back. */
#define TRANSPOSE(name, T)                                                     \
  static void name(const T *from, T *to, int32_t NC, int32_t C, int32_t S,    \
                   int back) {                                                 \
    int32_t nc, i;                                                             \
    for (nc = 0; nc < NC; ++nc)                                                \
      for (i = 0; i < S; ++i) {                                                \
        const int32_t last = (nc / C * S + i) * C + nc % C, first = nc * S + i; \
        to[back ? first : last] = from[back ? last : first];                   \
      }                                                                        \
  }
TRANSPOSE(transpose_f32, float)
TRANSPOSE(transpose_f64, double)
TRANSPOSE(transpose_i8, int8_t)
TRANSPOSE(transpose_u8, uint8_t)

/* The channels-last kernels on the same planes, as C channels of NC / C
 * images: the same bits as the channels-first ones (got*), element for
 * element; AveragePool's, or with max set MaxPool's. */
static void check_pool_nhwc(const struct pool *p, const int32_t *g, int32_t n, int max,
                            const float *got, const double *gotd, const int8_t *goti,
                            const uint8_t *gotu) {
  static float xl[MAXN], yl[MAXN], back[MAXN];
  static double xld[MAXN], yld[MAXN], backd[MAXN];
  static int8_t xli[MAXN], yli[MAXN], backi[MAXN];
  static uint8_t xlu[MAXN], ylu[MAXN], backu[MAXN];
  const int32_t C = p->nc % 2 == 0 ? p->nc / 2 : p->nc, S = g[0] * g[1] * g[2];
  const int32_t OS = g[3] * g[4] * g[5];
  int32_t i;
  (void)n;
  transpose_f32(xs, xl, p->nc, C, S, 0);
  transpose_f64(xd, xld, p->nc, C, S, 0);
  transpose_i8(xi, xli, p->nc, C, S, 0);
  transpose_u8(xu, xlu, p->nc, C, S, 0);
  if (!max) {
    tp_avgpool_nhwc_f32(xl, yl, p->nc, C, g);
    transpose_f32(yl, back, p->nc, C, OS, 1);
    for (i = 0; i < p->nc * OS; ++i)
      TP_CHECK_F32(back[i], got[i]);
    tp_avgpool_nhwc_f64(xld, yld, p->nc, C, g);
    transpose_f64(yld, backd, p->nc, C, OS, 1);
    for (i = 0; i < p->nc * OS; ++i)
      TP_CHECK_F64(backd[i], gotd[i]);
    return;
  }
  tp_maxpool_nhwc_f32(xl, yl, p->nc, C, g);
  transpose_f32(yl, back, p->nc, C, OS, 1);
  for (i = 0; i < p->nc * OS; ++i)
    TP_CHECK_F32(back[i], got[i]);
  tp_maxpool_nhwc_f64(xld, yld, p->nc, C, g);
  transpose_f64(yld, backd, p->nc, C, OS, 1);
  for (i = 0; i < p->nc * OS; ++i)
    TP_CHECK_F64(backd[i], gotd[i]);
  tp_maxpool_nhwc_i8(xli, yli, p->nc, C, g);
  transpose_i8(yli, backi, p->nc, C, OS, 1);
  for (i = 0; i < p->nc * OS; ++i)
    TP_CHECK_INT(backi[i], goti[i]);
  tp_maxpool_nhwc_u8(xlu, ylu, p->nc, C, g);
  transpose_u8(ylu, backu, p->nc, C, OS, 1);
  for (i = 0; i < p->nc * OS; ++i)
    TP_CHECK_INT(backu[i], gotu[i]);
}

static void check_pool(const struct pool *p, int specials) {
  static float got[MAXN], want[MAXN];
  static double gotd[MAXN], wantd[MAXN];
  static int64_t ind[MAXN], want_ind[MAXN];
  static int8_t goti[MAXN], wanti[MAXN];
  static uint8_t gotu[MAXN], wantu[MAXN];
  int32_t g[22], n, i;
  geometry(p, g);
  n = outputs(g, p->nc);
  TP_CHECK(n > 0 && n <= MAXN && p->nc * g[0] * g[1] * g[2] <= MAXN);
  fill(p->nc * g[0] * g[1] * g[2], specials);
  tp_avgpool_f32(xs, got, p->nc, 1, g);
  avg_ref_f32(xs, want, p->nc, g);
  for (i = 0; i < n; ++i)
    TP_CHECK_F32(got[i], want[i]);
  tp_avgpool_f64(xd, gotd, p->nc, 1, g);
  avg_ref_f64(xd, wantd, p->nc, g);
  for (i = 0; i < n; ++i)
    TP_CHECK_F64(gotd[i], wantd[i]);
  check_pool_nhwc(p, g, n, 0, got, gotd, goti, gotu);
  max_ref_f32(xs, want, want_ind, p->nc, g);
  tp_maxpool_f32(xs, got, p->nc, 1, g);
  for (i = 0; i < n; ++i)
    TP_CHECK_F32(got[i], want[i]);
  tp_maxpool_indices_f32(xs, got, ind, p->nc, g);
  for (i = 0; i < n; ++i) {
    TP_CHECK_F32(got[i], want[i]);
    TP_CHECK_INT(ind[i], want_ind[i]);
  }
  max_ref_f64(xd, wantd, want_ind, p->nc, g);
  tp_maxpool_f64(xd, gotd, p->nc, 1, g);
  for (i = 0; i < n; ++i)
    TP_CHECK_F64(gotd[i], wantd[i]);
  tp_maxpool_indices_f64(xd, gotd, ind, p->nc, g);
  for (i = 0; i < n; ++i) {
    TP_CHECK_F64(gotd[i], wantd[i]);
    TP_CHECK_INT(ind[i], want_ind[i]);
  }
  max_ref_i8(xi, wanti, want_ind, p->nc, g);
  tp_maxpool_i8(xi, goti, p->nc, 1, g);
  for (i = 0; i < n; ++i)
    TP_CHECK_INT(goti[i], wanti[i]);
  tp_maxpool_indices_i8(xi, goti, ind, p->nc, g);
  for (i = 0; i < n; ++i) {
    TP_CHECK_INT(goti[i], wanti[i]);
    TP_CHECK_INT(ind[i], want_ind[i]);
  }
  max_ref_u8(xu, wantu, want_ind, p->nc, g);
  tp_maxpool_u8(xu, gotu, p->nc, 1, g);
  for (i = 0; i < n; ++i)
    TP_CHECK_INT(gotu[i], wantu[i]);
  tp_maxpool_indices_u8(xu, gotu, ind, p->nc, g);
  for (i = 0; i < n; ++i) {
    TP_CHECK_INT(gotu[i], wantu[i]);
    TP_CHECK_INT(ind[i], want_ind[i]);
  }
  /* MaxPool, channels-last. */
  tp_maxpool_f32(xs, got, p->nc, 1, g);
  tp_maxpool_f64(xd, gotd, p->nc, 1, g);
  check_pool_nhwc(p, g, n, 1, got, gotd, goti, gotu);
}

/* Hand-computed cases, then the references on many geometries. */
static void check_by_hand(void) {
  /* 1-D, n = 5, kernel 3, stride 2, pads 1 and 1: windows [-1, 2) ... */
  const float x[5] = {1, 2, 3, 4, 5};
  const int32_t g1[22] = {1, 1, 5, 1, 1, 3, 1, 1, 3, 1, 1, 2, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0};
  float y[8];
  int64_t ind[8];
  int32_t g[22];
  tp_avgpool_f32(x, y, 1, 1, g1); /* (1+2)/2, (2+3+4)/3, (4+5)/2 */
  TP_CHECK_F32(y[0], 1.5f);
  TP_CHECK_F32(y[1], 3.0f);
  TP_CHECK_F32(y[2], 4.5f);
  memcpy(g, g1, sizeof g);
  g[21] = 1; /* count_include_pad: every window has 3 taps in the padded input */
  tp_avgpool_f32(x, y, 1, 1, g);
  TP_CHECK_F32(y[0], 1.0f);
  TP_CHECK_F32(y[1], 3.0f);
  TP_CHECK_F32(y[2], 3.0f);
  tp_maxpool_indices_f32(x, y, ind, 1, g1);
  TP_CHECK_F32(y[0], 2.0f);
  TP_CHECK_INT(ind[0], 1);
  TP_CHECK_F32(y[2], 5.0f);
  TP_CHECK_INT(ind[2], 4);
  /* Ceil mode: n = 5, kernel 2, stride 2, no pads: 3 windows, the last
   * [4, 6) clipped to one element; count_include_pad's divisor stops at
   * the padded input's end too (as ONNX Runtime's). */
  memcpy(g, g1, sizeof g);
  g[5] = 3;
  g[8] = 2;
  g[17] = 0;
  g[20] = 0;
  g[21] = 1;
  tp_avgpool_f32(x, y, 1, 1, g);
  TP_CHECK_F32(y[0], 1.5f);
  TP_CHECK_F32(y[2], 5.0f);
  /* A window without input elements (begin pad 2, kernel 2, stride 1):
   * the average divides 0 by (taps inside) 0, NaN, or with
   * count_include_pad by 2 taps of padding, 0. */
  memcpy(g, g1, sizeof g);
  g[5] = 6;
  g[8] = 2;
  g[11] = 1;
  g[17] = 2;
  g[20] = 0;
  g[21] = 0;
  tp_avgpool_f32(x, y, 1, 1, g);
  TP_CHECK(y[0] != y[0]);
  TP_CHECK_F32(y[1], 1.0f);
  g[21] = 1;
  tp_avgpool_f32(x, y, 1, 1, g);
  TP_CHECK_F32(y[0], 0.0f);
  TP_CHECK_F32(y[1], 0.5f);
  /* MaxPool there: the lowest value and index -1 (plane 1: 5 - 1). */
  tp_maxpool_indices_f32(x, y, ind, 1, g);
  TP_CHECK_F32(y[0], -0x1.fffffep+127f);
  TP_CHECK_INT(ind[0], -1);
  TP_CHECK_F32(y[1], 1.0f);
  TP_CHECK_INT(ind[1], 0);
  {
    /* A window starting 3 before a 1-element input with 2 taps: k0 = 3 > k1
     * = 2, so the exclusive divisor is -1 and the average -0 (the
     * template's arithmetic, kept). */
    const int32_t gd[22] = {1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 0, 0, 3, 0, 0, 0, 0};
    tp_avgpool_f32(x, y, 1, 1, gd);
    TP_CHECK_F32(y[0], -0.0f);
  }
  {
    /* Dilation 3, kernel 2, n = 2, pads 2 and 2: window 1 taps -1 and 2,
     * both outside; window 0 taps -2 and 1. Two planes. */
    const float x2[4] = {7, -HUGE_VALF, -HUGE_VALF, 3};
    const int32_t gd[22] = {1, 1, 2, 1, 1, 3, 1, 1, 2, 1, 1, 1, 1, 1, 3, 0, 0, 2, 0, 0, 2, 0};
    tp_maxpool_indices_f32(x2, y, ind, 2, gd);
    TP_CHECK_F32(y[0], -0x1.fffffep+127f); /* -inf never beats -FLT_MAX */
    TP_CHECK_INT(ind[0], -1);
    TP_CHECK_F32(y[1], -0x1.fffffep+127f);
    TP_CHECK_INT(ind[1], -1);
    TP_CHECK_F32(y[2], 7.0f);
    TP_CHECK_INT(ind[2], 0);
    TP_CHECK_F32(y[3], 3.0f);
    TP_CHECK_INT(ind[3], 3);
    TP_CHECK_INT(ind[4], 1); /* plane 1, window 1: 2 * 1 - 1 */
  }
  {
    /* NaN: the first NaN of a window wins, with its index; -0 before +0
     * stays (not larger). 2-D 2x3, kernel 2x3, storage_order 1. */
    const float x3[6] = {-0.0f, 0.0f, -1.0f, tp_f32_from_bits(0x7fc00001u), 5.0f,
                         tp_f32_from_bits(0x7fc00002u)};
    const int32_t g3[22] = {1, 2, 3, 1, 1, 1, 1, 2, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1};
    const int32_t g4[22] = {1, 1, 3, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1};
    tp_maxpool_indices_f32(x3, y, ind, 1, g3);
    TP_CHECK_F32(y[0], tp_f32_from_bits(0x7fc00001u));
    TP_CHECK_INT(ind[0], 1); /* (h 1, w 0): row-major 3, column-major 1 */
    tp_maxpool_indices_f32(x3, y, ind, 1, g4);
    TP_CHECK_F32(y[0], -0.0f);
    TP_CHECK_INT(ind[0], 0);
    tp_maxpool_indices_f32(x3 + 3, y, ind, 1, g4);
    TP_CHECK_F32(y[0], tp_f32_from_bits(0x7fc00001u));
  }
  {
    /* Integers: i8 starts at -128, u8 at 0; a window in the padding keeps
     * them. */
    const int8_t xi8[3] = {-128, -5, -7};
    const uint8_t xu8[3] = {0, 200, 255};
    int8_t yi8[4];
    uint8_t yu8[4];
    const int32_t gi[22] = {1, 1, 3, 1, 1, 4, 1, 1, 2, 1, 1, 1, 1, 1, 1, 0, 0, 2, 0, 0, 1, 0};
    tp_maxpool_indices_i8(xi8, yi8, ind, 1, gi);
    TP_CHECK_INT(yi8[0], -128);
    TP_CHECK_INT(ind[0], -1);
    TP_CHECK_INT(yi8[1], -128);
    TP_CHECK_INT(ind[1], -1); /* -128 itself does not beat the start */
    TP_CHECK_INT(yi8[2], -5);
    TP_CHECK_INT(ind[2], 1);
    TP_CHECK_INT(yi8[3], -5);
    tp_maxpool_u8(xu8, yu8, 1, 1, gi);
    TP_CHECK_INT(yu8[0], 0);
    TP_CHECK_INT(yu8[2], 200);
    TP_CHECK_INT(yu8[3], 255);
    tp_maxpool_i8(xi8, yi8, 1, 1, gi);
    TP_CHECK_INT(yi8[3], -5);
  }
}

static void check_globals(void) {
  const float nan1 = tp_f32_from_bits(0x7fc00001u), nan2 = tp_f32_from_bits(0x7fc00002u);
  const float x[12] = {1, 2, 3, nan1, 4, nan2, -0.0f, -0.0f, -0.0f, 0x1p127f, 0x1p127f, -1};
  float y[4];
  double xd2[6] = {1, 2, 4, -HUGE_VAL, 0.5, HUGE_VAL}, yd[2];
  tp_globalavgpool_f32(x, y, 4, 1, 3);
  TP_CHECK_F32(y[0], 2.0f);
  TP_CHECK(y[1] != y[1]);
  TP_CHECK_F32(y[2], -0.0f); /* the sum starts from the first element */
  TP_CHECK_F32(y[3], HUGE_VALF); /* 2^127 + 2^127 overflows before the division */
  tp_globalmaxpool_f32(x, y, 4, 1, 3);
  TP_CHECK_F32(y[0], 3.0f);
  TP_CHECK_F32(y[1], nan2); /* every NaN replaces the maximum: the last wins */
  TP_CHECK_F32(y[2], -0.0f);
  TP_CHECK_F32(y[3], 0x1p127f);
  tp_globalmaxpool_f32(x + 3, y, 1, 1, 2);
  TP_CHECK_F32(y[0], nan1); /* a NaN first stays */
  tp_globalavgpool_f32(x + 1, y, 1, 1, 1);
  TP_CHECK_F32(y[0], 2.0f);
  tp_globalavgpool_f64(xd2, yd, 2, 1, 3);
  TP_CHECK_F64(yd[0], 7.0 / 3);
  TP_CHECK(yd[1] != yd[1]); /* -inf + inf */
  tp_globalmaxpool_f64(xd2, yd, 2, 1, 3);
  TP_CHECK_F64(yd[0], 4.0);
  TP_CHECK_F64(yd[1], HUGE_VAL);
  { /* channels-last: 2 images of 2 channels, 3 pixels: the same bits */
    float xl[12], want[4];
    transpose_f32(x, xl, 4, 2, 3, 0);
    tp_globalavgpool_f32(x, want, 4, 1, 3);
    tp_globalavgpool_nhwc_f32(xl, y, 4, 2, 3);
    for (int i = 0; i < 4; ++i)
      TP_CHECK_F32(y[i], want[i]);
    tp_globalmaxpool_f32(x, want, 4, 1, 3);
    tp_globalmaxpool_nhwc_f32(xl, y, 4, 2, 3);
    for (int i = 0; i < 4; ++i)
      TP_CHECK_F32(y[i], want[i]);
    TP_CHECK_F32(y[1], nan2);
  }
}

int main(void) {
  /* nc, n, k, s, dl, pb, pe, ceil, mode: 1-D, 2-D and 3-D. */
  static const struct pool pools[] = {
      {2, {1, 1, 9}, {1, 1, 3}, {1, 1, 2}, {1, 1, 1}, {0, 0, 1}, {0, 0, 1}, 0, 0},
      {2, {1, 1, 9}, {1, 1, 3}, {1, 1, 2}, {1, 1, 1}, {0, 0, 1}, {0, 0, 1}, 0, 1},
      {1, {1, 1, 8}, {1, 1, 3}, {1, 1, 3}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}, 1, 0},
      {1, {1, 1, 8}, {1, 1, 3}, {1, 1, 3}, {1, 1, 2}, {0, 0, 2}, {0, 0, 1}, 1, 1},
      {3, {1, 5, 6}, {1, 2, 3}, {1, 2, 1}, {1, 1, 1}, {0, 1, 1}, {0, 0, 1}, 0, 0},
      {3, {1, 5, 6}, {1, 2, 3}, {1, 2, 1}, {1, 1, 1}, {0, 1, 1}, {0, 0, 1}, 1, 1},
      {2, {1, 7, 7}, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}, 1, 0},
      {2, {1, 7, 5}, {1, 2, 2}, {1, 3, 2}, {1, 1, 1}, {0, 0, 1}, {0, 1, 0}, 1, 1},
      {1, {1, 6, 7}, {1, 2, 3}, {1, 1, 2}, {1, 2, 3}, {0, 1, 2}, {0, 1, 2}, 0, 1},
      {1, {1, 6, 7}, {1, 3, 2}, {1, 2, 1}, {1, 2, 3}, {0, 2, 3}, {0, 2, 3}, 1, 0},
      {2, {3, 4, 5}, {2, 2, 2}, {1, 2, 2}, {1, 1, 1}, {1, 1, 0}, {0, 1, 1}, 0, 0},
      {2, {3, 4, 5}, {2, 3, 2}, {2, 1, 3}, {1, 1, 1}, {1, 1, 1}, {1, 2, 1}, 1, 1},
      {1, {4, 3, 5}, {2, 2, 2}, {1, 1, 2}, {2, 1, 2}, {1, 0, 2}, {1, 1, 2}, 1, 1},
      {1, {2, 2, 2}, {2, 2, 2}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, 0, 1},
  };
  size_t i;
  check_by_hand();
  for (i = 0; i < sizeof pools / sizeof pools[0]; ++i) {
    check_pool(&pools[i], 0);
    check_pool(&pools[i], 1);
  }
  check_globals();
  return tp_finish("pool");
}
