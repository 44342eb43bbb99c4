/* The unary loops of kernels/unary.c with every element function they are
 * made with (as tinyplan makes them, one instance per op and type), against
 * hand-computed values and references written here: f32 and f64 on signed
 * zeros, infinities and NaN, f16 and bf16 bit patterns rounded once, the
 * integers' wrap-around at the minimum, Clip with each bound present or
 * absent, in place, and n = 0. The QDQ loops (tp_qdq_unary*: dequantize,
 * element function, quantize per element) give on every int8 / uint8 input
 * the bits of the three separate kernels, with scales that make ties,
 * saturation at both ends and zero points at the ends of their range.
 * KERNELS:
 *   tp_unary_relu_f32=tp_unary_f32:tp_unary_op_f32=tp_relu_f32
 *   tp_unary_leakyrelu_f32=tp_unary1_f32:tp_unary1_op_f32=tp_leakyrelu_f32
 *   tp_unary_sigmoid_f32=tp_unary_f32:tp_unary_op_f32=tp_sigmoid_f32
 *   tp_unary_tanh_f32=tp_unary_f32:tp_unary_op_f32=tp_tanh_f32
 *   tp_unary_hardsigmoid_f32=tp_unary2_f32:tp_unary2_op_f32=tp_hardsigmoid_f32
 *   tp_unary_hardswish_f32=tp_unary_f32:tp_unary_op_f32=tp_hardswish_f32
 *   tp_unary_abs_f32=tp_unary_f32:tp_unary_op_f32=tp_abs_f32
 *   tp_unary_neg_f32=tp_unary_f32:tp_unary_op_f32=tp_neg_f32
 *   tp_unary_exp_f32=tp_unary_f32:tp_unary_op_f32=tp_exp_f32
 *   tp_unary_sqrt_f32=tp_unary_f32:tp_unary_op_f32=tp_sqrt_f32
 *   tp_unary_relu_f64=tp_unary_f64:tp_unary_op_f64=tp_relu_f64
 *   tp_unary_leakyrelu_f64=tp_unary1_f64:tp_unary1_op_f64=tp_leakyrelu_f64
 *   tp_unary_sigmoid_f64=tp_unary_f64:tp_unary_op_f64=tp_sigmoid_f64
 *   tp_unary_tanh_f64=tp_unary_f64:tp_unary_op_f64=tp_tanh_f64
 *   tp_unary_hardsigmoid_f64=tp_unary2_f64:tp_unary2_op_f64=tp_hardsigmoid_f64
 *   tp_unary_hardswish_f64=tp_unary_f64:tp_unary_op_f64=tp_hardswish_f64
 *   tp_unary_abs_f64=tp_unary_f64:tp_unary_op_f64=tp_abs_f64
 *   tp_unary_neg_f64=tp_unary_f64:tp_unary_op_f64=tp_neg_f64
 *   tp_unary_exp_f64=tp_unary_f64:tp_unary_op_f64=tp_exp_f64
 *   tp_unary_sqrt_f64=tp_unary_f64:tp_unary_op_f64=tp_sqrt_f64
 *   tp_unary_relu_f16=tp_unary_f16:tp_unary_op_f32=tp_relu_f32
 *   tp_unary_leakyrelu_f16=tp_unary1_f16:tp_unary1_op_f32=tp_leakyrelu_f32
 *   tp_unary_sigmoid_f16=tp_unary_f16:tp_unary_op_f32=tp_sigmoid_f32
 *   tp_unary_tanh_f16=tp_unary_f16:tp_unary_op_f32=tp_tanh_f32
 *   tp_unary_hardsigmoid_f16=tp_unary2_f16:tp_unary2_op_f32=tp_hardsigmoid_f32
 *   tp_unary_hardswish_f16=tp_unary_f16:tp_unary_op_f32=tp_hardswish_f32
 *   tp_unary_abs_f16=tp_unary_f16:tp_unary_op_f32=tp_abs_f32
 *   tp_unary_neg_f16=tp_unary_f16:tp_unary_op_f32=tp_neg_f32
 *   tp_unary_exp_f16=tp_unary_f16:tp_unary_op_f32=tp_exp_f32
 *   tp_unary_sqrt_f16=tp_unary_f16:tp_unary_op_f32=tp_sqrt_f32
 *   tp_unary_relu_bf16=tp_unary_bf16:tp_unary_op_f32=tp_relu_f32
 *   tp_unary_leakyrelu_bf16=tp_unary1_bf16:tp_unary1_op_f32=tp_leakyrelu_f32
 *   tp_unary_hardsigmoid_bf16=tp_unary2_bf16:tp_unary2_op_f32=tp_hardsigmoid_f32
 *   tp_unary_neg_bf16=tp_unary_bf16:tp_unary_op_f32=tp_neg_f32
 *   tp_unary_exp_bf16=tp_unary_bf16:tp_unary_op_f32=tp_exp_f32
 *   tp_unary_sqrt_bf16=tp_unary_bf16:tp_unary_op_f32=tp_sqrt_f32
 *   tp_unary_relu_i8=tp_unary_i8:tp_unary_op_i8=tp_relu_i8
 *   tp_unary_relu_i16=tp_unary_i16:tp_unary_op_i16=tp_relu_i16
 *   tp_unary_relu_i32=tp_unary_i32:tp_unary_op_i32=tp_relu_i32
 *   tp_unary_relu_i64=tp_unary_i64:tp_unary_op_i64=tp_relu_i64
 *   tp_unary_abs_i8=tp_unary_i8:tp_unary_op_i8=tp_abs_i8
 *   tp_unary_abs_i16=tp_unary_i16:tp_unary_op_i16=tp_abs_i16
 *   tp_unary_abs_i32=tp_unary_i32:tp_unary_op_i32=tp_abs_i32
 *   tp_unary_abs_i64=tp_unary_i64:tp_unary_op_i64=tp_abs_i64
 *   tp_unary_abs_u8=tp_unary_u8:tp_unary_op_u8=tp_abs_u8
 *   tp_unary_abs_u16=tp_unary_u16:tp_unary_op_u16=tp_abs_u16
 *   tp_unary_abs_u32=tp_unary_u32:tp_unary_op_u32=tp_abs_u32
 *   tp_unary_abs_u64=tp_unary_u64:tp_unary_op_u64=tp_abs_u64
 *   tp_unary_neg_i8=tp_unary_i8:tp_unary_op_i8=tp_neg_i8
 *   tp_unary_neg_i16=tp_unary_i16:tp_unary_op_i16=tp_neg_i16
 *   tp_unary_neg_i32=tp_unary_i32:tp_unary_op_i32=tp_neg_i32
 *   tp_unary_neg_i64=tp_unary_i64:tp_unary_op_i64=tp_neg_i64
 *   tp_unary_clip_f32 tp_unary_clip_f64 tp_unary_clip_f16 tp_unary_clip_bf16
 *   tp_unary_clip_i8 tp_unary_clip_u8 tp_unary_clip_i16 tp_unary_clip_u16
 *   tp_unary_clip_i32 tp_unary_clip_u32 tp_unary_clip_i64 tp_unary_clip_u64
 *   tp_qdq_unary_tanh_i8=tp_qdq_unary_i8:tp_unary_op_f32=tp_tanh_f32
 *   tp_qdq_unary_exp_u8=tp_qdq_unary_u8:tp_unary_op_f32=tp_exp_f32
 *   tp_qdq_unary_leakyrelu_i8=tp_qdq_unary1_i8:tp_unary1_op_f32=tp_leakyrelu_f32
 *   tp_qdq_unary_hardsigmoid_u8=tp_qdq_unary2_u8:tp_unary2_op_f32=tp_hardsigmoid_f32
 *   tp_dequantize_i8 tp_dequantize_u8 tp_quantize_i8 tp_quantize_u8
 */
