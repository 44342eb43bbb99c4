/* The integer kernels of kernels/quant.c against references written
 * another way: rounding with floor() in double and an explicit tie test
 * instead of the float trick, saturation by comparing integers after the
 * rounding (the kernels clamp the float before it), and convolutions that
 * visit every tap of the padded window and read padding as the input's
 * zero point (ONNX Runtime's im2col) instead of clipping the window.
 * Edge cases: ties x.5 of both signs, saturation at both ends, NaN and
 * infinities, odd zero points and zero points at the ends of their range,
 * per-channel scales from 2^-12 to 2^4, every activation / weight type
 * pair, groups, strides, dilations, pads, broadcast batches. The
 * fixed-point requantization (--requant=fixed) against gemmlowp's two
 * roundings written as floor divisions of exact int64 products, and within
 * 1 of the float one.
 * KERNELS: tp_vcvtr tp_saturate_round_u8 tp_saturate_round_i8 tp_quantize_u8 tp_quantize_i8
 *   tp_dequantize_u8 tp_dequantize_i8 tp_dequantize_i32 tp_dynamic_quantize_u8
 *   tp_conv_integer_u8_i8 tp_conv_integer_u8_u8 tp_conv_integer_i8_i8 tp_conv_integer_i8_u8
 *   tp_qlinearconv_u8_i8 tp_qlinearconv_u8_u8 tp_qlinearconv_i8_i8 tp_qlinearconv_i8_u8
 *   tp_matmul_integer_u8_i8 tp_matmul_integer_u8_u8 tp_matmul_integer_i8_i8
 *   tp_qlinearmatmul_u8_i8 tp_qlinearmatmul_u8_u8 tp_qlinearmatmul_i8_i8
 *   tp_qlinear_avgpool_u8 tp_qlinear_avgpool_i8
 *   tp_requantize_fixed tp_qstore_fixed_u8 tp_qstore_fixed_i8
 *   tp_qstore4_finite_u8 tp_qstore4_finite_i8 tp_qstore4_fixed_u8 tp_qstore4_fixed_i8
 *   tp_quantize_u16 tp_quantize_i16 tp_dequantize_u16 tp_dequantize_i16
 *   tp_quantize_blocked_u8 tp_quantize_blocked_i8 tp_quantize_blocked_u16
 *   tp_quantize_blocked_i16 tp_dequantize_blocked_u8 tp_dequantize_blocked_i8
 *   tp_dequantize_blocked_u16 tp_dequantize_blocked_i16 */
#include "kernels.h"
#include "tp_check.h"

/* ---- References ---------------------------------------------------------- */

/* The integer nearest v, ties to even, for |v| < 2^40. */
static int64_t ref_round_even(double v) {
  double f = floor(v);
  double d = v - f;
  int64_t i = (int64_t)f;
  if (d > 0.5 || (d == 0.5 && (i & 1) != 0))
    ++i;
  return i;
}

/* saturate(round_even(v) + zp) to [lo, hi]; NaN gives lo. */
static int64_t ref_quant(float v, int64_t zp, int64_t lo, int64_t hi) {
  int64_t r;
  if (v != v)
    return lo;
  if (v > 1e12f)
    return hi;
  if (v < -1e12f)
    return lo;
  r = ref_round_even((double)v) + zp;
  return r < lo ? lo : r > hi ? hi : r;
}

/* A deterministic pseudo-random sequence (LCG), the same on every target. */
static uint32_t seed_ = 12345u;
static int32_t rnd(int32_t lo, int32_t hi) {
  seed_ = seed_ * 1664525u + 1013904223u;
  return lo + (int32_t)((seed_ >> 8) % (uint32_t)(hi - lo + 1));
}

/* ---- Rounding and saturation --------------------------------------------- */

/* tp_vcvtr (VCVTR on the Cortex-M4F, portable C on the host) against
 * ref_round_even with int32 saturation, NaN 0: ties at every magnitude up
 * to 2^23, the int32 ends, infinities and pseudo-random floats of every
 * exponent. */
static void test_vcvtr(void) {
  static const float vs[] = {0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f,
                             0.49999997f, -0.49999997f, 0.50000006f, 0x1.fffffep22f,
                             -0x1.fffffep22f, 0x1.000002p22f, 0x1p22f + 0.5f, -0x1p22f - 0.5f,
                             0x1p23f - 0.5f, -0x1p23f + 0.5f, 0x1p23f, 0x1p23f + 1.0f, 0x1p24f,
                             2147483520.0f, -2147483520.0f, 2147483648.0f, -2147483648.0f,
                             4294967296.0f, -1e20f, 1e20f, 1e-30f, -1e-30f};
  const float inf = tp_f32_from_bits(0x7f800000u), nan = tp_f32_from_bits(0x7fc00000u);
  size_t i;
  int k;
  for (i = 0; i < sizeof vs / sizeof vs[0]; ++i) {
    const double v = (double)vs[i];
    const int64_t want = v >= 2147483647.0 ? 2147483647
                         : v <= -2147483648.0 ? -2147483647 - 1
                                              : ref_round_even(v);
    TP_CHECK_INT(tp_vcvtr(vs[i]), want);
  }
  TP_CHECK_INT(tp_vcvtr(inf), 2147483647);
  TP_CHECK_INT(tp_vcvtr(-inf), -2147483647 - 1);
  TP_CHECK_INT(tp_vcvtr(nan), 0);
  /* Every exponent from 2^-3 to 2^33, random significands and signs. */
  for (k = 0; k < 4000; ++k) {
    const uint32_t bits = ((uint32_t)rnd(0, 1) << 31) | ((uint32_t)rnd(124, 160) << 23) |
                          ((uint32_t)rnd(0, 0x7fff) << 8) | (uint32_t)rnd(0, 255);
    const float f = tp_f32_from_bits(bits);
    const double v = (double)f;
    const int64_t want = v >= 2147483647.0 ? 2147483647
                         : v <= -2147483648.0 ? -2147483647 - 1
                                              : ref_round_even(v);
    TP_CHECK_INT(tp_vcvtr(f), want);
  }
}

