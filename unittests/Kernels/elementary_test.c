/* The element functions that kernels/activations.c and unary.c build on
 * cmath.c (Elu, Selu, Celu, Softplus, Mish, Log, Erf, Gelu) and the exact
 * ones (ThresholdedRelu, Softsign, Reciprocal, Floor, Ceil, Round): special
 * values and signed zeros exactly, halfway cases of Round, and, on every
 * STEP-th float of [-8, 8], the f32 result within a few float ulps of the
 * definition evaluated with libm in double.
 * KERNELS: tp_elu_f32 tp_selu_f32 tp_celu_f32 tp_thresholdedrelu_f32
 *          tp_softplus_f32 tp_softsign_f32 tp_mish_f32 tp_log_f32 tp_erf_f32
 *          tp_reciprocal_f32 tp_floor_f32 tp_ceil_f32 tp_round_f32 tp_gelu_f32
 *          tp_gelu_tanh_f32 tp_elu_f64 tp_softplus_f64 tp_round_f64 tp_gelu_f64
 * M4F-FLAGS: -DSTEP=4099 */
#include "kernels.h"
#include "tp_check.h"

#ifndef STEP
#define STEP 509
#endif

static const double kSeluAlpha = 1.67326319217681884765625, kSeluGamma = 1.05070102214813232421875;

/* |got - want| within tol units of float precision at max(|want|, 1):
   exp(x) - 1 (Elu, Selu, Celu, as ONNX defines them) loses the relative
   precision of its small results, not the absolute one. */
static int close_to(float got, double want, double tol) {
  return fabs(got - want) <= tol * 0x1p-24 * (fabs(want) > 1 ? fabs(want) : 1);
}

/* The same, relative to |want| itself (erf, log: no cancellation), the
   ulp of subnormal results being 2^-149. */
static int rel_close(float got, double want, double tol) {
  return fabs(got - want) <= tol * (fabs(want) > 0x1p-125 ? 0x1p-24 * fabs(want) : 0x1p-149);
}

static double softplus_ref(double x) { return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)); }

static void check_one(float x) {
  const double d = x;
  TP_CHECK(close_to(tp_elu_f32(x, 0.5f), d < 0 ? 0.5 * expm1(d) : d, 4));
  TP_CHECK(close_to(tp_selu_f32(x, (float)kSeluAlpha, (float)kSeluGamma),
                    kSeluGamma * (d > 0 ? d : kSeluAlpha * expm1(d)), 4));
  TP_CHECK(close_to(tp_celu_f32(x, 2.0f), d > 0 ? d : 2 * expm1(d / 2), 4));
  TP_CHECK(close_to(tp_softplus_f32(x), softplus_ref(d), 4));
  TP_CHECK(close_to(tp_mish_f32(x), d * tanh(softplus_ref(d)), 8));
  TP_CHECK(rel_close(tp_erf_f32(x), erf(d), 3));
  TP_CHECK(close_to(tp_gelu_f32(x), d / 2 * (1 + erf(d / sqrt(2.0))), 8));
  TP_CHECK(close_to(tp_gelu_tanh_f32(x),
                    d / 2 * (1 + tanh(sqrt(2 / 3.14159265358979323846) * (d + 0.044715 * d * d * d))),
                    8));
  if (x > 0)
    TP_CHECK(rel_close(tp_log_f32(x), log(d), 2));
  tp_digest_f32(tp_elu_f32(x, 0.5f));
  tp_digest_f32(tp_softplus_f32(x));
  tp_digest_f32(tp_mish_f32(x));
  tp_digest_f32(tp_erf_f32(x));
  tp_digest_f32(tp_gelu_f32(x));
  tp_digest_f32(tp_gelu_tanh_f32(x));
  /* The exact ones: one IEEE operation or comparison each. */
  TP_CHECK_F32(tp_thresholdedrelu_f32(x, 0.5f), x > 0.5f ? x : 0.0f);
  TP_CHECK_F32(tp_softsign_f32(x), x / (1.0f + fabsf(x)));
  TP_CHECK_F32(tp_reciprocal_f32(x), 1.0f / x);
  TP_CHECK_F32(tp_floor_f32(x), floorf(x));
  TP_CHECK_F32(tp_ceil_f32(x), ceilf(x));
  TP_CHECK_F32(tp_round_f32(x), (float)nearbyint(d)); /* the host rounds to nearest even */
}

