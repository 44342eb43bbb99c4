/* lrn.c - LRN, local response normalization across channels.
 *
 * y[o,c,i] = x[o,c,i] / (bias + alpha / size * sum_k x[o,k,i]^2) ^ beta,
 * k over the channels [c - before, c + after] clipped to [0, channels),
 * with before = floor((size - 1) / 2) and after = ceil((size - 1) / 2).
 * The squares are summed in order from the lowest channel, each product
 * and sum rounded (no fma). The power is libm's pow for f64; for f32 it is
 * tp_lrn_pow_f32, written with tp_expf, so a model gives the same bits on
 * the host and the target.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_lrn_pow_f32 uses tp_expf tp_fmaf
 * x^y with C99 powf's special cases (zeros, infinities, NaN, negative x
 * with integer or other y; y = 1 gives x exactly), from exp(y log x):
 * log x = k ln2 + log m with m in [sqrt(1/2), sqrt(2)) as a pair of floats
 * hi + lo, log m = 2 atanh(s) = 2s + s R(s^2) with s = (m - 1) / (m + 1)
 * as a pair too and R's Taylor series to s^10 (log x to about 2^-29
 * relative, limited by R's roundings); y log x = th + tl with the product's
 * error through fma; x^y = exp(th) (1 + tl): tp_expf's 0.89 ulp and one
 * more rounding. Largest errors against double pow, normal results: 1.38
 * ulp for |y| < 4 (every 97th float x), 1.46 for |y| < 16, growing with
 * |y log x| beyond (2.63 ulp at |y| = 100); 1.36 ulp over every divisor
 * of LRN in [1, 10^4] with beta 0.75 (the lrn kernel test checks a
 * sample). exp(y * log(x)) in float would add about |y log x| ulp. */
TP_KERNEL float tp_lrn_pow_f32(float x, float y) {
  const float ln2hi = 0x1.62e4p-1f, ln2lo = 0x1.7f7d1cp-20f;
  float ax = fabsf(x), k = 0, m, f, d, dl, sh, sl, z, q, a, lo, h, th, tl, e, r;
  int32_t odd = 0;
  uint32_t ix;
  if (y == 0 || x == 1)
    return 1;
  if (y == 1)
    return x;
  if (x != x || y != y)
    return x + y;
  if (fabsf(y) == HUGE_VALF) /* pow(-1, +-inf) is 1 */
    return ax == 1 ? 1 : (ax < 1) == (y < 0) ? HUGE_VALF : 0;
  if (fabsf(y) < 0x1p24f) { /* from 2^24 on every float is an even integer */
    const int32_t n = (int32_t)y;
    if ((float)n == y)
      odd = n & 1;
    else if (x < 0 && ax != HUGE_VALF)
      return NAN;
  }
  if (ax == 0 || ax == HUGE_VALF) {
    r = (ax == 0) == (y < 0) ? HUGE_VALF : 0;
  } else {
    memcpy(&ix, &ax, 4);
    if (ix < 0x00800000u) { /* subnormal */
      ax *= 0x1p23f;
      memcpy(&ix, &ax, 4);
      k = -23;
    }
    ix += 0x3f800000u - 0x3f3504f3u;
    k += (float)((int32_t)(ix >> 23) - 127);
    ix = (ix & 0x007fffffu) + 0x3f3504f3u;
    memcpy(&m, &ix, 4);
    f = m - 1; /* exact */
    d = 2 + f;
    dl = f - (d - 2); /* d + dl = 2 + f exactly */
    sh = f / d;
    sl = (tp_fmaf(-sh, d, f) - sh * dl) / d; /* s = sh + sl */
    z = sh * sh;
    /* 2/3 z + 2/5 z^2 + 2/7 z^3 + 2/9 z^4 + 2/11 z^5 */
    q = 0x1.c71c72p-3f + z * 0x1.745d18p-3f;
    q = z * (0x1.555556p-1f + z * (0x1.99999ap-2f + z * (0x1.24924ap-2f + z * q)));
    a = k * ln2hi; /* exact: k has at most 8 bits, ln2hi 15 */
    lo = tp_fmaf(sh, q, 2 * sl) + k * ln2lo;
    h = a + 2 * sh; /* |a| >= |2 sh| unless k = 0: Fast2Sum */
    lo += 2 * sh - (h - a);
    a = h + lo; /* renormalised: |lo| <= ulp(h) / 2 */
    lo -= a - h;
    h = a;
    th = y * h;
    tl = tp_fmaf(y, h, -th) + y * lo;
    e = tp_expf(th);
    if (e == HUGE_VALF) { /* maybe finite: 2 exp((th - ln2hi) + (tl - ln2lo)) */
      th -= ln2hi; /* exact from 64 on */
      tl -= ln2lo;
      e = tp_expf(th);
      r = e == HUGE_VALF ? e : 2 * tp_fmaf(e, tl, e);
    } else {
      r = e == 0 ? e : tp_fmaf(e, tl, e);
    }
  }
  return odd && (x < 0 || 1 / x < 0) ? -r : r;
}

/* @kernel tp_lrn_f32 uses tp_lrn_pow_f32
 * @instance tp_lrn_f64: float=double tp_lrn_pow_f32=pow
 * outer * channels * inner elements; alpha_over_size is alpha / size
 * rounded once to the type. y never shares the input's bytes. */
TP_KERNEL void tp_lrn_f32(const float *x, float *y, int32_t outer, int32_t channels,
    int32_t inner, int32_t before, int32_t after, float alpha_over_size, float beta, float bias) {
  int32_t o, c, i, k;
  for (o = 0; o < outer; ++o)
    for (c = 0; c < channels; ++c) {
      int32_t lo = c - before < 0 ? 0 : c - before;
      int32_t hi = c + after > channels - 1 ? channels - 1 : c + after;
      const float *xo = x + (int64_t)o * channels * inner;
      float *yc = y + ((int64_t)o * channels + c) * inner;
      for (i = 0; i < inner; ++i) {
        float sum = 0;
        for (k = lo; k <= hi; ++k) {
          float v = xo[(int64_t)k * inner + i];
          sum += v * v;
        }
        yc[i] = xo[(int64_t)c * inner + i] / tp_lrn_pow_f32(bias + alpha_over_size * sum, beta);
      }
    }
}