static void test_saturate_round(void) {
  static const float vs[] = {0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 126.5f, -127.5f,
                             -128.5f, 127.5f, 254.5f, 255.5f, 256.5f, -0.0f, 0.49999997f,
                             -0.49999997f, 3.5f, -3.5f, 1e9f, -1e9f, 0x1p30f};
  static const int32_t zps_u8[] = {0, 1, 3, 127, 128, 254, 255};
  static const int32_t zps_i8[] = {-128, -127, -3, 0, 1, 5, 127};
  size_t i, j;
  const float inf = tp_f32_from_bits(0x7f800000u), nan = tp_f32_from_bits(0x7fc00000u);
  for (i = 0; i < sizeof vs / sizeof vs[0]; ++i)
    for (j = 0; j < 7; ++j) {
      TP_CHECK_INT(tp_saturate_round_u8(vs[i], zps_u8[j]), ref_quant(vs[i], zps_u8[j], 0, 255));
      TP_CHECK_INT(tp_saturate_round_i8(vs[i], zps_i8[j]),
                   ref_quant(vs[i], zps_i8[j], -128, 127));
    }
  /* Worked by hand: ties go to the even integer, before the zero point. */
  TP_CHECK_INT(tp_saturate_round_u8(2.5f, 3), 5);
  TP_CHECK_INT(tp_saturate_round_u8(-2.5f, 3), 1);
  TP_CHECK_INT(tp_saturate_round_u8(-3.5f, 3), 0);
  TP_CHECK_INT(tp_saturate_round_i8(-0.5f, -128), -128);
  TP_CHECK_INT(tp_saturate_round_i8(0.5f, -127), -127);
  TP_CHECK_INT(tp_saturate_round_i8(1.5f, -127), -125);
  TP_CHECK_INT(tp_saturate_round_i8(-128.5f, 0), -128);
  TP_CHECK_INT(tp_saturate_round_i8(126.5f, 0), 126);
  TP_CHECK_INT(tp_saturate_round_u8(254.5f, 0), 254);
  TP_CHECK_INT(tp_saturate_round_u8(0.5f, 255), 255);
  TP_CHECK_INT(tp_saturate_round_u8(-255.5f, 255), 0);
  /* Infinities saturate; NaN gives the lower end, as SSE's maxps. */
  TP_CHECK_INT(tp_saturate_round_u8(inf, 7), 255);
  TP_CHECK_INT(tp_saturate_round_u8(-inf, 7), 0);
  TP_CHECK_INT(tp_saturate_round_u8(nan, 7), 0);
  TP_CHECK_INT(tp_saturate_round_i8(inf, 7), 127);
  TP_CHECK_INT(tp_saturate_round_i8(-inf, 7), -128);
  TP_CHECK_INT(tp_saturate_round_i8(nan, 7), -128);
}

/* ---- QuantizeLinear, DequantizeLinear ------------------------------------ */

static void test_quantize(void) {
  /* 2 x 3 x 4, axis 1: scales 2^-12, 1, 2^4 and odd / extreme zero points. */
  static const float scale[3] = {0x1p-12f, 1.0f, 16.0f};
  static const uint8_t zpu[3] = {255, 3, 0};
  static const int8_t zpi[3] = {-128, -3, 127};
  float x[24];
  uint8_t yu[24];
  int8_t yi[24];
  int32_t o, c, i;
  for (o = 0; o < 2; ++o)
    for (c = 0; c < 3; ++c)
      for (i = 0; i < 4; ++i) {
        /* Ties (k + 0.5) * scale, both signs, and values that saturate. */
        int32_t k = rnd(-300, 300);
        x[(o * 3 + c) * 4 + i] = ((float)k + (i & 1 ? 0.5f : 0.25f)) * scale[c];
      }
  tp_quantize_u8(x, yu, 2, 3, 4, scale, zpu);
  tp_quantize_i8(x, yi, 2, 3, 4, scale, zpi);
  for (o = 0; o < 2; ++o)
    for (c = 0; c < 3; ++c)
      for (i = 0; i < 4; ++i) {
        const int32_t e = (o * 3 + c) * 4 + i;
        TP_CHECK_INT(yu[e], ref_quant(x[e] / scale[c], zpu[c], 0, 255));
        TP_CHECK_INT(yi[e], ref_quant(x[e] / scale[c], zpi[c], -128, 127));
      }
  /* Per tensor, no zero point: the ONNX QuantizeLinear example. */
  {
    static const float xs[6] = {0, 2, 3, 1000, -254, -1000};
    static const float s = 2;
    static const uint8_t zp = 128;
    static const uint8_t want[6] = {128, 129, 130, 255, 1, 0};
    uint8_t y[6];
    int8_t y8[6];
    tp_quantize_u8(xs, y, 1, 1, 6, &s, &zp);
    for (i = 0; i < 6; ++i)
      TP_CHECK_INT(y[i], want[i]);
    tp_quantize_i8(xs, y8, 1, 1, 6, &s, 0);
    TP_CHECK_INT(y8[0], 0);
    TP_CHECK_INT(y8[1], 1);
    TP_CHECK_INT(y8[2], 2); /* 1.5 rounds to 2 */
    TP_CHECK_INT(y8[3], 127);
    TP_CHECK_INT(y8[4], -127);
    TP_CHECK_INT(y8[5], -128);
  }
  /* Channels of 11 (groups of four and a tail of 3): finite values, ties
     and 2^31 in one; infinities of both signs in one group (their sum is
     NaN) and a NaN in the next in the other, against the element kernel. */
  {
    const float inf = tp_f32_from_bits(0x7f800000u), nan = tp_f32_from_bits(0x7fc00000u);
    const float xs[22] = {1.25f, -2.5f, 300.0f, -300.0f, 0.75f, 7.0f, 2147483648.0f, -1.0f,
                          -2147483648.0f, 126.5f, -127.5f, inf, -inf, 1.0f, 2.0f, 3.0f, nan,
                          -4.0f, 5.0f, 6.5f, -7.5f, 8.0f};
    static const float s2[2] = {0.5f, 1.0f};
    static const uint8_t zu[2] = {3, 250};
    static const int8_t zi[2] = {-5, 100};
    uint8_t y2[22];
    int8_t y28[22];
    tp_quantize_u8(xs, y2, 1, 2, 11, s2, zu);
    tp_quantize_i8(xs, y28, 1, 2, 11, s2, zi);
    for (i = 0; i < 22; ++i) {
      TP_CHECK_INT(y2[i], tp_saturate_round_u8(xs[i] / s2[i / 11], zu[i / 11]));
      TP_CHECK_INT(y28[i], tp_saturate_round_i8(xs[i] / s2[i / 11], zi[i / 11]));
    }
  }
}

