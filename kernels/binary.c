/* binary.c - The binary elementwise ops with numpy broadcasting: two loops
 * per element type, an element function per op.
 *
 * y[i] = op(a, b). tp_binary_same_* walks two operands with the result's
 * shape; tp_binary_* walks a broadcasting pair with an odometer over the
 * result's dims. Both call the placeholder element function
 * tp_binary_op_f32, which tinyplan replaces by the op's element function
 * when it makes the loop for a model: Add, Sub, Mul, Div (Sum is Add,
 * applied to one more operand at a time; Mean that sum divided by the
 * count), Max, Min, PRelu, Pow.
 *
 * Floats: one IEEE operation in the element type; f16 and bf16 elements
 * (uint16_t bit patterns) are widened to float and the result rounded back
 * once, which is that operation in the narrow type. Max and Min pick an
 * operand's bits, NaN winning from either side. Integers wrap around as
 * two's complement, computed in uint64_t where C's signed arithmetic could
 * overflow; Div truncates toward zero, INT_MIN / -1 is INT_MIN, and a zero
 * divisor is not checked.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_binary_f32
 * @instance tp_binary_f64: float=double tp_binary_op_f32=tp_binary_op_f64
 * @instance tp_binary_f16: float=uint16_t tp_binary_op_f32=tp_binary_op_f16
 * @instance tp_binary_bf16: float=uint16_t tp_binary_op_f32=tp_binary_op_bf16
 * @instance tp_binary_i8: float=int8_t tp_binary_op_f32=tp_binary_op_i8
 * @instance tp_binary_u8: float=uint8_t tp_binary_op_f32=tp_binary_op_u8
 * @instance tp_binary_i16: float=int16_t tp_binary_op_f32=tp_binary_op_i16
 * @instance tp_binary_u16: float=uint16_t tp_binary_op_f32=tp_binary_op_u16
 * @instance tp_binary_i32: float=int32_t tp_binary_op_f32=tp_binary_op_i32
 * @instance tp_binary_u32: float=uint32_t tp_binary_op_f32=tp_binary_op_u32
 * @instance tp_binary_i64: float=int64_t tp_binary_op_f32=tp_binary_op_i64
 * @instance tp_binary_u64: float=uint64_t tp_binary_op_f32=tp_binary_op_u64
 * y[i] = op(a, b) over the n elements of the result, whose rank (<= 8)
 * dims are walked as an odometer, the last fastest; as[d] and bs[d] are the
 * steps of a and b along dim d, 0 where that operand broadcasts. y may be
 * an operand with the result's shape: each element is read before it is
 * written. */
