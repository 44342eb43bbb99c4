/* Softmax and LogSoftmax (kernels/softmax.c): rows along the last axis and
 * along a middle one (inner > 1), against a reference on copies of each
 * row; rows of equal values, with -inf, with +inf, with NaN first and
 * later, with large values; the f64 instances against libm's exp and log
 * (kept out of the digest, as libm rounds differently in glibc and newlib)
 * and on exactly known results.
 * KERNELS: tp_softmax_f32 tp_logsoftmax_f32 tp_softmax_f64 tp_logsoftmax_f64 */
#include "kernels.h"
#include "tp_check.h"

#define MAXN 64

/* One row of n elements copied out: NaN anywhere makes every output NaN;
 * otherwise the largest element, the sum of exp(x - max) in order, and
 * each output. */
static void softmax_ref(const float *row, int32_t n, float *y, float *ly) {
  float max = -HUGE_VALF, sum = 0;
  int32_t k, nan = 0;
  for (k = 0; k < n; ++k) {
    nan |= row[k] != row[k];
    max = row[k] > max ? row[k] : max;
  }
  for (k = 0; k < n; ++k)
    sum += tp_expf(row[k] - max);
  for (k = 0; k < n; ++k) {
    y[k] = nan ? NAN : tp_expf(row[k] - max) / sum;
    ly[k] = nan ? NAN : row[k] - max - tp_logf(sum);
  }
}

static void check(const float *x, int32_t outer, int32_t n, int32_t inner) {
  static float y[MAXN * 4], ly[MAXN * 4], row[MAXN], ry[MAXN], rly[MAXN];
  int32_t o, i, k;
  tp_softmax_f32(x, y, outer, n, inner);
  tp_logsoftmax_f32(x, ly, outer, n, inner);
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const int32_t base = o * n * inner + i;
      for (k = 0; k < n; ++k)
        row[k] = x[base + k * inner];
      softmax_ref(row, n, ry, rly);
      for (k = 0; k < n; ++k) {
        const float got = y[base + k * inner], lgot = ly[base + k * inner];
        if (ry[k] != ry[k]) {
          TP_CHECK(got != got);
          TP_CHECK(lgot != lgot);
          tp_digest_f32(got);
        } else {
          TP_CHECK_F32(got, ry[k]);
          TP_CHECK_F32(lgot, rly[k]);
        }
      }
    }
}

static void check_f64(void) {
  const double x[6] = {1, 2, 3, -1, 0.5, -2};
  const double eq[4] = {7, 7, 7, 7}, inf[2] = {0, -HUGE_VAL};
  double y[6], ly[6], max, sum;
  int32_t o, k;
  /* Two rows of 3: libm's exp and log, the same operations in order. */
  tp_softmax_f64(x, y, 2, 3, 1);
  tp_logsoftmax_f64(x, ly, 2, 3, 1);
  for (o = 0; o < 2; ++o) {
    max = x[3 * o] > x[3 * o + 1] ? x[3 * o] : x[3 * o + 1];
    max = x[3 * o + 2] > max ? x[3 * o + 2] : max;
    sum = 0;
    for (k = 0; k < 3; ++k)
      sum += exp(x[3 * o + k] - max);
    for (k = 0; k < 3; ++k) {
      TP_CHECK(y[3 * o + k] == exp(x[3 * o + k] - max) / sum);
      TP_CHECK(ly[3 * o + k] == x[3 * o + k] - max - log(sum));
    }
  }
  /* exp(0) = 1 and exp(-inf) = 0 in every libm. */
  tp_softmax_f64(eq, y, 1, 4, 1);
  for (k = 0; k < 4; ++k)
    TP_CHECK_F64(y[k], 0.25);
  tp_softmax_f64(inf, y, 1, 2, 1);
  TP_CHECK_F64(y[0], 1.0);
  TP_CHECK_F64(y[1], 0.0);
  tp_logsoftmax_f64(inf, ly, 1, 2, 1);
  TP_CHECK(ly[0] == -log(1.0));
  TP_CHECK(ly[1] == -HUGE_VAL);
}

int main(void) {
  static float x[MAXN * 4];
  const float nan = NAN, inf = HUGE_VALF;
  const float equal[4] = {3, 3, 3, 3};
  const float minus_inf[3] = {0, -inf, 1};
  const float all_minus_inf[2] = {-inf, -inf};
  const float plus_inf[3] = {1, inf, 2};
  const float nan_first[3] = {nan, 1, 2}, nan_later[3] = {1, nan, 2};
  const float large[3] = {1000, 1000, 999}, huge[2] = {1e30f, -1e30f};
  float y[4];
  int32_t i;
  uint32_t r = 1u;
  for (i = 0; i < MAXN * 4; ++i) {
    r = r * 1664525u + 1013904223u;
    x[i] = (float)(int32_t)(r >> 20) / 97.0f - 20.0f;
  }
  /* Last axis, a middle axis (inner 3 and 4), one element, long rows. */
  check(x, 4, 8, 1);
  check(x, 2, 5, 3);
  check(x, 3, 4, 4);
  check(x, 5, 1, 2);
  check(x, 1, MAXN, 1);
  check(x, 4, MAXN, 1);
  check(equal, 1, 4, 1);
  check(minus_inf, 1, 3, 1);
  check(all_minus_inf, 1, 2, 1);
  check(plus_inf, 1, 3, 1);
  check(nan_first, 1, 3, 1);
  check(nan_later, 1, 3, 1);
  check(large, 1, 3, 1);
  check(huge, 1, 2, 1);
  check(huge, 1, 1, 2);
  /* By hand: equal values share 1 evenly; exp(-inf - max) is 0. */
  tp_softmax_f32(equal, y, 1, 4, 1);
  TP_CHECK_F32(y[0], 0.25f);
  TP_CHECK_F32(y[3], 0.25f);
  tp_logsoftmax_f32(equal, y, 1, 4, 1);
  TP_CHECK_F32(y[1], -tp_logf(4));
  tp_softmax_f32(minus_inf, y, 1, 3, 1);
  TP_CHECK_F32(y[1], 0.0f);
  tp_logsoftmax_f32(minus_inf, y, 1, 3, 1);
  TP_CHECK_F32(y[1], -inf);
  tp_softmax_f32(all_minus_inf, y, 1, 2, 1);
  TP_CHECK(y[0] != y[0]); /* -inf - -inf */
  tp_softmax_f32(plus_inf, y, 1, 3, 1);
  TP_CHECK(y[1] != y[1]); /* inf - inf */
  tp_softmax_f32(large, y, 1, 3, 1);
  TP_CHECK_F32(y[0], y[1]);
  tp_softmax_f32(huge, y, 1, 2, 1);
  TP_CHECK_F32(y[0], 1.0f);
  TP_CHECK_F32(y[1], 0.0f);
  tp_softmax_f32(huge, y, 1, 1, 2); /* rows of one element: exp(0) / 1 */
  TP_CHECK_F32(y[0], 1.0f);
  TP_CHECK_F32(y[1], 1.0f);
  check_f64();
  return tp_finish("softmax");
}