/* 16-bit QuantizeLinear / DequantizeLinear per axis, then every type in
 * blocks (opset 21): 2 x 5 x 3 elements, blocks of 2 along the middle axis
 * (the last block of one), each element with its own scale and zero point
 * in the 2 x 3 x 3 tensors, against ref_quant and the dequantize formula.
 * Scales from 2^-12 to 2^4, ties, saturation at both ends of every type. */
static void test_quantize_16_and_blocked(void) {
  static const float scale3[3] = {0x1p-12f, 1.0f, 16.0f};
  static const uint16_t zpu3[3] = {65535, 3, 0};
  static const int16_t zpi3[3] = {-32768, -3, 32767};
  float x[30], bs[18], back[30];
  uint16_t yu[30], bu16z[18];
  int16_t yi[30], bi16z[18];
  uint8_t y8u[30], bu8z[18];
  int8_t y8i[30], bi8z[18];
  int32_t o, c, i, e;
  for (e = 0; e < 30; ++e) {
    const int32_t k = e % 3 == 0 ? rnd(-70000, 70000) : rnd(-300, 300);
    x[e] = ((float)k + (e & 1 ? 0.5f : 0.25f)) * scale3[e % 3];
  }
  /* Per axis: 10 x 3 (axis 1 of 3 channels). */
  tp_quantize_u16(x, yu, 10, 3, 1, scale3, zpu3);
  tp_quantize_i16(x, yi, 10, 3, 1, scale3, zpi3);
  for (e = 0; e < 30; ++e) {
    TP_CHECK_INT(yu[e], ref_quant(x[e] / scale3[e % 3], zpu3[e % 3], 0, 65535));
    TP_CHECK_INT(yi[e], ref_quant(x[e] / scale3[e % 3], zpi3[e % 3], -32768, 32767));
  }
  tp_dequantize_u16(yu, back, 10, 3, 1, scale3, zpu3);
  for (e = 0; e < 30; ++e)
    TP_CHECK_F32(back[e], (float)((int32_t)yu[e] - zpu3[e % 3]) * scale3[e % 3]);
  tp_dequantize_i16(yi, back, 10, 3, 1, scale3, 0);
  for (e = 0; e < 30; ++e)
    TP_CHECK_F32(back[e], (float)yi[e] * scale3[e % 3]);
  /* Blocked: outer 2, channels 5 in blocks of 2 (3 blocks), inner 3. */
  for (e = 0; e < 18; ++e) {
    bs[e] = scale3[e % 3] * (float)(1 + e % 4);
    bu16z[e] = (uint16_t)rnd(0, 65535), bi16z[e] = (int16_t)rnd(-32768, 32767);
    bu8z[e] = (uint8_t)rnd(0, 255), bi8z[e] = (int8_t)rnd(-128, 127);
  }
  tp_quantize_blocked_u16(x, yu, 2, 5, 3, 2, bs, bu16z);
  tp_quantize_blocked_i16(x, yi, 2, 5, 3, 2, bs, 0);
  tp_quantize_blocked_u8(x, y8u, 2, 5, 3, 2, bs, bu8z);
  tp_quantize_blocked_i8(x, y8i, 2, 5, 3, 2, bs, bi8z);
  for (o = 0; o < 2; ++o)
    for (c = 0; c < 5; ++c)
      for (i = 0; i < 3; ++i) {
        const int32_t at = (o * 3 + c / 2) * 3 + i;
        e = (o * 5 + c) * 3 + i;
        TP_CHECK_INT(yu[e], ref_quant(x[e] / bs[at], bu16z[at], 0, 65535));
        TP_CHECK_INT(yi[e], ref_quant(x[e] / bs[at], 0, -32768, 32767));
        TP_CHECK_INT(y8u[e], ref_quant(x[e] / bs[at], bu8z[at], 0, 255));
        TP_CHECK_INT(y8i[e], ref_quant(x[e] / bs[at], bi8z[at], -128, 127));
      }
  tp_dequantize_blocked_u16(yu, back, 2, 5, 3, 2, bs, bu16z);
  for (e = 0; e < 30; ++e) {
    const int32_t at = (e / 15 * 3 + e / 3 % 5 / 2) * 3 + e % 3;
    TP_CHECK_F32(back[e], (float)((int32_t)yu[e] - bu16z[at]) * bs[at]);
  }
  tp_dequantize_blocked_i16(yi, back, 2, 5, 3, 2, bs, bi16z);
  for (e = 0; e < 30; ++e) {
    const int32_t at = (e / 15 * 3 + e / 3 % 5 / 2) * 3 + e % 3;
    TP_CHECK_F32(back[e], (float)((int32_t)yi[e] - bi16z[at]) * bs[at]);
  }
  tp_dequantize_blocked_u8(y8u, back, 2, 5, 3, 2, bs, 0);
  for (e = 0; e < 30; ++e) {
    const int32_t at = (e / 15 * 3 + e / 3 % 5 / 2) * 3 + e % 3;
    TP_CHECK_F32(back[e], (float)y8u[e] * bs[at]);
  }
  tp_dequantize_blocked_i8(y8i, back, 2, 5, 3, 2, bs, bi8z);
  for (e = 0; e < 30; ++e) {
    const int32_t at = (e / 15 * 3 + e / 3 % 5 / 2) * 3 + e % 3;
    TP_CHECK_F32(back[e], (float)((int32_t)y8i[e] - bi8z[at]) * bs[at]);
  }
}

