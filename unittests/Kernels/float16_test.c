/* The f16 and bf16 conversions of kernels/float16.c: widening every 16-bit
 * pattern against ldexp, and rounding against a reference that searches
 * the sorted narrow values, on a sample of all floats, every midpoint
 * between two neighbouring f16 values (the ties), and the edges.
 * KERNELS: tp_f16_to_f32 tp_bf16_to_f32 tp_f32_to_f16 tp_f32_to_bf16
 *          tp_f64_to_f16 tp_f64_to_bf16
 * M4F-FLAGS: -DSTEP=1000003 */
#include "kernels.h"
#include "tp_check.h"

#ifndef STEP
#define STEP 4099
#endif

/* The value of a 16-bit pattern with dm mantissa bits and bias db. */
static double narrow_value(uint32_t h, int dm, int db) {
  const uint32_t e = (h & 0x7fffu) >> dm, m = h & ((1u << dm) - 1u);
  const double sign = h & 0x8000u ? -1.0 : 1.0;
  if (e == (0x7fffu >> dm))
    return m ? NAN : sign * HUGE_VAL;
  if (e == 0)
    return sign * ldexp((double)m, 1 - db - dm);
  return sign * ldexp((double)(m | (1u << dm)), (int)e - db - dm);
}

/* Nearest-even rounding of x to the format: the two neighbours among the
 * non-negative patterns, which increase with their value, by bisection. */
static uint32_t round_ref(double x, int dm, int db) {
  const uint32_t sign = x < 0 || (x == 0 && 1 / x < 0) ? 0x8000u : 0u;
  const uint32_t inf = (0x7fffu >> dm) << dm;
  const double a = fabs(x), max = narrow_value(inf - 1, dm, db);
  uint32_t lo = 0, hi = inf - 1;
  double dlo, dhi;
  if (x != x)
    return 0xffffffffu;
  /* Past the largest finite value by half an ulp or more: infinity. */
  if (a >= max + (max - narrow_value(inf - 2, dm, db)) / 2)
    return sign | inf;
  if (a >= max)
    return sign | (inf - 1);
  while (hi - lo > 1) {
    const uint32_t mid = (lo + hi) / 2;
    if (narrow_value(mid, dm, db) <= a)
      lo = mid;
    else
      hi = mid;
  }
  dlo = a - narrow_value(lo, dm, db);
  dhi = narrow_value(hi, dm, db) - a;
  if (dlo < dhi || (dlo == dhi && (lo & 1u) == 0))
    return sign | lo;
  return sign | hi;
}

static void check_round(float x) {
  const uint32_t want16 = round_ref(x, 10, 15), wantb = round_ref(x, 7, 127);
  const uint16_t got16 = tp_f32_to_f16(x), gotb = tp_f32_to_bf16(x);
  if (x != x) {
    /* NaN stays NaN, sign kept. */
    TP_CHECK((got16 & 0x7c00u) == 0x7c00u && (got16 & 0x3ffu) != 0);
    TP_CHECK((gotb & 0x7f80u) == 0x7f80u && (gotb & 0x7fu) != 0);
    return;
  }
  TP_CHECK_INT(got16, want16);
  TP_CHECK_INT(gotb, wantb);
  TP_CHECK_INT(tp_f64_to_f16((double)x), want16);
  TP_CHECK_INT(tp_f64_to_bf16((double)x), wantb);
}

int main(void) {
  uint32_t h, u;
  /* Widening: every pattern. */
  for (h = 0; h < 0x10000u; ++h) {
    const double want16 = narrow_value(h, 10, 15), wantb = narrow_value(h, 7, 127);
    const float got16 = tp_f16_to_f32((uint16_t)h), gotb = tp_bf16_to_f32((uint16_t)h);
    if (want16 != want16) {
      TP_CHECK(got16 != got16);
    } else {
      TP_CHECK_F32(got16, (float)want16);
      TP_CHECK(((tp_f32_bits(got16) >> 31) != 0) == ((h & 0x8000u) != 0)); /* -0 too */
    }
    if (wantb != wantb)
      TP_CHECK(gotb != gotb);
    else
      TP_CHECK_F32(gotb, (float)wantb);
    /* Every non-NaN value rounds back to itself. */
    if (want16 == want16)
      TP_CHECK_INT(tp_f32_to_f16(got16), h);
  }
  /* Ties: the midpoint of each pair of neighbouring positive f16 values
   * (exact in float) and just either side of it. */
  for (h = 0; h + 1 < 0x7c00u; ++h) {
    const float mid = (float)((narrow_value(h, 10, 15) + narrow_value(h + 1, 10, 15)) / 2);
    check_round(mid);
    check_round(-mid);
    check_round(nextafterf(mid, 0.0f));
    check_round(nextafterf(mid, HUGE_VALF));
  }
  /* A sample of all floats. */
  for (u = 0; u < 0x7f800000u; u += STEP) {
    check_round(tp_f32_from_bits(u));
    check_round(tp_f32_from_bits(u | 0x80000000u));
  }
  /* Edges: overflow to infinity, the largest values, underflow to zero. */
  check_round(HUGE_VALF);
  check_round(-HUGE_VALF);
  check_round(NAN);
  TP_CHECK_INT(tp_f32_to_f16(65504.0f), 0x7bffu);
  TP_CHECK_INT(tp_f32_to_f16(65520.0f), 0x7c00u);   /* halfway to 2^16: infinity */
  TP_CHECK_INT(tp_f32_to_f16(65519.99f), 0x7bffu);
  TP_CHECK_INT(tp_f32_to_f16(0x1p-25f), 0x0000u);   /* a tie with zero: even */
  TP_CHECK_INT(tp_f32_to_f16(0x1.000002p-25f), 0x0001u);
  TP_CHECK_INT(tp_f32_to_f16(-0.0f), 0x8000u);
  TP_CHECK_INT(tp_f32_to_bf16(0x1.fffffep+127f), 0x7f80u); /* rounds up to infinity */
  TP_CHECK_INT(tp_f64_to_f16(1e300), 0x7c00u);
  TP_CHECK_INT(tp_f64_to_bf16(1e-300), 0x0000u);
  return tp_finish("float16");
}
