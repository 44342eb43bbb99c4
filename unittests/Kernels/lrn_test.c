/* LRN (kernels/lrn.c): the power tp_lrn_pow_f32 on C99 powf's special
 * cases, and its error against double pow on a sample (every STEP-th float
 * of [2^-24, 2^24) with y of LRN's beta and others, every STEP-th float of
 * [1, 10^4] with beta 0.75, as LRN's divisors are); then the kernel
 * against a reference that clips each channel window itself, windows of 1
 * to 11 channels over 5 (both edges), NaN, infinities and zero divisors;
 * the f64 instance against libm's pow (out of the digest) and exactly
 * with beta 0.
 * KERNELS: tp_lrn_pow_f32 tp_lrn_f32 tp_lrn_f64
 * M4F-FLAGS: -DSTEP=8009 */
#include "kernels.h"
#include "tp_check.h"

#ifndef STEP
#define STEP 997
#endif

/* |got - want| in units of the last place of want rounded to float. */
static double ulp_error(float got, double want) {
  int e;
  double ulp;
  if (want == 0 || want > 0x1.fffffep+127)
    return got == (float)want ? 0 : 1e9;
  frexp(want, &e); /* |want| in [2^(e-1), 2^e) */
  ulp = ldexp(1.0, e - 1 < -126 ? -149 : e - 24);
  return fabs((double)got - want) / ulp;
}

static void check_special_cases(void) {
  const float inf = HUGE_VALF, nan = NAN;
  const float xs[6] = {nan, inf, -inf, 0.0f, -0.0f, -2.0f};
  int i;
  for (i = 0; i < 6; ++i) {
    TP_CHECK_F32(tp_lrn_pow_f32(xs[i], 0.0f), 1.0f);
    TP_CHECK_F32(tp_lrn_pow_f32(xs[i], -0.0f), 1.0f);
  }
  TP_CHECK_F32(tp_lrn_pow_f32(1.0f, nan), 1.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(1.0f, -inf), 1.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-3.0f, 1.0f), -3.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(0x1.fffffep+127f, 1.0f), 0x1.fffffep+127f);
  TP_CHECK(tp_lrn_pow_f32(nan, 2.0f) != tp_lrn_pow_f32(nan, 2.0f));
  TP_CHECK(tp_lrn_pow_f32(2.0f, nan) != tp_lrn_pow_f32(2.0f, nan));
  TP_CHECK(tp_lrn_pow_f32(-2.0f, 0.5f) != tp_lrn_pow_f32(-2.0f, 0.5f));
  /* Zeros: +0, or +inf for y < 0; the sign of -0 for odd integer y. */
  TP_CHECK_F32(tp_lrn_pow_f32(0.0f, 0.75f), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(0.0f, -0.75f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.0f, 3.0f), -0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.0f, -3.0f), -inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.0f, 2.0f), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.0f, -2.0f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.0f, 0.5f), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.0f, -inf), inf);
  /* Infinities. */
  TP_CHECK_F32(tp_lrn_pow_f32(inf, 0.75f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(inf, -0.75f), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-inf, 3.0f), -inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-inf, -3.0f), -0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-inf, 2.0f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-inf, 0.5f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-inf, -2.0f), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-1.0f, inf), 1.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-1.0f, -inf), 1.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(0.5f, inf), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.5f, -inf), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(2.0f, inf), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-2.0f, -inf), 0.0f);
  /* Negative x: integer y keeps the sign of odd powers; from 2^24 on
   * every float is even. */
  TP_CHECK_F32(tp_lrn_pow_f32(-2.0f, 3.0f), -tp_lrn_pow_f32(2.0f, 3.0f));
  TP_CHECK_F32(tp_lrn_pow_f32(-2.0f, -2.0f), tp_lrn_pow_f32(2.0f, -2.0f));
  TP_CHECK_F32(tp_lrn_pow_f32(-1.0f, 0x1p24f + 2), 1.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-1.0f, 0x1p24f - 1), -1.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(-3.0f, 0x1p25f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(-0.5f, 0x1p25f), 0.0f);
  /* Overflow and underflow. */
  TP_CHECK_F32(tp_lrn_pow_f32(10.0f, 50.0f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(10.0f, -50.0f), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(0x1p-149f, 2.0f), 0.0f);
  TP_CHECK_F32(tp_lrn_pow_f32(1e30f, 1e30f), inf);
  TP_CHECK_F32(tp_lrn_pow_f32(1e30f, -1e30f), 0.0f);
}

