/* The conversions of kernels/cast.c, every pair of element types, and the
 * Cast loop tp_cast instantiated as tinyplan instantiates it. References
 * written without C's conversions where those are the point: integer wrap
 * by masking, integer to float rounding by integer arithmetic, f16 / bf16
 * rounding by searching the sorted values (as float16_test.c), and a
 * table of float to integer results worked out by hand: truncation,
 * saturation at both ends of int64 and uint64, NaN to 0, and wrap to the
 * narrower types. Also: to bool (NaN is true, -0 false), float to float
 * rounding and subnormals, f16 / bf16 in both directions, u64 beyond
 * INT64_MAX, and an in-place loop.
 * KERNELS: tp_i8_to_u8 tp_i8_to_i16 tp_i8_to_u16 tp_i8_to_i32 tp_i8_to_u32
 *   tp_i8_to_i64 tp_i8_to_u64 tp_i8_to_f32 tp_i8_to_f64 tp_i8_to_f16 tp_i8_to_bf16
 *   tp_i8_to_bool
 *   tp_u8_to_i8 tp_u8_to_i16 tp_u8_to_u16 tp_u8_to_i32 tp_u8_to_u32 tp_u8_to_i64
 *   tp_u8_to_u64 tp_u8_to_f32 tp_u8_to_f64 tp_u8_to_f16 tp_u8_to_bf16 tp_u8_to_bool
 *   tp_i16_to_i8 tp_i16_to_u8 tp_i16_to_u16 tp_i16_to_i32 tp_i16_to_u32
 *   tp_i16_to_i64 tp_i16_to_u64 tp_i16_to_f32 tp_i16_to_f64 tp_i16_to_f16
 *   tp_i16_to_bf16 tp_i16_to_bool
 *   tp_u16_to_i8 tp_u16_to_u8 tp_u16_to_i16 tp_u16_to_i32 tp_u16_to_u32
 *   tp_u16_to_i64 tp_u16_to_u64 tp_u16_to_f32 tp_u16_to_f64 tp_u16_to_f16
 *   tp_u16_to_bf16 tp_u16_to_bool
 *   tp_i32_to_i8 tp_i32_to_u8 tp_i32_to_i16 tp_i32_to_u16 tp_i32_to_u32
 *   tp_i32_to_i64 tp_i32_to_u64 tp_i32_to_f32 tp_i32_to_f64 tp_i32_to_f16
 *   tp_i32_to_bf16 tp_i32_to_bool
 *   tp_u32_to_i8 tp_u32_to_u8 tp_u32_to_i16 tp_u32_to_u16 tp_u32_to_i32
 *   tp_u32_to_i64 tp_u32_to_u64 tp_u32_to_f32 tp_u32_to_f64 tp_u32_to_f16
 *   tp_u32_to_bf16 tp_u32_to_bool
 *   tp_i64_to_i8 tp_i64_to_u8 tp_i64_to_i16 tp_i64_to_u16 tp_i64_to_i32
 *   tp_i64_to_u32 tp_i64_to_u64 tp_i64_to_f32 tp_i64_to_f64 tp_i64_to_f16
 *   tp_i64_to_bf16 tp_i64_to_bool
 *   tp_u64_to_i8 tp_u64_to_u8 tp_u64_to_i16 tp_u64_to_u16 tp_u64_to_i32
 *   tp_u64_to_u32 tp_u64_to_i64 tp_u64_to_f32 tp_u64_to_f64 tp_u64_to_f16
 *   tp_u64_to_bf16 tp_u64_to_bool
 *   tp_f32_to_i8 tp_f32_to_u8 tp_f32_to_i16 tp_f32_to_u16 tp_f32_to_i32
 *   tp_f32_to_u32 tp_f32_to_i64 tp_f32_to_u64 tp_f32_to_f64 tp_f32_to_bool
 *   tp_f64_to_i8 tp_f64_to_u8 tp_f64_to_i16 tp_f64_to_u16 tp_f64_to_i32
 *   tp_f64_to_u32 tp_f64_to_i64 tp_f64_to_u64 tp_f64_to_f32 tp_f64_to_bool
 *   tp_f16_to_i8 tp_f16_to_u8 tp_f16_to_i16 tp_f16_to_u16 tp_f16_to_i32
 *   tp_f16_to_u32 tp_f16_to_i64 tp_f16_to_u64 tp_f16_to_f64 tp_f16_to_bf16
 *   tp_f16_to_bool
 *   tp_bf16_to_i8 tp_bf16_to_u8 tp_bf16_to_i16 tp_bf16_to_u16 tp_bf16_to_i32
 *   tp_bf16_to_u32 tp_bf16_to_i64 tp_bf16_to_u64 tp_bf16_to_f64 tp_bf16_to_f16
 *   tp_bf16_to_bool
 *   tp_cast_f32_i8=tp_cast:double=int8_t,tp_cast_element=tp_f32_to_i8
 *   tp_cast_f16_f32=tp_cast:float=uint16_t,double=float,tp_cast_element=tp_f16_to_f32
 *   tp_cast_u64_f32=tp_cast:float=uint64_t,double=float,tp_cast_element=tp_u64_to_f32
 *   tp_cast_i32_bool=tp_cast:float=int32_t,double=uint8_t,tp_cast_element=tp_i32_to_bool
 *   tp_cast_f64_bf16=tp_cast:float=double,double=uint16_t,tp_cast_element=tp_f64_to_bf16
 *   tp_cast_f64_f32=tp_cast:float=double,double=float,tp_cast_element=tp_f64_to_f32
 *   tp_cast_bf16_f16=tp_cast:float=uint16_t,double=uint16_t,tp_cast_element=tp_bf16_to_f16
 *   tp_cast_u8_i8=tp_cast:float=uint8_t,double=int8_t,tp_cast_element=tp_u8_to_i8 */
