/* cmath.c - Elementary functions for the f32 kernels.
 *
 * IEEE 754 leaves the rounding of exp, log, tanh... to the C library, and
 * glibc and newlib round differently: a model calling libm's expf would give
 * other bits on a Cortex-M than on the host. The f32 kernels therefore call
 * these, written with + - * /, fmaf, fabsf, comparisons and bit patterns
 * (memcpy) only, all exactly rounded everywhere. f64 kernels call libm.
 *
 * Largest errors over all 2^32 floats, against glibc's double functions:
 * expf 0.89 ulp, logf 0.84, tanhf 1.08, sigmoidf 1.48, erff 1.23 on every
 * 257th float (the cmath kernel test
 * checks a sample; test/Inputs/codegen/cmath_check.c with step 1 all of
 * them). The polynomial coefficients are minimax fits of relative error,
 * rounded to float (scripts/cmath_coefficients.py). Every function is short
 * code with few branches: a Cortex-M4F runs about half the instructions of
 * newlib's (bench/cmath.py: expf 37 against 71).
 */
#include "tinyplan_kernels.h"

/* @kernel tp_fmaf
 * x * y + z rounded once, as C99's fmaf. Where fmaf is one instruction
 * (FP_FAST_FMAF, or an Arm core whose FPU fuses single-precision multiply-
 * adds, __ARM_FEATURE_FMA: Cortex-M4F, M7, M33) it is that. Elsewhere the C
 * library's may round twice (newlib computes it as (float)((double)x * y +
 * z)), so here: the product is exact in double and the sum rounds once to
 * double; converting that to float is then right unless the double landed
 * exactly halfway between two floats while the exact sum was not there, in
 * which case the sum's rounding error (Knuth's TwoSum) says which of the two
 * floats is nearer. Integer and double operations only. */
TP_KERNEL inline float tp_fmaf(float x, float y, float z) {
#if defined(FP_FAST_FMAF) || \
    (defined(__ARM_FEATURE_FMA) && defined(__ARM_FP) && (__ARM_FP & 4))
  return fmaf(x, y, z);
#else
  const double xy = (double)x * (double)y, zd = (double)z, s = xy + zd;
  const float f = (float)s;
  double d = (double)f, err, bb;
  uint32_t fb;
  float g;
  if (s != s) /* NaN: the C library's, whose sign and payload are its own */
    return fmaf(x, y, z);
  if (d == s || f - f != 0) /* exact, or infinite */
    return f;
  /* g: the float on the other side of s from f. */
  memcpy(&fb, &f, 4);
  if ((s > d) == (f > 0 || (f == 0 && s > 0)))
    fb = f == 0 ? (s > 0 ? 1u : 0x80000001u) : fb + 1;
  else
    fb = fb - 1;
  memcpy(&g, &fb, 4);
  if (s != (d + (double)g) * 0.5) /* not a midpoint: f is the nearest */
    return f;
  bb = s - xy;
  err = (xy - (s - bb)) + (zd - bb); /* exact sum - s */
  if (err == 0)
    return f; /* a true tie: the conversion rounded to even */
  return (err > 0) == (g > f) ? g : f;
#endif
}

/* @kernel tp_expf uses tp_fmaf
 * exp(x) = 2^k exp(r) with k = round(x / ln2) and r = x - k ln2 in
 * [-ln2/2, ln2/2]; k * ln2's high part (15 bits) is exact, so r has one
 * rounding. exp(r) is a degree-6 polynomial (relative error 2^-28). Adding
 * 1.5 * 2^23 rounds x / ln2 to an integer k, which then sits in the low bits
 * of t: shifted into the exponent field it makes 2^k. Results near the
 * overflow threshold or subnormal take 2^k in two steps, so the last
 * multiplication rounds once. */