static void test_dequantize(void) {
  static const float scale[2] = {0x1p-12f, 3.0f};
  static const uint8_t xu[4] = {0, 255, 7, 128};
  static const uint8_t zpu[2] = {255, 3};
  static const int8_t xi[4] = {-128, 127, -1, 0};
  static const int8_t zpi[2] = {127, -128};
  static const int32_t x32[4] = {-2147483647 - 1, 2147483647, 16777217, -5};
  float y[4];
  tp_dequantize_u8(xu, y, 1, 2, 2, scale, zpu);
  TP_CHECK_F32(y[0], -255.0f * 0x1p-12f);
  TP_CHECK_F32(y[1], 0.0f);
  TP_CHECK_F32(y[2], 12.0f);
  TP_CHECK_F32(y[3], 375.0f);
  tp_dequantize_i8(xi, y, 2, 2, 1, scale, zpi);
  TP_CHECK_F32(y[0], -255.0f * 0x1p-12f);
  TP_CHECK_F32(y[1], 255.0f * 3.0f);
  TP_CHECK_F32(y[2], -128.0f * 0x1p-12f);
  TP_CHECK_F32(y[3], 384.0f);
  tp_dequantize_i8(xi, y, 1, 1, 4, scale + 1, 0);
  TP_CHECK_F32(y[0], -384.0f);
  TP_CHECK_F32(y[2], -3.0f);
  /* int32: the conversion to float rounds (2^24 + 1 -> 2^24) before the
   * multiplication. */
  tp_dequantize_i32(x32, y, 1, 1, 4, scale, 0);
  TP_CHECK_F32(y[0], -0x1p31f * 0x1p-12f);
  TP_CHECK_F32(y[1], 0x1p31f * 0x1p-12f);
  TP_CHECK_F32(y[2], 0x1p24f * 0x1p-12f);
  TP_CHECK_F32(y[3], -5.0f * 0x1p-12f);
}

static void test_dynamic_quantize(void) {
  /* The ONNX DynamicQuantizeLinear examples. */
  static const float x0[6] = {0, 2, -3, -2.5f, 1.34f, 0.5f};
  static const uint8_t y0[6] = {153, 255, 0, 26, 221, 179};
  static const float x1[6] = {-1, -2.1f, -1.3f, -2.5f, -3.34f, -4};
  static const uint8_t y1[6] = {191, 121, 172, 96, 42, 0};
  static const float x2[12] = {1, 2.1f, 1.3f, 2.5f, 3.34f, 4, 1.5f, 2.6f, 3.9f, 4, 3, 2.345f};
  static const uint8_t y2[12] = {64, 134, 83, 159, 213, 255, 96, 166, 249, 255, 191, 149};
  static const float zeros[3] = {0, -0.0f, 0};
  uint8_t y[12], zp;
  float s;
  int32_t i;
  tp_dynamic_quantize_u8(x0, y, &s, &zp, 6);
  TP_CHECK_F32(s, 5.0f / 255.0f);
  TP_CHECK_INT(zp, 153);
  for (i = 0; i < 6; ++i)
    TP_CHECK_INT(y[i], y0[i]);
  tp_dynamic_quantize_u8(x1, y, &s, &zp, 6);
  TP_CHECK_F32(s, 4.0f / 255.0f);
  TP_CHECK_INT(zp, 255);
  for (i = 0; i < 6; ++i)
    TP_CHECK_INT(y[i], y1[i]);
  tp_dynamic_quantize_u8(x2, y, &s, &zp, 12);
  TP_CHECK_F32(s, 4.0f / 255.0f);
  TP_CHECK_INT(zp, 0);
  for (i = 0; i < 12; ++i)
    TP_CHECK_INT(y[i], y2[i]);
  /* All zeros: scale 1, zero point 0. */
  tp_dynamic_quantize_u8(zeros, y, &s, &zp, 3);
  TP_CHECK_F32(s, 1.0f);
  TP_CHECK_INT(zp, 0);
  TP_CHECK_INT(y[1], 0);
}

/* ---- Convolution ---------------------------------------------------------- */

enum { CN = 2, CC = 4, CH = 5, CW = 6, CM = 4, CG = 2, CKH = 3, CKW = 2 };

/* Output element (n, m, oh, ow) of the 2-D convolution, every tap of the
 * padded window visited, padding read as xzp; in int64. */
static int64_t ref_conv_acc(const int32_t *x, const int32_t *w, int32_t xzp, int32_t wzp,
                            int32_t n, int32_t m, int32_t oh, int32_t ow, const int32_t *p) {
  /* p: stride h w, dilation h w, pad top left */
  const int32_t cg = CC / CG, g = m / (CM / CG);
  int64_t acc = 0;
  int32_t c, kh, kw;
  for (c = 0; c < cg; ++c)
    for (kh = 0; kh < CKH; ++kh)
      for (kw = 0; kw < CKW; ++kw) {
        const int32_t ih = oh * p[0] - p[4] + kh * p[2], iw = ow * p[1] - p[5] + kw * p[3];
        const int32_t xv = ih < 0 || ih >= CH || iw < 0 || iw >= CW
                               ? xzp
                               : x[((n * CC + g * cg + c) * CH + ih) * CW + iw];
        acc += (int64_t)(xv - xzp) * (w[((m * cg + c) * CKH + kh) * CKW + kw] - wzp);
      }
  return acc;
}