#include "kernels.h"
#include "tp_check.h"

/* ---- References ---------------------------------------------------------- */

/* u modulo 2^bits, as a signed (sgn) or unsigned integer of that width. */
static int64_t wrap(uint64_t u, int bits, int sgn) {
  int64_t r;
  if (bits < 64) {
    u &= ((uint64_t)1 << bits) - 1;
    if (sgn && (u >> (bits - 1)) != 0)
      return (int64_t)u - ((int64_t)1 << (bits - 1)) - ((int64_t)1 << (bits - 1));
    return (int64_t)u;
  }
  memcpy(&r, &u, 8);
  return r;
}

/* The magnitude m rounded to p significant bits, ties to even, in integer
   arithmetic; the result, at most 2^64, is exact in double. */
static double round_int(uint64_t m, int p) {
  int len = 0, s;
  uint64_t q, rem, half;
  while (len < 64 && (m >> len) != 0)
    ++len;
  if (len <= p)
    return (double)m;
  s = len - p;
  q = m >> s;
  rem = m & (((uint64_t)1 << s) - 1);
  half = (uint64_t)1 << (s - 1);
  if (rem > half || (rem == half && (q & 1) != 0))
    ++q;
  return ldexp((double)q, s);
}

/* The value of an integer given as its magnitude and sign, rounded to p
   bits. */
static double int_value(uint64_t m, int neg, int p) {
  const double r = round_int(m, p);
  return neg ? -r : r;
}

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

/* The nearest-even 16-bit pattern to x (not NaN), by bisection over the
   non-negative patterns, which increase with their value. */
static uint32_t narrow_ref(double x, int dm, int db) {
  const uint32_t sign = x < 0 || (x == 0 && 1 / x < 0) ? 0x8000u : 0u;
  const uint32_t inf = (0x7fffu >> dm) << dm;
  const double a = fabs(x), max = narrow_value(inf - 1, dm, db);
  uint32_t lo = 0, hi = inf - 1;
  double dlo, dhi;
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
  return sign | (dlo < dhi || (dlo == dhi && (lo & 1u) == 0) ? lo : hi);
}

/* Float to int64 as Cast defines it: NaN 0, saturated, else truncated
   (every double below 2^63 in magnitude is an int64 after truncation). */
static int64_t saturate_ref(double v) {
  if (v != v)
    return 0;
  if (v >= 9223372036854775808.0)
    return INT64_MAX;
  if (v <= -9223372036854775808.0)
    return INT64_MIN;
  return (int64_t)(v < 0 ? ceil(v) : floor(v));
}

/* Float to uint64: from 2^63 on saturated at 2^64 - 1, below through int64
   and wrapped. */
static uint64_t saturate_u64_ref(double v) {
  if (v >= 18446744073709551616.0)
    return UINT64_MAX;
  if (v >= 9223372036854775808.0)
    return (uint64_t)(v - 9223372036854775808.0) + ((uint64_t)1 << 63);
  return (uint64_t)saturate_ref(v);
}

/* ---- Integer sources ----------------------------------------------------- */

