/* quant.c - The integer kernels of the ONNX quantized operators.
 *
 * QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, QLinearConv,
 * ConvInteger, QLinearMatMul and MatMulInteger compute what ONNX Runtime's
 * CPU kernels compute, bit for bit (docs/generated-c.md, "Integer
 * kernels", cites the ONNX Runtime sources):
 *   - quantize: v = x / scale (one float division), clamped to
 *     [qmin - zp, qmax - zp] by comparisons (a NaN becomes qmin - zp, as
 *     SSE's maxps does), rounded to the nearest integer, ties to even, and
 *     the zero point added: MLAS's MlasQuantizeLinear;
 *   - dequantize: (float)((int32_t)x - zp) * scale;
 *   - accumulate: int32 sums of (x - x_zp) * (w - w_zp), then the int32
 *     bias added;
 *   - requantize: (float)acc * multiplier, the multiplier being
 *     (x_scale * w_scale[c]) / y_scale (two float roundings, in that
 *     order), then clamped, rounded and offset as quantize does: MLAS's
 *     MlasRequantizeOutput.
 * The rounding is `(v + 0x1.8p23f) - 0x1.8p23f`, which for |v| <= 2^22 is
 * the integer nearest v, ties to even, under the default rounding mode
 * (the sum lies in [2^23, 2^24), where floats are the integers); the clamp
 * before it keeps |v| below 2^16. So the kernels call no libm function and
 * give the same bits with an FPU and with soft float.
 *
 * The convolution and matrix-product kernels are written once, on uint8_t
 * activations and int8_t weights, and instantiated for the other pairs;
 * what they store is an element function: tp_qstore_i32 (the int32
 * accumulator itself: ConvInteger, MatMulInteger) or tp_qstore_u8 /
 * tp_qstore_i8 (requantized: QLinearConv, QLinearMatMul).
 */
#include "tinyplan_kernels.h"

/* @kernel tp_vcvtr
 * v rounded to the nearest int32, ties to even, values beyond int32
 * saturated, NaN 0: what one VCVTR computes on a core with a
 * single-precision FPU (rounding as the FPSCR says, to nearest even from
 * reset; tinyplan's C assumes the application keeps that mode), and
 * portable C elsewhere. */
TP_KERNEL inline
#if defined(__GNUC__)
__attribute__((unused)) /* its callers call it only on FPU cores */
#endif
int32_t tp_vcvtr(float v) {
#if defined(__ARM_FP) && (__ARM_FP & 4) && defined(__thumb2__) && defined(__GNUC__) && \
    !defined(TINYPLAN_NO_ASM)
  int32_t r;
  __asm__("vcvtr.s32.f32 %0, %1" : "=t"(v) : "t"(v));
  memcpy(&r, &v, sizeof r);
  return r;
#else
  if (v != v)
    return 0;
  if (v >= 2147483648.0f)
    return 2147483647;
  if (v <= -2147483648.0f)
    return -2147483647 - 1;
  if (fabsf(v) >= 0x1p23f) /* an integer already */
    return (int32_t)v;
  /* Below 2^23, adding 2^23 leaves a spacing of 1: one rounding, to even. */
  return v >= 0 ? (int32_t)((v + 0x1p23f) - 0x1p23f) : -(int32_t)((0x1p23f - v) - 0x1p23f);
#endif
}

/* @kernel tp_quant_round
 * v clamped to [lo, hi] (integers, |lo|, |hi| < 2^16) as SSE's maxps then
 * minps clamp it (a NaN v gives lo), rounded to the nearest integer with
 * ties to even. */
TP_KERNEL inline int32_t tp_quant_round(float v, float lo, float hi) {
  v = v > lo ? v : lo;
  v = v < hi ? v : hi;
  return (int32_t)((v + 0x1.8p23f) - 0x1.8p23f);
}

/* @kernel tp_saturate_round_u8 uses tp_quant_round tp_vcvtr
 * round_even(v) + zp saturated to [0, 255]: v clamped to [-zp, 255 - zp]
 * before it is rounded (a NaN v gives 0). On a core with a single-precision
 * FPU and the DSP extension: VCVTR, QADD, USAT, the same integers (see
 * tp_qstore_finite_u8). */
TP_KERNEL uint8_t tp_saturate_round_u8(float v, int32_t zp) {
#if defined(__ARM_FP) && (__ARM_FP & 4) && defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && \
    defined(__thumb2__) && defined(__GNUC__)
  return v != v ? 0 : (uint8_t)__builtin_arm_usat(__builtin_arm_qadd(tp_vcvtr(v), zp), 8);
#else
  return (uint8_t)(tp_quant_round(v, (float)(0 - zp), (float)(255 - zp)) + zp);
#endif
}

/* @kernel tp_saturate_round_i8 uses tp_quant_round tp_vcvtr
 * round_even(v) + zp saturated to [-128, 127] (a NaN v gives -128). */
