/* cast.c - Cast: element type conversion.
 *
 * The Cast loop converts each element with a conversion function
 * tp_FROM_to_TO, one for every ordered pair of element types (the bool
 * target is tp_FROM_to_bool; a bool source is the u8 one, 0 and 1 convert
 * the same). They compute what lib/Ops/Cast.cpp folds:
 *   - between integers, and from an integer or a float to a float: the C
 *     conversion; integers wrap (modulo 2^bits), floats round to nearest
 *     even;
 *   - to bool: v != 0, so NaN is true and -0 false;
 *   - from a float to an integer, where C is undefined for NaN and out of
 *     range values: saturate to int64 (NaN is 0), then wrap to the target
 *     as integers do; to uint64 values from 2^63 on convert directly (up
 *     to UINT64_MAX) and smaller ones through int64, so negative ones wrap;
 *   - to f16 or bf16: rounded to nearest even (float16.c) from float for
 *     f32 and integers of up to 16 bits (exact in float), from double for
 *     f64 and wider integers (an int64 or uint64 beyond 2^53 is rounded to
 *     double first, so twice: as fold does);
 *   - from f16 or bf16: widened to float (exact), then as from f32.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_cast
 * The Cast loop, which tinyplan instantiates for each pair of types it
 * casts between: float becomes the source's storage type, double the
 * target's, and tp_cast_element the pair's conversion function:
 *   tp_cast_f16_i8: float=uint16_t double=int8_t tp_cast_element=tp_f16_to_i8
 * y may be x when the two types have the same size: y[i] is written after
 * x[i] is read. */
TP_KERNEL void tp_cast(const float *x, double *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const float v = x[i];
    y[i] = tp_cast_element(v);
  }
}

/* @kernel tp_i32_to_f32
 * @instance tp_f32_to_f64: int32_t=float float=double
 * @instance tp_f64_to_f32: int32_t=double
 * @instance tp_i8_to_f32: int32_t=int8_t
 * @instance tp_i8_to_f64: int32_t=int8_t float=double
 * @instance tp_i8_to_u8: int32_t=int8_t float=uint8_t
 * @instance tp_i8_to_i16: int32_t=int8_t float=int16_t
 * @instance tp_i8_to_u16: int32_t=int8_t float=uint16_t
 * @instance tp_i8_to_i32: int32_t=int8_t float=int32_t
 * @instance tp_i8_to_u32: int32_t=int8_t float=uint32_t
 * @instance tp_i8_to_i64: int32_t=int8_t float=int64_t
 * @instance tp_i8_to_u64: int32_t=int8_t float=uint64_t
 * @instance tp_u8_to_f32: int32_t=uint8_t
 * @instance tp_u8_to_f64: int32_t=uint8_t float=double
 * @instance tp_u8_to_i8: int32_t=uint8_t float=int8_t
 * @instance tp_u8_to_i16: int32_t=uint8_t float=int16_t
 * @instance tp_u8_to_u16: int32_t=uint8_t float=uint16_t
 * @instance tp_u8_to_i32: int32_t=uint8_t float=int32_t
 * @instance tp_u8_to_u32: int32_t=uint8_t float=uint32_t
 * @instance tp_u8_to_i64: int32_t=uint8_t float=int64_t
 * @instance tp_u8_to_u64: int32_t=uint8_t float=uint64_t
 * @instance tp_i16_to_f32: int32_t=int16_t
 * @instance tp_i16_to_f64: int32_t=int16_t float=double
 * @instance tp_i16_to_i8: int32_t=int16_t float=int8_t
 * @instance tp_i16_to_u8: int32_t=int16_t float=uint8_t
 * @instance tp_i16_to_u16: int32_t=int16_t float=uint16_t
 * @instance tp_i16_to_i32: int32_t=int16_t float=int32_t
 * @instance tp_i16_to_u32: int32_t=int16_t float=uint32_t
 * @instance tp_i16_to_i64: int32_t=int16_t float=int64_t
 * @instance tp_i16_to_u64: int32_t=int16_t float=uint64_t
 * @instance tp_u16_to_f32: int32_t=uint16_t
 * @instance tp_u16_to_f64: int32_t=uint16_t float=double
 * @instance tp_u16_to_i8: int32_t=uint16_t float=int8_t
 * @instance tp_u16_to_u8: int32_t=uint16_t float=uint8_t
 * @instance tp_u16_to_i16: int32_t=uint16_t float=int16_t
 * @instance tp_u16_to_i32: int32_t=uint16_t float=int32_t
 * @instance tp_u16_to_u32: int32_t=uint16_t float=uint32_t
 * @instance tp_u16_to_i64: int32_t=uint16_t float=int64_t
 * @instance tp_u16_to_u64: int32_t=uint16_t float=uint64_t
 * @instance tp_i32_to_f64: float=double
 * @instance tp_i32_to_i8: float=int8_t
 * @instance tp_i32_to_u8: float=uint8_t
 * @instance tp_i32_to_i16: float=int16_t
 * @instance tp_i32_to_u16: float=uint16_t
 * @instance tp_i32_to_u32: float=uint32_t
 * @instance tp_i32_to_i64: float=int64_t
 * @instance tp_i32_to_u64: float=uint64_t
 * @instance tp_u32_to_f32: int32_t=uint32_t
 * @instance tp_u32_to_f64: int32_t=uint32_t float=double
 * @instance tp_u32_to_i8: int32_t=uint32_t float=int8_t
 * @instance tp_u32_to_u8: int32_t=uint32_t float=uint8_t
 * @instance tp_u32_to_i16: int32_t=uint32_t float=int16_t
 * @instance tp_u32_to_u16: int32_t=uint32_t float=uint16_t
 * @instance tp_u32_to_i32: int32_t=uint32_t float=int32_t
 * @instance tp_u32_to_i64: int32_t=uint32_t float=int64_t
 * @instance tp_u32_to_u64: int32_t=uint32_t float=uint64_t
 * @instance tp_i64_to_f32: int32_t=int64_t
 * @instance tp_i64_to_f64: int32_t=int64_t float=double
 * @instance tp_i64_to_i8: int32_t=int64_t float=int8_t
 * @instance tp_i64_to_u8: int32_t=int64_t float=uint8_t
 * @instance tp_i64_to_i16: int32_t=int64_t float=int16_t
 * @instance tp_i64_to_u16: int32_t=int64_t float=uint16_t
 * @instance tp_i64_to_i32: int32_t=int64_t float=int32_t
 * @instance tp_i64_to_u32: int32_t=int64_t float=uint32_t
 * @instance tp_i64_to_u64: int32_t=int64_t float=uint64_t
 * @instance tp_u64_to_f32: int32_t=uint64_t
 * @instance tp_u64_to_f64: int32_t=uint64_t float=double
 * @instance tp_u64_to_i8: int32_t=uint64_t float=int8_t
 * @instance tp_u64_to_u8: int32_t=uint64_t float=uint8_t
 * @instance tp_u64_to_i16: int32_t=uint64_t float=int16_t
 * @instance tp_u64_to_u16: int32_t=uint64_t float=uint16_t
 * @instance tp_u64_to_i32: int32_t=uint64_t float=int32_t
 * @instance tp_u64_to_u32: int32_t=uint64_t float=uint32_t
 * @instance tp_u64_to_i64: int32_t=uint64_t float=int64_t
 * The C conversion: between integers, from integers to floats, between
 * floats. */