#include "kernels.h"
#include "tp_check.h"

#define COUNT(a) ((int32_t)(sizeof(a) / sizeof((a)[0])))

/* The inputs of the float checks: both zeros, both infinities, NaN, and
 * values on either side of every threshold of the activations. */
static const float kX[] = {-7.0f, -3.0f, -2.5f, -1.0f, -0.5f, -0.0f, 0.0f, 0.25f, 0.5f,
                           1.0f,  2.5f,  3.0f,  4.0f,  100.0f, 1e-40f, HUGE_VALF, -HUGE_VALF, NAN,
                           6.5f};
#define NX COUNT(kX)

static int is_nan_f32(float x) { return x != x; }

/* Exactly these bits, or both NaN: the sign of a NaN that an invalid
 * operation makes (-inf * 0) depends on the core, and on the compiler when
 * it folds the reference. */
#define CHECK_F32(got, want)                                                   \
  do {                                                                         \
    const float g_ = (got), w_ = (want);                                       \
    if (is_nan_f32(w_)) {                                                      \
      tp_digest_f32(g_);                                                       \
      TP_CHECK(is_nan_f32(g_));                                                \
    } else {                                                                   \
      TP_CHECK_F32(g_, w_);                                                    \
    }                                                                          \
  } while (0)

/* References written from the ONNX definitions, as branches. */
static float relu_ref(float x) {
  if (is_nan_f32(x) || x > 0)
    return x;
  return 0.0f;
}
static float hardsigmoid_ref(float x, float alpha, float beta) {
  volatile float product = alpha * x; /* rounded on its own */
  float t = product + beta;
  if (is_nan_f32(t))
    return t;
  if (t > 1.0f)
    return 1.0f;
  if (t < 0.0f)
    return 0.0f;
  return t;
}
static float flip_sign(float x, int clear) {
  uint32_t u = tp_f32_bits(x);
  u = clear ? u & 0x7fffffffu : u ^ 0x80000000u;
  return tp_f32_from_bits(u);
}

