/* ArgMax and ArgMin (kernels/argmax.c): rows along the last axis and along
 * a middle one (inner > 1) against a reference on copies of each row, with
 * ties (first or last index), NaN (the first, or last, NaN wins), infinities,
 * f16 / bf16 patterns, and integer types at their extremes.
 * KERNELS: tp_argmax_f32 tp_argmin_f32 tp_argmax_f64 tp_argmax_f16
 *          tp_argmax_bf16 tp_argmin_f16 tp_argmax_i8 tp_argmax_i32
 *          tp_argmin_u8 tp_argmax_u64 */
#include "kernels.h"
#include "tp_check.h"

#define MAXN 64

/* The index a row of n floats gives: the first (last) largest or smallest,
 * a NaN counting as larger and smaller than anything. */
static int32_t ref(const float *row, int32_t n, int32_t isMin, int32_t last) {
  int32_t k, at = -1;
  for (k = 0; k < n; ++k)
    if (row[k] != row[k]) {
      at = k;
      if (!last)
        return at;
    }
  if (at >= 0)
    return at;
  at = 0;
  for (k = 1; k < n; ++k) {
    const int32_t better = isMin ? row[k] < row[at] : row[k] > row[at];
    if (better || (last && row[k] == row[at]))
      at = k;
  }
  return at;
}

static void check(const float *x, int32_t outer, int32_t n, int32_t inner) {
  static int64_t y[MAXN * 4];
  static float row[MAXN];
  int32_t o, i, k, isMin, last;
  for (isMin = 0; isMin < 2; ++isMin)
    for (last = 0; last < 2; ++last) {
      (isMin ? tp_argmin_f32 : tp_argmax_f32)(x, y, outer, n, inner, last);
      for (o = 0; o < outer; ++o)
        for (i = 0; i < inner; ++i) {
          for (k = 0; k < n; ++k)
            row[k] = x[o * n * inner + i + k * inner];
          TP_CHECK_INT(y[o * inner + i], ref(row, n, isMin, last));
        }
    }
}

static void check_types(void) {
  const double d[5] = {1, 3, -2, 3, 0};
  const uint16_t h[4] = {0x3c00u, 0xc000u, 0x4000u, 0x4000u}; /* f16 1, -2, 2, 2 */
  const uint16_t b[4] = {0x3f80u, 0xc000u, 0x4000u, 0x7fc0u}; /* bf16 1, -2, 2, NaN */
  const int8_t i8[5] = {-128, 127, 5, 127, -128};
  const int32_t i32[3] = {INT32_MIN, -1, INT32_MIN};
  const uint8_t u8[4] = {255, 0, 7, 0};
  const uint64_t u64[3] = {1, UINT64_MAX, (uint64_t)1 << 63};
  int64_t y[2];
  tp_argmax_f64(d, y, 1, 5, 1, 0);
  TP_CHECK_INT(y[0], 1);
  tp_argmax_f64(d, y, 1, 5, 1, 1);
  TP_CHECK_INT(y[0], 3);
  tp_argmax_f16(h, y, 1, 4, 1, 0);
  TP_CHECK_INT(y[0], 2);
  tp_argmin_f16(h, y, 1, 4, 1, 0);
  TP_CHECK_INT(y[0], 1);
  tp_argmax_bf16(b, y, 1, 4, 1, 0);
  TP_CHECK_INT(y[0], 3);
  tp_argmax_i8(i8, y, 1, 5, 1, 0);
  TP_CHECK_INT(y[0], 1);
  tp_argmax_i8(i8, y, 1, 5, 1, 1);
  TP_CHECK_INT(y[0], 3);
  tp_argmax_i32(i32, y, 1, 3, 1, 0);
  TP_CHECK_INT(y[0], 1);
  tp_argmin_u8(u8, y, 1, 4, 1, 0);
  TP_CHECK_INT(y[0], 1);
  tp_argmin_u8(u8, y, 1, 4, 1, 1);
  TP_CHECK_INT(y[0], 3);
  tp_argmax_u64(u64, y, 1, 3, 1, 0);
  TP_CHECK_INT(y[0], 1);
  /* Two columns (inner = 2) of a 2 x 2 i8 input: {-128, 127}, {5, 127}. */
  tp_argmax_i8(i8, y, 1, 2, 2, 0);
  TP_CHECK_INT(y[0], 1);
  TP_CHECK_INT(y[1], 0);
}

int main(void) {
  static float x[MAXN * 4];
  const float nan = NAN, inf = HUGE_VALF;
  int32_t i;
  uint32_t r = 2463534242u;
  for (i = 0; i < MAXN * 4; ++i) {
    r ^= r << 13;
    r ^= r >> 17;
    r ^= r << 5;
    x[i] = (float)(int32_t)(r % 9u) - 4; /* many ties */
  }
  check(x, 4, 16, 1);
  check(x, 2, 8, 3);
  check(x, 1, 1, 5);
  x[5] = nan;
  x[9] = nan;
  x[20] = inf;
  x[21] = -inf;
  check(x, 4, 16, 1);
  check(x, 2, 8, 3);
  check_types();
  return tp_finish("argmax");
}