/* The largest error over x = every STEP-th float in [lo, hi) for each y;
 * the results go into the digest (the same bits on the host and the
 * Cortex-M4F), the errors against libm's pow do not. */
static double max_error(uint32_t lo, uint32_t hi, const float *ys, int ny) {
  double worst = 0;
  int j;
  uint32_t u;
  for (j = 0; j < ny; ++j)
    for (u = lo; u < hi; u += STEP) {
      const float x = tp_f32_from_bits(u), got = tp_lrn_pow_f32(x, ys[j]);
      const double want = pow((double)x, (double)ys[j]);
      tp_digest_f32(got);
      if (want < 0x1p-126 || want > 0x1.fffffep+127)
        continue; /* subnormal and overflowing results: checked apart */
      if (ulp_error(got, want) > worst)
        worst = ulp_error(got, want);
    }
  return worst;
}

static void check_accuracy(void) {
  static const float small[] = {0.75f, 0.5f, -0.75f, 1.5f, 0.1f, 2.0f, 3.0f, -2.5f, 0.33333334f},
                     large[] = {10.0f, -15.5f, 7.25f}, huge[] = {100.5f, -37.3f},
                     beta[] = {0.75f};
  const double e1 = max_error(0x33800000u, 0x4b800000u, small, 9);
  const double e2 = max_error(0x33800000u, 0x4b800000u, large, 3);
  const double e3 = max_error(0x33800000u, 0x4b800000u, huge, 2);
  const double e4 = max_error(0x3f800000u, 0x461c4001u, beta, 1);
  printf("tp_lrn_pow_f32: max error %.3f ulp for |y| < 4, %.3f for |y| < 16, %.3f up to 100, "
         "%.3f for LRN's divisors\n", e1, e2, e3, e4);
  TP_CHECK(e1 <= 1.38);
  TP_CHECK(e2 <= 1.46);
  TP_CHECK(e3 <= 2.63);
  TP_CHECK(e4 <= 1.36);
  /* Subnormal x and results. */
  TP_CHECK(ulp_error(tp_lrn_pow_f32(0x1p-140f, 0.5f), ldexp(1.0, -70)) <= 1.36);
  TP_CHECK(ulp_error(tp_lrn_pow_f32(0x1.8p-140f, 0.75f), pow(0x1.8p-140, 0.75)) <= 1.36);
  TP_CHECK(ulp_error(tp_lrn_pow_f32(2.0f, -140.0f), ldexp(1.0, -140)) <= 1);
  TP_CHECK(ulp_error(tp_lrn_pow_f32(0.5f, 130.5f), pow(0.5, 130.5)) <= 1);
  /* Just below the overflow threshold: exp(th) alone would overflow. */
  TP_CHECK(ulp_error(tp_lrn_pow_f32(0x1.bdb8e2p-52f, -2.5f), pow(0x1.bdb8e2p-52, -2.5)) <= 1.38);
  TP_CHECK(ulp_error(tp_lrn_pow_f32(0x1.fffffep+127f, 0.99999994f),
                     pow(0x1.fffffep+127, 0.99999994)) <= 1.38);
}

/* y = x / (bias + a * sum of squares over the clipped channel window) ^ beta,
 * the squares summed from the lowest channel. */
static void lrn_ref(const float *x, float *y, int32_t outer, int32_t C, int32_t inner, int32_t size,
                    float a, float beta, float bias) {
  int32_t o, c, i, k;
  for (o = 0; o < outer; ++o)
    for (c = 0; c < C; ++c)
      for (i = 0; i < inner; ++i) {
        const int32_t first = c - (size - 1) / 2, last = c + size / 2;
        float sum = 0;
        for (k = first; k <= last; ++k)
          if (k >= 0 && k < C) {
            const float v = x[(o * C + k) * inner + i], square = v * v;
            sum = sum + square;
          }
        y[(o * C + c) * inner + i] =
            x[(o * C + c) * inner + i] / tp_lrn_pow_f32(bias + a * sum, beta);
      }
}

