/* unary.c - The unary elementwise ops: one loop per element type and
 * arity, an element function per op.
 *
 * y[i] = op(x[i]). A loop kernel calls a placeholder element function
 * (tp_unary_op_f32, tp_unary1_op_f32 with alpha, tp_unary2_op_f32 with alpha
 * and beta), which tinyplan replaces by the op's element function when it
 * makes the loop for a model: the activations of activations.c (Relu,
 * LeakyRelu, HardSigmoid, HardSwish, Tanh, Sigmoid: the same bits as when
 * they are fused into a Conv or Gemm) or those below (Abs, Neg, Exp, Sqrt,
 * Log, Erf, Reciprocal, Floor, Ceil, Round, Gelu;
 * Relu, Abs and Neg of integers). Every loop takes alpha and beta, used or
 * not, so the call does not depend on the op. f16 and bf16 elements are
 * widened to float, computed in float and rounded back once, which for one
 * IEEE operation (Neg, Abs, Sqrt) is that operation in the narrow type.
 * Integers: two's complement wrap-around computed in uint64_t, never C's
 * signed overflow (Abs and Neg of the minimum value are the minimum).
 * Clip has a loop of its own: its bounds are pointers, null when absent.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_unary_f32
 * @instance tp_unary_f64: float=double tp_unary_op_f32=tp_unary_op_f64
 * @instance tp_unary_i8: float=int8_t tp_unary_op_f32=tp_unary_op_i8
 * @instance tp_unary_u8: float=uint8_t tp_unary_op_f32=tp_unary_op_u8
 * @instance tp_unary_i16: float=int16_t tp_unary_op_f32=tp_unary_op_i16
 * @instance tp_unary_u16: float=uint16_t tp_unary_op_f32=tp_unary_op_u16
 * @instance tp_unary_i32: float=int32_t tp_unary_op_f32=tp_unary_op_i32
 * @instance tp_unary_u32: float=uint32_t tp_unary_op_f32=tp_unary_op_u32
 * @instance tp_unary_i64: float=int64_t tp_unary_op_f32=tp_unary_op_i64
 * @instance tp_unary_u64: float=uint64_t tp_unary_op_f32=tp_unary_op_u64
 * y[i] = op(x[i]), op an element function of x alone (alpha and beta are
 * not used). y may be x. */
TP_KERNEL void tp_unary_f32(const float *x, float *y, int32_t n, float alpha, float beta) {
  int32_t i;
  (void)alpha;
  (void)beta;
  for (i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = tp_unary_op_f32(v);
  }
}

/* @kernel tp_unary1_f32
 * @instance tp_unary1_f64: float=double tp_unary1_op_f32=tp_unary1_op_f64
 * y[i] = op(x[i], alpha) (beta is not used). y may be x. */
TP_KERNEL void tp_unary1_f32(const float *x, float *y, int32_t n, float alpha, float beta) {
  int32_t i;
  (void)beta;
  for (i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = tp_unary1_op_f32(v, alpha);
  }
}

/* @kernel tp_unary2_f32
 * @instance tp_unary2_f64: float=double tp_unary2_op_f32=tp_unary2_op_f64
 * y[i] = op(x[i], alpha, beta). y may be x. */
TP_KERNEL void tp_unary2_f32(const float *x, float *y, int32_t n, float alpha, float beta) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = tp_unary2_op_f32(v, alpha, beta);
  }
}

/* @kernel tp_unary_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_unary_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * y[i] = op(x[i]) on f16 bit patterns, op a float element function: each
 * element widened to float, op, rounded to f16 (alpha and beta are not
 * used). y may be x. */
TP_KERNEL void tp_unary_f16(const uint16_t *x, uint16_t *y, int32_t n, float alpha, float beta) {
  int32_t i;
  (void)alpha;
  (void)beta;
  for (i = 0; i < n; ++i) {
    const float v = tp_f16_to_f32(x[i]);
    y[i] = tp_f32_to_f16(tp_unary_op_f32(v));
  }
}

/* @kernel tp_unary1_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_unary1_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * y[i] = op(x[i], alpha) on f16 bit patterns, computed in float (beta is
 * not used). y may be x. */
TP_KERNEL void tp_unary1_f16(const uint16_t *x, uint16_t *y, int32_t n, float alpha, float beta) {
  int32_t i;
  (void)beta;
  for (i = 0; i < n; ++i) {
    const float v = tp_f16_to_f32(x[i]);
    y[i] = tp_f32_to_f16(tp_unary1_op_f32(v, alpha));
  }
}