static void check_f32(void) {
  float y[NX], z[NX];
  int32_t i;
  tp_unary_relu_f32(kX, y, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    TP_CHECK_F32(y[i], relu_ref(kX[i]));
  TP_CHECK(tp_f32_bits(y[5]) == 0); /* Relu(-0) is +0 */
  tp_unary_leakyrelu_f32(kX, y, NX, 0.1f, 0);
  for (i = 0; i < NX; ++i)
    CHECK_F32(y[i], kX[i] < 0 ? kX[i] * 0.1f : kX[i]);
  TP_CHECK_F32(y[1], -0.3f); /* 0.1f * -3 rounds to -0.3f */
  TP_CHECK_F32(y[5], -0.0f);
  tp_unary_hardsigmoid_f32(kX, y, NX, 0.2f, 0.5f);
  for (i = 0; i < NX; ++i)
    CHECK_F32(y[i], hardsigmoid_ref(kX[i], 0.2f, 0.5f));
  TP_CHECK_F32(y[1], 0.0f);  /* 0.2 * -3 + 0.5 < 0 */
  TP_CHECK_F32(y[11], 1.0f); /* 0.2 * 3 + 0.5 > 1 */
  TP_CHECK(is_nan_f32(y[17])); /* NaN stays NaN */
  tp_unary_hardswish_f32(kX, y, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    CHECK_F32(y[i], kX[i] * hardsigmoid_ref(kX[i], 1.0f / 6.0f, 0.5f));
  TP_CHECK_F32(y[11], 3.0f);
  TP_CHECK_F32(y[1], -0.0f);
  tp_unary_abs_f32(kX, y, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    TP_CHECK_F32(y[i], flip_sign(kX[i], 1));
  tp_unary_neg_f32(kX, y, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    TP_CHECK_F32(y[i], flip_sign(kX[i], 0));
  /* Sigmoid, Tanh and Exp are cmath.c's, tested there; the loops apply them. */
  tp_unary_sigmoid_f32(kX, y, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    CHECK_F32(y[i], tp_sigmoidf(kX[i]));
  TP_CHECK_F32(y[6], 0.5f);
  TP_CHECK_F32(y[15], 1.0f);
  tp_unary_tanh_f32(kX, y, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    CHECK_F32(y[i], tp_tanhf(kX[i]));
  TP_CHECK_F32(y[5], -0.0f);
  TP_CHECK_F32(y[16], -1.0f);
  tp_unary_exp_f32(kX, y, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    CHECK_F32(y[i], tp_expf(kX[i]));
  TP_CHECK_F32(y[6], 1.0f);
  TP_CHECK_F32(y[16], 0.0f);
  tp_unary_sqrt_f32(kX, y, NX, 0, 0);
  TP_CHECK_F32(y[5], -0.0f);
  TP_CHECK_F32(y[6], 0.0f);
  TP_CHECK_F32(y[7], 0.5f);
  TP_CHECK_F32(y[12], 2.0f);
  TP_CHECK_F32(y[13], 10.0f);
  TP_CHECK_F32(y[15], HUGE_VALF);
  TP_CHECK(is_nan_f32(y[0]) && is_nan_f32(y[16]) && is_nan_f32(y[17]));
  z[0] = 2.0f;
  tp_unary_sqrt_f32(z, z, 1, 0, 0);
  TP_CHECK_F32(z[0], 0x1.6a09e6p+0f); /* sqrt(2) rounded to float */
  /* In place, and n = 0 writes nothing. */
  for (i = 0; i < NX; ++i)
    z[i] = kX[i];
  tp_unary_relu_f32(z, z, NX, 0, 0);
  for (i = 0; i < NX; ++i)
    TP_CHECK_F32(z[i], relu_ref(kX[i]));
  z[0] = -5.0f;
  tp_unary_neg_f32(kX, z, 0, 0, 0);
  TP_CHECK_F32(z[0], -5.0f);
}

static void check_f64(void) {
  static const double x[] = {-3.0, -0.5, -0.0, 0.0, 0.5, 1.0, 3.0, 4.0, HUGE_VAL, -HUGE_VAL};
  double y[COUNT(x)];
  const int32_t n = COUNT(x);
  int32_t i;
  tp_unary_relu_f64(x, y, n, 0, 0);
  TP_CHECK_F64(y[0], 0.0);
  TP_CHECK_F64(y[2], 0.0); /* +0 */
  TP_CHECK_F64(y[6], 3.0);
  tp_unary_leakyrelu_f64(x, y, n, 0.25, 0);
  TP_CHECK_F64(y[0], -0.75);
  TP_CHECK_F64(y[6], 3.0);
  TP_CHECK_F64(y[9], -HUGE_VAL);
  tp_unary_hardsigmoid_f64(x, y, n, 0.2, 0.5);
  TP_CHECK_F64(y[0], 0.0);
  TP_CHECK_F64(y[5], 0.2 + 0.5);
  TP_CHECK_F64(y[6], 1.0);
  tp_unary_hardswish_f64(x, y, n, 0, 0);
  TP_CHECK_F64(y[0], -0.0);
  TP_CHECK_F64(y[5], 1.0 * (1.0 / 6.0 + 0.5));
  TP_CHECK_F64(y[6], 3.0);
  tp_unary_abs_f64(x, y, n, 0, 0);
  TP_CHECK_F64(y[0], 3.0);
  TP_CHECK_F64(y[2], 0.0);
  TP_CHECK_F64(y[9], HUGE_VAL);
  tp_unary_neg_f64(x, y, n, 0, 0);
  TP_CHECK_F64(y[0], 3.0);
  TP_CHECK_F64(y[3], -0.0);
  TP_CHECK_F64(y[8], -HUGE_VAL);
  tp_unary_sqrt_f64(x, y, n, 0, 0);
  TP_CHECK_F64(y[2], -0.0);
  TP_CHECK_F64(y[7], 2.0);
  TP_CHECK(y[0] != y[0]);
  /* libm's exp and tanh round differently in glibc and newlib: kept out of
     the digest. */
  tp_unary_exp_f64(x, y, n, 0, 0);
  for (i = 0; i < n; ++i)
    TP_CHECK(y[i] == exp(x[i]));
  tp_unary_tanh_f64(x, y, n, 0, 0);
  for (i = 0; i < n; ++i)
    TP_CHECK(y[i] == tanh(x[i]));
  tp_unary_sigmoid_f64(x, y, n, 0, 0);
  for (i = 0; i < n; ++i)
    TP_CHECK(y[i] == tp_sigmoid(x[i]));
  TP_CHECK(y[3] == 0.5 && y[8] == 1.0 && y[9] == 0.0);
}

/* f16 and bf16: bit patterns, each result rounded once from float. */
static void check_f16(void) {
  /* -2.5, -1, -0, 0, 0.5, 1, 2, 3, 65504, inf, NaN */
  static const uint16_t x[] = {0xc100, 0xbc00, 0x8000, 0x0000, 0x3800, 0x3c00,
                               0x4000, 0x4200, 0x7bff, 0x7c00, 0x7e00};
  uint16_t y[COUNT(x)], z[COUNT(x)];
  const int32_t n = COUNT(x);
  int32_t i;
  tp_unary_relu_f16(x, y, n, 0, 0);
  TP_CHECK_INT(y[0], 0x0000);
  TP_CHECK_INT(y[2], 0x0000); /* -0 becomes +0 */
  TP_CHECK_INT(y[6], 0x4000);
  TP_CHECK_INT(y[10], 0x7e00); /* NaN stays */
  tp_unary_leakyrelu_f16(x, y, n, 0.1f, 0);
  TP_CHECK_INT(y[1], 0xae66); /* -0.1f rounded to f16 */
  TP_CHECK_INT(y[7], 0x4200);
  tp_unary_hardsigmoid_f16(x, y, n, 0.2f, 0.5f);
  TP_CHECK_INT(y[1], 0x34cd); /* 0.3f rounded to f16 */
  TP_CHECK_INT(y[5], 0x399a); /* 0.7f rounded to f16 */
  TP_CHECK_INT(y[7], 0x3c00);
  TP_CHECK_INT(y[0], 0x0000);
  TP_CHECK((y[10] & 0x7fffu) > 0x7c00u); /* NaN stays NaN */
  tp_unary_hardswish_f16(x, y, n, 0, 0);
  TP_CHECK_INT(y[1], 0xb555); /* -1 * (1/6 * -1 + 1/2) = -1/3 */
  TP_CHECK_INT(y[5], 0x3955); /* 2/3 */
  TP_CHECK_INT(y[7], 0x4200);
  tp_unary_abs_f16(x, y, n, 0, 0);
  for (i = 0; i < n; ++i)
    TP_CHECK_INT(y[i], x[i] & 0x7fffu);
  tp_unary_neg_f16(x, y, n, 0, 0);
  for (i = 0; i < n; ++i)
    TP_CHECK_INT(y[i], x[i] ^ 0x8000u);
  tp_unary_sqrt_f16(x, y, n, 0, 0);
  TP_CHECK_INT(y[2], 0x8000);
  TP_CHECK_INT(y[5], 0x3c00);
  TP_CHECK_INT(y[6], 0x3da8); /* sqrt(2) */
  TP_CHECK_INT(y[9], 0x7c00);
  tp_unary_exp_f16(x, y, n, 0, 0);
  TP_CHECK_INT(y[3], 0x3c00);
  TP_CHECK_INT(y[5], 0x4170); /* e */
  TP_CHECK_INT(y[8], 0x7c00); /* overflows */
  tp_unary_tanh_f16(x, y, n, 0, 0);
  TP_CHECK_INT(y[2], 0x8000);
  TP_CHECK_INT(y[5], 0x3a18); /* tanh(1) */
  TP_CHECK_INT(y[9], 0x3c00);
  tp_unary_sigmoid_f16(x, y, n, 0, 0);
  TP_CHECK_INT(y[3], 0x3800);
  TP_CHECK_INT(y[5], 0x39d9); /* sigmoid(1) */
  /* In place. */
  for (i = 0; i < n; ++i)
    z[i] = x[i];
  tp_unary_neg_f16(z, z, n, 0, 0);
  for (i = 0; i < n; ++i)
    TP_CHECK_INT(z[i], x[i] ^ 0x8000u);
}

static void check_bf16(void) {
  /* -2.5, -1, -0, 1, 2, 3, inf */
  static const uint16_t x[] = {0xc020, 0xbf80, 0x8000, 0x3f80, 0x4000, 0x4040, 0x7f80};
  uint16_t y[COUNT(x)];
  const int32_t n = COUNT(x);
  tp_unary_relu_bf16(x, y, n, 0, 0);
  TP_CHECK_INT(y[0], 0x0000);
  TP_CHECK_INT(y[2], 0x0000);
  TP_CHECK_INT(y[5], 0x4040);
  tp_unary_leakyrelu_bf16(x, y, n, 0.1f, 0);
  TP_CHECK_INT(y[1], 0xbdcd); /* -0.1f rounded to bf16 */
  tp_unary_hardsigmoid_bf16(x, y, n, 0.2f, 0.5f);
  TP_CHECK_INT(y[3], 0x3f33); /* 0.7f rounded to bf16 */
  TP_CHECK_INT(y[6], 0x3f80);
  tp_unary_neg_bf16(x, y, n, 0, 0);
  TP_CHECK_INT(y[0], 0x4020);
  TP_CHECK_INT(y[6], 0xff80);
  tp_unary_sqrt_bf16(x, y, n, 0, 0);
  TP_CHECK_INT(y[4], 0x3fb5); /* sqrt(2) */
  TP_CHECK_INT(y[2], 0x8000);
  tp_unary_exp_bf16(x, y, n, 0, 0);
  TP_CHECK_INT(y[3], 0x402e); /* e */
}

/* Integers: two's complement, the minimum value wrapping onto itself. */
static void check_int(void) {
  static const int8_t x8[] = {-128, -127, -1, 0, 1, 127};
  static const int16_t x16[] = {-32768, -5, 0, 5, 32767};
  static const int32_t x32[] = {-2147483647 - 1, -7, 0, 7, 2147483647};
  static const int64_t x64[] = {INT64_MIN, -9, 0, 9, INT64_MAX};
  static const uint8_t u8[] = {0, 1, 128, 255};
  static const uint16_t u16[] = {0, 40000, 65535};
  static const uint32_t u32[] = {0, 3000000000u, 4294967295u};
  static const uint64_t u64[] = {0, UINT64_C(9223372036854775808), UINT64_MAX};
  int8_t y8[6];
  int16_t y16[5];
  int32_t y32[5];
  int64_t y64[5];
  uint8_t v8[4];
  uint16_t v16[3];
  uint32_t v32[3];
  uint64_t v64[3];
  int32_t i;

  tp_unary_relu_i8(x8, y8, 6, 0, 0);
  for (i = 0; i < 6; ++i)
    TP_CHECK_INT(y8[i], x8[i] > 0 ? x8[i] : 0);
  tp_unary_abs_i8(x8, y8, 6, 0, 0);
  TP_CHECK_INT(y8[0], -128); /* |-128| wraps to -128 */
  TP_CHECK_INT(y8[1], 127);
  TP_CHECK_INT(y8[2], 1);
  TP_CHECK_INT(y8[5], 127);
  tp_unary_neg_i8(x8, y8, 6, 0, 0);
  TP_CHECK_INT(y8[0], -128); /* -(-128) wraps to -128 */
  TP_CHECK_INT(y8[1], 127);
  TP_CHECK_INT(y8[3], 0);
  TP_CHECK_INT(y8[5], -127);

  tp_unary_relu_i16(x16, y16, 5, 0, 0);
  TP_CHECK_INT(y16[0], 0);
  TP_CHECK_INT(y16[4], 32767);
  tp_unary_abs_i16(x16, y16, 5, 0, 0);
  TP_CHECK_INT(y16[0], -32768);
  TP_CHECK_INT(y16[1], 5);
  tp_unary_neg_i16(x16, y16, 5, 0, 0);
  TP_CHECK_INT(y16[0], -32768);
  TP_CHECK_INT(y16[4], -32767);

  tp_unary_relu_i32(x32, y32, 5, 0, 0);
  TP_CHECK_INT(y32[1], 0);
  TP_CHECK_INT(y32[3], 7);
  tp_unary_abs_i32(x32, y32, 5, 0, 0);
  TP_CHECK_INT(y32[0], INT32_MIN);
  TP_CHECK_INT(y32[1], 7);
  tp_unary_neg_i32(x32, y32, 5, 0, 0);
  TP_CHECK_INT(y32[0], INT32_MIN);
  TP_CHECK_INT(y32[3], -7);
  TP_CHECK_INT(y32[4], -2147483647);

  tp_unary_relu_i64(x64, y64, 5, 0, 0);
  TP_CHECK_INT(y64[0], 0);
  TP_CHECK_INT(y64[4], INT64_MAX);
  tp_unary_abs_i64(x64, y64, 5, 0, 0);
  TP_CHECK_INT(y64[0], INT64_MIN);
  TP_CHECK_INT(y64[1], 9);
  tp_unary_neg_i64(x64, y64, 5, 0, 0);
  TP_CHECK_INT(y64[0], INT64_MIN);
  TP_CHECK_INT(y64[4], -INT64_MAX);

  /* Abs of an unsigned type is the identity, above the signed range too. */
  tp_unary_abs_u8(u8, v8, 4, 0, 0);
  for (i = 0; i < 4; ++i)
    TP_CHECK_INT(v8[i], u8[i]);
  tp_unary_abs_u16(u16, v16, 3, 0, 0);
  for (i = 0; i < 3; ++i)
    TP_CHECK_INT(v16[i], u16[i]);
  tp_unary_abs_u32(u32, v32, 3, 0, 0);
  for (i = 0; i < 3; ++i)
    TP_CHECK_INT(v32[i], u32[i]);
  tp_unary_abs_u64(u64, v64, 3, 0, 0);
  for (i = 0; i < 3; ++i)
    TP_CHECK(v64[i] == u64[i]);
  TP_CHECK_INT(v64[2], -1); /* UINT64_MAX's bits */

  /* In place. */
  for (i = 0; i < 5; ++i)
    y32[i] = x32[i];
  tp_unary_neg_i32(y32, y32, 5, 0, 0);
  TP_CHECK_INT(y32[1], 7);
  TP_CHECK_INT(y32[4], -2147483647);
}

/* Clip: min(max(x, lo), hi), each bound optional. */
static float clip_ref(float x, const float *lo, const float *hi) {
  float v = x;
  if (lo && *lo > v)
    v = *lo;
  if (hi && *hi < v)
    v = *hi;
  return v;
}

static void check_clip(void) {
  static const float lo = -1.0f, hi = 6.0f, zero = 0.0f, nan = NAN;
  const float *los[] = {&lo, &lo, 0, 0}, *his[] = {&hi, 0, &hi, 0};
  float y[NX], z[NX];
  int32_t k, i;
  for (k = 0; k < 4; ++k) {
    tp_unary_clip_f32(kX, y, NX, los[k], his[k]);
    for (i = 0; i < NX; ++i)
      TP_CHECK_F32(y[i], clip_ref(kX[i], los[k], his[k]));
  }
  tp_unary_clip_f32(kX, y, NX, &lo, &hi);
  TP_CHECK_F32(y[0], -1.0f);
  TP_CHECK_F32(y[13], 6.0f);
  TP_CHECK_F32(y[5], -0.0f);
  TP_CHECK(is_nan_f32(y[17])); /* NaN stays NaN */
  TP_CHECK_F32(y[18], 6.0f);
  tp_unary_clip_f32(kX, y, NX, &hi, &lo); /* lo > hi: everything is hi */
  for (i = 0; i < NX; ++i)
    if (i != 17) /* but NaN */
      TP_CHECK_F32(y[i], -1.0f);
  tp_unary_clip_f32(kX, y, NX, &zero, 0); /* -0 is not below +0: stays */
  TP_CHECK_F32(y[5], -0.0f);
  TP_CHECK_F32(y[3], 0.0f);
  tp_unary_clip_f32(kX, y, NX, &nan, &hi); /* a NaN bound compares false */
  TP_CHECK_F32(y[0], -7.0f);
  TP_CHECK_F32(y[13], 6.0f);
  for (i = 0; i < NX; ++i)
    z[i] = kX[i];
  tp_unary_clip_f32(z, z, NX, 0, &hi); /* in place */
  for (i = 0; i < NX; ++i)
    TP_CHECK_F32(z[i], clip_ref(kX[i], 0, &hi));
  {
    static const double x[] = {-2.0, -0.0, 0.5, 7.0, HUGE_VAL}, l = 0.0, h = 6.0;
    double w[5];
    tp_unary_clip_f64(x, w, 5, &l, &h);
    TP_CHECK_F64(w[0], 0.0);
    TP_CHECK_F64(w[1], -0.0);
    TP_CHECK_F64(w[2], 0.5);
    TP_CHECK_F64(w[3], 6.0);
    TP_CHECK_F64(w[4], 6.0);
    tp_unary_clip_f64(x, w, 5, 0, &h);
    TP_CHECK_F64(w[0], -2.0);
    TP_CHECK_F64(w[4], 6.0);
    tp_unary_clip_f64(x, w, 5, &l, 0);
    TP_CHECK_F64(w[0], 0.0);
    TP_CHECK_F64(w[4], HUGE_VAL);
  }
  {
    /* f16: 300 * 300 overflowed to inf, clipped to 60000; 0.5 lower bound. */
    static const uint16_t x[] = {0x7c00, 0x3c02, 0x2e66, 0xc100, 0x7e00};
    static const uint16_t l = 0x3800, h = 0x7b53;
    uint16_t w[5];
    tp_unary_clip_f16(x, w, 5, &l, &h);
    TP_CHECK_INT(w[0], 0x7b53);
    TP_CHECK_INT(w[1], 0x3c02);
    TP_CHECK_INT(w[2], 0x3800);
    TP_CHECK_INT(w[3], 0x3800);
    TP_CHECK_INT(w[4], 0x7e00);
    tp_unary_clip_f16(x, w, 5, 0, &h);
    TP_CHECK_INT(w[3], 0xc100);
    tp_unary_clip_f16(x, w, 5, &l, 0);
    TP_CHECK_INT(w[0], 0x7c00);
  }
  {
    /* bf16: [0, 6] */
    static const uint16_t x[] = {0xc020, 0x3f80, 0x40e0, 0x7f80};
    static const uint16_t l = 0x0000, h = 0x40c0;
    uint16_t w[4];
    tp_unary_clip_bf16(x, w, 4, &l, &h);
    TP_CHECK_INT(w[0], 0x0000);
    TP_CHECK_INT(w[1], 0x3f80);
    TP_CHECK_INT(w[2], 0x40c0);
    TP_CHECK_INT(w[3], 0x40c0);
    tp_unary_clip_bf16(x, w, 4, 0, 0);
    TP_CHECK_INT(w[0], 0xc020);
    TP_CHECK_INT(w[3], 0x7f80);
  }
  {
    static const int8_t x8[] = {-128, -6, 0, 6, 127}, l8 = -5, h8 = 5;
    static const uint8_t xu8[] = {0, 9, 200, 255}, lu8 = 10, hu8 = 250;
    static const int16_t x16[] = {-32768, 0, 32767}, l16 = -100, h16 = 100;
    static const uint16_t xu16[] = {0, 1000, 65535}, hu16 = 50000;
    static const int32_t x32[] = {INT32_MIN, 0, INT32_MAX}, l32 = -7, h32 = 7;
    static const uint32_t xu32[] = {0, 5, 4294967295u}, lu32 = 5, hu32 = 3000000000u;
    static const int64_t x64[] = {INT64_MIN, -1, INT64_MAX}, l64 = -1, h64 = INT64_MAX - 1;
    static const uint64_t xu64[] = {0, UINT64_MAX}, lu64 = 1, hu64 = UINT64_C(18000000000000000000);
    int8_t y8[5];
    uint8_t yu8[4];
    int16_t y16[3];
    uint16_t yu16[3];
    int32_t y32[3];
    uint32_t yu32[3];
    int64_t y64[3];
    uint64_t yu64[2];
    tp_unary_clip_i8(x8, y8, 5, &l8, &h8);
    TP_CHECK_INT(y8[0], -5);
    TP_CHECK_INT(y8[1], -5);
    TP_CHECK_INT(y8[2], 0);
    TP_CHECK_INT(y8[3], 5);
    TP_CHECK_INT(y8[4], 5);
    tp_unary_clip_i8(x8, y8, 5, &h8, &l8); /* lo > hi: everything is hi */
    TP_CHECK_INT(y8[0], -5);
    TP_CHECK_INT(y8[4], -5);
    tp_unary_clip_i8(x8, y8, 5, 0, &h8);
    TP_CHECK_INT(y8[0], -128);
    TP_CHECK_INT(y8[4], 5);
    tp_unary_clip_i8(x8, y8, 5, &l8, 0);
    TP_CHECK_INT(y8[0], -5);
    TP_CHECK_INT(y8[4], 127);
    tp_unary_clip_u8(xu8, yu8, 4, &lu8, &hu8);
    TP_CHECK_INT(yu8[0], 10);
    TP_CHECK_INT(yu8[2], 200);
    TP_CHECK_INT(yu8[3], 250);
    tp_unary_clip_i16(x16, y16, 3, &l16, &h16);
    TP_CHECK_INT(y16[0], -100);
    TP_CHECK_INT(y16[2], 100);
    tp_unary_clip_u16(xu16, yu16, 3, 0, &hu16);
    TP_CHECK_INT(yu16[0], 0);
    TP_CHECK_INT(yu16[2], 50000);
    tp_unary_clip_i32(x32, y32, 3, &l32, &h32);
    TP_CHECK_INT(y32[0], -7);
    TP_CHECK_INT(y32[2], 7);
    tp_unary_clip_u32(xu32, yu32, 3, &lu32, &hu32);
    TP_CHECK_INT(yu32[0], 5);
    TP_CHECK_INT(yu32[2], 3000000000u);
    tp_unary_clip_i64(x64, y64, 3, &l64, &h64);
    TP_CHECK_INT(y64[0], -1);
    TP_CHECK_INT(y64[2], INT64_MAX - 1);
    tp_unary_clip_u64(xu64, yu64, 2, &lu64, &hu64); /* compared as unsigned */
    TP_CHECK(yu64[0] == 1 && yu64[1] == UINT64_C(18000000000000000000));
    TP_CHECK_INT(yu64[1] - UINT64_C(17000000000000000000), INT64_C(1000000000000000000));
  }
}

/* Each QDQ loop on all 256 inputs, in place too, against DequantizeLinear,
 * the float loop and QuantizeLinear run one after the other. */
static void check_qdq(void) {
  static const float kScales[][2] = {{0.0078125f, 0.0078125f}, {0.03125f, 0.001953125f},
                                     {0.1f, 0.37f}, {1.5f, 0.0625f}};
  static const int32_t kZeros[][2] = {{0, 0}, {-128, 127}, {127, -128}, {3, -17}};
  int32_t s, z, i;
  for (s = 0; s < COUNT(kScales); ++s)
    for (z = 0; z < COUNT(kZeros); ++z) {
      const float xs = kScales[s][0], ys = kScales[s][1];
      const int8_t xz8 = (int8_t)kZeros[z][0], yz8 = (int8_t)kZeros[z][1];
      const uint8_t xzu = (uint8_t)(kZeros[z][0] + 128), yzu = (uint8_t)(kZeros[z][1] + 128);
      int8_t x8[256], y8[256], want8[256];
      uint8_t xu[256], yu[256], wantu[256];
      float f[256];
      for (i = 0; i < 256; ++i) {
        x8[i] = (int8_t)(i - 128);
        xu[i] = (uint8_t)i;
      }
      tp_dequantize_i8(x8, f, 1, 1, 256, &xs, &xz8);
      tp_unary_tanh_f32(f, f, 256, 0, 0);
      tp_quantize_i8(f, want8, 1, 1, 256, &ys, &yz8);
      tp_qdq_unary_tanh_i8(x8, y8, 256, xs, xz8, ys, yz8, 0, 0);
      for (i = 0; i < 256; ++i)
        TP_CHECK_INT(y8[i], want8[i]);
      tp_qdq_unary_tanh_i8(x8, x8, 256, xs, xz8, ys, yz8, 0, 0); /* in place */
      for (i = 0; i < 256; ++i)
        TP_CHECK_INT(x8[i], want8[i]);

      tp_dequantize_u8(xu, f, 1, 1, 256, &xs, &xzu);
      tp_unary_exp_f32(f, f, 256, 0, 0);
      tp_quantize_u8(f, wantu, 1, 1, 256, &ys, &yzu);
      tp_qdq_unary_exp_u8(xu, yu, 256, xs, xzu, ys, yzu, 0, 0);
      for (i = 0; i < 256; ++i)
        TP_CHECK_INT(yu[i], wantu[i]);

      for (i = 0; i < 256; ++i)
        x8[i] = (int8_t)(i - 128);
      tp_dequantize_i8(x8, f, 1, 1, 256, &xs, &xz8);
      tp_unary_leakyrelu_f32(f, f, 256, 0.25f, 0);
      tp_quantize_i8(f, want8, 1, 1, 256, &ys, &yz8);
      tp_qdq_unary_leakyrelu_i8(x8, y8, 256, xs, xz8, ys, yz8, 0.25f, 0);
      for (i = 0; i < 256; ++i)
        TP_CHECK_INT(y8[i], want8[i]);

      tp_dequantize_u8(xu, f, 1, 1, 256, &xs, &xzu);
      tp_unary_hardsigmoid_f32(f, f, 256, 0.2f, 0.5f);
      tp_quantize_u8(f, wantu, 1, 1, 256, &ys, &yzu);
      tp_qdq_unary_hardsigmoid_u8(xu, yu, 256, xs, xzu, ys, yzu, 0.2f, 0.5f);
      for (i = 0; i < 256; ++i)
        TP_CHECK_INT(yu[i], wantu[i]);
    }
  tp_qdq_unary_tanh_i8(0, 0, 0, 1.0f, 0, 1.0f, 0, 0, 0); /* n = 0 touches nothing */
}

int main(void) {
  check_qdq();
  check_f32();
  check_f64();
  check_f16();
  check_bf16();
  check_int();
  check_clip();
  return tp_finish("unary");
}