TP_KERNEL inline float tp_expf(float x) {
  const float t = tp_fmaf(x, 0x1.715476p+0f, 0x1.8p+23f), k = t - 0x1.8p+23f;
  const float r = tp_fmaf(k, -0x1.7f7d1cp-20f, tp_fmaf(k, -0x1.62e4p-1f, x));
  float p = tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(0x1.6a2434p-10f, r, 0x1.1239e2p-7f), r, 0x1.5558f2p-5f), r,
                           0x1.555492p-3f), r, 0x1.fffffcp-2f), r, 1.0f), s;
  uint32_t bits, ax;
  p = tp_fmaf(p, r, 1.0f);
  memcpy(&bits, &t, 4);
  memcpy(&ax, &x, 4);
  if ((ax & 0x7fffffffu) >= 0x42aeac50u) { /* |x| >= 87.34: 2^k is not a normal float */
    if (x != x)
      return x + x;
    if (x > 0x1.62e42ep+6f)
      return HUGE_VALF;
    if (x < -0x1.9fe368p+6f)
      return 0.0f;
    p *= x > 0.0f ? 0x1p+64f : 0x1p-64f;
    bits += x > 0.0f ? 0xffffffc0u : 64u;
  }
  bits = ((bits & 0x1ffu) << 23) + 0x3f800000u; /* the low 9 bits: k, mod 2^9 */
  memcpy(&s, &bits, 4);
  return p * s;
}

/* @kernel tp_logf uses tp_fmaf
 * log(x) = k ln2 + log(m) with m in [sqrt(1/2), sqrt(2)); f = m - 1 is
 * exact, and log(1 + f) = 2 atanh(s) with s = f / (2 + f): f - (f^2/2 -
 * s (f^2/2 + R(s^2))), R a degree-3 polynomial in s^2 times s^2 (error
 * 2^-30), f added last so that the correction terms stay small. */
TP_KERNEL float tp_logf(float x) {
  float k = 0.0f, m, f, s, z, h, q;
  uint32_t ix;
  memcpy(&ix, &x, 4);
  if (ix - 0x00800000u >= 0x7f000000u) { /* not a positive normal number */
    if (x != x || x == HUGE_VALF)
      return x + x;
    if (x == 0.0f)
      return -HUGE_VALF;
    if (x < 0.0f)
      return NAN;
    x *= 0x1p+23f;
    memcpy(&ix, &x, 4);
    k = -23.0f;
  }
  ix += 0x3f800000u - 0x3f3504f3u;
  k += (float)((int32_t)(ix >> 23) - 127);
  ix = (ix & 0x007fffffu) + 0x3f3504f3u;
  memcpy(&m, &ix, 4);
  f = m - 1.0f;
  s = f / (2.0f + f);
  z = s * s;
  h = 0.5f * f * f;
  q = z * tp_fmaf(tp_fmaf(0x1.31e138p-2f, z, 0x1.995eccp-2f), z, 0x1.55557ap-1f);
  return tp_fmaf(k, 0x1.62e4p-1f, f - (h - tp_fmaf(s, h + q, k * 0x1.7f7d1cp-20f)));
}

/* @kernel tp_tanhf uses tp_expf tp_fmaf
 * tanh(x) = x + x (x^2 P(x^2) + 0) below atanh(1/2) (P of degree 4, error
 * 2^-27: no cancellation near 0; the + 0 makes the product +0 at x = 0, so
 * that tanh(-0) is -0), 1 - 2 / (exp(2|x|) + 1) above (with the roundings
 * of the sum and the division corrected through fma), and +-1 from 9.5 on,
 * where exp(2|x|) would only grow towards overflow. */