TP_KERNEL inline float tp_i32_to_f32(int32_t v) {
  return (float)v;
}

/* @kernel tp_f32_to_bool
 * @instance tp_f64_to_bool: float=double
 * @instance tp_i8_to_bool: float=int8_t
 * @instance tp_u8_to_bool: float=uint8_t
 * @instance tp_i16_to_bool: float=int16_t
 * @instance tp_u16_to_bool: float=uint16_t
 * @instance tp_i32_to_bool: float=int32_t
 * @instance tp_u32_to_bool: float=uint32_t
 * @instance tp_i64_to_bool: float=int64_t
 * @instance tp_u64_to_bool: float=uint64_t
 * 1 unless v is 0 or -0 (NaN gives 1). */
TP_KERNEL inline uint8_t tp_f32_to_bool(float v) {
  return (uint8_t)(v != 0);
}

/* @kernel tp_f32_to_i64
 * @instance tp_f64_to_i64: float=double
 * v truncated toward zero, saturated to [INT64_MIN, INT64_MAX]; NaN gives
 * 0. 2^63 is exact in float, so the f64 instance compares with the same
 * value. */
TP_KERNEL inline int64_t tp_f32_to_i64(float v) {
  return v != v ? 0 : v >= 0x1p63f ? INT64_MAX : v <= -0x1p63f ? INT64_MIN : (int64_t)v;
}

/* @kernel tp_f32_to_u64 uses tp_f32_to_i64
 * @instance tp_f64_to_u64: float=double tp_f32_to_i64=tp_f64_to_i64
 * From 2^63 on, v truncated and saturated at UINT64_MAX; below, the int64
 * conversion wrapped (so -1 gives UINT64_MAX, NaN 0). */
TP_KERNEL inline uint64_t tp_f32_to_u64(float v) {
  return v >= 0x1p63f ? (v >= 0x1p64f ? UINT64_MAX : (uint64_t)v) : (uint64_t)tp_f32_to_i64(v);
}

/* @kernel tp_f32_to_i8 uses tp_f32_to_i64
 * @instance tp_f32_to_u8: int8_t=uint8_t
 * @instance tp_f32_to_i16: int8_t=int16_t
 * @instance tp_f32_to_u16: int8_t=uint16_t
 * @instance tp_f32_to_i32: int8_t=int32_t
 * @instance tp_f32_to_u32: int8_t=uint32_t
 * @instance tp_f64_to_i8: float=double tp_f32_to_i64=tp_f64_to_i64
 * @instance tp_f64_to_u8: float=double tp_f32_to_i64=tp_f64_to_i64 int8_t=uint8_t
 * @instance tp_f64_to_i16: float=double tp_f32_to_i64=tp_f64_to_i64 int8_t=int16_t
 * @instance tp_f64_to_u16: float=double tp_f32_to_i64=tp_f64_to_i64 int8_t=uint16_t
 * @instance tp_f64_to_i32: float=double tp_f32_to_i64=tp_f64_to_i64 int8_t=int32_t
 * @instance tp_f64_to_u32: float=double tp_f32_to_i64=tp_f64_to_i64 int8_t=uint32_t
 * The int64 conversion wrapped to the narrower integer. */