static void test_conv_case(int xsigned, int wsigned, const int32_t *p) {
  const int32_t xlo = xsigned ? -128 : 0, wlo = wsigned ? -128 : 0;
  const int32_t pb = p[4], pr = p[6], pl = p[5], pbot = p[7];
  const int32_t OH = (CH + pb + pbot - ((CKH - 1) * p[2] + 1)) / p[0] + 1;
  const int32_t OW = (CW + pl + pr - ((CKW - 1) * p[3] + 1)) / p[1] + 1;
  int32_t geo[18];
  int32_t xv[CN * CC * CH * CW], wv[CM * (CC / CG) * CKH * CKW];
  uint8_t xu[CN * CC * CH * CW], wu[CM * (CC / CG) * CKH * CKW];
  int8_t xs8[CN * CC * CH * CW], ws8[CM * (CC / CG) * CKH * CKW];
  int32_t acc[CN * CM * 6 * 6];
  uint8_t yu[CN * CM * 6 * 6];
  int8_t yi[CN * CM * 6 * 6];
  static const float wscale[CM] = {0x1p-12f, 0.37f, 1.0f, 16.0f};
  static const int32_t bias[CM] = {5, -100000, 0, 77};
  const float xscale = 0.5f, yscale = 0.25f;
  const int32_t xzp = xsigned ? -127 : 3, yzp = xsigned ? -128 : 255;
  const int32_t wzpv[CM] = {wsigned ? -5 : 250, wsigned ? 127 : 0, wsigned ? 0 : 1,
                            wsigned ? -128 : 255};
  uint8_t wzpu[CM];
  int8_t wzpi[CM];
  int32_t i, n, m, oh, ow;
  for (i = 0; i < CN * CC * CH * CW; ++i) {
    xv[i] = rnd(xlo, xlo + 255);
    xu[i] = (uint8_t)xv[i];
    xs8[i] = (int8_t)xv[i];
  }
  for (i = 0; i < CM * (CC / CG) * CKH * CKW; ++i) {
    wv[i] = rnd(wlo, wlo + 255);
    wu[i] = (uint8_t)wv[i];
    ws8[i] = (int8_t)wv[i];
  }
  for (i = 0; i < CM; ++i) {
    wzpu[i] = (uint8_t)wzpv[i];
    wzpi[i] = (int8_t)wzpv[i];
  }
  geo[0] = 1, geo[1] = CH, geo[2] = CW, geo[3] = 1, geo[4] = OH, geo[5] = OW;
  geo[6] = 1, geo[7] = CKH, geo[8] = CKW, geo[9] = 1, geo[10] = p[0], geo[11] = p[1];
  geo[12] = 1, geo[13] = p[2], geo[14] = p[3], geo[15] = 0, geo[16] = pb, geo[17] = pl;
  /* ConvInteger, per-channel weight zero points; then QLinearConv with
   * per-channel scales and a bias. */
  if (!xsigned && !wsigned) {
    tp_conv_integer_u8_u8(xu, xzp, wu, wzpu, 1, 0, acc, 0, 0, 0, 0, 0, CN, CC, CM, CG, geo);
    tp_qlinearconv_u8_u8(xu, xzp, wu, wzpu, 1, bias, yu, xscale, wscale, 1, yscale, yzp, CN,
                         CC, CM, CG, geo);
  } else if (!xsigned) {
    tp_conv_integer_u8_i8(xu, xzp, ws8, wzpi, 1, 0, acc, 0, 0, 0, 0, 0, CN, CC, CM, CG, geo);
    tp_qlinearconv_u8_i8(xu, xzp, ws8, wzpi, 1, bias, yu, xscale, wscale, 1, yscale, yzp, CN,
                         CC, CM, CG, geo);
  } else if (wsigned) {
    tp_conv_integer_i8_i8(xs8, xzp, ws8, wzpi, 1, 0, acc, 0, 0, 0, 0, 0, CN, CC, CM, CG, geo);
    tp_qlinearconv_i8_i8(xs8, xzp, ws8, wzpi, 1, bias, yi, xscale, wscale, 1, yscale, yzp, CN,
                         CC, CM, CG, geo);
  } else {
    tp_conv_integer_i8_u8(xs8, xzp, wu, wzpu, 1, 0, acc, 0, 0, 0, 0, 0, CN, CC, CM, CG, geo);
    tp_qlinearconv_i8_u8(xs8, xzp, wu, wzpu, 1, bias, yi, xscale, wscale, 1, yscale, yzp, CN,
                         CC, CM, CG, geo);
  }
  for (n = 0; n < CN; ++n)
    for (m = 0; m < CM; ++m)
      for (oh = 0; oh < OH; ++oh)
        for (ow = 0; ow < OW; ++ow) {
          const int32_t e = ((n * CM + m) * OH + oh) * OW + ow;
          const int64_t a = ref_conv_acc(xv, wv, xzp, wzpv[m], n, m, oh, ow, p);
          const float mult = xscale * wscale[m] / yscale;
          const float v = (float)(a + bias[m]) * mult;
          TP_CHECK_INT(acc[e], a);
          if (xsigned)
            TP_CHECK_INT(yi[e], ref_quant(v, yzp, -128, 127));
          else
            TP_CHECK_INT(yu[e], ref_quant(v, yzp, 0, 255));
        }
}