TP_KERNEL int8_t tp_saturate_round_i8(float v, int32_t zp) {
#if defined(__ARM_FP) && (__ARM_FP & 4) && defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && \
    defined(__thumb2__) && defined(__GNUC__)
  return v != v ? -128 : (int8_t)__builtin_arm_ssat(__builtin_arm_qadd(tp_vcvtr(v), zp), 8);
#else
  return (int8_t)(tp_quant_round(v, (float)(-128 - zp), (float)(127 - zp)) + zp);
#endif
}

/* @kernel tp_saturate_round_u16 uses tp_quant_round
 * round_even(v) + zp saturated to [0, 65535] (a NaN v gives 0). */
TP_KERNEL uint16_t tp_saturate_round_u16(float v, int32_t zp) {
  return (uint16_t)(tp_quant_round(v, (float)(0 - zp), (float)(65535 - zp)) + zp);
}

/* @kernel tp_saturate_round_i16 uses tp_quant_round
 * round_even(v) + zp saturated to [-32768, 32767] (a NaN v gives -32768). */
TP_KERNEL int16_t tp_saturate_round_i16(float v, int32_t zp) {
  return (int16_t)(tp_quant_round(v, (float)(-32768 - zp), (float)(32767 - zp)) + zp);
}

/* @kernel tp_quantize_u8 uses tp_saturate_round_u8 tp_vcvtr
 * @instance tp_quantize_i8: uint8_t=int8_t tp_saturate_round_u8=tp_saturate_round_i8
 * @instance tp_quantize_u16: uint8_t=uint16_t tp_saturate_round_u8=tp_saturate_round_u16
 * @instance tp_quantize_i16: uint8_t=int16_t tp_saturate_round_u8=tp_saturate_round_i16
 * QuantizeLinear of outer x channels x inner floats, channel c with
 * scale[c] and zero point zp[c] (0 when zp is null): per tensor is one
 * channel, per axis the axis's extent. y[i] = saturate(round_even(x[i] /
 * scale) + zp). With a single-precision FPU and the DSP extension, 8-bit
 * results go four at a time while none of the four quotients is NaN (their
 * sum is not): tp_saturate_round_u8's VCVTR, QADD and USAT (int8: the zero
 * point plus 128, then the top bits flipped, as tp_qstore4_finite_u8
 * does) and one word store. */
TP_KERNEL void tp_quantize_u8(const float *x, uint8_t *y, int32_t outer, int32_t channels,
    int32_t inner, const float *scale, const uint8_t *zp) {
  int32_t o, c, i;
  for (o = 0; o < outer; ++o)
    for (c = 0; c < channels; ++c) {
      const float s = scale[c];
      const int32_t z = zp ? (int32_t)zp[c] : 0;
      const float *xc = x + (o * channels + c) * inner;
      uint8_t *yc = y + (o * channels + c) * inner;
      i = 0;
#if defined(__ARM_FP) && (__ARM_FP & 4) && defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && \
    defined(__thumb2__) && defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN)
      if (sizeof(uint8_t) == 1) {
        const int32_t zz = (uint8_t)-1 == 255 ? z : z + 128;
        for (; i + 4 <= inner; i += 4) {
          const float q0 = xc[i] / s, q1 = xc[i + 1] / s, q2 = xc[i + 2] / s, q3 = xc[i + 3] / s;
          const float sum = (q0 + q1) + (q2 + q3);
          uint32_t u;
          if (sum != sum)
            break;
          u = (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(tp_vcvtr(q0), zz), 8) |
              (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(tp_vcvtr(q1), zz), 8) << 8 |
              (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(tp_vcvtr(q2), zz), 8) << 16 |
              (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(tp_vcvtr(q3), zz), 8) << 24;
          u ^= (uint8_t)-1 == 255 ? 0u : 0x80808080u;
          memcpy(yc + i, &u, 4);
        }
      }
#endif
      for (; i < inner; ++i)
        yc[i] = tp_saturate_round_u8(xc[i] / s, z);
    }
}

/* @kernel tp_dequantize_u8
 * @instance tp_dequantize_i8: uint8_t=int8_t
 * @instance tp_dequantize_u16: uint8_t=uint16_t
 * @instance tp_dequantize_i16: uint8_t=int16_t
 * @instance tp_dequantize_i32: uint8_t=int32_t
 * DequantizeLinear of outer x channels x inner elements, channel c with
 * scale[c] and zero point zp[c] (0 when zp is null): y[i] =
 * (float)((int32_t)x[i] - zp) * scale, two roundings at most (the int32
 * to float conversion is exact below 2^24). The int32 instance is only
 * called without a zero point (ONNX requires it to be 0). */
