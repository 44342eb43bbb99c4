/* The resizes of kernels/resize.c, called as Resize calls them (tables
 * built as lib/CodeGen/Kernels/Resize.cpp builds them). Nearest: every
 * output element against the input element its axes' indices name, with
 * -1 giving the value on an inner, an outer and the last axis; ranks 1 to
 * 4; every storage type. Weighted: against a recursive nested sum (first
 * product, then tp_fmaf, in tap order) on tables of 0 to 4 taps per output,
 * extrapolated outputs on every level, ranks 1 to 4, one block and three
 * (the leading axes that are not resized); by hand, ONNX's
 * bilinear 2 x 2 -> 4 x 4 (half_pixel) example.
 * KERNELS: tp_resize_nearest_f32 tp_resize_nearest_f64 tp_resize_nearest_i8
 *          tp_resize_nearest_u8 tp_resize_nearest_i16 tp_resize_nearest_u16
 *          tp_resize_nearest_i32 tp_resize_nearest_u32 tp_resize_nearest_i64
 *          tp_resize_nearest_u64 tp_resize_f32 tp_resize_f64 tp_fmaf */
#include "kernels.h"
#include "tp_check.h"

#define MAX 4096

static float xf[MAX], yf[MAX + 1];
static double xd[MAX], yd[MAX + 1];
static int32_t g[32], t[MAX], ix[MAX];
static float wf[MAX];
static double wd[MAX];

/* A pseudo-random sequence (LCG) for the tables. */
static uint32_t seed = 12345u;
static int32_t next(int32_t n) {
  seed = seed * 1664525u + 1013904223u;
  return (int32_t)((seed >> 8) % (uint32_t)n);
}

/* Nearest: g (in, out per axis) and t for the shape in -> out, each output
 * index reading a pseudo-random input index, -1 where holes says. Returns
 * the output's element count. */
static int32_t nearest_setup(int32_t rank, const int32_t *in, const int32_t *out, int32_t holes) {
  int32_t n = 1, d, o, at = 0;
  for (d = 0; d < rank; ++d) {
    g[2 * d] = in[d];
    g[2 * d + 1] = out[d];
    for (o = 0; o < out[d]; ++o)
      t[at++] = (holes && next(5) == 0) ? -1 : next(in[d]);
    n *= out[d];
  }
  return n;
}

/* The input element output element k reads, or -1. */
static int32_t nearest_ref(int32_t rank, int32_t k) {
  int32_t d, src = 0, stride = 1, base = 0, inside = 1;
  int32_t bases[8];
  for (d = 0; d < rank; ++d) {
    bases[d] = base;
    base += g[2 * d + 1];
  }
  for (d = rank - 1; d >= 0; --d) {
    const int32_t o = k % g[2 * d + 1], s = t[bases[d] + o];
    k /= g[2 * d + 1];
    if (s < 0)
      inside = 0;
    else
      src += s * stride;
    stride *= g[2 * d];
  }
  return inside ? src : -1;
}

static void nearest_f32(void) {
  static const int32_t shapes[][2][4] = {
      {{5}, {9}}, {{3, 4}, {7, 2}}, {{2, 3, 4}, {3, 5, 8}}, {{1, 2, 3, 4}, {2, 4, 6, 3}}};
  int32_t r, k, n, holes;
  for (k = 0; k < MAX; ++k)
    xf[k] = (float)k * 0.25f - 3.0f;
  xf[1] = -0.0f;
  for (holes = 0; holes < 2; ++holes)
    for (r = 0; r < 4; ++r) {
      n = nearest_setup(r + 1, shapes[r][0], shapes[r][1], holes);
      yf[n] = 1234.5f;
      tp_resize_nearest_f32(xf, yf, r + 1, g, t, -7.5f);
      for (k = 0; k < n; ++k) {
        const int32_t s = nearest_ref(r + 1, k);
        TP_CHECK_F32(yf[k], s < 0 ? -7.5f : xf[s]);
      }
      TP_CHECK_F32(yf[n], 1234.5f); /* nothing written past the result */
    }
  /* By hand: [[1, 2], [3, 4]] -> 4 x 6 (scales 2, 3): each row and column
     repeated. */
  {
    static const int32_t gh[] = {2, 4, 2, 6}, th[] = {0, 0, 1, 1, 0, 0, 0, 1, 1, 1};
    static const float x[] = {1, 2, 3, 4};
    float y[24];
    tp_resize_nearest_f32(x, y, 2, gh, th, 0.0f);
    TP_CHECK_F32(y[0], 1.0f);
    TP_CHECK_F32(y[2], 1.0f);
    TP_CHECK_F32(y[3], 2.0f);
    TP_CHECK_F32(y[11], 2.0f);
    TP_CHECK_F32(y[12], 3.0f);
    TP_CHECK_F32(y[23], 4.0f);
  }
}