TP_KERNEL void tp_binary_f32(const float *pa, const float *pb, float *y, int32_t n,
                             int32_t rank, const int32_t *dims, const int32_t *as,
                             const int32_t *bs) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int32_t i, d, ai = 0, bi = 0;
  for (i = 0; i < n; ++i) {
    {
      const float a = pa[ai];
      const float b = pb[bi];
      y[i] = tp_binary_op_f32(a, b);
    }
    for (d = rank - 1; d >= 0; --d) {
      ai += as[d];
      bi += bs[d];
      if (++idx[d] < dims[d])
        break;
      ai -= as[d] * dims[d];
      bi -= bs[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/* @kernel tp_binary_same_f32
 * @instance tp_binary_same_f64: float=double tp_binary_op_f32=tp_binary_op_f64
 * @instance tp_binary_same_f16: float=uint16_t tp_binary_op_f32=tp_binary_op_f16
 * @instance tp_binary_same_bf16: float=uint16_t tp_binary_op_f32=tp_binary_op_bf16
 * @instance tp_binary_same_i8: float=int8_t tp_binary_op_f32=tp_binary_op_i8
 * @instance tp_binary_same_u8: float=uint8_t tp_binary_op_f32=tp_binary_op_u8
 * @instance tp_binary_same_i16: float=int16_t tp_binary_op_f32=tp_binary_op_i16
 * @instance tp_binary_same_u16: float=uint16_t tp_binary_op_f32=tp_binary_op_u16
 * @instance tp_binary_same_i32: float=int32_t tp_binary_op_f32=tp_binary_op_i32
 * @instance tp_binary_same_u32: float=uint32_t tp_binary_op_f32=tp_binary_op_u32
 * @instance tp_binary_same_i64: float=int64_t tp_binary_op_f32=tp_binary_op_i64
 * @instance tp_binary_same_u64: float=uint64_t tp_binary_op_f32=tp_binary_op_u64
 * y[i] = op(a[i], b[i]) for two operands of the result's shape. y may be
 * a or b. */
TP_KERNEL void tp_binary_same_f32(const float *pa, const float *pb, float *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const float a = pa[i];
    const float b = pb[i];
    y[i] = tp_binary_op_f32(a, b);
  }
}

/* @kernel tp_add_f32
 * @instance tp_add_f64: float=double
 * a + b. */
TP_KERNEL inline float tp_add_f32(float a, float b) {
  return a + b;
}

/* @kernel tp_sub_f32
 * @instance tp_sub_f64: float=double
 * a - b. */
TP_KERNEL inline float tp_sub_f32(float a, float b) {
  return a - b;
}

/* @kernel tp_mul_f32
 * @instance tp_mul_f64: float=double
 * a * b. */
TP_KERNEL inline float tp_mul_f32(float a, float b) {
  return a * b;
}

/* @kernel tp_div_f32
 * @instance tp_div_f64: float=double
 * a / b. */
TP_KERNEL inline float tp_div_f32(float a, float b) {
  return a / b;
}

/* @kernel tp_max_f32
 * @instance tp_max_f64: float=double
 * max(a, b): a when a is NaN or not below b (so max(-0, +0) is -0), else
 * b (NaN when b is). */
TP_KERNEL inline float tp_max_f32(float a, float b) {
  return (a != a || a >= b ? a : b);
}

/* @kernel tp_min_f32
 * @instance tp_min_f64: float=double
 * min(a, b): a when a is NaN or not above b (so min(+0, -0) is +0), else
 * b (NaN when b is). */
TP_KERNEL inline float tp_min_f32(float a, float b) {
  return (a != a || a <= b ? a : b);
}

/* @kernel tp_prelu_f32
 * @instance tp_prelu_f64: float=double
 * @instance tp_prelu_i8: float=int8_t
 * @instance tp_prelu_i16: float=int16_t
 * @instance tp_prelu_i32: float=int32_t
 * @instance tp_prelu_i64: float=int64_t
 * PRelu of x = a with slope b: a < 0 ? b * a : a (-0 and NaN stay). */
TP_KERNEL inline float tp_prelu_f32(float a, float b) {
  return (a < 0 ? (b * a) : a);
}

/* @kernel tp_pow_f32 uses tp_powf
 * a to the power b (Pow): tp_powf of cmath.c. */
TP_KERNEL inline float tp_pow_f32(float a, float b) {
  return tp_powf(a, b);
}

/* @kernel tp_pow_f64
 * a to the power b (Pow) in double: the C library's pow, as the other f64
 * kernels call libm. */
TP_KERNEL inline double tp_pow_f64(double a, double b) {
  return pow(a, b);
}

/* @kernel tp_mean_div_f32
 * @instance tp_mean_div_f64: float=double
 * y[i] = y[i] / count over n elements: the last step of Mean, after the sum
 * of its count operands (one IEEE division, as ONNX's definition). */
TP_KERNEL void tp_mean_div_f32(float *y, int32_t n, int32_t count) {
  const float d = (float)count;
  int32_t i;
  for (i = 0; i < n; ++i)
    y[i] = y[i] / d;
}

/* @kernel tp_add_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_add_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * a + b of f16 bit patterns, in float rounded once to f16. */
TP_KERNEL inline uint16_t tp_add_f16(uint16_t a, uint16_t b) {
  return tp_f32_to_f16(tp_f16_to_f32(a) + tp_f16_to_f32(b));
}

/* @kernel tp_sub_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_sub_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * a - b of f16 bit patterns, in float rounded once to f16. */
TP_KERNEL inline uint16_t tp_sub_f16(uint16_t a, uint16_t b) {
  return tp_f32_to_f16(tp_f16_to_f32(a) - tp_f16_to_f32(b));
}

/* @kernel tp_mul_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_mul_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * a * b of f16 bit patterns, in float rounded once to f16. */
TP_KERNEL inline uint16_t tp_mul_f16(uint16_t a, uint16_t b) {
  return tp_f32_to_f16(tp_f16_to_f32(a) * tp_f16_to_f32(b));
}

/* @kernel tp_div_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_div_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * a / b of f16 bit patterns, in float rounded once to f16. */
TP_KERNEL inline uint16_t tp_div_f16(uint16_t a, uint16_t b) {
  return tp_f32_to_f16(tp_f16_to_f32(a) / tp_f16_to_f32(b));
}

/* @kernel tp_max_f16 uses tp_f16_to_f32
 * @instance tp_max_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * max(a, b) of f16 bit patterns as tp_max_f32 compares them, returning
 * one operand's bits unchanged. */
TP_KERNEL inline uint16_t tp_max_f16(uint16_t a, uint16_t b) {
  return (tp_f16_to_f32(a) != tp_f16_to_f32(a) || tp_f16_to_f32(a) >= tp_f16_to_f32(b) ? a : b);
}

/* @kernel tp_min_f16 uses tp_f16_to_f32
 * @instance tp_min_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * min(a, b) of f16 bit patterns as tp_min_f32 compares them, returning
 * one operand's bits unchanged. */
TP_KERNEL inline uint16_t tp_min_f16(uint16_t a, uint16_t b) {
  return (tp_f16_to_f32(a) != tp_f16_to_f32(a) || tp_f16_to_f32(a) <= tp_f16_to_f32(b) ? a : b);
}

/* @kernel tp_prelu_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_prelu_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * PRelu of f16 bit patterns: the product b * a in float rounded once to
 * f16 when a < 0, else a's bits unchanged. */
TP_KERNEL inline uint16_t tp_prelu_f16(uint16_t a, uint16_t b) {
  return (tp_f16_to_f32(a) < 0 ? tp_f32_to_f16(tp_f16_to_f32(b) * tp_f16_to_f32(a)) : a);
}

/* @kernel tp_add_i8
 * @instance tp_add_u8: int8_t=uint8_t
 * @instance tp_add_i16: int8_t=int16_t
 * @instance tp_add_u16: int8_t=uint16_t
 * @instance tp_add_i32: int8_t=int32_t
 * @instance tp_add_u32: int8_t=uint32_t
 * @instance tp_add_i64: int8_t=int64_t
 * @instance tp_add_u64: int8_t=uint64_t
 * a + b, wrapping around. */
TP_KERNEL inline int8_t tp_add_i8(int8_t a, int8_t b) {
  return (int8_t)((uint64_t)a + (uint64_t)b);
}

/* @kernel tp_sub_i8
 * @instance tp_sub_u8: int8_t=uint8_t
 * @instance tp_sub_i16: int8_t=int16_t
 * @instance tp_sub_u16: int8_t=uint16_t
 * @instance tp_sub_i32: int8_t=int32_t
 * @instance tp_sub_u32: int8_t=uint32_t
 * @instance tp_sub_i64: int8_t=int64_t
 * @instance tp_sub_u64: int8_t=uint64_t
 * a - b, wrapping around. */
TP_KERNEL inline int8_t tp_sub_i8(int8_t a, int8_t b) {
  return (int8_t)((uint64_t)a - (uint64_t)b);
}

/* @kernel tp_mul_i8
 * @instance tp_mul_u8: int8_t=uint8_t
 * @instance tp_mul_i16: int8_t=int16_t
 * @instance tp_mul_u16: int8_t=uint16_t
 * @instance tp_mul_i32: int8_t=int32_t
 * @instance tp_mul_u32: int8_t=uint32_t
 * @instance tp_mul_i64: int8_t=int64_t
 * @instance tp_mul_u64: int8_t=uint64_t
 * a * b, wrapping around. */
TP_KERNEL inline int8_t tp_mul_i8(int8_t a, int8_t b) {
  return (int8_t)((uint64_t)a * (uint64_t)b);
}

/* @kernel tp_div_i8
 * @instance tp_div_i16: int8_t=int16_t
 * @instance tp_div_i32: int8_t=int32_t
 * @instance tp_div_i64: int8_t=int64_t
 * a / b truncated toward zero; a / -1 is -a wrapping around, so that the
 * minimum value divided by -1 is the minimum. b must not be 0. */
TP_KERNEL inline int8_t tp_div_i8(int8_t a, int8_t b) {
  return (int8_t)(b == -1 ? (uint64_t)0 - (uint64_t)a : (uint64_t)(a / b));
}

/* @kernel tp_div_u8
 * @instance tp_div_u16: uint8_t=uint16_t
 * @instance tp_div_u32: uint8_t=uint32_t
 * @instance tp_div_u64: uint8_t=uint64_t
 * a / b rounded down. b must not be 0. */
TP_KERNEL inline uint8_t tp_div_u8(uint8_t a, uint8_t b) {
  return (uint8_t)(a / b);
}

/* @kernel tp_max_i8
 * @instance tp_max_u8: int8_t=uint8_t
 * @instance tp_max_i16: int8_t=int16_t
 * @instance tp_max_u16: int8_t=uint16_t
 * @instance tp_max_i32: int8_t=int32_t
 * @instance tp_max_u32: int8_t=uint32_t
 * @instance tp_max_i64: int8_t=int64_t
 * @instance tp_max_u64: int8_t=uint64_t
 * max(a, b). */
TP_KERNEL inline int8_t tp_max_i8(int8_t a, int8_t b) {
  return (a >= b ? a : b);
}

/* @kernel tp_min_i8
 * @instance tp_min_u8: int8_t=uint8_t
 * @instance tp_min_i16: int8_t=int16_t
 * @instance tp_min_u16: int8_t=uint16_t
 * @instance tp_min_i32: int8_t=int32_t
 * @instance tp_min_u32: int8_t=uint32_t
 * @instance tp_min_i64: int8_t=int64_t
 * @instance tp_min_u64: int8_t=uint64_t
 * min(a, b). */
TP_KERNEL inline int8_t tp_min_i8(int8_t a, int8_t b) {
  return (a <= b ? a : b);
}
