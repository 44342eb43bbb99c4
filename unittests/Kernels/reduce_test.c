/* The Reduce family (kernels/reduce.c) against a reference that walks the
 * whole index space of a rank-4 input: every set of axes of a 2x3x4x5
 * input and of inputs with dims of 1 (kept and reduced dims merged as the
 * compiler merges them); ReduceMean in every dtype, integer means
 * truncated toward zero, unsigned sums wrapping, NaN and infinities,
 * f16 / bf16 rounding, and empty reductions (nothing read: NaN or 0); the
 * other reductions in f32 (and LogSumExp's overflow-free form) and in
 * some integer types, wrapping as the reference does.
 * KERNELS: tp_reducemean_f32 tp_reducemean_f64 tp_reducemean_f16
 *          tp_reducemean_bf16 tp_reducemean_i8 tp_reducemean_i16
 *          tp_reducemean_i32 tp_reducemean_i64 tp_reducemean_u8
 *          tp_reducemean_u16 tp_reducemean_u32 tp_reducemean_u64
 *          tp_reducesum_f32 tp_reducesum_f64 tp_reducesum_f16 tp_reducesum_bf16
 *          tp_reducemax_f32 tp_reducemin_f32 tp_reduceprod_f32
 *          tp_reducel1_f32 tp_reducel2_f32 tp_reducelogsum_f32
 *          tp_reducesumsquare_f32 tp_reducelogsumexp_f32 tp_reducelogsumexp_f64
 *          tp_reducesum_i8 tp_reducesum_i32 tp_reducesum_u8 tp_reducemax_i8
 *          tp_reducemin_u16 tp_reducel1_i16 tp_reducesumsquare_i32
 *          tp_reduceprod_u32 */
#include "kernels.h"
#include "tp_check.h"

/* The kernel's arguments for a rank-4 shape and a mask of reduced axes,
 * as lib/CodeGen builds them: kept and reduced dims apart, in order, dims
 * of 1 dropped, a dim merged into the one before it of the same kind when
 * contiguous; a kind without dims gets (1, 0). */
struct red {
  int32_t od[8], os[8], rd[8], rs[8], outRank, redRank, count, outs;
};