/* Each other storage type: 2 x 3 -> 3 x 4 with a hole on the last axis. */
#define CHECK_NEAREST_TYPE(SUFFIX, T, VALUE, CHECK)                            \
  do {                                                                         \
    static const int32_t gt[] = {2, 3, 3, 4}, tt[] = {1, 0, 1, 2, -1, 0, 2};   \
    T x[6], y[13];                                                             \
    int32_t k;                                                                 \
    for (k = 0; k < 6; ++k)                                                    \
      x[k] = (T)(VALUE);                                                       \
    y[12] = (T)7;                                                              \
    tp_resize_nearest_##SUFFIX(x, y, 2, gt, tt, x[5]);                         \
    for (k = 0; k < 12; ++k)                                                   \
      CHECK(y[k], tt[3 + k % 4] < 0 ? x[5] : x[3 * tt[k / 4] + tt[3 + k % 4]]); \
    CHECK(y[12], (T)7);                                                        \
  } while (0)

static void nearest_types(void) {
  CHECK_NEAREST_TYPE(f64, double, k == 0 ? -0.0 : 1e300 * (k - 3), TP_CHECK_F64);
  CHECK_NEAREST_TYPE(i8, int8_t, k == 0 ? -128 : k * 25, TP_CHECK_INT);
  CHECK_NEAREST_TYPE(u8, uint8_t, 255 - k * 40, TP_CHECK_INT);
  CHECK_NEAREST_TYPE(i16, int16_t, k == 0 ? -32768 : k * 6000, TP_CHECK_INT);
  CHECK_NEAREST_TYPE(u16, uint16_t, k == 0 ? 0x7e01 : 0x3c00 + k, TP_CHECK_INT);
  CHECK_NEAREST_TYPE(i32, int32_t, k == 0 ? INT32_MIN : k * 400000000, TP_CHECK_INT);
  CHECK_NEAREST_TYPE(u32, uint32_t, 4294967295u - (uint32_t)k * 800000000u, TP_CHECK_INT);
  CHECK_NEAREST_TYPE(i64, int64_t, k == 0 ? INT64_MIN : (int64_t)k * 1800000000000000000,
                     TP_CHECK_INT);
  CHECK_NEAREST_TYPE(u64, uint64_t, UINT64_MAX - (uint64_t)k * 3600000000000000000u,
                     TP_CHECK_INT);
}

/* Weighted: g (in, out, record start per axis), t, ix and the weights for
 * in -> out, 0 to 4 taps per output index (0 only where holes says). */
static int32_t weighted_setup(int32_t rank, const int32_t *in, const int32_t *out,
                              int32_t holes) {
  int32_t n = 1, d, o, j, records = 0, taps = 0;
  for (d = 0; d < rank; ++d) {
    g[3 * d] = in[d];
    g[3 * d + 1] = out[d];
    g[3 * d + 2] = records;
    for (o = 0; o < out[d]; ++o) {
      const int32_t count = (holes && next(6) == 0) ? 0 : 1 + next(4);
      t[records++] = taps;
      t[records++] = count;
      for (j = 0; j < count; ++j) {
        ix[taps] = next(in[d]);
        wf[taps] = (float)(next(2001) - 1000) / 512.0f;
        wd[taps] = (double)wf[taps] * 3; /* exact sums: newlib's fma rounds twice */
        ++taps;
      }
    }
    n *= out[d];
  }
  return n;
}

/* The value of level d of output o (indices per axis) at input offset off,
 * in type T with x, weights w and multiply-add FMA. */