TP_KERNEL void tp_dequantize_u8(const uint8_t *x, float *y, int32_t outer, int32_t channels,
    int32_t inner, const float *scale, const uint8_t *zp) {
  int32_t o, c, i;
  for (o = 0; o < outer; ++o)
    for (c = 0; c < channels; ++c) {
      const float s = scale[c];
      const int32_t z = zp ? (int32_t)zp[c] : 0;
      const uint8_t *xc = x + (o * channels + c) * inner;
      float *yc = y + (o * channels + c) * inner;
      for (i = 0; i < inner; ++i)
        yc[i] = (float)((int32_t)xc[i] - z) * s;
    }
}

/* @kernel tp_quantize_blocked_u8 uses tp_saturate_round_u8
 * @instance tp_quantize_blocked_i8: uint8_t=int8_t tp_saturate_round_u8=tp_saturate_round_i8
 * @instance tp_quantize_blocked_u16: uint8_t=uint16_t tp_saturate_round_u8=tp_saturate_round_u16
 * @instance tp_quantize_blocked_i16: uint8_t=int16_t tp_saturate_round_u8=tp_saturate_round_i16
 * QuantizeLinear with blocked scales (opset 21's block_size): x is outer x
 * channels x inner, and element (o, c, i) takes scale and zero point (o,
 * c / block, i) of tensors outer x ceil(channels / block) x inner (zp null:
 * 0). */
TP_KERNEL void tp_quantize_blocked_u8(const float *x, uint8_t *y, int32_t outer,
    int32_t channels, int32_t inner, int32_t block, const float *scale, const uint8_t *zp) {
  const int32_t blocks = (channels + block - 1) / block;
  int32_t o, c, i;
  for (o = 0; o < outer; ++o)
    for (c = 0; c < channels; ++c) {
      const int32_t at = (o * blocks + c / block) * inner, e = (o * channels + c) * inner;
      for (i = 0; i < inner; ++i)
        y[e + i] = tp_saturate_round_u8(x[e + i] / scale[at + i], zp ? (int32_t)zp[at + i] : 0);
    }
}

/* @kernel tp_dequantize_blocked_u8
 * @instance tp_dequantize_blocked_i8: uint8_t=int8_t
 * @instance tp_dequantize_blocked_u16: uint8_t=uint16_t
 * @instance tp_dequantize_blocked_i16: uint8_t=int16_t
 * DequantizeLinear with blocked scales: y = (float)((int32_t)x - zp) *
 * scale, the scale and zero point of element (o, c, i) at (o, c / block,
 * i), as tp_quantize_blocked_u8 reads them. */
TP_KERNEL void tp_dequantize_blocked_u8(const uint8_t *x, float *y, int32_t outer,
    int32_t channels, int32_t inner, int32_t block, const float *scale, const uint8_t *zp) {
  const int32_t blocks = (channels + block - 1) / block;
  int32_t o, c, i;
  for (o = 0; o < outer; ++o)
    for (c = 0; c < channels; ++c) {
      const int32_t at = (o * blocks + c / block) * inner, e = (o * channels + c) * inner;
      for (i = 0; i < inner; ++i)
        y[e + i] = (float)((int32_t)x[e + i] - (zp ? (int32_t)zp[at + i] : 0)) * scale[at + i];
    }
}

/* @kernel tp_dynamic_quantize_u8 uses tp_quant_round tp_quantize_u8
 * DynamicQuantizeLinear of n floats, as ONNX Runtime's
 * GetQuantizationParameter: min and max of x widened to include 0 (NaNs
 * are skipped), scale = (max - min) / 255 (1 when max == min), zero point
 * round_even(clamp(0 - min / scale, 0, 255)) (a NaN there gives 255, as
 * std::min(255.f, NaN) does), then QuantizeLinear with them. */