TP_KERNEL float tp_tanhf(float x) {
  const float a = fabsf(x);
  float z, e, d, dl, q, r;
  if (!(a >= 0x1.193ea8p-1f)) {
    z = x * x;
    return tp_fmaf(x, tp_fmaf(z, tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(-0x1.9b8492p-8f, z, 0x1.594b06p-6f), z,
                                          -0x1.b92a1p-5f), z, 0x1.110d3p-3f), z, -0x1.55554ap-2f),
                        0.0f), x);
  }
  if (a > 9.5f) {
    r = 1.0f;
  } else {
    e = tp_expf(a + a);
    d = e + 1.0f;
    dl = 1.0f - (d - e);
    q = 2.0f / d;
    q = tp_fmaf(0.5f * q, tp_fmaf(-q, dl, tp_fmaf(-q, d, 2.0f)), q);
    r = 1.0f - q;
  }
  return x < 0.0f ? -r : r;
}

/* @kernel tp_sigmoidf uses tp_expf tp_fmaf
 * @instance tp_sigmoid: float=double tp_expf=exp tp_fmaf=fma
 * n / (1 + e) with e = exp(-|x|), which cannot overflow, and n = 1, or e
 * for x < 0 (which keeps the tiny results of large negative x); fma
 * corrects the roundings of 1 + e (exact in d + dl) and of the division.
 * The literals are integers so that the f64 instance is the same C. */
TP_KERNEL float tp_sigmoidf(float x) {
  const float e = tp_expf(x < 0 ? x : -x), n = x < 0 ? e : 1, d = 1 + e;
  const float dl = e - (d - 1), w = 1 / d, y = n * w;
  return tp_fmaf(w, tp_fmaf(-y, dl, tp_fmaf(-y, d, n)), y);
}

/* @kernel tp_erff uses tp_expf tp_fmaf
 * erf(x) = x + x P(x^2) below 1 (P of degree 6, a least-squares fit of
 * relative error, 2^-28; x added last), 1 - t exp(-x^2 + Q(t)) with t = 1 /
 * (1 + |x| / 2) from 1 to 4 (Numerical Recipes' erfc, relative error
 * 1.2e-7, small beside 1 - erfc; fma rounds -x^2 + Q once), and +-1 from 4
 * on, where erfc(x) is below half an ulp of 1. Odd: erf(-0) is -0. */
TP_KERNEL float tp_erff(float x) {
  const float a = fabsf(x);
  float z, t, r;
  if (!(a >= 1.0f)) {
    z = x * x;
    return tp_fmaf(x, tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(0x1.49234ep-14f, z, -0x1.a3dc18p-11f), z,
                                                0x1.5401dcp-8f), z, -0x1.b7f88cp-6f), z,
                                      0x1.ce2cf0p-4f), z, -0x1.81273ep-2f), z, 0x1.06eba8p-3f),
                x);
  }
  if (a >= 4.0f) {
    r = 1.0f;
  } else {
    t = 1.0f / tp_fmaf(0.5f, a, 1.0f);
    r = tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(tp_fmaf(0.17087277f, t, -0.82215223f), t, 1.48851587f),
                                                t, -1.13520398f), t, 0.27886807f), t, -0.18628806f),
                                t, 0.09678418f), t, 0.37409196f), t, 1.00002368f), t, -1.26551223f);
    r = 1.0f - t * tp_expf(tp_fmaf(-a, a, r));
  }
  return x < 0.0f ? -r : r;
}

/* @kernel tp_powf
 * x to the power y as C99's powf: its special cases (Annex F.9.4.4)
 * exactly; y = 1, 2, -1 and 1/2 as x, x * x, 1 / x and sqrtf(x), one
 * exactly rounded operation (ONNX Runtime squares so too); otherwise
 * exp(y * log|x|) in double, rounded once to float.
 * log|x| is the float's exponent times ln 2 plus 2 atanh(s) of its
 * mantissa m in [sqrt(1/2), sqrt(2)), s = (m - 1) / (m + 1), a series to
 * s^23; exp(z) is 2^k exp(r), z = k ln 2 + r, |r| <= ln(2) / 2, a Taylor
 * series to r^13. Before the rounding the result is within about 2^-44 of
 * x^y (relative), so it is the correctly rounded x^y, as glibc's powf
 * gives, unless x^y lies that close to a midpoint between two floats
 * (glibc's powf is not correctly rounded either: it differs from the
 * correctly rounded result more often than this does).
 * + - * /, comparisons and bit patterns only: the same bits on every core
 * (the double operations are soft float on a Cortex-M4F). */