#define WEIGHTED_REF(NAME, T, x, w, FMA)                                        \
  static T NAME(int32_t rank, const int32_t *o, int32_t d, int32_t off, T value) { \
    const int32_t first = t[g[3 * d + 2] + 2 * o[d]];                           \
    const int32_t count = t[g[3 * d + 2] + 2 * o[d] + 1];                       \
    int32_t j, stride = 1, e;                                                   \
    T acc = 0;                                                                  \
    if (count == 0)                                                             \
      return value;                                                             \
    for (e = d + 1; e < rank; ++e)                                              \
      stride *= g[3 * e];                                                       \
    for (j = first; j < first + count; ++j) {                                   \
      const T v = d == rank - 1 ? x[off + ix[j]]                                \
                                : NAME(rank, o, d + 1, off + ix[j] * stride, value); \
      acc = j == first ? w[j] * v : FMA(w[j], v, acc);                          \
    }                                                                           \
    return acc;                                                                 \
  }
WEIGHTED_REF(weighted_ref_f32, float, xf, wf, tp_fmaf)
WEIGHTED_REF(weighted_ref_f64, double, xd, wd, fma)

static void weighted(void) {
  static const int32_t shapes[][2][4] = {
      {{5}, {9}}, {{3, 4}, {7, 2}}, {{2, 3, 4}, {3, 5, 8}}, {{1, 2, 3, 4}, {2, 4, 6, 3}}};
  int32_t r, k, n, holes, d, o[8], outer, b, block;
  for (k = 0; k < MAX; ++k) {
    xf[k] = (float)(k % 37) * 0.375f - 5.0f;
    xd[k] = (double)xf[k] * 7;
  }
  xf[2] = -0.0f;
  for (outer = 1; outer <= 3; outer += 2)
    for (holes = 0; holes < 2; ++holes)
      for (r = 0; r < 4; ++r) {
        const int32_t rank = r + 1;
        n = weighted_setup(rank, shapes[r][0], shapes[r][1], holes);
        for (block = 1, d = 0; d < rank; ++d)
          block *= g[3 * d];
        yf[outer * n] = 1234.5f;
        yd[outer * n] = 1234.5;
        tp_resize_f32(xf, yf, outer, rank, g, t, ix, wf, 2.5f);
        tp_resize_f64(xd, yd, outer, rank, g, t, ix, wd, -2.5);
        for (b = 0; b < outer; ++b)
          for (k = 0; k < n; ++k) {
            int32_t rest = k;
            for (d = rank - 1; d >= 0; --d) {
              o[d] = rest % g[3 * d + 1];
              rest /= g[3 * d + 1];
            }
            TP_CHECK_F32(yf[b * n + k], weighted_ref_f32(rank, o, 0, b * block, 2.5f));
            TP_CHECK_F64(yd[b * n + k], weighted_ref_f64(rank, o, 0, b * block, -2.5));
          }
        TP_CHECK_F32(yf[outer * n], 1234.5f);
        TP_CHECK_F64(yd[outer * n], 1234.5);
      }
  /* By hand: ONNX's linear example, [[1, 2], [3, 4]] -> 4 x 4, half_pixel:
     output index 0 reads input 0 (clamped from -1) with 1/4 and input 0
     with 3/4; 1 reads 0 and 1 with 3/4 and 1/4; 2 with 1/4 and 3/4; 3 reads
     1 with 1/4 and 1 (clamped from 2) with 3/4. */
  {
    static const int32_t gh[] = {2, 4, 0, 2, 4, 8};
    static const int32_t th[] = {0, 2, 2, 2, 4, 2, 6, 2, 0, 2, 2, 2, 4, 2, 6, 2};
    static const int32_t ih[] = {0, 0, 0, 1, 0, 1, 1, 1};
    static const float wh[] = {0.25f, 0.75f, 0.75f, 0.25f, 0.25f, 0.75f, 0.25f, 0.75f};
    static const float x[] = {1, 2, 3, 4};
    static const float want[] = {1,    1.25f, 1.75f, 2,    1.5f, 1.75f, 2.25f, 2.5f,
                                 2.5f, 2.75f, 3.25f, 3.5f, 3,    3.25f, 3.75f, 4};
    float y[16];
    tp_resize_f32(x, y, 1, 2, gh, th, ih, wh, 0.0f);
    for (k = 0; k < 16; ++k)
      TP_CHECK_F32(y[k], want[k]);
  }
}

int main(void) {
  nearest_f32();
  nearest_types();
  weighted();
  return tp_finish("resize");
}