static void check_lrn(void) {
  static float x[2 * 5 * 3], y[2 * 5 * 3], want[2 * 5 * 3];
  static double xd[2 * 5 * 3], yd[2 * 5 * 3];
  static const int32_t sizes[] = {1, 2, 3, 4, 5, 7, 11};
  int32_t s, i, k;
  for (i = 0; i < 30; ++i) {
    x[i] = (float)((i * 7) % 13 - 6) * 0.375f;
    xd[i] = x[i];
  }
  for (s = 0; s < 7; ++s) {
    const int32_t size = sizes[s], before = (size - 1) / 2, after = size / 2;
    const float a = 1e-4f / (float)size;
    tp_lrn_f32(x, y, 2, 5, 3, before, after, a, 0.75f, 1.0f);
    lrn_ref(x, want, 2, 5, 3, size, a, 0.75f, 1.0f);
    for (i = 0; i < 30; ++i)
      TP_CHECK_F32(y[i], want[i]);
    /* Large alpha and bias 2: divisors far from 1. */
    tp_lrn_f32(x, y, 2, 5, 3, before, after, 3.0f / (float)size, 0.5f, 2.0f);
    lrn_ref(x, want, 2, 5, 3, size, 3.0f / (float)size, 0.5f, 2.0f);
    for (i = 0; i < 30; ++i)
      TP_CHECK_F32(y[i], want[i]);
    /* f64: libm's pow, outside the digest. */
    tp_lrn_f64(xd, yd, 2, 5, 3, before, after, 2.0 / size, 0.75, 1.0);
    for (i = 0; i < 30; ++i) {
      const int32_t c = i / 3 % 5, o = i / 15, p = i % 3;
      double sum = 0;
      for (k = c - before < 0 ? 0 : c - before; k <= (c + after > 4 ? 4 : c + after); ++k)
        sum += xd[(o * 5 + k) * 3 + p] * xd[(o * 5 + k) * 3 + p];
      TP_CHECK(yd[i] == xd[i] / pow(1.0 + 2.0 / size * sum, 0.75));
    }
    /* beta 0: pow(b, 0) is exactly 1, y is x. */
    tp_lrn_f64(xd, yd, 2, 5, 3, before, after, 2.0 / size, 0.0, 1.0);
    for (i = 0; i < 30; ++i)
      TP_CHECK_F64(yd[i], xd[i]);
  }
  {
    /* Channel windows with NaN, inf and zeros; bias 0, so that an all-zero
     * window divides 0 by 0^0.75 = 0. One channel position, 4 channels. */
    const float z[4] = {0.0f, 0.0f, HUGE_VALF, NAN}, w[4] = {-0.0f, 0.0f, 1.0f, 2.0f};
    tp_lrn_f32(z, y, 1, 4, 1, 0, 1, 1.0f, 0.75f, 0.0f);
    TP_CHECK(y[0] != y[0]);        /* 0 / 0 */
    TP_CHECK_F32(y[1], 0.0f);      /* 0 / inf */
    TP_CHECK(y[2] != y[2]);        /* inf / inf */
    TP_CHECK(y[3] != y[3]);
    tp_lrn_f32(w, y, 1, 4, 1, 0, 1, 1.0f, 0.75f, 0.0f);
    TP_CHECK(y[0] != y[0]);        /* -0 / 0 */
    TP_CHECK_F32(y[1], 0.0f);      /* 0 / 1 */
    TP_CHECK_F32(y[2], 1.0f / tp_lrn_pow_f32(5.0f, 0.75f));
    TP_CHECK_F32(y[3], 2.0f / tp_lrn_pow_f32(4.0f, 0.75f));
    tp_lrn_f32(w, y, 1, 4, 1, 0, 1, 1.0f, 1.0f, 1.0f); /* beta 1: 1 + sum exactly */
    TP_CHECK_F32(y[2], 1.0f / 6.0f);
    TP_CHECK_F32(y[3], 2.0f / 5.0f);
  }
}

int main(void) {
  check_special_cases();
  check_accuracy();
  check_lrn();
  return tp_finish("lrn");
}
