/* The elementary functions of kernels/cmath.c: special values exactly, and
 * the error of a sample of all floats against libm's double functions.
 * tp_fmaf against products whose double sum lands exactly halfway between
 * two floats (where rounding twice, as newlib's fmaf does, goes wrong), true
 * ties, signed zeros and infinities.
 * KERNELS: tp_fmaf tp_expf tp_logf tp_tanhf tp_sigmoidf tp_sigmoid tp_erff */
#include "kernels.h"
#include "tp_check.h"

/* |got - exact| in units of the last place of float at exact. */
static double ulps(float got, double exact) {
  int e;
  if (got == exact)
    return 0;
  if (exact != exact || got != got || exact - exact != 0)
    return 1e9; /* NaN or infinity where the other is not */
  frexp(exact, &e);
  if (e < -125)
    e = -125; /* subnormal floats: the ulp is 2^-149 */
  return fabs(got - exact) / ldexp(1.0, e - 24);
}

static double sigmoid_exact(double x) { return 1 / (1 + exp(-x)); }

/* The largest error of fn over every 4099th float (both signs, every
 * binade), and every result in the digest. */
static double max_error(float (*fn)(float), double (*exact)(double), float lo, float hi) {
  double worst = 0;
  uint32_t u;
  for (u = 0; u < 0x7f800000u; u += 4099u) {
    int sign;
    for (sign = 0; sign < 2; ++sign) {
      const float x = tp_f32_from_bits(u | (sign ? 0x80000000u : 0u));
      float y;
      double err;
      if (!(x >= lo && x <= hi))
        continue;
      y = fn(x);
      tp_digest_f32(y);
      err = ulps(y, exact(x));
      if (err > worst)
        worst = err;
    }
  }
  return worst;
}

static void check_fmaf(void) {
  /* (0.5 + 2^-24)(-2^-24 + 2^-47) + 0.5 + 2^-24 = 0.5 + 2^-25 + 2^-48 - 2^-71:
   * just above the midpoint 0.5 + 2^-25 of 0.5 and 0.5 + 2^-24, which is
   * where the double sum rounds to; the float is 0.5 + 2^-24. */
  TP_CHECK_F32(tp_fmaf(0.5f + 0x1p-24f, -0x1p-24f + 0x1p-47f, 0.5f + 0x1p-24f), 0.5f + 0x1p-24f);
  /* The same below the midpoint. */
  TP_CHECK_F32(tp_fmaf(0.5f + 0x1p-24f, -0x1p-24f - 0x1p-47f, 0.5f + 0x1p-24f), 0.5f);
  /* A true tie rounds to even: 1 + 2^-24 is between 1 and 1 + 2^-23. */
  TP_CHECK_F32(tp_fmaf(0x1p-12f, 0x1p-12f, 1.0f), 1.0f);
  TP_CHECK_F32(tp_fmaf(0x1p-12f, 0x1p-12f, 1.0f + 0x1p-23f), 1.0f + 0x1p-22f);
  /* Exact results, signed zeros, infinities, NaN. */
  TP_CHECK_F32(tp_fmaf(3.0f, 5.0f, -15.0f), 0.0f);
  TP_CHECK_F32(tp_fmaf(-0.0f, 1.0f, -0.0f), -0.0f);
  TP_CHECK_F32(tp_fmaf(HUGE_VALF, 2.0f, 1.0f), HUGE_VALF);
  TP_CHECK(tp_fmaf(HUGE_VALF, 0.0f, 1.0f) != tp_fmaf(HUGE_VALF, 0.0f, 1.0f));
  TP_CHECK_F32(tp_fmaf(0x1p-149f, 0.5f, 0x1p-149f), 0x1p-148f); /* 1.5 ulp: to even */
}

int main(void) {
  const float inf = HUGE_VALF, nan = NAN;
  check_fmaf();
  /* Special values. */
  TP_CHECK_F32(tp_expf(0.0f), 1.0f);
  TP_CHECK_F32(tp_expf(-0.0f), 1.0f);
  TP_CHECK_F32(tp_expf(inf), inf);
  TP_CHECK_F32(tp_expf(-inf), 0.0f);
  TP_CHECK(tp_expf(nan) != tp_expf(nan));
  TP_CHECK_F32(tp_expf(89.0f), inf);           /* overflows */
  TP_CHECK_F32(tp_expf(-104.0f), 0.0f);        /* underflows */
  TP_CHECK(tp_expf(-100.0f) > 0.0f);           /* a subnormal result */
  TP_CHECK(tp_expf(88.72f) < inf);
  TP_CHECK_F32(tp_logf(1.0f), 0.0f);
  TP_CHECK_F32(tp_logf(0.0f), -inf);
  TP_CHECK_F32(tp_logf(-0.0f), -inf);
  TP_CHECK_F32(tp_logf(inf), inf);
  TP_CHECK(tp_logf(-1.0f) != tp_logf(-1.0f));
  TP_CHECK(tp_logf(nan) != tp_logf(nan));
  TP_CHECK(tp_logf(0x1p-149f) < -103.0f && tp_logf(0x1p-149f) > -104.0f);
  TP_CHECK_F32(tp_tanhf(0.0f), 0.0f);
  TP_CHECK(tp_f32_bits(tp_tanhf(-0.0f)) == 0x80000000u); /* tanh(-0) is -0 */
  TP_CHECK_F32(tp_tanhf(inf), 1.0f);
  TP_CHECK_F32(tp_tanhf(-inf), -1.0f);
  TP_CHECK_F32(tp_tanhf(20.0f), 1.0f);
  TP_CHECK(tp_tanhf(nan) != tp_tanhf(nan));
  TP_CHECK_F32(tp_sigmoidf(0.0f), 0.5f);
  TP_CHECK_F32(tp_sigmoidf(inf), 1.0f);
  TP_CHECK_F32(tp_sigmoidf(-inf), 0.0f);
  TP_CHECK(tp_sigmoidf(-100.0f) > 0.0f); /* keeps the tiny results */
  TP_CHECK(tp_sigmoidf(nan) != tp_sigmoidf(nan));
  TP_CHECK_F32(tp_erff(0.0f), 0.0f);
  TP_CHECK(tp_f32_bits(tp_erff(-0.0f)) == 0x80000000u); /* erf(-0) is -0 */
  TP_CHECK_F32(tp_erff(inf), 1.0f);
  TP_CHECK_F32(tp_erff(-inf), -1.0f);
  TP_CHECK(tp_erff(nan) != tp_erff(nan));
  TP_CHECK_F64(tp_sigmoid(0.0), 0.5);
  TP_CHECK(fabs(tp_sigmoid(1.0) - sigmoid_exact(1.0)) <= 0x1p-53);
  TP_CHECK(tp_sigmoid(-700.0) > 0.0);

  /* Errors: the bounds measured over all floats, rounded up. */
  TP_CHECK(max_error(tp_expf, exp, -104.0f, 88.72f) < 0.9);
  TP_CHECK(max_error(tp_logf, log, 0.0f, inf) < 0.85);
  TP_CHECK(max_error(tp_tanhf, tanh, -inf, inf) < 1.1);
  TP_CHECK(max_error(tp_sigmoidf, sigmoid_exact, -104.0f, inf) < 1.5);
  TP_CHECK(max_error(tp_erff, erf, -inf, inf) < 1.25);
  return tp_finish("cmath");
}