TP_KERNEL void tp_dynamic_quantize_u8(const float *x, uint8_t *y, float *scale, uint8_t *zp,
    int32_t n) {
  float lo = 0, hi = 0, s, z;
  int32_t i;
  uint8_t zq;
  for (i = 0; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  s = hi == lo ? (float)1 : (hi - lo) / (float)255;
  z = (float)0 - lo / s;
  z = z < (float)255 ? z : (float)255;
  z = (float)0 < z ? z : (float)0;
  zq = (uint8_t)tp_quant_round(z, (float)0, (float)255);
  *scale = s;
  *zp = zq;
  tp_quantize_u8(x, y, 1, 1, n, &s, &zq);
}

/* @kernel tp_qstore_i32
 * Stores the int32 accumulator as it is (ConvInteger, MatMulInteger). */
TP_KERNEL inline void tp_qstore_i32(void *y, int32_t i, int32_t acc, float multiplier,
    int32_t zp) {
  (void)multiplier;
  (void)zp;
  ((int32_t *)y)[i] = acc;
}

/* @kernel tp_qstore_u8 uses tp_saturate_round_u8
 * @instance tp_qstore_i8: uint8_t=int8_t tp_saturate_round_u8=tp_saturate_round_i8
 * Requantizes the accumulator (bias included): saturate(round_even(
 * (float)acc * multiplier) + zp), MlasRequantizeOutput's order. */
TP_KERNEL inline void tp_qstore_u8(void *y, int32_t i, int32_t acc, float multiplier,
    int32_t zp) {
  ((uint8_t *)y)[i] = tp_saturate_round_u8((float)acc * multiplier, zp);
}

/* @kernel tp_qstore_finite_u8 uses tp_qstore_u8 tp_vcvtr
 * @instance tp_qstore_finite_i8: uint8_t=int8_t tp_qstore_u8=tp_qstore_i8
 * tp_qstore_u8 for a finite multiplier (the emitters that call it check so
 * at compile time). On a core with a single-precision FPU: one VCVTR
 * (float to int32, rounded as the FPSCR says: to nearest, ties to even, the
 * reset mode), a saturating add of the zero point and one SSAT or USAT,
 * the bits of tp_qstore_u8: rounding before saturating gives the same
 * integer as clamping to integer bounds first, and VCVTR saturates what
 * int32 cannot hold. */
TP_KERNEL inline void tp_qstore_finite_u8(void *y, int32_t i, int32_t acc, float multiplier,
    int32_t zp) {
#if defined(__ARM_FP) && (__ARM_FP & 4) && defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && \
    defined(__thumb2__) && defined(__GNUC__)
  const int32_t r = __builtin_arm_qadd(tp_vcvtr((float)acc * multiplier), zp);
  ((uint8_t *)y)[i] = (uint8_t)((uint8_t)-1 == 255 ? __builtin_arm_usat(r, 8)
                                                   : __builtin_arm_ssat(r, 8));
#else
  tp_qstore_u8(y, i, acc, multiplier, zp);
#endif
}

/* @kernel tp_qstore4_finite_u8 uses tp_qstore_finite_u8
 * @instance tp_qstore4_finite_i8: uint8_t=int8_t tp_qstore_finite_u8=tp_qstore_finite_i8
 * y[0..3] = tp_qstore_finite_u8 of the sums a0..a3 (one multiplier and zero
 * point). On a core with a single-precision FPU and the DSP extension, the
 * same integers from registers: the sums two at a time into the FPU and
 * back (one VMOV moves two core registers), VCVT, VMUL, VCVTR, then a
 * saturating add of the zero point, USAT, and the four bytes in one word
 * store; int8 saturates value + 128 as uint8 and flips the top bits. */
TP_KERNEL inline void tp_qstore4_finite_u8(uint8_t *y, int32_t a0, int32_t a1, int32_t a2,
    int32_t a3, float multiplier, int32_t zp) {
#if defined(__ARM_FP) && (__ARM_FP & 4) && defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && \
    defined(__thumb2__) && defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && \
    !defined(TINYPLAN_NO_ASM)
  const int32_t z = (uint8_t)-1 == 255 ? zp : zp + 128;
  uint32_t u;
  __asm__("vmov s0, s1, %[a0], %[a1]\n\t"
          "vmov s2, s3, %[a2], %[a3]\n\t"
          "vcvt.f32.s32 s0, s0\n\tvcvt.f32.s32 s1, s1\n\t"
          "vcvt.f32.s32 s2, s2\n\tvcvt.f32.s32 s3, s3\n\t"
          "vmul.f32 s0, s0, %[m]\n\tvmul.f32 s1, s1, %[m]\n\t"
          "vmul.f32 s2, s2, %[m]\n\tvmul.f32 s3, s3, %[m]\n\t"
          "vcvtr.s32.f32 s0, s0\n\tvcvtr.s32.f32 s1, s1\n\t"
          "vcvtr.s32.f32 s2, s2\n\tvcvtr.s32.f32 s3, s3\n\t"
          "vmov %[a0], %[a1], s0, s1\n\t"
          "vmov %[a2], %[a3], s2, s3"
          : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3)
          : [m] "t"(multiplier)
          : "s0", "s1", "s2", "s3");
  u = (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(a0, z), 8) |
      (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(a1, z), 8) << 8 |
      (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(a2, z), 8) << 16 |
      (uint32_t)__builtin_arm_usat(__builtin_arm_qadd(a3, z), 8) << 24;
  u ^= (uint8_t)-1 == 255 ? 0u : 0x80808080u;
  memcpy(y, &u, 4);
#else
  tp_qstore_finite_u8(y, 0, a0, multiplier, zp);
  tp_qstore_finite_u8(y, 1, a1, multiplier, zp);
  tp_qstore_finite_u8(y, 2, a2, multiplier, zp);
  tp_qstore_finite_u8(y, 3, a3, multiplier, zp);
#endif
}