/* @kernel tp_unary2_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_unary2_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * y[i] = op(x[i], alpha, beta) on f16 bit patterns, computed in float.
 * y may be x. */
TP_KERNEL void tp_unary2_f16(const uint16_t *x, uint16_t *y, int32_t n, float alpha, float beta) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const float v = tp_f16_to_f32(x[i]);
    y[i] = tp_f32_to_f16(tp_unary2_op_f32(v, alpha, beta));
  }
}

/* @kernel tp_abs_f32
 * @instance tp_abs_f64: float=double fabsf=fabs
 * |x|: clears the sign bit, of -0 and NaN too. */
TP_KERNEL inline float tp_abs_f32(float x) {
  return fabsf(x);
}

/* @kernel tp_neg_f32
 * @instance tp_neg_f64: float=double
 * -x: flips the sign bit, of 0 and NaN too. */
TP_KERNEL inline float tp_neg_f32(float x) {
  return -x;
}

/* @kernel tp_exp_f32 uses tp_expf
 * @instance tp_exp_f64: float=double tp_expf=exp
 * exp: tinyplan's own for f32 (cmath.c), libm's for f64. */
TP_KERNEL inline float tp_exp_f32(float x) {
  return tp_expf(x);
}

/* @kernel tp_sqrt_f32
 * @instance tp_sqrt_f64: float=double sqrtf=sqrt
 * The square root, correctly rounded (IEEE 754): sqrt(-0) is -0, below
 * zero NaN. */
TP_KERNEL inline float tp_sqrt_f32(float x) {
  return sqrtf(x);
}

/* @kernel tp_log_f32 uses tp_logf
 * @instance tp_log_f64: float=double tp_logf=log
 * log: tinyplan's own for f32 (cmath.c), libm's for f64. */
TP_KERNEL inline float tp_log_f32(float x) {
  return tp_logf(x);
}

/* @kernel tp_erf_f32 uses tp_erff
 * @instance tp_erf_f64: float=double tp_erff=erf
 * erf: tinyplan's own for f32 (cmath.c), libm's for f64. */
TP_KERNEL inline float tp_erf_f32(float x) {
  return tp_erff(x);
}

/* @kernel tp_reciprocal_f32
 * @instance tp_reciprocal_f64: float=double
 * 1 / x, correctly rounded. */
TP_KERNEL inline float tp_reciprocal_f32(float x) {
  return 1 / x;
}

/* @kernel tp_floor_f32
 * @instance tp_floor_f64: float=double floorf=floor
 * The largest integer not above x (exact). */
TP_KERNEL inline float tp_floor_f32(float x) {
  return floorf(x);
}

/* @kernel tp_ceil_f32
 * @instance tp_ceil_f64: float=double ceilf=ceil
 * The smallest integer not below x (exact). */
TP_KERNEL inline float tp_ceil_f32(float x) {
  return ceilf(x);
}

/* @kernel tp_round_f32
 * @instance tp_round_f64: float=double floorf=floor copysignf=copysign
 * The nearest integer, halves to even, whatever the FPU's rounding mode:
 * r = floor(x) and x - r are exact, r + 1 when x - r is above 1/2 or is
 * 1/2 and r is odd; the sign of x is kept (round(-0.25) is -0). */
TP_KERNEL inline float tp_round_f32(float x) {
  const float r = floorf(x), d = x - r;
  const float y = 2 * d > 1 || (2 * d == 1 && 2 * floorf(r / 2) != r) ? r + 1 : r;
  return copysignf(y, x);
}

/* @kernel tp_gelu_f32 uses tp_erff
 * @instance tp_gelu_f64: float=double tp_erff=erf sqrtf=sqrt
 * Gelu (opset 20, approximate = "none"): x / 2 * (1 + erf(x / sqrt(2))),
 * x / sqrt(2) as x * sqrt(1/2). */
TP_KERNEL inline float tp_gelu_f32(float x) {
  return x / 2 * (1 + tp_erff(x * sqrtf((float)1 / 2)));
}

/* @kernel tp_gelu_tanh_f32 uses tp_tanhf
 * @instance tp_gelu_tanh_f64: float=double tp_tanhf=tanh sqrtf=sqrt
 * Gelu with approximate = "tanh": x / 2 * (1 + tanh(sqrt(2 / pi) * (x +
 * 0.044715 x^3))). */
TP_KERNEL inline float tp_gelu_tanh_f32(float x) {
  const float k = sqrtf(2 / (float)3.14159265358979323846);
  return x / 2 * (1 + tp_tanhf(k * (x + (float)0.044715 * x * x * x)));
}

