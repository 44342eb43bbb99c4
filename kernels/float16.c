/* float16.c - f16 and bf16 elements, stored as uint16_t bit patterns.
 *
 * No kernel computes in a 16-bit float: elements are widened to float on
 * load and rounded back on store. Both directions use integer arithmetic
 * only, so the result depends neither on the FPU's rounding mode nor on
 * flush-to-zero, and is the same on every core.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_f16_to_f32
 * Exact: subnormals are m * 2^-24, normal numbers in float. */
TP_KERNEL float tp_f16_to_f32(uint16_t h) {
  const uint32_t e = (uint32_t)(h >> 10) & 0x1fu, m = (uint32_t)h & 0x3ffu;
  uint32_t x;
  float f;
  if (e == 0) {
    f = (float)m * 0x1p-24f;
    memcpy(&x, &f, sizeof x);
  } else {
    x = (e == 31 ? 0xffu : e + 112u) << 23 | m << 13;
  }
  x |= (uint32_t)(h & 0x8000u) << 16;
  memcpy(&f, &x, sizeof f);
  return f;
}

/* @kernel tp_bf16_to_f32
 * Exact: a bf16 is the top half of a float. */
TP_KERNEL float tp_bf16_to_f32(uint16_t h) {
  const uint32_t x = (uint32_t)h << 16;
  float f;
  memcpy(&f, &x, sizeof f);
  return f;
}

/* @kernel tp_f64_to_narrow
 * @instance tp_f32_to_narrow: double=float uint64_t=uint32_t
 * The 16-bit float with dm mantissa bits and exponent bias db (f16: 10 and
 * 15, bf16: 7 and 127) nearest to f, ties to even: infinities stay, NaN
 * stays NaN keeping the top of its payload, results past the largest
 * finite value become infinity, tiny ones subnormal or zero. The source's
 * layout (sm mantissa bits, exponent mask se) follows from its size, so the
 * float instance is the same C working in 32-bit integers. */
TP_KERNEL uint16_t tp_f64_to_narrow(double f, int32_t dm, int32_t db) {
  const int32_t sm = sizeof f == 8 ? 52 : 23, se = sizeof f == 8 ? 0x7ff : 0xff;
  const uint32_t inf = ((1u << (15 - dm)) - 1u) << dm, qnan = 1u << (dm - 1);
  uint64_t x, m, rem, half;
  int32_t e, shift;
  uint32_t q, sign;
  memcpy(&x, &f, sizeof x);
  sign = (uint32_t)(x >> (8 * sizeof x - 16)) & 0x8000u;
  e = (int32_t)((x >> sm) & (uint32_t)se);
  m = x & (((uint64_t)1 << sm) - 1u);
  if (e == se) /* infinity, or NaN keeping the top of its payload */
    return (uint16_t)(sign | inf | (m != 0 ? qnan | (uint32_t)(m >> (sm - dm)) : 0u));
  if (e != 0)
    m |= (uint64_t)1 << sm;
  else
    e = 1;
  e += db - (se >> 1); /* the biased exponent in the narrow type; below 1: subnormal */
  shift = sm - dm + (e < 1 ? 1 - e : 0);
  if (shift > sm + 1) /* below half the smallest subnormal */
    return (uint16_t)sign;
  q = (uint32_t)(m >> shift);
  rem = m & (((uint64_t)1 << shift) - 1u);
  half = (uint64_t)1 << (shift - 1);
  if (rem > half || (rem == half && (q & 1u) != 0))
    ++q;
  /* q holds the implicit bit: adding the exponent above 1 lets a rounding
     carry move into the next binade, and past the largest finite value to
     infinity. */
  if (e > 1)
    q += (uint32_t)(e - 1) << dm;
  return (uint16_t)(sign | (q >= inf ? inf : q));
}

/* @kernel tp_f64_to_f16 uses tp_f64_to_narrow
 * @instance tp_f32_to_f16: double=float tp_f64_to_narrow=tp_f32_to_narrow
 * Rounds to the nearest f16, ties to even. */
TP_KERNEL uint16_t tp_f64_to_f16(double f) {
  return tp_f64_to_narrow(f, 10, 15);
}

/* @kernel tp_f64_to_bf16 uses tp_f64_to_narrow
 * @instance tp_f32_to_bf16: double=float tp_f64_to_narrow=tp_f32_to_narrow
 * Rounds to the nearest bf16, ties to even. */
TP_KERNEL uint16_t tp_f64_to_bf16(double f) {
  return tp_f64_to_narrow(f, 7, 127);
}