/* @kernel tp_requant_float
 * 1: the kernel that calls it stores through tp_qstore_finite_* (the float
 * requantization), so assembly of its own may requantize in the same way
 * from registers. Under --requant=fixed such a kernel is instanced with
 * tp_requant_float_off (0) in its place, as with its stores. */
TP_KERNEL inline int32_t tp_requant_float(void) {
  return 1;
}

/* @kernel tp_requant_float_off
 * tp_requant_float under --requant=fixed. */
TP_KERNEL inline int32_t tp_requant_float_off(void) {
  return 0;
}

/* @kernel tp_requantize_fixed
 * --requant=fixed: acc times the multiplier m (positive; the float that
 * tp_qstore_u8 multiplies by) with an int32 multiplier q and a shift s, as
 * TensorFlow Lite Micro and CMSIS-NN requantize. q and s are made from m
 * exactly, with integer operations on its bits: m = q * 2^(s - 31), q its
 * 24-bit significand times 2^7, in [2^30, 2^31). Then gemmlowp's two
 * roundings: SaturatingRoundingDoublingHighMul(acc * 2^max(s, 0), q) and
 * RoundingDivideByPOT(., max(-s, 0)), each to nearest with ties away from
 * zero. acc * 2^s saturates to int32 and shifts beyond 31 stop at 31 (the
 * result is then saturated or 0 either way); a zero or subnormal m gives 0.
 * Integer arithmetic only, in int64 where a product needs it, so every
 * core computes the same bits without an FPU. */
TP_KERNEL int32_t tp_requantize_fixed(int32_t acc, float multiplier) {
  union {
    float f;
    uint32_t u;
  } bits;
  int32_t q, shift, left, right, x, floor_div;
  int64_t v, ab, mask, remainder, threshold;
  bits.f = multiplier;
  if ((bits.u & 0x7f800000u) == 0)
    return 0;
  q = (int32_t)(((bits.u & 0x7fffffu) | 0x800000u) << 7);
  shift = (int32_t)((bits.u >> 23) & 0xffu) - 126;
  left = shift > 0 ? (shift < 31 ? shift : 31) : 0;
  right = shift < 0 ? (-shift < 31 ? -shift : 31) : 0;
  v = (int64_t)acc * ((int64_t)1 << left);
  x = v > 2147483647 ? 2147483647 : v < -2147483647 - 1 ? -2147483647 - 1 : (int32_t)v;
  ab = (int64_t)x * q;
  ab += ab >= 0 ? ((int64_t)1 << 30) : 1 - ((int64_t)1 << 30);
  x = (int32_t)(ab / ((int64_t)1 << 31)); /* C99 division truncates toward zero */
  mask = ((int64_t)1 << right) - 1;
  remainder = (int64_t)x & mask;
  threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  /* x >> right rounding down, without shifting a negative value */
  floor_div = x >= 0 ? x >> right : ~(~x >> right);
  return floor_div + (remainder > threshold ? 1 : 0);
}

/* @kernel tp_qstore_fixed_u8 uses tp_requantize_fixed
 * tp_qstore_u8 under --requant=fixed: tp_requantize_fixed(acc, multiplier)
 * plus zp, saturated to [0, 255]. */
TP_KERNEL inline void tp_qstore_fixed_u8(void *y, int32_t i, int32_t acc, float multiplier,
    int32_t zp) {
  const int32_t v = tp_requantize_fixed(acc, multiplier);
  ((uint8_t *)y)[i] = (uint8_t)(v < 0 - zp ? 0 : v > 255 - zp ? 255 : v + zp);
}

/* @kernel tp_qstore_fixed_i8 uses tp_requantize_fixed
 * tp_qstore_i8 under --requant=fixed: saturated to [-128, 127]. */
TP_KERNEL inline void tp_qstore_fixed_i8(void *y, int32_t i, int32_t acc, float multiplier,
    int32_t zp) {
  const int32_t v = tp_requantize_fixed(acc, multiplier);
  ((int8_t *)y)[i] = (int8_t)(v < -128 - zp ? -128 : v > 127 - zp ? 127 : v + zp);
}

/* @kernel tp_qstore4_fixed_u8 uses tp_qstore_fixed_u8
 * @instance tp_qstore4_fixed_i8: uint8_t=int8_t tp_qstore_fixed_u8=tp_qstore_fixed_i8
 * tp_qstore4_finite_u8 under --requant=fixed. */
TP_KERNEL inline void tp_qstore4_fixed_u8(uint8_t *y, int32_t a0, int32_t a1, int32_t a2,
    int32_t a3, float multiplier, int32_t zp) {
  tp_qstore_fixed_u8(y, 0, a0, multiplier, zp);
  tp_qstore_fixed_u8(y, 1, a1, multiplier, zp);
  tp_qstore_fixed_u8(y, 2, a2, multiplier, zp);
  tp_qstore_fixed_u8(y, 3, a3, multiplier, zp);
}