static void test_conv(void) {
  /* stride h w, dilation h w, pads top left right bottom */
  static const int32_t cases[][8] = {
      {1, 1, 1, 1, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 1}, {2, 1, 1, 2, 2, 0, 1, 1},
      {1, 2, 2, 1, 0, 1, 0, 2}, {2, 2, 1, 1, 1, 1, 1, 1}};
  size_t k;
  for (k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
    test_conv_case(0, 0, cases[k]);
    test_conv_case(0, 1, cases[k]);
    test_conv_case(1, 1, cases[k]);
    test_conv_case(1, 0, cases[k]);
  }
  /* A per-tensor QLinearConv whose products land on ties: multiplier 0.5
   * (2^-1 * 1 / 1), a 1x1 kernel of weight 1, inputs 0..9 minus zero
   * point 4: -4..5 times 0.5, so -2, -1.5 -> -2, -1, -0.5 -> -0, 0, 0.5
   * -> 0, 1, 1.5 -> 2, 2, 2.5 -> 2; plus the zero point 10. */
  {
    static const uint8_t x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    static const uint8_t w = 1, wz = 0;
    static const float ws = 1.0f;
    static const uint8_t want[10] = {8, 8, 9, 10, 10, 10, 11, 12, 12, 12};
    const int32_t geo[18] = {1, 1, 10, 1, 1, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    uint8_t y[10];
    int32_t i;
    tp_qlinearconv_u8_u8(x, 4, &w, &wz, 0, 0, y, 0.5f, &ws, 0, 1.0f, 10, 1, 1, 1, 1, geo);
    for (i = 0; i < 10; ++i)
      TP_CHECK_INT(y[i], want[i]);
  }
}

/* ---- Matrix products ------------------------------------------------------ */

static void test_matmul(void) {
  /* 3 batches of 3 x 5 times 5 x 4, B broadcast: offsets {0, 1, 0}. */
  enum { M = 3, K = 5, N = 4 };
  int32_t av[3 * M * K], bv[2 * K * N];
  uint8_t au[3 * M * K], bu[2 * K * N], yu[3 * M * N];
  int8_t ai[3 * M * K], bi[2 * K * N], yi[3 * M * N];
  int32_t acc[3 * M * N];
  static const int32_t aoff[3] = {0, M * K, 2 * M * K}, boff[3] = {0, K * N, 0};
  static const float bs[N] = {0x1p-12f, 0.5f, 3.0f, 16.0f};
  static const uint8_t bzu[N] = {0, 255, 127, 1};
  static const int8_t bzi[N] = {-128, 127, 0, -1};
  const float as = 0.25f, ys = 0.5f;
  int32_t i, j, k, t, pass;
  for (pass = 0; pass < 3; ++pass) {
    const int xsigned = pass == 2, wsigned = pass != 0;
    const int32_t azp = xsigned ? 127 : 0, yzp = xsigned ? -1 : 128;
    for (i = 0; i < 3 * M * K; ++i) {
      av[i] = rnd(xsigned ? -128 : 0, xsigned ? 127 : 255);
      au[i] = (uint8_t)av[i];
      ai[i] = (int8_t)av[i];
    }
    for (i = 0; i < 2 * K * N; ++i) {
      bv[i] = rnd(wsigned ? -128 : 0, wsigned ? 127 : 255);
      bu[i] = (uint8_t)bv[i];
      bi[i] = (int8_t)bv[i];
    }
    if (pass == 0) {
      tp_matmul_integer_u8_u8(au, azp, bu, bzu, 1, acc, 0, 0, 0, 0, 0, M, K, N, 3, aoff, boff);
      tp_qlinearmatmul_u8_u8(au, azp, bu, bzu, 1, yu, as, bs, 1, ys, yzp, M, K, N, 3, aoff,
                             boff);
    } else if (pass == 1) {
      tp_matmul_integer_u8_i8(au, azp, bi, bzi, 1, acc, 0, 0, 0, 0, 0, M, K, N, 3, aoff, boff);
      tp_qlinearmatmul_u8_i8(au, azp, bi, bzi, 1, yu, as, bs, 1, ys, yzp, M, K, N, 3, aoff,
                             boff);
    } else {
      tp_matmul_integer_i8_i8(ai, azp, bi, bzi, 1, acc, 0, 0, 0, 0, 0, M, K, N, 3, aoff, boff);
      tp_qlinearmatmul_i8_i8(ai, azp, bi, bzi, 1, yi, as, bs, 1, ys, yzp, M, K, N, 3, aoff,
                             boff);
    }
    for (t = 0; t < 3; ++t)
      for (i = 0; i < M; ++i)
        for (j = 0; j < N; ++j) {
          const int32_t bz = wsigned ? bzi[j] : bzu[j];
          const int32_t e = (t * M + i) * N + j;
          int64_t a = 0;
          float v;
          for (k = 0; k < K; ++k)
            a += (int64_t)(av[aoff[t] + i * K + k] - azp) * (bv[boff[t] + k * N + j] - bz);
          TP_CHECK_INT(acc[e], a);
          v = (float)a * (as * bs[j] / ys);
          if (xsigned)
            TP_CHECK_INT(yi[e], ref_quant(v, yzp, -128, 127));
          else
            TP_CHECK_INT(yu[e], ref_quant(v, yzp, 0, 255));
        }
  }
}

/* ---- QLinearAveragePool --------------------------------------------------- */

/* 2 planes of 5 x 6, kernel 3 x 2, strides 2 x 1, pads top 1 left 1 (and
 * bottom / right as the output extents imply), with and without
 * count_include_pad. The reference visits every tap of the padded window
 * and skips the padding ones. */
static void test_avgpool_case(int sgn, int include_pad) {
  enum { H = 5, W = 6, KH = 3, KW = 2, SH = 2, SW = 1, PT = 1, PL = 1, OH = 3, OW = 6 };
  const int32_t geo[16] = {1, H, W, 1, OH, OW, 1, KH, KW, 1, SH, SW, 0, PT, PL, include_pad};
  const float xs = 0.37f, ys = 0.125f;
  const int32_t xzp = sgn ? -3 : 131, yzp = sgn ? 127 : 0;
  int32_t xv[2 * H * W];
  uint8_t xu[2 * H * W], yu[2 * OH * OW];
  int8_t xi[2 * H * W], yi[2 * OH * OW];
  int32_t i, p, oh, ow, kh, kw;
  for (i = 0; i < 2 * H * W; ++i) {
    xv[i] = sgn ? rnd(-128, 127) : rnd(0, 255);
    xu[i] = (uint8_t)xv[i];
    xi[i] = (int8_t)xv[i];
  }
  if (sgn)
    tp_qlinear_avgpool_i8(xi, xs, xzp, yi, ys, yzp, -128, 127, 2, geo, 0);
  else
    tp_qlinear_avgpool_u8(xu, xs, xzp, yu, ys, yzp, 0, 255, 2, geo, 0);
  for (p = 0; p < 2; ++p)
    for (oh = 0; oh < OH; ++oh)
      for (ow = 0; ow < OW; ++ow) {
        float sum = 0;
        int32_t count = 0;
        for (kh = 0; kh < KH; ++kh)
          for (kw = 0; kw < KW; ++kw) {
            const int32_t ih = oh * SH - PT + kh, iw = ow * SW - PL + kw;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W)
              continue;
            sum += xs * (float)(xv[(p * H + ih) * W + iw] - xzp);
            ++count;
          }
        sum /= (float)(include_pad ? KH * KW : count);
        if (sgn)
          TP_CHECK_INT(yi[(p * OH + oh) * OW + ow], ref_quant(sum / ys + (float)yzp, 0, -128, 127));
        else
          TP_CHECK_INT(yu[(p * OH + oh) * OW + ow], ref_quant(sum / ys + (float)yzp, 0, 0, 255));
      }
}