static void plan(const int32_t *shape, int32_t mask, struct red *r) {
  int32_t strides[4], d, *dims[2], *steps[2], n[2] = {0, 0};
  dims[0] = r->od;
  dims[1] = r->rd;
  steps[0] = r->os;
  steps[1] = r->rs;
  strides[3] = 1;
  for (d = 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  r->count = 1;
  r->outs = 1;
  for (d = 0; d < 4; ++d) {
    const int k = (mask >> d) & 1;
    if (k)
      r->count *= shape[d];
    else
      r->outs *= shape[d];
    if (shape[d] == 1)
      continue;
    if (n[k] && steps[k][n[k] - 1] == strides[d] * shape[d]) {
      dims[k][n[k] - 1] *= shape[d];
      steps[k][n[k] - 1] = strides[d];
    } else {
      dims[k][n[k]] = shape[d];
      steps[k][n[k]] = strides[d];
      ++n[k];
    }
  }
  for (d = 0; d < 2; ++d)
    if (!n[d]) {
      dims[d][0] = 1;
      steps[d][0] = 0;
      n[d] = 1;
    }
  r->outRank = n[0];
  r->redRank = n[1];
}

/* The flat input index of each element in the order the mean takes it:
 * outputs in row-major order of the kept axes, and within each the reduced
 * elements in row-major order of the reduced axes. */
static int32_t order(const int32_t *shape, int32_t mask, int32_t *idx) {
  int32_t i[4], o[4], m = 0, d, k;
  for (o[0] = 0; o[0] < ((mask & 1) ? 1 : shape[0]); ++o[0])
    for (o[1] = 0; o[1] < ((mask & 2) ? 1 : shape[1]); ++o[1])
      for (o[2] = 0; o[2] < ((mask & 4) ? 1 : shape[2]); ++o[2])
        for (o[3] = 0; o[3] < ((mask & 8) ? 1 : shape[3]); ++o[3])
          for (i[0] = 0; i[0] < ((mask & 1) ? shape[0] : 1); ++i[0])
            for (i[1] = 0; i[1] < ((mask & 2) ? shape[1] : 1); ++i[1])
              for (i[2] = 0; i[2] < ((mask & 4) ? shape[2] : 1); ++i[2])
                for (i[3] = 0; i[3] < ((mask & 8) ? shape[3] : 1); ++i[3]) {
                  k = 0;
                  for (d = 0; d < 4; ++d)
                    k = k * shape[d] + ((mask >> d) & 1 ? i[d] : o[d]);
                  idx[m++] = k;
                }
  return m;
}

#define N 120
static float xf[N], yf[N];
static double xd[N], yd[N];
static uint16_t xh[N], yh[N];
static int8_t xi8[N], yi8[N];
static uint8_t xu8[N], yu8[N];
static int16_t xi16[N], yi16[N];
static uint16_t xu16[N], yu16[N];
static int32_t xi32[N], yi32[N];
static uint32_t xu32[N], yu32[N];
static int64_t xi64[N], yi64[N];
static uint64_t xu64[N], yu64[N];

static void fill(int32_t n) {
  int32_t i;
  uint32_t r = 88675123u;
  for (i = 0; i < n; ++i) {
    r ^= r << 13;
    r ^= r >> 17;
    r ^= r << 5;
    xf[i] = (float)(int32_t)(r % 2001u - 1000u) / 7.0f;
    xd[i] = (double)(int32_t)(r % 2001u - 1000u) / 7.0;
    xh[i] = (uint16_t)((r >> 3) & 0x7bffu); /* finite f16 and bf16 patterns */
    xi8[i] = (int8_t)r;
    xu8[i] = (uint8_t)(r >> 8);
    xi16[i] = (int16_t)(r >> 4);
    xu16[i] = (uint16_t)(r >> 12);
    xi32[i] = (int32_t)r;
    xu32[i] = r * 2654435761u;
    xi64[i] = (int64_t)(int32_t)r * 1000003;
    xu64[i] = (uint64_t)r << 28;
  }
}

/* The other reductions, each in the order of idx, for f32 and some
 * integer types. */
static void check_others(const int32_t *shape, int32_t mask, const struct red *r,
                         const int32_t *idx) {
  static float ys[9][N];
  static double yd2[N], yd3[N];
  static uint16_t yh2[2][N];
  static int8_t y8[2][N];
  static int32_t y32[2][N];
  static uint8_t yu8[N];
  static uint16_t yu16[N];
  static int16_t y16[N];
  static uint32_t yu32[N];
  int32_t o, k;
  (void)shape;
  (void)mask;
#define ARGS r->outRank, r->od, r->os, r->redRank, r->rd, r->rs, r->count
  tp_reducesum_f32(xf, ys[0], ARGS, 0);
  tp_reducemax_f32(xf, ys[1], ARGS, -HUGE_VALF);
  tp_reducemin_f32(xf, ys[2], ARGS, HUGE_VALF);
  tp_reduceprod_f32(xf, ys[3], ARGS, 1);
  tp_reducel1_f32(xf, ys[4], ARGS, 0);
  tp_reducel2_f32(xf, ys[5], ARGS, 0);
  tp_reducelogsum_f32(xf, ys[6], ARGS, 0);
  tp_reducesumsquare_f32(xf, ys[7], ARGS, 0);
  tp_reducelogsumexp_f32(xf, ys[8], ARGS);
  tp_reducelogsumexp_f64(xd, yd2, ARGS);
  tp_reducesum_f64(xd, yd3, ARGS, 0);
  tp_reducesum_f16(xh, yh2[0], ARGS, 0);
  tp_reducesum_bf16(xh, yh2[1], ARGS, 0);
  tp_reducesum_i8(xi8, y8[0], ARGS, 0);
  tp_reducemax_i8(xi8, y8[1], ARGS, INT8_MIN);
  tp_reducesum_i32(xi32, y32[0], ARGS, 0);
  tp_reducesumsquare_i32(xi32, y32[1], ARGS, 0);
  tp_reducesum_u8(xu8, yu8, ARGS, 0);
  tp_reducemin_u16(xu16, yu16, ARGS, UINT16_MAX);
  tp_reducel1_i16(xi16, y16, ARGS, 0);
  tp_reduceprod_u32(xu32, yu32, ARGS, 1);
#undef ARGS
  for (o = 0; o < r->outs; ++o) {
    const int32_t *e = idx + o * r->count;
    float s = 0, mx = -HUGE_VALF, mn = HUGE_VALF, p = 1, l1 = 0, sq = 0, h = 0, b = 0, se = 0;
    double md = -HUGE_VAL, sed = 0, sd = 0;
    int64_t s8 = 0, m8 = INT8_MIN, l16 = 0;
    uint32_t s32 = 0, q32 = 0, pu32 = 1;
    uint64_t su8 = 0, mu16 = UINT16_MAX;
    for (k = 0; k < r->count; ++k) {
      const float v = xf[e[k]];
      s += v;
      if (v > mx)
        mx = v;
      if (v < mn)
        mn = v;
      p *= v;
      l1 += fabsf(v);
      sq = tp_fmaf(v, v, sq);
      h += tp_f16_to_f32(xh[e[k]]);
      b += tp_bf16_to_f32(xh[e[k]]);
      sd += xd[e[k]];
      if (xd[e[k]] > md)
        md = xd[e[k]];
      s8 += xi8[e[k]];
      if (xi8[e[k]] > m8)
        m8 = xi8[e[k]];
      s32 += (uint32_t)xi32[e[k]];
      q32 += (uint32_t)xi32[e[k]] * (uint32_t)xi32[e[k]];
      su8 += xu8[e[k]];
      if (xu16[e[k]] < mu16)
        mu16 = xu16[e[k]];
      l16 += xi16[e[k]] < 0 ? -xi16[e[k]] : xi16[e[k]];
      pu32 *= xu32[e[k]];
    }
    for (k = 0; k < r->count; ++k) {
      se += tp_expf(xf[e[k]] - mx);
      sed += exp(xd[e[k]] - md);
    }
    TP_CHECK_F32(ys[0][o], s);
    TP_CHECK_F32(ys[1][o], mx);
    TP_CHECK_F32(ys[2][o], mn);
    TP_CHECK_F32(ys[3][o], p);
    TP_CHECK_F32(ys[4][o], l1);
    TP_CHECK_F32(ys[5][o], sqrtf(sq));
    TP_CHECK_F32(ys[6][o], tp_logf(s));
    TP_CHECK_F32(ys[7][o], sq);
    TP_CHECK_F32(ys[8][o], mx + tp_logf(se));
    TP_CHECK(yd2[o] == md + log(sed)); /* libm's: kept out of the digest */
    TP_CHECK_F64(yd3[o], sd);
    TP_CHECK_INT(yh2[0][o], tp_f32_to_f16(h));
    TP_CHECK_INT(yh2[1][o], tp_f32_to_bf16(b));
    TP_CHECK_INT(y8[0][o], (int8_t)s8);
    TP_CHECK_INT(y8[1][o], m8);
    TP_CHECK_INT(y32[0][o], (int32_t)s32);
    TP_CHECK_INT(y32[1][o], (int32_t)q32);
    TP_CHECK_INT(yu8[o], (uint8_t)su8);
    TP_CHECK_INT(yu16[o], mu16);
    TP_CHECK_INT(y16[o], (int16_t)l16);
    TP_CHECK_INT(yu32[o], pu32);
  }
}

/* Every dtype through the kernel and the reference. */
static void check(const int32_t *shape, int32_t mask) {
  static int32_t idx[N];
  struct red r;
  int32_t o, k, m;
  plan(shape, mask, &r);
  m = order(shape, mask, idx);
  TP_CHECK(m == r.outs * r.count);
  fill(r.outs * r.count);
#define ARGS r.outRank, r.od, r.os, r.redRank, r.rd, r.rs, r.count, 0
  tp_reducemean_f32(xf, yf, ARGS);
  tp_reducemean_f64(xd, yd, ARGS);
  tp_reducemean_f16(xh, yh, ARGS);
  tp_reducemean_i8(xi8, yi8, ARGS);
  tp_reducemean_u8(xu8, yu8, ARGS);
  tp_reducemean_i16(xi16, yi16, ARGS);
  tp_reducemean_u16(xu16, yu16, ARGS);
  tp_reducemean_i32(xi32, yi32, ARGS);
  tp_reducemean_u32(xu32, yu32, ARGS);
  tp_reducemean_i64(xi64, yi64, ARGS);
  tp_reducemean_u64(xu64, yu64, ARGS);
  for (o = 0; o < r.outs; ++o) {
    const int32_t *e = idx + o * r.count;
    float sf = 0, sh = 0;
    double sd = 0;
    int64_t si = 0, s16 = 0, s32 = 0, s64 = 0;
    uint64_t su = 0, su16 = 0, su32 = 0, su64 = 0;
    for (k = 0; k < r.count; ++k) {
      sf += xf[e[k]];
      sd += xd[e[k]];
      sh += tp_f16_to_f32(xh[e[k]]);
      si += xi8[e[k]];
      su += xu8[e[k]];
      s16 += xi16[e[k]];
      su16 += xu16[e[k]];
      s32 += xi32[e[k]];
      su32 += xu32[e[k]];
      s64 += xi64[e[k]];
      su64 += xu64[e[k]];
    }
    TP_CHECK_F32(yf[o], sf / (float)r.count);
    TP_CHECK_F64(yd[o], sd / r.count);
    TP_CHECK_INT(yh[o], tp_f32_to_f16(sh / (float)r.count));
    TP_CHECK_INT(yi8[o], si / r.count);
    TP_CHECK_INT(yu8[o], su / (uint64_t)r.count);
    TP_CHECK_INT(yi16[o], s16 / r.count);
    TP_CHECK_INT(yu16[o], su16 / (uint64_t)r.count);
    TP_CHECK_INT(yi32[o], s32 / r.count);
    TP_CHECK_INT(yu32[o], su32 / (uint64_t)r.count);
    TP_CHECK_INT(yi64[o], s64 / r.count);
    TP_CHECK_INT(yu64[o], su64 / (uint64_t)r.count);
  }
  /* bf16 on the same patterns. */
  tp_reducemean_bf16(xh, yh, ARGS);
  for (o = 0; o < r.outs; ++o) {
    float s = 0;
    for (k = 0; k < r.count; ++k)
      s += tp_bf16_to_f32(xh[idx[o * r.count + k]]);
    TP_CHECK_INT(yh[o], tp_f32_to_bf16(s / (float)r.count));
  }
#undef ARGS
  check_others(shape, mask, &r, idx);
}

/* Cases whose means are worked out by hand. */
static void check_by_hand(void) {
  /* One row of 4 or 3 elements: od = {1}, os = {0}, rd = {n}, rs = {1}. */
  static const int32_t one[1] = {1}, zero[1] = {0}, two[1] = {2}, three[1] = {3}, four[1] = {4},
                       unit[1] = {1};
  const int8_t i8[4] = {-3, -4, 0, 0}, i8b[4] = {3, 4, 0, 0};
  const uint8_t u8[3] = {255, 255, 254};
  const int32_t i32[3] = {2147483647, 2147483647, 2147483646};
  const int16_t i16[3] = {-32768, -32768, -32767};
  const uint64_t u64[4] = {(uint64_t)1 << 63, (uint64_t)1 << 63, 4, 8};
  const int64_t i64[4] = {-7, 0, 0, 0};
  const uint16_t f16[4] = {0x3c00u, 0x4000u, 0x3c00u, 0x4000u}, b16[4] = {0x3f80u, 0x4040u,
                                                                          0x3f80u, 0x4040u};
  const float f[4] = {1, HUGE_VALF, -HUGE_VALF, 2}, g[3] = {1e30f, 1e30f, -1e30f};
  const double d[3] = {0.1, 0.2, 0.3};
  int8_t y8[1];
  uint8_t yu[1];
  int32_t y32[1];
  int16_t y16[1];
  uint64_t yu64[1];
  int64_t y64[1];
  uint16_t yh[1];
  float y[1];
  double yd1[1];
  tp_reducemean_i8(i8, y8, 1, one, zero, 1, four, unit, 4, 0);
  TP_CHECK_INT(y8[0], -1); /* -7 / 4 = -1.75 truncates to -1, not -2 */
  tp_reducemean_i8(i8, y8, 1, one, zero, 1, two, unit, 2, 0);
  TP_CHECK_INT(y8[0], -3); /* -7 / 2 = -3.5 truncates to -3 */
  tp_reducemean_i8(i8b, y8, 1, one, zero, 1, two, unit, 2, 0);
  TP_CHECK_INT(y8[0], 3);
  tp_reducemean_u8(u8, yu, 1, one, zero, 1, three, unit, 3, 0);
  TP_CHECK_INT(yu[0], 254); /* 764 / 3 in 64 bits: no u8 wrap */
  tp_reducemean_i32(i32, y32, 1, one, zero, 1, three, unit, 3, 0);
  TP_CHECK_INT(y32[0], 2147483646); /* the sum does not overflow */
  tp_reducemean_i16(i16, y16, 1, one, zero, 1, three, unit, 3, 0);
  TP_CHECK_INT(y16[0], -32767); /* -98303 / 3 = -32767.67 */
  tp_reducemean_u64(u64, yu64, 1, one, zero, 1, two, unit, 2, 0);
  TP_CHECK_INT(yu64[0], 0); /* 2^63 + 2^63 wraps to 0 in uint64_t */
  tp_reducemean_u64(u64 + 1, yu64, 1, one, zero, 1, three, unit, 3, 0);
  TP_CHECK_INT(yu64[0], (((uint64_t)1 << 63) + 12) / 3);
  tp_reducemean_i64(i64, y64, 1, one, zero, 1, four, unit, 4, 0);
  TP_CHECK_INT(y64[0], -1);
  tp_reducemean_f16(f16, yh, 1, one, zero, 1, four, unit, 4, 0);
  TP_CHECK_INT(yh[0], 0x3e00u); /* 1.5 */
  tp_reducemean_bf16(b16, yh, 1, one, zero, 1, four, unit, 4, 0);
  TP_CHECK_INT(yh[0], 0x4000u); /* 2 */
  tp_reducemean_f32(f, y, 1, one, zero, 1, four, unit, 4, 0);
  TP_CHECK(y[0] != y[0]); /* inf + -inf */
  tp_reducemean_f32(f, y, 1, one, zero, 1, two, unit, 2, 0);
  TP_CHECK_F32(y[0], HUGE_VALF);
  tp_reducemean_f32(g, y, 1, one, zero, 1, three, unit, 3, 0);
  TP_CHECK_F32(y[0], 1e30f / 3); /* in order: (1e30 + 1e30) - 1e30 */
  tp_reducemean_f64(d, yd1, 1, one, zero, 1, three, unit, 3, 0);
  TP_CHECK_F64(yd1[0], (0.1 + 0.2 + 0.3) / 3);
}

/* Max and min keep a NaN wherever it is; LogSumExp of large values does
 * not overflow and of infinities is the infinity; LogSum of 0 is -inf. */
static void check_nan_and_overflow(void) {
  static const int32_t one[1] = {1}, zero[1] = {0}, three[1] = {3}, unit[1] = {1};
  const float a[3] = {1, NAN, 2}, b[3] = {NAN, 1, 2}, big[3] = {100, 100, 100},
              inf[3] = {1, HUGE_VALF, 2}, zeros[3] = {0, 0, 0};
  float y[1];
  tp_reducemax_f32(a, y, 1, one, zero, 1, three, unit, 3, -HUGE_VALF);
  TP_CHECK(y[0] != y[0]);
  tp_reducemax_f32(b, y, 1, one, zero, 1, three, unit, 3, -HUGE_VALF);
  TP_CHECK(y[0] != y[0]);
  tp_reducemin_f32(a, y, 1, one, zero, 1, three, unit, 3, HUGE_VALF);
  TP_CHECK(y[0] != y[0]);
  tp_reducelogsumexp_f32(big, y, 1, one, zero, 1, three, unit, 3);
  TP_CHECK_F32(y[0], 100 + tp_logf(3));
  tp_reducelogsumexp_f32(inf, y, 1, one, zero, 1, three, unit, 3);
  TP_CHECK_F32(y[0], HUGE_VALF);
  tp_reducelogsum_f32(zeros, y, 1, one, zero, 1, three, unit, 3, 0);
  TP_CHECK_F32(y[0], -HUGE_VALF);
}

/* A reduced dim of 0: the input is empty and the mean of nothing is
 * 0 / 0 for floats, 0 for integers. x points past a one-element array, so
 * that a read would be caught by AddressSanitizer. */
static void check_empty(void) {
  static const float none[1] = {0};
  static const int8_t none8[1] = {0};
  static const uint16_t noneh[1] = {0};
  static const int32_t od[1] = {3}, os[1] = {4}, rd[2] = {0, 4}, rs[2] = {12, 1};
  float y[3], ymax[3], ylse[3];
  int8_t y8[3];
  uint16_t yh[3];
  int32_t i;
  tp_reducemean_f32(none + 1, y, 1, od, os, 2, rd, rs, 0, 0);
  tp_reducemean_i8(none8 + 1, y8, 1, od, os, 2, rd, rs, 0, 0);
  tp_reducemean_f16(noneh + 1, yh, 1, od, os, 2, rd, rs, 0, 0);
  tp_reducemax_f32(none + 1, ymax, 1, od, os, 2, rd, rs, 0, -HUGE_VALF);
  tp_reducelogsumexp_f32(none + 1, ylse, 1, od, os, 2, rd, rs, 0);
  for (i = 0; i < 3; ++i) {
    TP_CHECK(y[i] != y[i]);
    TP_CHECK_INT(y8[i], 0);
    TP_CHECK((yh[i] & 0x7c00u) == 0x7c00u && (yh[i] & 0x3ffu) != 0);
    TP_CHECK_F32(ymax[i], -HUGE_VALF);
    TP_CHECK_F32(ylse[i], -HUGE_VALF);
  }
}

int main(void) {
  static const int32_t shapes[][4] = {{2, 3, 4, 5}, {1, 3, 1, 5}, {2, 1, 4, 1}, {3, 1, 1, 2},
                                      {1, 1, 1, 7}, {4, 5, 1, 3}};
  size_t s;
  int32_t mask;
  for (s = 0; s < sizeof shapes / sizeof shapes[0]; ++s)
    for (mask = 1; mask < 16; ++mask)
      check(shapes[s], mask);
  check_by_hand();
  check_nan_and_overflow();
  check_empty();
  return tp_finish("reduce");
}