/* @kernel tp_conv_integer_u8_i8 uses tp_qstore_i32
 * @instance tp_conv_integer_u8_u8: int8_t=uint8_t
 * @instance tp_conv_integer_i8_i8: uint8_t=int8_t
 * @instance tp_conv_integer_i8_u8: uint8_t=int8_t int8_t=uint8_t
 * @instance tp_qlinearconv_u8_i8: tp_qstore_i32=tp_qstore_u8
 * @instance tp_qlinearconv_u8_u8: int8_t=uint8_t tp_qstore_i32=tp_qstore_u8
 * @instance tp_qlinearconv_i8_i8: uint8_t=int8_t tp_qstore_i32=tp_qstore_i8
 * @instance tp_qlinearconv_i8_u8: uint8_t=int8_t int8_t=uint8_t tp_qstore_i32=tp_qstore_i8
 * Direct integer convolution, NCDHW (1-D and 2-D with unit dims): x is
 * N x C x D x H x W, w is M x C/G x KD x KH x KW. For output element
 * (n, m, od, oh, ow): acc = sum over the window inside the input of
 * (x - xzp) * (w - wzp[m * wzp_step]) (wzp null: 0; padded taps are
 * left out, which is adding (xzp - xzp) * w), plus b[m] (b may be null),
 * in int32; stored through tp_qstore_i32 with the multiplier
 * (xs * ws[m * ws_step]) / ys (0 when ws is null) and the output zero
 * point yzp. geo: D H W, OD OH OW, KD KH KW, strides, dilations, begin
 * pads (3 each), as tp_conv3d_f32's. */
TP_KERNEL void tp_conv_integer_u8_i8(const uint8_t *x, int32_t xzp, const int8_t *w,
    const int8_t *wzp, int32_t wzp_step, const int32_t *b, void *y, float xs,
    const float *ws, int32_t ws_step, float ys, int32_t yzp, int32_t N, int32_t C,
    int32_t M, int32_t G, const int32_t *geo) {
  const int32_t D = geo[0], H = geo[1], W = geo[2], OD = geo[3], OH = geo[4], OW = geo[5];
  const int32_t KD = geo[6], KH = geo[7], KW = geo[8], SD = geo[9], SH = geo[10], SW = geo[11];
  const int32_t DD = geo[12], DH = geo[13], DW = geo[14], PF = geo[15], PT = geo[16], PL = geo[17];
  const int32_t CG = C / G, MG = M / G;
  int32_t n, m, od, oh, ow, c, kd, kh, kw;
  for (n = 0; n < N; ++n)
    for (m = 0; m < M; ++m) {
      const uint8_t *xg = x + (n * C + (m / MG) * CG) * D * H * W;
      const int8_t *wm = w + m * CG * KD * KH * KW;
      const int32_t wz = wzp ? (int32_t)wzp[m * wzp_step] : 0;
      const int32_t bias = b ? b[m] : 0;
      const float multiplier = ws ? xs * ws[m * ws_step] / ys : (float)0;
      const int32_t yoff = (n * M + m) * OD * OH * OW;
      for (od = 0; od < OD; ++od) {
        const int32_t id0 = od * SD - PF;
        const int32_t kd0 = id0 < 0 ? (DD - 1 - id0) / DD : 0;
        const int32_t kd1 = id0 + (KD - 1) * DD < D ? KD : (D - id0 + DD - 1) / DD;
        for (oh = 0; oh < OH; ++oh) {
          const int32_t ih0 = oh * SH - PT;
          const int32_t kh0 = ih0 < 0 ? (DH - 1 - ih0) / DH : 0;
          const int32_t kh1 = ih0 + (KH - 1) * DH < H ? KH : (H - ih0 + DH - 1) / DH;
          for (ow = 0; ow < OW; ++ow) {
            const int32_t iw0 = ow * SW - PL;
            const int32_t kw0 = iw0 < 0 ? (DW - 1 - iw0) / DW : 0;
            const int32_t kw1 = iw0 + (KW - 1) * DW < W ? KW : (W - iw0 + DW - 1) / DW;
            int32_t acc = 0;
            for (c = 0; c < CG; ++c)
              for (kd = kd0; kd < kd1; ++kd)
                for (kh = kh0; kh < kh1; ++kh) {
                  const uint8_t *xr = xg + ((c * D + id0 + kd * DD) * H + ih0 + kh * DH) * W + iw0;
                  const int8_t *wr = wm + ((c * KD + kd) * KH + kh) * KW;
                  for (kw = kw0; kw < kw1; ++kw)
                    acc += ((int32_t)xr[kw * DW] - xzp) * ((int32_t)wr[kw] - wz);
                }
            tp_qstore_i32(y, yoff + (od * OH + oh) * OW + ow, acc + bias, multiplier, yzp);
          }
        }
      }
    }
}