TP_KERNEL float tp_powf(float x, float y) {
  const double ln2 = 0x1.62e42fefa39efp-1;
  const double ln2hi = 0x1.62e42feep-1, ln2lo = 0x1.a39ef35793c76p-33;
  float ax = fabsf(x), sign = 1, mf;
  double m, s, s2, t, z, r, p, scale;
  int32_t e, k, negative, yint = 0, yodd = 0;
  uint32_t bits;
  uint64_t sbits;
  if (y == 0 || x == 1)
    return 1;
  if (x != x || y != y)
    return x + y;
  /* Every float from 2^24 up is an even integer. */
  if (fabsf(y) >= 16777216.0f) {
    yint = 1;
  } else if (y == (float)(int32_t)y) {
    yint = 1;
    yodd = (int32_t)y & 1;
  }
  memcpy(&bits, &x, 4);
  negative = (int32_t)(bits >> 31);
  if (negative && ax != 0 && ax != INFINITY && !yint)
    return NAN;
  if (negative && yodd)
    sign = -1;
  if (ax == 0)
    return y < 0 ? sign * INFINITY : sign * 0.0f;
  if (ax == INFINITY)
    return y < 0 ? sign * 0.0f : sign * INFINITY;
  if (y == INFINITY || y == -INFINITY) {
    if (ax == 1)
      return 1;
    return (ax < 1) == (y < 0) ? INFINITY : 0.0f;
  }
  if (y == 1)
    return x;
  if (y == 2)
    return x * x;
  if (y == -1)
    return 1 / x;
  if (y == 0.5f)
    return sqrtf(ax); /* x > 0 here */
  /* log|x|: exponent and mantissa, subnormals scaled into the normals. */
  memcpy(&bits, &ax, 4);
  e = (int32_t)(bits >> 23) - 127;
  if (e == -127) {
    mf = ax * 16777216.0f;
    memcpy(&bits, &mf, 4);
    e = (int32_t)(bits >> 23) - 127 - 24;
  }
  bits = (bits & 0x7fffffu) | 0x3f800000u;
  memcpy(&mf, &bits, 4);
  m = (double)mf;
  if (m > 1.4142135623730951) {
    m = m * 0.5;
    e = e + 1;
  }
  s = (m - 1) / (m + 1);
  s2 = s * s;
  t = s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11 +
      s2 * (1.0 / 13 + s2 * (1.0 / 15 + s2 * (1.0 / 17 + s2 * (1.0 / 19 + s2 * (1.0 / 21 +
      s2 * (1.0 / 23)))))))))));
  z = (double)y * ((double)e * ln2 + (2 * s + 2 * s * t));
  /* e^89 is above the largest float; e^-104 below half the smallest. */
  if (z > 89)
    return sign * INFINITY;
  if (z < -104)
    return sign * 0.0f;
  k = (int32_t)(z * (1 / ln2) + (z < 0 ? -0.5 : 0.5));
  r = (z - (double)k * ln2hi) - (double)k * ln2lo;
  p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 +
      r * (1.0 / 720 + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 +
      r * (1.0 / 3628800 + r * (1.0 / 39916800 + r * (1.0 / 479001600 +
      r * (1.0 / 6227020800.0)))))))))))));
  sbits = (uint64_t)(k + 1023) << 52;
  memcpy(&scale, &sbits, 8);
  p = p * scale;
  /* From the midpoint between the largest float and 2^128 up: infinity
     (converting such a double to float is undefined in C). */
  if (p >= 0x1.ffffffp127)
    return sign * INFINITY;
  return sign * (float)p;
}