/* @kernel tp_relu_i8
 * @instance tp_relu_i16: int8_t=int16_t
 * @instance tp_relu_i32: int8_t=int32_t
 * @instance tp_relu_i64: int8_t=int64_t
 * max(x, 0). */
TP_KERNEL inline int8_t tp_relu_i8(int8_t x) {
  return (x < 0 ? 0 : x);
}

/* @kernel tp_abs_i8
 * @instance tp_abs_i16: int8_t=int16_t
 * @instance tp_abs_i32: int8_t=int32_t
 * @instance tp_abs_i64: int8_t=int64_t
 * |x| with two's complement wrap-around: the minimum value stays. */
TP_KERNEL inline int8_t tp_abs_i8(int8_t x) {
  return (int8_t)(x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x);
}

/* @kernel tp_abs_u8
 * @instance tp_abs_u16: uint8_t=uint16_t
 * @instance tp_abs_u32: uint8_t=uint32_t
 * @instance tp_abs_u64: uint8_t=uint64_t
 * |x| of an unsigned x is x. */
TP_KERNEL inline uint8_t tp_abs_u8(uint8_t x) {
  return x;
}

/* @kernel tp_neg_i8
 * @instance tp_neg_i16: int8_t=int16_t
 * @instance tp_neg_i32: int8_t=int32_t
 * @instance tp_neg_i64: int8_t=int64_t
 * -x with two's complement wrap-around: the minimum value stays. */
TP_KERNEL inline int8_t tp_neg_i8(int8_t x) {
  return (int8_t)((uint64_t)0 - (uint64_t)x);
}

/* @kernel tp_unary_clip_f32 uses tp_clip_f32
 * @instance tp_unary_clip_f64: float=double tp_clip_f32=tp_clip_f64
 * Clip: y[i] = min(max(x[i], *lo), *hi), a null bound absent. With both
 * bounds, tp_clip_f32 as a fused Clip computes it; a missing bound is
 * skipped rather than made an infinity, which gives the same bits but
 * would cost a comparison per element. y may be x. */
TP_KERNEL void tp_unary_clip_f32(const float *x, float *y, int32_t n, const float *lo,
                                 const float *hi) {
  int32_t i;
  const float l = lo ? *lo : 0, h = hi ? *hi : 0;
  if (lo && hi) {
    for (i = 0; i < n; ++i)
      y[i] = tp_clip_f32(x[i], l, h);
    return;
  }
  for (i = 0; i < n; ++i) {
    float v = x[i];
    if (lo && v < l)
      v = l;
    if (hi && v > h)
      v = h;
    y[i] = v;
  }
}

/* @kernel tp_unary_clip_f16 uses tp_f16_to_f32 tp_f32_to_f16 tp_clip_f32
 * @instance tp_unary_clip_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * Clip of f16 bit patterns with f16 bounds (null when absent), computed in
 * float as tp_unary_clip_f32 does. y may be x. */
TP_KERNEL void tp_unary_clip_f16(const uint16_t *x, uint16_t *y, int32_t n, const uint16_t *lo,
                                 const uint16_t *hi) {
  int32_t i;
  const float l = lo ? tp_f16_to_f32(*lo) : 0, h = hi ? tp_f16_to_f32(*hi) : 0;
  if (lo && hi) {
    for (i = 0; i < n; ++i)
      y[i] = tp_f32_to_f16(tp_clip_f32(tp_f16_to_f32(x[i]), l, h));
    return;
  }
  for (i = 0; i < n; ++i) {
    float v = tp_f16_to_f32(x[i]);
    if (lo && v < l)
      v = l;
    if (hi && v > h)
      v = h;
    y[i] = tp_f32_to_f16(v);
  }
}

/* @kernel tp_unary_clip_i8
 * @instance tp_unary_clip_u8: int8_t=uint8_t
 * @instance tp_unary_clip_i16: int8_t=int16_t
 * @instance tp_unary_clip_u16: int8_t=uint16_t
 * @instance tp_unary_clip_i32: int8_t=int32_t
 * @instance tp_unary_clip_u32: int8_t=uint32_t
 * @instance tp_unary_clip_i64: int8_t=int64_t
 * @instance tp_unary_clip_u64: int8_t=uint64_t
 * Clip of integers: max(x[i], *lo) then min(., *hi), a null bound absent;
 * with *lo > *hi every element becomes *hi. y may be x. */