/* @kernel tp_matmul_integer_u8_i8 uses tp_qstore_i32
 * @instance tp_matmul_integer_u8_u8: int8_t=uint8_t
 * @instance tp_matmul_integer_i8_i8: uint8_t=int8_t
 * @instance tp_matmul_integer_i8_u8: uint8_t=int8_t int8_t=uint8_t
 * @instance tp_qlinearmatmul_u8_i8: tp_qstore_i32=tp_qstore_u8
 * @instance tp_qlinearmatmul_u8_u8: int8_t=uint8_t tp_qstore_i32=tp_qstore_u8
 * @instance tp_qlinearmatmul_i8_i8: uint8_t=int8_t tp_qstore_i32=tp_qstore_i8
 * @instance tp_qlinearmatmul_i8_u8: uint8_t=int8_t int8_t=uint8_t tp_qstore_i32=tp_qstore_i8
 * Integer matrix products y[t] = A[t] x B[t], t < batches, A[t] the M x K
 * matrix at a + aoff[t], B[t] the K x N one at b + boff[t] (both dense,
 * row-major), y dense. Element (i, j): acc = sum over k of (A(i, k) - azp)
 * * (B(k, j) - bzp[j * bzp_step]) (bzp null: 0) in int32, stored through
 * tp_qstore_i32 with the multiplier (as * bs[j * bs_step]) / ys (0 when
 * bs is null) and the output zero point yzp. */
TP_KERNEL void tp_matmul_integer_u8_i8(const uint8_t *a, int32_t azp, const int8_t *b,
    const int8_t *bzp, int32_t bzp_step, void *y, float as, const float *bs,
    int32_t bs_step, float ys, int32_t yzp, int32_t M, int32_t K, int32_t N,
    int32_t batches, const int32_t *aoff, const int32_t *boff) {
  int32_t t, i, j, k;
  for (t = 0; t < batches; ++t)
    for (i = 0; i < M; ++i) {
      const uint8_t *ar = a + aoff[t] + i * K;
      const int8_t *bt = b + boff[t];
      for (j = 0; j < N; ++j) {
        const int32_t bz = bzp ? (int32_t)bzp[j * bzp_step] : 0;
        const float multiplier = bs ? as * bs[j * bs_step] / ys : (float)0;
        int32_t acc = 0;
        for (k = 0; k < K; ++k)
          acc += ((int32_t)ar[k] - azp) * ((int32_t)bt[k * N + j] - bz);
        tp_qstore_i32(y, (t * M + i) * N + j, acc, multiplier, yzp);
      }
    }
}

/* @kernel tp_qlinear_avgrow_u8 uses tp_quant_round
 * @instance tp_qlinear_avgrow_i8: uint8_t=int8_t
 * n outputs of one output row of a 2-D tp_qlinear_avgpool_u8 whose windows
 * are all inside the input: the first window's KH x KW values at r (rows W
 * apart), each next window SW further, outputs at y: the same floats summed
 * in the same order, divided by KH * KW, rounded the same way. A function
 * of its own, so that its loops keep their state in registers. */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void tp_qlinear_avgrow_u8(const uint8_t *r, int32_t W, int32_t KH, int32_t KW, int32_t SW,
                          int32_t n, float xs, int32_t xzp, float ys, int32_t yzp, int32_t qmin,
                          int32_t qmax, uint8_t *y) {
  const float count = (float)(KH * KW), lo = (float)qmin, hi = (float)qmax, zp = (float)yzp;
  int32_t o, h, w;
  for (o = 0; o < n; ++o, r += SW) {
    const uint8_t *e = r;
    float sum = 0;
    for (h = 0; h < KH; ++h, e += W)
      for (w = 0; w < KW; ++w)
        sum += xs * (float)((int32_t)e[w] - xzp);
    sum /= count;
    y[o] = (uint8_t)tp_quant_round(sum / ys + zp, lo, hi);
  }
}

/* @kernel tp_qlinear_avgpool_u8 uses tp_quant_round tp_qlinear_avgrow_u8
 * @instance tp_qlinear_avgpool_i8: uint8_t=int8_t tp_qlinear_avgrow_u8=tp_qlinear_avgrow_i8
 * com.microsoft QLinearAveragePool over `planes` planes (N x C) of up to
 * three spatial dims, as ONNX Runtime's qlinear_pool.cc computes it
 * outside its global-pool shortcut: each element dequantized to x_scale *
 * (float)(x - xzp); the window's values, clipped to the input, summed in
 * float from 0 in row-major order; the sum divided by the count (the
 * whole kernel with count_include_pad, else the clipped window's); then
 * round_even(avg / y_scale + (float)yzp) (the zero point added in float
 * before rounding, unlike QuantizeLinear) clamped to [qmin, qmax] (NaN
 * gives qmin). geo: D H W, OD OH OW, KD KH KW, strides, begin pads (3
 * each), count_include_pad. deq, when not null, holds the 256 dequantized
 * values by the element's byte (x_scale * (float)(value - xzp), the same
 * floats): windows of whole rows then take each from it, a load where the
 * conversion and multiply take three instructions. */