#define CT_i8 int8_t
#define CT_u8 uint8_t
#define CT_i16 int16_t
#define CT_u16 uint16_t
#define CT_i32 int32_t
#define CT_u32 uint32_t
#define CT_i64 int64_t
#define CT_u64 uint64_t
#define BITS_i8 8
#define BITS_u8 8
#define BITS_i16 16
#define BITS_u16 16
#define BITS_i32 32
#define BITS_u32 32
#define BITS_i64 64
#define BITS_u64 64
#define SGN_i8 1
#define SGN_u8 0
#define SGN_i16 1
#define SGN_u16 0
#define SGN_i32 1
#define SGN_u32 0
#define SGN_i64 1
#define SGN_u64 0

/* Bit patterns of 64-bit integers; each source type takes its low bits:
   the edges of every type, f16 / bf16 / float / double rounding ties and
   their neighbours (2^24 + 2^16 + 1 would round twice through float), and
   the double-then-bf16 case below. */
static const uint64_t ints[] = {
    0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x101, 0x103, 0x17f, 0x7ff, 0x801, 0x803,
    0x7fff, 0x8000, 0xffef, 0xfff0, 0xffff, 0x10000, 0x1000001, 0x1000003, 0x1010001, 0x7fffffff,
    0x80000000u, 0x80000001u, 0xffffffffu, 0x100000000u, 0x20000000000001u,
    0x20000000000003u, 0x4040000000000000u, 0x4040000000000001u, 0x7fffffffffffffffu,
    0x8000000000000000u, 0x8000008000000000u, 0x8000008000000001u, 0xfffffffffffffffeu,
    0xffffffffffffffffu, 0xffffffffffffff80u, 0xffffffffffff7fffu, 0xfffffffffefffffdu,
    0xffdffffffffffffdu, 0x123456789abcdef0u, 0xfedcba9876543210u};
#define NINTS ((int)(sizeof ints / sizeof *ints))

/* Whether the low bits of u are negative as a signed (sgn) integer, and
   their magnitude. */
static int negative(uint64_t u, int bits, int sgn) {
  return sgn && ((u >> (bits - 1)) & 1) != 0;
}

static uint64_t magnitude(uint64_t u, int bits, int sgn) {
  const uint64_t low = bits < 64 ? u & (((uint64_t)1 << bits) - 1) : u;
  if (!negative(u, bits, sgn))
    return low;
  return bits < 64 ? ((uint64_t)1 << bits) - low : 0 - low;
}

