/* compare.c - The comparisons and logical ops with numpy broadcasting: bool
 * results of two operands of one element type.
 *
 * y[i] = op(a, b) as 1 or 0 (bool is stored as uint8_t). tp_compare_same_*
 * walks two operands with the result's shape; tp_compare_* walks a
 * broadcasting pair with an odometer over the result's dims, as binary.c's
 * loops do. Both call the placeholder element function tp_compare_op_f32,
 * which tinyplan replaces by the op's element function when it makes the
 * loop for a model: Equal, Less, Greater, LessOrEqual, GreaterOrEqual of
 * every numeric type (Equal of bool too), And, Or and Xor of bool. Not is
 * unary.c's loop with tp_not_bool.
 *
 * Floats compare as IEEE says: a NaN is equal to nothing and neither less
 * nor greater than anything, and -0 equals +0. f16 and bf16 bit patterns
 * are widened to float exactly, then compared. Bools are 0 or 1.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_compare_f32
 * @instance tp_compare_f64: float=double tp_compare_op_f32=tp_compare_op_f64
 * @instance tp_compare_f16: float=uint16_t tp_compare_op_f32=tp_compare_op_f16
 * @instance tp_compare_bf16: float=uint16_t tp_compare_op_f32=tp_compare_op_bf16
 * @instance tp_compare_i8: float=int8_t tp_compare_op_f32=tp_compare_op_i8
 * @instance tp_compare_u8: float=uint8_t tp_compare_op_f32=tp_compare_op_u8
 * @instance tp_compare_i16: float=int16_t tp_compare_op_f32=tp_compare_op_i16
 * @instance tp_compare_u16: float=uint16_t tp_compare_op_f32=tp_compare_op_u16
 * @instance tp_compare_i32: float=int32_t tp_compare_op_f32=tp_compare_op_i32
 * @instance tp_compare_u32: float=uint32_t tp_compare_op_f32=tp_compare_op_u32
 * @instance tp_compare_i64: float=int64_t tp_compare_op_f32=tp_compare_op_i64
 * @instance tp_compare_u64: float=uint64_t tp_compare_op_f32=tp_compare_op_u64
 * @instance tp_compare_bool: float=uint8_t tp_compare_op_f32=tp_compare_op_bool
 * y[i] = op(a, b) over the n elements of the result, whose rank (<= 8)
 * dims are walked as an odometer, the last fastest; as[d] and bs[d] are the
 * steps of a and b along dim d, 0 where that operand broadcasts. y may be
 * an operand with the result's shape and one-byte elements: each element
 * is read before it is written. */