TP_KERNEL void tp_qlinear_avgpool_u8(const uint8_t *x, float xs, int32_t xzp, uint8_t *y,
    float ys, int32_t yzp, int32_t qmin, int32_t qmax, int32_t planes, const int32_t *geo,
    const float *deq) {
  const int32_t D = geo[0], H = geo[1], W = geo[2], OD = geo[3], OH = geo[4], OW = geo[5];
  const int32_t KD = geo[6], KH = geo[7], KW = geo[8], SD = geo[9], SH = geo[10], SW = geo[11];
  const int32_t PF = geo[12], PT = geo[13], PL = geo[14], include_pad = geo[15];
  int32_t p, od, oh, ow, d, h, w;
  for (p = 0; p < planes; ++p) {
    const uint8_t *xp = x + p * D * H * W;
    uint8_t *yp = y + p * OD * OH * OW;
    for (od = 0; od < OD; ++od) {
      const int32_t d0 = od * SD - PF > 0 ? od * SD - PF : 0;
      const int32_t d1 = od * SD - PF + KD < D ? od * SD - PF + KD : D;
      for (oh = 0; oh < OH; ++oh) {
        const int32_t h0 = oh * SH - PT > 0 ? oh * SH - PT : 0;
        const int32_t h1 = oh * SH - PT + KH < H ? oh * SH - PT + KH : H;
        /* A 2-D row's windows inside the input, ow_in <= ow < ow_out, go
           through tp_qlinear_avgrow_u8 (windows of whole rows take deq). */
        const int32_t rows_in = D == 1 && KD == 1 && d0 == 0 && d1 == 1 && h0 == oh * SH - PT &&
                                h1 == h0 + KH;
        const int32_t last = W - KW + PL < 0 ? -1 : (W - KW + PL) / SW;
        const int32_t ow_in = (PL + SW - 1) / SW, ow_out = last + 1 < OW ? last + 1 : OW;
        for (ow = 0; ow < OW; ++ow) {
          if (rows_in && !deq && ow == ow_in && ow_in < ow_out) {
            tp_qlinear_avgrow_u8(xp + h0 * W + ow * SW - PL, W, KH, KW, SW, ow_out - ow_in, xs,
                                 xzp, ys, yzp, qmin, qmax, yp + (od * OH + oh) * OW + ow);
            ow = ow_out - 1;
            continue;
          }
          const int32_t w0 = ow * SW - PL > 0 ? ow * SW - PL : 0;
          const int32_t w1 = ow * SW - PL + KW < W ? ow * SW - PL + KW : W;
          const int32_t count = include_pad ? KD * KH * KW : (d1 - d0) * (h1 - h0) * (w1 - w0);
          float sum = 0;
          for (d = d0; d < d1; ++d)
            if (w0 == 0 && w1 == W && h1 > h0) {
              /* Whole rows: the window's rows of this d follow each other,
                 one run, four values per iteration (the same order). */
              const uint8_t *e = xp + (d * H + h0) * W, *end = e + (h1 - h0) * W;
              if (deq) {
                /* By the elements' bytes; the table's address in one
                   register (GCC would add a constant offset per load). */
                const unsigned char *b = (const unsigned char *)e;
                const unsigned char *bend = (const unsigned char *)end;
                const float *t = deq;
#if defined(__GNUC__)
                __asm__("" : "+r"(t));
#endif
                for (; bend - b >= 4; b += 4) {
                  sum += t[b[0]];
                  sum += t[b[1]];
                  sum += t[b[2]];
                  sum += t[b[3]];
                }
                for (; b < bend; ++b)
                  sum += t[*b];
                continue;
              }
              for (; end - e >= 4; e += 4) {
                sum += xs * (float)((int32_t)e[0] - xzp);
                sum += xs * (float)((int32_t)e[1] - xzp);
                sum += xs * (float)((int32_t)e[2] - xzp);
                sum += xs * (float)((int32_t)e[3] - xzp);
              }
              for (; e < end; ++e)
                sum += xs * (float)((int32_t)*e - xzp);
            } else {
              for (h = h0; h < h1; ++h)
                for (w = w0; w < w1; ++w)
                  sum += xs * (float)((int32_t)xp[(d * H + h) * W + w] - xzp);
            }
          sum /= (float)count;
          yp[(od * OH + oh) * OW + ow] =
              (uint8_t)tp_quant_round(sum / ys + (float)yzp, (float)qmin, (float)qmax);
        }
      }
    }
  }
}