TP_KERNEL void tp_unary_clip_i8(const int8_t *x, int8_t *y, int32_t n, const int8_t *lo,
                                const int8_t *hi) {
  int32_t i;
  const int8_t l = lo ? *lo : (int8_t)0, h = hi ? *hi : (int8_t)0;
  for (i = 0; i < n; ++i) {
    int8_t v = x[i];
    if (lo && v < l)
      v = l;
    if (hi && v > h)
      v = h;
    y[i] = v;
  }
}

/* @kernel tp_qdq_unary_i8 uses tp_saturate_round_i8
 * @instance tp_qdq_unary_u8: int8_t=uint8_t tp_saturate_round_i8=tp_saturate_round_u8
 * A DequantizeLinear -> float op -> QuantizeLinear group, per tensor, on
 * each element: v = (float)((int32_t)x[i] - x_zp) * x_scale, then
 * y[i] = saturate(round_even(op(v) / y_scale) + y_zp), each step the
 * expression of the separate kernels (tp_dequantize_*, the op's element
 * function, tp_quantize_*), so the bits are those of the three nodes while
 * no float tensor is stored. alpha and beta are not used. y may be x. */
TP_KERNEL void tp_qdq_unary_i8(const int8_t *x, int8_t *y, int32_t n, float x_scale,
                               int32_t x_zp, float y_scale, int32_t y_zp, float alpha,
                               float beta) {
  int32_t i;
  (void)alpha;
  (void)beta;
  for (i = 0; i < n; ++i) {
    const float v = (float)((int32_t)x[i] - x_zp) * x_scale;
    y[i] = tp_saturate_round_i8(tp_unary_op_f32(v) / y_scale, y_zp);
  }
}

/* @kernel tp_qdq_unary1_i8 uses tp_saturate_round_i8
 * @instance tp_qdq_unary1_u8: int8_t=uint8_t tp_saturate_round_i8=tp_saturate_round_u8
 * tp_qdq_unary_i8 with op(v, alpha) (beta is not used). y may be x. */
TP_KERNEL void tp_qdq_unary1_i8(const int8_t *x, int8_t *y, int32_t n, float x_scale,
                                int32_t x_zp, float y_scale, int32_t y_zp, float alpha,
                                float beta) {
  int32_t i;
  (void)beta;
  for (i = 0; i < n; ++i) {
    const float v = (float)((int32_t)x[i] - x_zp) * x_scale;
    y[i] = tp_saturate_round_i8(tp_unary1_op_f32(v, alpha) / y_scale, y_zp);
  }
}

/* @kernel tp_qdq_unary2_i8 uses tp_saturate_round_i8
 * @instance tp_qdq_unary2_u8: int8_t=uint8_t tp_saturate_round_i8=tp_saturate_round_u8
 * tp_qdq_unary_i8 with op(v, alpha, beta). y may be x. */
TP_KERNEL void tp_qdq_unary2_i8(const int8_t *x, int8_t *y, int32_t n, float x_scale,
                                int32_t x_zp, float y_scale, int32_t y_zp, float alpha,
                                float beta) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const float v = (float)((int32_t)x[i] - x_zp) * x_scale;
    y[i] = tp_saturate_round_i8(tp_unary2_op_f32(v, alpha, beta) / y_scale, y_zp);
  }
}

/* @kernel tp_qdq_lookup_i8
 * A tinyplan QLinearUnary over more than 256 elements, as a table: t (256
 * bytes of scratch) first holds the 256 int8 values -128 to 127, then the
 * caller runs the group's tp_qdq_unary_* loop on it in place (the same
 * arithmetic, so the same bits), then tp_qdq_lookup_i8 maps y[i] =
 * t[x[i] + 128]. With fill set it writes the 256 values (and maps
 * nothing). y may be x. */
TP_KERNEL void tp_qdq_lookup_i8(const int8_t *x, int8_t *y, int32_t n, int8_t *t, int32_t fill) {
  int32_t i;
  if (fill) {
    for (i = 0; i < 256; ++i)
      t[i] = (int8_t)(i - 128);
    return;
  }
  for (i = 0; i < n; ++i)
    y[i] = t[(int32_t)x[i] + 128];
}

/* @kernel tp_qdq_lookup_u8
 * tp_qdq_lookup_i8 for uint8: the values 0 to 255, y[i] = t[x[i]]. */
TP_KERNEL void tp_qdq_lookup_u8(const uint8_t *x, uint8_t *y, int32_t n, uint8_t *t,
                                int32_t fill) {
  int32_t i;
  if (fill) {
    for (i = 0; i < 256; ++i)
      t[i] = (uint8_t)i;
    return;
  }
  for (i = 0; i < n; ++i)
    y[i] = t[x[i]];
}