TP_KERNEL inline int8_t tp_f32_to_i8(float v) {
  return (int8_t)tp_f32_to_i64(v);
}

/* @kernel tp_i8_to_f16 uses tp_f32_to_f16
 * @instance tp_i8_to_bf16: tp_f32_to_f16=tp_f32_to_bf16
 * @instance tp_u8_to_f16: int8_t=uint8_t
 * @instance tp_u8_to_bf16: int8_t=uint8_t tp_f32_to_f16=tp_f32_to_bf16
 * @instance tp_i16_to_f16: int8_t=int16_t
 * @instance tp_i16_to_bf16: int8_t=int16_t tp_f32_to_f16=tp_f32_to_bf16
 * @instance tp_u16_to_f16: int8_t=uint16_t
 * @instance tp_u16_to_bf16: int8_t=uint16_t tp_f32_to_f16=tp_f32_to_bf16
 * @instance tp_i32_to_f16: int8_t=int32_t float=double tp_f32_to_f16=tp_f64_to_f16
 * @instance tp_i32_to_bf16: int8_t=int32_t float=double tp_f32_to_f16=tp_f64_to_bf16
 * @instance tp_u32_to_f16: int8_t=uint32_t float=double tp_f32_to_f16=tp_f64_to_f16
 * @instance tp_u32_to_bf16: int8_t=uint32_t float=double tp_f32_to_f16=tp_f64_to_bf16
 * @instance tp_i64_to_f16: int8_t=int64_t float=double tp_f32_to_f16=tp_f64_to_f16
 * @instance tp_i64_to_bf16: int8_t=int64_t float=double tp_f32_to_f16=tp_f64_to_bf16
 * @instance tp_u64_to_f16: int8_t=uint64_t float=double tp_f32_to_f16=tp_f64_to_f16
 * @instance tp_u64_to_bf16: int8_t=uint64_t float=double tp_f32_to_f16=tp_f64_to_bf16
 * Integers of up to 16 bits are exact in float, wider ones convert to
 * double (rounding an int64 or uint64 beyond 2^53 first), then one
 * nearest-even rounding to the 16-bit float. */
TP_KERNEL inline uint16_t tp_i8_to_f16(int8_t v) {
  return tp_f32_to_f16((float)v);
}

/* @kernel tp_f16_to_bool uses tp_f32_to_bool tp_f16_to_f32
 * @instance tp_f16_to_f64: uint8_t=double tp_f32_to_bool=tp_f32_to_f64
 * @instance tp_f16_to_bf16: uint8_t=uint16_t tp_f32_to_bool=tp_f32_to_bf16
 * @instance tp_f16_to_i8: uint8_t=int8_t tp_f32_to_bool=tp_f32_to_i8
 * @instance tp_f16_to_u8: tp_f32_to_bool=tp_f32_to_u8
 * @instance tp_f16_to_i16: uint8_t=int16_t tp_f32_to_bool=tp_f32_to_i16
 * @instance tp_f16_to_u16: uint8_t=uint16_t tp_f32_to_bool=tp_f32_to_u16
 * @instance tp_f16_to_i32: uint8_t=int32_t tp_f32_to_bool=tp_f32_to_i32
 * @instance tp_f16_to_u32: uint8_t=uint32_t tp_f32_to_bool=tp_f32_to_u32
 * @instance tp_f16_to_i64: uint8_t=int64_t tp_f32_to_bool=tp_f32_to_i64
 * @instance tp_f16_to_u64: uint8_t=uint64_t tp_f32_to_bool=tp_f32_to_u64
 * @instance tp_bf16_to_f64: uint8_t=double tp_f32_to_bool=tp_f32_to_f64 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_f16: uint8_t=uint16_t tp_f32_to_bool=tp_f32_to_f16 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_bool: tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_i8: uint8_t=int8_t tp_f32_to_bool=tp_f32_to_i8 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_u8: tp_f32_to_bool=tp_f32_to_u8 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_i16: uint8_t=int16_t tp_f32_to_bool=tp_f32_to_i16 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_u16: uint8_t=uint16_t tp_f32_to_bool=tp_f32_to_u16 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_i32: uint8_t=int32_t tp_f32_to_bool=tp_f32_to_i32 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_u32: uint8_t=uint32_t tp_f32_to_bool=tp_f32_to_u32 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_i64: uint8_t=int64_t tp_f32_to_bool=tp_f32_to_i64 tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_bf16_to_u64: uint8_t=uint64_t tp_f32_to_bool=tp_f32_to_u64 tp_f16_to_f32=tp_bf16_to_f32
 * Widened to float, which is exact, then converted as a float. */
TP_KERNEL inline uint8_t tp_f16_to_bool(uint16_t v) {
  return tp_f32_to_bool(tp_f16_to_f32(v));
}