TP_KERNEL void tp_compare_f32(const float *pa, const float *pb, uint8_t *y, int32_t n,
                              int32_t rank, const int32_t *dims, const int32_t *as,
                              const int32_t *bs) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int32_t i, d, ai = 0, bi = 0;
  for (i = 0; i < n; ++i) {
    {
      const float a = pa[ai];
      const float b = pb[bi];
      y[i] = tp_compare_op_f32(a, b);
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

/* @kernel tp_compare_same_f32
 * @instance tp_compare_same_f64: float=double tp_compare_op_f32=tp_compare_op_f64
 * @instance tp_compare_same_f16: float=uint16_t tp_compare_op_f32=tp_compare_op_f16
 * @instance tp_compare_same_bf16: float=uint16_t tp_compare_op_f32=tp_compare_op_bf16
 * @instance tp_compare_same_i8: float=int8_t tp_compare_op_f32=tp_compare_op_i8
 * @instance tp_compare_same_u8: float=uint8_t tp_compare_op_f32=tp_compare_op_u8
 * @instance tp_compare_same_i16: float=int16_t tp_compare_op_f32=tp_compare_op_i16
 * @instance tp_compare_same_u16: float=uint16_t tp_compare_op_f32=tp_compare_op_u16
 * @instance tp_compare_same_i32: float=int32_t tp_compare_op_f32=tp_compare_op_i32
 * @instance tp_compare_same_u32: float=uint32_t tp_compare_op_f32=tp_compare_op_u32
 * @instance tp_compare_same_i64: float=int64_t tp_compare_op_f32=tp_compare_op_i64
 * @instance tp_compare_same_u64: float=uint64_t tp_compare_op_f32=tp_compare_op_u64
 * @instance tp_compare_same_bool: float=uint8_t tp_compare_op_f32=tp_compare_op_bool
 * y[i] = op(a[i], b[i]) for two operands of the result's shape. y may be
 * a or b when they have one-byte elements. */
TP_KERNEL void tp_compare_same_f32(const float *pa, const float *pb, uint8_t *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const float a = pa[i];
    const float b = pb[i];
    y[i] = tp_compare_op_f32(a, b);
  }
}

/* @kernel tp_equal_f32
 * @instance tp_equal_f64: float=double
 * @instance tp_equal_i8: float=int8_t
 * @instance tp_equal_u8: float=uint8_t
 * @instance tp_equal_i16: float=int16_t
 * @instance tp_equal_u16: float=uint16_t
 * @instance tp_equal_i32: float=int32_t
 * @instance tp_equal_u32: float=uint32_t
 * @instance tp_equal_i64: float=int64_t
 * @instance tp_equal_u64: float=uint64_t
 * @instance tp_equal_bool: float=uint8_t
 * a == b. */
TP_KERNEL inline uint8_t tp_equal_f32(float a, float b) {
  return (uint8_t)(a == b);
}

/* @kernel tp_less_f32
 * @instance tp_less_f64: float=double
 * @instance tp_less_i8: float=int8_t
 * @instance tp_less_u8: float=uint8_t
 * @instance tp_less_i16: float=int16_t
 * @instance tp_less_u16: float=uint16_t
 * @instance tp_less_i32: float=int32_t
 * @instance tp_less_u32: float=uint32_t
 * @instance tp_less_i64: float=int64_t
 * @instance tp_less_u64: float=uint64_t
 * a < b. */
TP_KERNEL inline uint8_t tp_less_f32(float a, float b) {
  return (uint8_t)(a < b);
}

/* @kernel tp_greater_f32
 * @instance tp_greater_f64: float=double
 * @instance tp_greater_i8: float=int8_t
 * @instance tp_greater_u8: float=uint8_t
 * @instance tp_greater_i16: float=int16_t
 * @instance tp_greater_u16: float=uint16_t
 * @instance tp_greater_i32: float=int32_t
 * @instance tp_greater_u32: float=uint32_t
 * @instance tp_greater_i64: float=int64_t
 * @instance tp_greater_u64: float=uint64_t
 * a > b. */
TP_KERNEL inline uint8_t tp_greater_f32(float a, float b) {
  return (uint8_t)(a > b);
}

/* @kernel tp_lessorequal_f32
 * @instance tp_lessorequal_f64: float=double
 * @instance tp_lessorequal_i8: float=int8_t
 * @instance tp_lessorequal_u8: float=uint8_t
 * @instance tp_lessorequal_i16: float=int16_t
 * @instance tp_lessorequal_u16: float=uint16_t
 * @instance tp_lessorequal_i32: float=int32_t
 * @instance tp_lessorequal_u32: float=uint32_t
 * @instance tp_lessorequal_i64: float=int64_t
 * @instance tp_lessorequal_u64: float=uint64_t
 * a <= b (false when either is NaN). */
TP_KERNEL inline uint8_t tp_lessorequal_f32(float a, float b) {
  return (uint8_t)(a <= b);
}

/* @kernel tp_greaterorequal_f32
 * @instance tp_greaterorequal_f64: float=double
 * @instance tp_greaterorequal_i8: float=int8_t
 * @instance tp_greaterorequal_u8: float=uint8_t
 * @instance tp_greaterorequal_i16: float=int16_t
 * @instance tp_greaterorequal_u16: float=uint16_t
 * @instance tp_greaterorequal_i32: float=int32_t
 * @instance tp_greaterorequal_u32: float=uint32_t
 * @instance tp_greaterorequal_i64: float=int64_t
 * @instance tp_greaterorequal_u64: float=uint64_t
 * a >= b (false when either is NaN). */
TP_KERNEL inline uint8_t tp_greaterorequal_f32(float a, float b) {
  return (uint8_t)(a >= b);
}

/* @kernel tp_equal_f16 uses tp_f16_to_f32
 * @instance tp_equal_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * a == b of f16 bit patterns, compared as floats. */
TP_KERNEL inline uint8_t tp_equal_f16(uint16_t a, uint16_t b) {
  return (uint8_t)(tp_f16_to_f32(a) == tp_f16_to_f32(b));
}

/* @kernel tp_less_f16 uses tp_f16_to_f32
 * @instance tp_less_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * a < b of f16 bit patterns, compared as floats. */
TP_KERNEL inline uint8_t tp_less_f16(uint16_t a, uint16_t b) {
  return (uint8_t)(tp_f16_to_f32(a) < tp_f16_to_f32(b));
}

/* @kernel tp_greater_f16 uses tp_f16_to_f32
 * @instance tp_greater_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * a > b of f16 bit patterns, compared as floats. */
TP_KERNEL inline uint8_t tp_greater_f16(uint16_t a, uint16_t b) {
  return (uint8_t)(tp_f16_to_f32(a) > tp_f16_to_f32(b));
}

/* @kernel tp_lessorequal_f16 uses tp_f16_to_f32
 * @instance tp_lessorequal_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * a <= b of f16 bit patterns, compared as floats. */
TP_KERNEL inline uint8_t tp_lessorequal_f16(uint16_t a, uint16_t b) {
  return (uint8_t)(tp_f16_to_f32(a) <= tp_f16_to_f32(b));
}

/* @kernel tp_greaterorequal_f16 uses tp_f16_to_f32
 * @instance tp_greaterorequal_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * a >= b of f16 bit patterns, compared as floats. */
TP_KERNEL inline uint8_t tp_greaterorequal_f16(uint16_t a, uint16_t b) {
  return (uint8_t)(tp_f16_to_f32(a) >= tp_f16_to_f32(b));
}

/* @kernel tp_and_bool
 * a and b of bools (0 or 1). */
TP_KERNEL inline uint8_t tp_and_bool(uint8_t a, uint8_t b) {
  return (uint8_t)(a & b);
}

/* @kernel tp_or_bool
 * a or b of bools (0 or 1). */
TP_KERNEL inline uint8_t tp_or_bool(uint8_t a, uint8_t b) {
  return (uint8_t)(a | b);
}

/* @kernel tp_xor_bool
 * a xor b of bools (0 or 1). */
TP_KERNEL inline uint8_t tp_xor_bool(uint8_t a, uint8_t b) {
  return (uint8_t)(a ^ b);
}

/* @kernel tp_not_bool
 * not a of a bool (0 or 1), for unary.c's loop tp_unary_u8. */
TP_KERNEL inline uint8_t tp_not_bool(uint8_t a) {
  return (uint8_t)(a ^ 1);
}