/* Windows of whole rows (3 planes of 7 x 5, kernel 3 x 5, stride 2: runs
 * of 15 values, 4 at a time and 3 alone), with the table of dequantized
 * values and without: the same bytes, and the reference's. */
static void test_avgpool_rows(int sgn) {
  enum { H = 7, W = 5, KH = 3, SH = 2, OH = 3, N = 3 };
  const int32_t geo[16] = {1, H, W, 1, OH, 1, 1, KH, W, 1, SH, 1, 0, 0, 0, 0};
  const float xs = 0.0431f, ys = 0.0173f;
  const int32_t xzp = sgn ? 5 : 128, yzp = sgn ? -7 : 3;
  int32_t xv[N * H * W];
  uint8_t xb[N * H * W], y0[N * OH], y1[N * OH];
  float deq[256];
  int32_t i, p, oh, k;
  for (i = 0; i < N * H * W; ++i) {
    xv[i] = sgn ? rnd(-128, 127) : rnd(0, 255);
    xb[i] = (uint8_t)xv[i];
  }
  for (i = 0; i < 256; ++i)
    deq[i] = xs * (float)((sgn ? (int32_t)(int8_t)i : i) - xzp);
  if (sgn) {
    tp_qlinear_avgpool_i8((const int8_t *)xb, xs, xzp, (int8_t *)y0, ys, yzp, -128, 127, N, geo, 0);
    tp_qlinear_avgpool_i8((const int8_t *)xb, xs, xzp, (int8_t *)y1, ys, yzp, -128, 127, N, geo,
                          deq);
  } else {
    tp_qlinear_avgpool_u8(xb, xs, xzp, y0, ys, yzp, 0, 255, N, geo, 0);
    tp_qlinear_avgpool_u8(xb, xs, xzp, y1, ys, yzp, 0, 255, N, geo, deq);
  }
  for (p = 0; p < N; ++p)
    for (oh = 0; oh < OH; ++oh) {
      float sum = 0;
      int32_t want;
      for (k = 0; k < KH * W; ++k)
        sum += xs * (float)(xv[(p * H + oh * SH) * W + k] - xzp);
      sum /= (float)(KH * W);
      want = (int32_t)ref_quant(sum / ys + (float)yzp, 0, sgn ? -128 : 0, sgn ? 127 : 255);
      TP_CHECK_INT(sgn ? (int8_t)y0[p * OH + oh] : y0[p * OH + oh], want);
      TP_CHECK_INT(sgn ? (int8_t)y1[p * OH + oh] : y1[p * OH + oh], want);
    }
}

static void test_avgpool(void) {
  /* Ties: 2 x 1 windows averaging 1.5, 2.5, 3.5 and -0.5, -1.5 (scales 1,
   * zero points 0): 2, 2, 4, then -0 -> 0 and -2. */
  {
    static const int8_t x[10] = {1, 2, 2, 3, 3, 4, 0, -1, -1, -2};
    static const int8_t want[5] = {2, 2, 4, 0, -2};
    const int32_t geo[16] = {1, 1, 10, 1, 1, 5, 1, 1, 2, 1, 1, 2, 0, 0, 0, 0};
    int8_t y[5];
    int32_t i;
    tp_qlinear_avgpool_i8(x, 1.0f, 0, y, 1.0f, 0, -128, 127, 1, geo, 0);
    for (i = 0; i < 5; ++i)
      TP_CHECK_INT(y[i], want[i]);
  }
  test_avgpool_case(0, 0);
  test_avgpool_case(0, 1);
  test_avgpool_case(1, 0);
  test_avgpool_case(1, 1);
  test_avgpool_rows(0);
  test_avgpool_rows(1);
}

/* floor(a / 2^k) for k in [0, 62], without shifting a negative value. */
static int64_t floor_div_pow2(int64_t a, int k) {
  const int64_t d = (int64_t)1 << k;
  int64_t q = a / d;
  if (a % d != 0 && a < 0)
    --q;
  return q;
}

/* gemmlowp's MultiplyByQuantizedMultiplier of acc by m = q * 2^(s - 31):
 * acc * 2^max(s,0) saturated to int32; times q over 2^31, ties toward
 * +infinity (SaturatingRoundingDoublingHighMul); over 2^max(-s,0), ties away
 * from zero (RoundingDivideByPOT). q and s from frexpf, exact. */
static int32_t ref_requantize_fixed(int32_t acc, float m) {
  int e, left, right;
  float f;
  int64_t q, x, p, r;
  if (!(m >= 0x1p-126f))
    return 0;
  f = frexpf(m, &e); /* m = f * 2^e, f in [0.5, 1) */
  q = (int64_t)ldexp((double)f, 31);
  left = e > 0 ? (e < 31 ? e : 31) : 0;
  right = e < 0 ? (-e < 31 ? -e : 31) : 0;
  x = (int64_t)acc * ((int64_t)1 << left);
  x = x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : x;
  p = x * q;
  r = floor_div_pow2(p + ((int64_t)1 << 30), 31);
  if (right == 0)
    return (int32_t)r;
  return (int32_t)(r >= 0 ? floor_div_pow2(r + ((int64_t)1 << (right - 1)), right)
                          : floor_div_pow2(r + ((int64_t)1 << (right - 1)) - 1, right));
}