int main(void) {
  const float inf = HUGE_VALF, nan = NAN;
  uint32_t u;
  for (u = 0; u <= 0x41000000u; u += STEP) {
    check_one(tp_f32_from_bits(u));
    check_one(tp_f32_from_bits(u | 0x80000000u));
  }
  /* Round: halves go to the even neighbour, the sign stays. */
  TP_CHECK_F32(tp_round_f32(0.5f), 0.0f);
  TP_CHECK_F32(tp_round_f32(1.5f), 2.0f);
  TP_CHECK_F32(tp_round_f32(2.5f), 2.0f);
  TP_CHECK_F32(tp_round_f32(-2.5f), -2.0f);
  TP_CHECK_F32(tp_round_f32(-3.5f), -4.0f);
  TP_CHECK(tp_f32_bits(tp_round_f32(-0.25f)) == 0x80000000u);
  TP_CHECK_F32(tp_round_f32(0x1.fffffep+22f), 0x1p+23f);
  TP_CHECK_F32(tp_round_f32(0x1.000002p+23f), 0x1.000002p+23f);
  TP_CHECK_F32(tp_round_f32(inf), inf);
  TP_CHECK(tp_round_f32(nan) != tp_round_f32(nan));
  TP_CHECK_F64(tp_round_f64(2.5), 2.0);
  TP_CHECK_F64(tp_round_f64(3.5), 4.0);
  /* Special values. */
  TP_CHECK_F32(tp_erf_f32(0.0f), 0.0f);
  TP_CHECK(tp_f32_bits(tp_erf_f32(-0.0f)) == 0x80000000u);
  TP_CHECK_F32(tp_erf_f32(inf), 1.0f);
  TP_CHECK_F32(tp_erf_f32(-inf), -1.0f);
  TP_CHECK_F32(tp_erf_f32(5.0f), 1.0f);
  TP_CHECK(tp_erf_f32(nan) != tp_erf_f32(nan));
  TP_CHECK_F32(tp_erf_f32(0x1p-140f), tp_erf_f32(0x1p-140f)); /* subnormal: no trap */
  TP_CHECK_F32(tp_softplus_f32(inf), inf);
  TP_CHECK_F32(tp_softplus_f32(-inf), 0.0f);
  TP_CHECK_F32(tp_softplus_f32(100.0f), 100.0f);
  TP_CHECK(tp_softplus_f32(-90.0f) > 0.0f); /* exp(-90), not 0 */
  TP_CHECK(tp_softplus_f32(nan) != tp_softplus_f32(nan));
  TP_CHECK_F32(tp_elu_f32(-inf, 1.0f), -1.0f);
  TP_CHECK(tp_elu_f32(nan, 1.0f) != tp_elu_f32(nan, 1.0f));
  TP_CHECK(tp_selu_f32(nan, 1.0f, 1.0f) != tp_selu_f32(nan, 1.0f, 1.0f));
  TP_CHECK(tp_thresholdedrelu_f32(nan, 1.0f) != tp_thresholdedrelu_f32(nan, 1.0f));
  TP_CHECK_F32(tp_mish_f32(inf), inf);
  TP_CHECK_F32(tp_log_f32(1.0f), 0.0f);
  TP_CHECK_F32(tp_gelu_f32(0.0f), 0.0f);
  TP_CHECK_F32(tp_gelu_f32(inf), inf);
  TP_CHECK_F32(tp_gelu_tanh_f32(inf), inf);
  /* The f64 instances compute in double with libm (kept out of the digest
     where glibc and newlib may round differently). */
  TP_CHECK(tp_elu_f64(-1.0, 1.0) == exp(-1.0) - 1);
  TP_CHECK(fabs(tp_softplus_f64(1.0) - log(1 + exp(1.0))) < 1e-15);
  TP_CHECK(fabs(tp_gelu_f64(1.0) - 0.5 * (1 + erf(sqrt(0.5)))) < 1e-15);
  return tp_finish("elementary");
}