/* Integer to integer: wrapped. */
#define INT_TO_INT(F, T)                                                       \
  for (k = 0; k < NINTS; ++k) {                                                \
    const CT_##F v = (CT_##F)wrap(ints[k], BITS_##F, SGN_##F);                 \
    TP_CHECK_INT(tp_##F##_to_##T(v), wrap((uint64_t)v, BITS_##T, SGN_##T));    \
  }

/* Integer to float, double, f16, bf16 (through double: rounded to 53 bits
   first) and bool. */
#define INT_TO_OTHERS(F)                                                       \
  for (k = 0; k < NINTS; ++k) {                                                \
    const CT_##F v = (CT_##F)wrap(ints[k], BITS_##F, SGN_##F);                 \
    const int neg = negative(ints[k], BITS_##F, SGN_##F);                      \
    const uint64_t m = magnitude(ints[k], BITS_##F, SGN_##F);                  \
    const double d = int_value(m, neg, 53);                                    \
    TP_CHECK_F32(tp_##F##_to_f32(v), (float)int_value(m, neg, 24));            \
    TP_CHECK_F64(tp_##F##_to_f64(v), d);                                       \
    TP_CHECK_INT(tp_##F##_to_f16(v), narrow_ref(d, 10, 15));                   \
    TP_CHECK_INT(tp_##F##_to_bf16(v), narrow_ref(d, 7, 127));                  \
    TP_CHECK_INT(tp_##F##_to_bool(v), ints[k] << (64 - BITS_##F) ? 1 : 0);     \
  }

static void integers(void) {
  int k;
  INT_TO_INT(i8, u8) INT_TO_INT(i8, i16) INT_TO_INT(i8, u16) INT_TO_INT(i8, i32)
  INT_TO_INT(i8, u32) INT_TO_INT(i8, i64) INT_TO_INT(i8, u64)
  INT_TO_INT(u8, i8) INT_TO_INT(u8, i16) INT_TO_INT(u8, u16) INT_TO_INT(u8, i32)
  INT_TO_INT(u8, u32) INT_TO_INT(u8, i64) INT_TO_INT(u8, u64)
  INT_TO_INT(i16, i8) INT_TO_INT(i16, u8) INT_TO_INT(i16, u16) INT_TO_INT(i16, i32)
  INT_TO_INT(i16, u32) INT_TO_INT(i16, i64) INT_TO_INT(i16, u64)
  INT_TO_INT(u16, i8) INT_TO_INT(u16, u8) INT_TO_INT(u16, i16) INT_TO_INT(u16, i32)
  INT_TO_INT(u16, u32) INT_TO_INT(u16, i64) INT_TO_INT(u16, u64)
  INT_TO_INT(i32, i8) INT_TO_INT(i32, u8) INT_TO_INT(i32, i16) INT_TO_INT(i32, u16)
  INT_TO_INT(i32, u32) INT_TO_INT(i32, i64) INT_TO_INT(i32, u64)
  INT_TO_INT(u32, i8) INT_TO_INT(u32, u8) INT_TO_INT(u32, i16) INT_TO_INT(u32, u16)
  INT_TO_INT(u32, i32) INT_TO_INT(u32, i64) INT_TO_INT(u32, u64)
  INT_TO_INT(i64, i8) INT_TO_INT(i64, u8) INT_TO_INT(i64, i16) INT_TO_INT(i64, u16)
  INT_TO_INT(i64, i32) INT_TO_INT(i64, u32) INT_TO_INT(i64, u64)
  INT_TO_INT(u64, i8) INT_TO_INT(u64, u8) INT_TO_INT(u64, i16) INT_TO_INT(u64, u16)
  INT_TO_INT(u64, i32) INT_TO_INT(u64, u32) INT_TO_INT(u64, i64)
  INT_TO_OTHERS(i8) INT_TO_OTHERS(u8) INT_TO_OTHERS(i16) INT_TO_OTHERS(u16)
  INT_TO_OTHERS(i32) INT_TO_OTHERS(u32) INT_TO_OTHERS(i64) INT_TO_OTHERS(u64)

  /* By hand. Wrap: */
  TP_CHECK_INT(tp_i32_to_i8(300), 44);
  TP_CHECK_INT(tp_i16_to_u8(-1), 255);
  TP_CHECK_INT(tp_u64_to_i64(UINT64_MAX), -1);
  TP_CHECK_INT(tp_i64_to_u32(INT64_MIN + 5), 5);
  /* bool is v != 0, not the low byte. */
  TP_CHECK_INT(tp_i16_to_bool(256), 1);
  TP_CHECK_INT(tp_u64_to_bool((uint64_t)1 << 63), 1);
  /* Ties to even in float and double; u64 beyond INT64_MAX. */
  TP_CHECK_F32(tp_i32_to_f32(16777217), 16777216.0f);
  TP_CHECK_F32(tp_i32_to_f32(16777219), 16777220.0f);
  TP_CHECK_F32(tp_u64_to_f32(UINT64_MAX), 0x1p64f);
  TP_CHECK_F32(tp_u64_to_f32(0x8000008000000000u), 0x1p63f);
  TP_CHECK_F32(tp_u64_to_f32(0x8000008000000001u), 0x1.000002p63f);
  TP_CHECK_F64(tp_u64_to_f64(UINT64_MAX), 0x1p64);
  TP_CHECK_F64(tp_i64_to_f64(-9007199254740995), -9007199254740996.0);
  TP_CHECK_F64(tp_i64_to_f64(INT64_MIN), -0x1p63);
  /* f16: 2049 and 2051 are ties (2048 and 2052 even); 65519 rounds down to
     the largest f16, 65520 up to infinity. bf16: 257 and 259 ties. */
  TP_CHECK_INT(tp_i16_to_f16(2049), 0x6800);
  TP_CHECK_INT(tp_i16_to_f16(2051), 0x6802);
  TP_CHECK_INT(tp_u16_to_f16(65519), 0x7bff);
  TP_CHECK_INT(tp_u16_to_f16(65520), 0x7c00);
  TP_CHECK_INT(tp_i32_to_f16(-65520), 0xfc00);
  TP_CHECK_INT(tp_i8_to_f16(-128), 0xd800);
  TP_CHECK_INT(tp_u8_to_bf16(255), 0x437f);
  TP_CHECK_INT(tp_i16_to_bf16(257), 0x4380);
  TP_CHECK_INT(tp_i16_to_bf16(259), 0x4382);
  TP_CHECK_INT(tp_u32_to_bf16(UINT32_MAX), 0x4f80);
  TP_CHECK_INT(tp_u64_to_bf16(UINT64_MAX), 0x5f80);
  /* 2^62 + 2^54 + 1 is just above the bf16 midpoint 2^62 + 2^54, but it
     becomes that midpoint in double, which then rounds to even: 2^62.
     (One rounding would give 2^62 + 2^55, 0x5e81.) */
  TP_CHECK_INT(tp_i64_to_bf16(0x4040000000000001), 0x5e80);
  TP_CHECK_INT(tp_u64_to_f16(0x4040000000000001u), 0x7c00);
}

/* ---- Float sources -------------------------------------------------------- */

/* Float to integer by hand: the input, its int64 and uint64 results, and
 * whether it is a float too. */
static const struct {
  double v;
  int64_t i64;
  uint64_t u64;
  int f32;
} to_int[] = {
    {0.0, 0, 0, 1},
    {-0.0, 0, 0, 1},
    {0.75, 0, 0, 1},
    {-0.75, 0, 0, 1},
    {2.5, 2, 2, 1},
    {-2.5, -2, 0xfffffffffffffffeu, 1},
    {-1.0, -1, UINT64_MAX, 1},
    {127.75, 127, 127, 1},
    {-129.5, -129, 0xffffffffffffff7fu, 1},
    {300.25, 300, 300, 1},
    {65535.5, 65535, 65535, 1},
    {-65536.75, -65536, 0xffffffffffff0000u, 1},
    {2147483520.0, 2147483520, 2147483520u, 1},
    {2147483648.0, 2147483648, 2147483648u, 1},
    {-2147483904.0, -2147483904, 0xffffffff7fffff00u, 1},
    {5e9, 5000000000, 5000000000u, 1},
    {-5e9, -5000000000, 0xfffffffed5fa0e00u, 1},
    {1e10, 10000000000, 10000000000u, 1},
    {4294967295.75, 4294967295, 4294967295u, 0},
    {0x1.fffffep62, 9223371487098961920, 9223371487098961920u, 1},
    {0x1.fffffffffffffp62, 9223372036854774784, 9223372036854774784u, 0},
    {0x1p63, INT64_MAX, 0x8000000000000000u, 1},
    {-0x1p63, INT64_MIN, 0x8000000000000000u, 1},
    {-0x1.000002p63, INT64_MIN, 0x8000000000000000u, 1},
    {-0x1.0000000000001p63, INT64_MIN, 0x8000000000000000u, 0},
    {0x1.fffffep63, INT64_MAX, 0xffffff0000000000u, 1},
    {0x1.fffffffffffffp63, INT64_MAX, 0xfffffffffffff800u, 0},
    {0x1p64, INT64_MAX, UINT64_MAX, 1},
    {3e38, INT64_MAX, UINT64_MAX, 1},
    {-3e38, INT64_MIN, 0x8000000000000000u, 1},
    {1e300, INT64_MAX, UINT64_MAX, 0},
    {0x1p-149, 0, 0, 1},
    {HUGE_VAL, INT64_MAX, UINT64_MAX, 1},
    {-HUGE_VAL, INT64_MIN, 0x8000000000000000u, 1},
    {NAN, 0, 0, 1},
};
#define NTO_INT ((int)(sizeof to_int / sizeof *to_int))

#define FLOAT_TO_INT(F, T, v, want)                                            \
  TP_CHECK_INT(tp_##F##_to_##T(v), wrap((uint64_t)(want), BITS_##T, SGN_##T))

static void floats_to_integers(void) {
  int k;
  for (k = 0; k < NTO_INT; ++k) {
    const double d = to_int[k].v;
    const int64_t w = to_int[k].i64;
    TP_CHECK_INT(saturate_ref(d), w); /* the table agrees with the definition */
    TP_CHECK(saturate_u64_ref(d) == to_int[k].u64);
    FLOAT_TO_INT(f64, i8, d, w);
    FLOAT_TO_INT(f64, u8, d, w);
    FLOAT_TO_INT(f64, i16, d, w);
    FLOAT_TO_INT(f64, u16, d, w);
    FLOAT_TO_INT(f64, i32, d, w);
    FLOAT_TO_INT(f64, u32, d, w);
    TP_CHECK_INT(tp_f64_to_i64(d), w);
    TP_CHECK(tp_f64_to_u64(d) == to_int[k].u64);
    TP_CHECK_INT(tp_f64_to_u64(d), to_int[k].u64);
    if (to_int[k].f32) {
      const float f = (float)d;
      FLOAT_TO_INT(f32, i8, f, w);
      FLOAT_TO_INT(f32, u8, f, w);
      FLOAT_TO_INT(f32, i16, f, w);
      FLOAT_TO_INT(f32, u16, f, w);
      FLOAT_TO_INT(f32, i32, f, w);
      FLOAT_TO_INT(f32, u32, f, w);
      TP_CHECK_INT(tp_f32_to_i64(f), w);
      TP_CHECK(tp_f32_to_u64(f) == to_int[k].u64);
      TP_CHECK_INT(tp_f32_to_u64(f), to_int[k].u64);
    }
  }
  /* By hand: the wrap after saturating. */
  TP_CHECK_INT(tp_f32_to_i8(HUGE_VALF), -1);  /* INT64_MAX's low byte */
  TP_CHECK_INT(tp_f32_to_u16(-HUGE_VALF), 0); /* INT64_MIN's low bits */
  TP_CHECK_INT(tp_f32_to_i8(300.5f), 44);
  TP_CHECK_INT(tp_f32_to_u8(-1.5f), 255);
  TP_CHECK_INT(tp_f64_to_i32(1e10), 1410065408);
  TP_CHECK_INT(tp_f64_to_u32(5e9), 705032704);
  TP_CHECK_INT(tp_f32_to_i32(NAN), 0);
}

static void floats_to_floats(void) {
  const float fnan = NAN;
  /* Double to float: ties to even, overflow, subnormals, signs. */
  TP_CHECK_F32(tp_f64_to_f32(0x1.000001p0), 1.0f);
  TP_CHECK_F32(tp_f64_to_f32(0x1.0000010000001p0), 0x1.000002p0f);
  TP_CHECK_F32(tp_f64_to_f32(0x1.000003p0), 0x1.000004p0f);
  TP_CHECK_F32(tp_f64_to_f32(0.1), 0x1.99999ap-4f);
  TP_CHECK_F32(tp_f64_to_f32(0x1.fffffefffffffp127), 0x1.fffffep127f);
  TP_CHECK_F32(tp_f64_to_f32(0x1.ffffffp127), HUGE_VALF);
  TP_CHECK_F32(tp_f64_to_f32(-1e300), -HUGE_VALF);
  TP_CHECK_F32(tp_f64_to_f32(0x1p-150), 0.0f);
  TP_CHECK_F32(tp_f64_to_f32(-0x1.0000000000001p-150), -0x1p-149f);
  TP_CHECK_F32(tp_f64_to_f32(0x1.8p-149), 0x1p-148f);
  TP_CHECK_F32(tp_f64_to_f32(-0.0), -0.0f);
  TP_CHECK(tp_f64_to_f32(NAN) != tp_f64_to_f32(NAN));
  /* Float to double: exact. */
  TP_CHECK_F64(tp_f32_to_f64(0x1p-149f), 0x1p-149);
  TP_CHECK_F64(tp_f32_to_f64(0x1.fffffep127f), 0x1.fffffep127);
  TP_CHECK_F64(tp_f32_to_f64(0.1f), 0x1.99999ap-4);
  TP_CHECK_F64(tp_f32_to_f64(-0.0f), -0.0);
  TP_CHECK_F64(tp_f32_to_f64(-HUGE_VALF), -HUGE_VAL);
  TP_CHECK(tp_f32_to_f64(fnan) != tp_f32_to_f64(fnan));
  /* To bool: NaN is true, -0 false, the smallest subnormals true. */
  TP_CHECK_INT(tp_f32_to_bool(0.0f), 0);
  TP_CHECK_INT(tp_f32_to_bool(-0.0f), 0);
  TP_CHECK_INT(tp_f32_to_bool(fnan), 1);
  TP_CHECK_INT(tp_f32_to_bool(0x1p-149f), 1);
  TP_CHECK_INT(tp_f32_to_bool(-HUGE_VALF), 1);
  TP_CHECK_INT(tp_f64_to_bool(-0.0), 0);
  TP_CHECK_INT(tp_f64_to_bool(NAN), 1);
  TP_CHECK_INT(tp_f64_to_bool(0x1p-1074), 1);
  TP_CHECK_INT(tp_f64_to_bool(0.5), 1);
}

/* ---- f16 and bf16 sources --------------------------------------------------- */

/* Patterns of each: zeros, subnormals, ones, ties and edges of the integer
   types, the largest finite values, infinities, NaNs. */
static const uint16_t f16s[] = {0x0000, 0x8000, 0x0001, 0x03ff, 0x3bff, 0x3c00, 0xbc00,
                                0xbe00, 0xc500, 0x4170, 0x57f8, 0x5bf8, 0xdc04, 0x7bff,
                                0xfbff, 0x7c00, 0xfc00, 0x7e00, 0xfe01, 0x3c01, 0x3c03};
static const uint16_t bf16s[] = {0x0000, 0x8000, 0x0001, 0x3300, 0x3340, 0x3380, 0x3f80,
                                 0xbf80, 0xbfc0, 0x4049, 0x4300, 0xc301, 0x477f, 0x4780,
                                 0x4f00, 0xcf00, 0x4f80, 0x5f00, 0xdf00, 0x5f7f, 0x5f80,
                                 0x7f7f, 0xff7f, 0x7f80, 0xff80, 0x7fc0, 0xffc1};

#define NARROW_TO_INTS(N, h, d)                                                \
  do {                                                                         \
    const int64_t w = saturate_ref(d);                                         \
    FLOAT_TO_INT(N, i8, h, w);                                                 \
    FLOAT_TO_INT(N, u8, h, w);                                                 \
    FLOAT_TO_INT(N, i16, h, w);                                                \
    FLOAT_TO_INT(N, u16, h, w);                                                \
    FLOAT_TO_INT(N, i32, h, w);                                                \
    FLOAT_TO_INT(N, u32, h, w);                                                \
    TP_CHECK_INT(tp_##N##_to_i64(h), w);                                       \
    TP_CHECK_INT(tp_##N##_to_u64(h), saturate_u64_ref(d));                     \
    TP_CHECK_INT(tp_##N##_to_bool(h), d == 0 ? 0 : 1);                         \
    if (d == d)                                                                \
      TP_CHECK_F64(tp_##N##_to_f64(h), d);                                     \
    else                                                                       \
      TP_CHECK(tp_##N##_to_f64(h) != tp_##N##_to_f64(h));                      \
  } while (0)

static void narrow_sources(void) {
  int k;
  for (k = 0; k < (int)(sizeof f16s / sizeof *f16s); ++k) {
    const uint16_t h = f16s[k];
    const double d = narrow_value(h, 10, 15);
    NARROW_TO_INTS(f16, h, d);
    if (d == d)
      TP_CHECK_INT(tp_f16_to_bf16(h), narrow_ref(d, 7, 127));
    else /* NaN stays NaN, with its sign */
      TP_CHECK_INT(tp_f16_to_bf16(h) & 0xffc0u, (h & 0x8000u) | 0x7fc0u);
  }
  for (k = 0; k < (int)(sizeof bf16s / sizeof *bf16s); ++k) {
    const uint16_t h = bf16s[k];
    const double d = narrow_value(h, 7, 127);
    NARROW_TO_INTS(bf16, h, d);
    if (d == d)
      TP_CHECK_INT(tp_bf16_to_f16(h), narrow_ref(d, 10, 15));
    else
      TP_CHECK_INT(tp_bf16_to_f16(h) & 0xfe00u, (h & 0x8000u) | 0x7e00u);
  }
  /* By hand. f16: -5 to u8 wraps to 251, 65504 to i16 to -32, infinity to
     i16 is INT64_MAX's low bits. f16 to bf16: 1 + 2^-10 rounds to 1, 65504
     up to 65536. bf16 to f16: 65280 is exact, 65536 overflows, 2^-25 is a
     tie between 0 and the smallest subnormal (0 is even), 1.5 * 2^-25
     rounds up to it. */
  TP_CHECK_INT(tp_f16_to_u8(0xc500), 251);
  TP_CHECK_INT(tp_f16_to_i16(0x7bff), -32);
  TP_CHECK_INT(tp_f16_to_i16(0x7c00), -1);
  TP_CHECK_INT(tp_f16_to_u64(0xbc00), UINT64_MAX);
  TP_CHECK_INT(tp_f16_to_bf16(0x3c01), 0x3f80);
  TP_CHECK_INT(tp_f16_to_bf16(0x7bff), 0x4780);
  TP_CHECK_INT(tp_bf16_to_f16(0x477f), 0x7bf8);
  TP_CHECK_INT(tp_bf16_to_f16(0x4780), 0x7c00);
  TP_CHECK_INT(tp_bf16_to_f16(0x3300), 0x0000);
  TP_CHECK_INT(tp_bf16_to_f16(0x3340), 0x0001);
  TP_CHECK_INT(tp_bf16_to_u64(0x5f80), UINT64_MAX);
  TP_CHECK_INT(tp_bf16_to_i64(0xdf00), INT64_MIN);
  TP_CHECK_INT(tp_bf16_to_i64(0x5f00), INT64_MAX);
  TP_CHECK_INT(tp_bf16_to_bool(0x8000), 0);
  TP_CHECK_INT(tp_bf16_to_bool(0x0001), 1);
  TP_CHECK_F64(tp_bf16_to_f64(0x4049), 3.140625);
}

/* ---- The loop ------------------------------------------------------------ */

static void loops(void) {
  int k;
  {
    const float x[8] = {NAN, HUGE_VALF, -HUGE_VALF, 300.5f, -129.5f, 2.9f, -2.9f, -0.0f};
    static const int8_t want[8] = {0, -1, 0, 44, 127, 2, -2, 0};
    int8_t y[9];
    y[8] = 99;
    tp_cast_f32_i8(x, y, 8);
    for (k = 0; k < 8; ++k)
      TP_CHECK_INT(y[k], want[k]);
    TP_CHECK_INT(y[8], 99);
  }
  {
    static const uint16_t x[4] = {0x3c00, 0x0001, 0xfc00, 0x8000};
    const float want[4] = {1.0f, 0x1p-24f, -HUGE_VALF, -0.0f};
    float y[4];
    tp_cast_f16_f32(x, y, 4);
    for (k = 0; k < 4; ++k)
      TP_CHECK_F32(y[k], want[k]);
  }
  {
    static const uint64_t x[4] = {UINT64_MAX, 0x8000008000000000u, 0x8000008000000001u, 16777217};
    const float want[4] = {0x1p64f, 0x1p63f, 0x1.000002p63f, 16777216.0f};
    float y[4];
    tp_cast_u64_f32(x, y, 4);
    for (k = 0; k < 4; ++k)
      TP_CHECK_F32(y[k], want[k]);
  }
  {
    static const int32_t x[4] = {0, 256, -1, INT32_MIN};
    uint8_t y[4];
    tp_cast_i32_bool(x, y, 4);
    TP_CHECK_INT(y[0], 0);
    TP_CHECK_INT(y[1], 1);
    TP_CHECK_INT(y[2], 1);
    TP_CHECK_INT(y[3], 1);
  }
  {
    /* 1 + 2^-8 and 1 + 3 * 2^-8 are ties: to 1 and to 1 + 2^-6. */
    const double x[5] = {1.0, 1e300, -0.0, 1.00390625, 1.01171875};
    static const uint16_t want[5] = {0x3f80, 0x7f80, 0x8000, 0x3f80, 0x3f82};
    uint16_t y[5];
    tp_cast_f64_bf16(x, y, 5);
    for (k = 0; k < 5; ++k)
      TP_CHECK_INT(y[k], want[k]);
  }
  {
    const double x[2] = {0.1, -1e-300};
    float y[3] = {5.0f, 5.0f, 5.0f};
    tp_cast_f64_f32(x, y, 0); /* nothing */
    TP_CHECK_F32(y[0], 5.0f);
    tp_cast_f64_f32(x, y, 2);
    TP_CHECK_F32(y[0], 0x1.99999ap-4f);
    TP_CHECK_F32(y[1], -0.0f);
    TP_CHECK_F32(y[2], 5.0f);
  }
  {
    static const uint16_t x[3] = {0x477f, 0x3f80, 0xff80};
    uint16_t y[3];
    tp_cast_bf16_f16(x, y, 3);
    TP_CHECK_INT(y[0], 0x7bf8);
    TP_CHECK_INT(y[1], 0x3c00);
    TP_CHECK_INT(y[2], 0xfc00);
  }
  {
    /* In place: the same bytes read as uint8 and written as int8. */
    union {
      uint8_t u[4];
      int8_t i[4];
    } b = {{0, 127, 128, 255}};
    tp_cast_u8_i8(b.u, b.i, 4);
    TP_CHECK_INT(b.i[0], 0);
    TP_CHECK_INT(b.i[1], 127);
    TP_CHECK_INT(b.i[2], -128);
    TP_CHECK_INT(b.i[3], -1);
  }
}

int main(void) {
  integers();
  floats_to_integers();
  floats_to_floats();
  narrow_sources();
  loops();
  return tp_finish("cast");
}