static void test_requant_fixed(void) {
  static const float kMultipliers[] = {0.5f,   0.125f, 0.3f,      0.0123f,     0x1p-20f,
                                       1.7f,   3.0f,   1e-12f,    0x1p-126f,   1e-40f,
                                       0.0f,   0.999999f, 0.0234375f, 0x1.fffffep-1f};
  static const int32_t kAccs[] = {0,       1,       -1,       2,       -2,      3,
                                  -3,      5,       -5,       7,       -7,      1048577,
                                  -1048577, 65535,  -65536,   INT32_MAX, INT32_MIN, 123456789};
  int32_t i, j, k, off_by_one = 0;
  uint32_t lcg = 12345u;
  for (i = 0; i < (int32_t)(sizeof kMultipliers / sizeof kMultipliers[0]); ++i) {
    const float m = kMultipliers[i];
    for (j = 0; j < (int32_t)(sizeof kAccs / sizeof kAccs[0]) + 200; ++j) {
      int32_t acc;
      if (j < (int32_t)(sizeof kAccs / sizeof kAccs[0])) {
        acc = kAccs[j];
      } else {
        lcg = lcg * 1664525u + 1013904223u;
        acc = (int32_t)(lcg >> 8) - (1 << 23);
      }
      TP_CHECK_INT(tp_requantize_fixed(acc, m), ref_requantize_fixed(acc, m));
      /* Within 1 of the float requantization where that does not saturate. */
      {
        const double v = (double)((float)acc * m);
        if (v > -1e6 && v < 1e6) {
          const int64_t want = ref_round_even(v);
          const int64_t got = tp_requantize_fixed(acc, m);
          TP_CHECK(got - want <= 1 && want - got <= 1);
          off_by_one += got != want;
        }
      }
    }
  }
  /* Ties: 0.5 is q = 2^30, s = 0, so only the high multiply rounds, ties
   * toward +infinity: 5 * 0.5 = 2.5 gives 3 (float: 2), -5 * 0.5 gives -2.
   * 0.125 is also s = -2, and the division by 4 rounds ties away from zero:
   * -20 * 0.125 = -2.5 gives -3 (float: -2), 20 * 0.125 gives 3. */
  TP_CHECK_INT(tp_requantize_fixed(5, 0.5f), 3);
  TP_CHECK_INT(tp_requantize_fixed(-5, 0.5f), -2);
  TP_CHECK_INT(tp_requantize_fixed(-20, 0.125f), -3);
  TP_CHECK_INT(tp_requantize_fixed(20, 0.125f), 3);
  TP_CHECK_INT(tp_requantize_fixed(3, 0.25f), 1);
  TP_CHECK(off_by_one > 0);
  /* The stores add the zero point and saturate at both ends. */
  {
    uint8_t u[4];
    int8_t s8[4];
    for (k = 0; k < 4; ++k) {
      static const int32_t accs[4] = {INT32_MIN, -1000, 1000, INT32_MAX};
      tp_qstore_fixed_u8(u, k, accs[k], 0.1f, 7);
      tp_qstore_fixed_i8(s8, k, accs[k], 0.1f, -7);
    }
    TP_CHECK_INT(u[0], 0);
    TP_CHECK_INT(u[1], 0);
    TP_CHECK_INT(u[2], 107);
    TP_CHECK_INT(u[3], 255);
    TP_CHECK_INT(s8[0], -128);
    TP_CHECK_INT(s8[1], -107);
    TP_CHECK_INT(s8[2], 93);
    TP_CHECK_INT(s8[3], 127);
  }
}

/* tp_qstore4_* (four sums at once: VMOV pairs, VCVTR, USAT and one word
 * store on the Cortex-M4F) against the reference and against tp_qstore_*
 * one at a time: ties (power-of-two multipliers), both ends, int32's ends,
 * every zero point at the ends of its range. */
static void test_qstore4(void) {
  static const float mults[6] = {0.5f, 0.25f, 0x1p-12f, 0x1p4f, 0.0123f, 1.0f};
  static const int32_t zps_u[4] = {0, 1, 128, 255}, zps_i[4] = {-128, -1, 0, 127};
  int32_t k, z, i, q;
  for (k = 0; k < 6; ++k)
    for (z = 0; z < 4; ++z)
      for (i = 0; i < 64; ++i) {
        int32_t a[4];
        uint8_t yu[4], fu[4];
        int8_t yi[4], fi[4];
        for (q = 0; q < 4; ++q) {
          /* One rnd() per statement: the order of the calls is fixed. */
          const int32_t shift = rnd(0, 29);
          a[q] = i < 2 ? (i ? 2147483647 : -2147483647 - 1) + q * (i ? -1 : 1)
               : i < 32 ? rnd(-1200, 1200) : rnd(-1000000000, 1000000000) / (1 << shift) * 2;
        }
        tp_qstore4_finite_u8(yu, a[0], a[1], a[2], a[3], mults[k], zps_u[z]);
        tp_qstore4_finite_i8(yi, a[0], a[1], a[2], a[3], mults[k], zps_i[z]);
        tp_qstore4_fixed_u8(fu, a[0], a[1], a[2], a[3], mults[k], zps_u[z]);
        tp_qstore4_fixed_i8(fi, a[0], a[1], a[2], a[3], mults[k], zps_i[z]);
        for (q = 0; q < 4; ++q) {
          uint8_t fu1;
          int8_t fi1;
          TP_CHECK_INT(yu[q], ref_quant((float)a[q] * mults[k], zps_u[z], 0, 255));
          TP_CHECK_INT(yi[q], ref_quant((float)a[q] * mults[k], zps_i[z], -128, 127));
          tp_qstore_fixed_u8(&fu1, 0, a[q], mults[k], zps_u[z]);
          tp_qstore_fixed_i8(&fi1, 0, a[q], mults[k], zps_i[z]);
          TP_CHECK_INT(fu[q], fu1);
          TP_CHECK_INT(fi[q], fi1);
        }
      }
}

int main(void) {
  test_vcvtr();
  test_requant_fixed();
  test_qstore4();
  test_saturate_round();
  test_quantize();
  test_quantize_16_and_blocked();
  test_dequantize();
  test_dynamic_quantize();
  test_conv();
  test_matmul();
  test_avgpool();
  return tp_finish("quant_test");
}
