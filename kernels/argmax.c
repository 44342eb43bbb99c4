/* argmax.c - ArgMax and ArgMin along one axis.
 *
 * The input is outer x n x inner (the axis in the middle); y gets, for each
 * of the outer * inner rows in order, the index (int64_t) along the axis of
 * the largest (smallest) element. A tie goes to the first index, or with
 * last = 1 (select_last_index) to the last. A NaN beats every number, as
 * in numpy: the first NaN wins, or with last = 1 the last. n >= 1.
 *
 * One kernel per kind of element (float, f16 / bf16 bit patterns widened
 * exactly to float, integers); ArgMin and the other types are instances
 * with the comparison (tp_argbetter_*) replaced, made by lib/CodeGen on
 * demand.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_argbetter_max_f32
 * @instance tp_argbetter_max_f64: float=double
 * Whether v takes best's place: larger (smaller), equal when last is set,
 * or a NaN where best is none. */
TP_KERNEL inline int32_t tp_argbetter_max_f32(float v, float best, int32_t last) {
  if (best != best)
    return last && v != v;
  return v > best || v != v || (last && v == best);
}

/* @kernel tp_argbetter_min_f32
 * @instance tp_argbetter_min_f64: float=double */
TP_KERNEL inline int32_t tp_argbetter_min_f32(float v, float best, int32_t last) {
  if (best != best)
    return last && v != v;
  return v < best || v != v || (last && v == best);
}

/* @kernel tp_argbetter_max_i64
 * @instance tp_argbetter_max_u64: int64_t=uint64_t
 * The integer comparisons, on the value widened to 64 bits. */
TP_KERNEL inline int32_t tp_argbetter_max_i64(int64_t v, int64_t best, int32_t last) {
  return v > best || (last && v == best);
}

/* @kernel tp_argbetter_min_i64
 * @instance tp_argbetter_min_u64: int64_t=uint64_t */
TP_KERNEL inline int32_t tp_argbetter_min_i64(int64_t v, int64_t best, int32_t last) {
  return v < best || (last && v == best);
}

/* @kernel tp_argmax_f32 uses tp_argbetter_max_f32
 * @instance tp_argmax_f64: float=double tp_argbetter_max_f32=tp_argbetter_max_f64
 * @instance tp_argmin_f32: tp_argbetter_max_f32=tp_argbetter_min_f32
 * Each row's elements are inner apart. */
TP_KERNEL void tp_argmax_f32(const float *x, int64_t *y, int32_t outer, int32_t n,
    int32_t inner, int32_t last) {
  int32_t o, i, k;
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const float *xr = x + (o * n * inner + i);
      float best = xr[0];
      int32_t at = 0;
      for (k = 1; k < n; ++k)
        if (tp_argbetter_max_f32(xr[k * inner], best, last)) {
          best = xr[k * inner];
          at = k;
        }
      y[o * inner + i] = at;
    }
}

/* @kernel tp_argmax_f16 uses tp_f16_to_f32 tp_argbetter_max_f32
 * @instance tp_argmax_bf16: tp_f16_to_f32=tp_bf16_to_f32
 * @instance tp_argmin_f16: tp_argbetter_max_f32=tp_argbetter_min_f32
 * f16 (bf16) bit patterns, compared as the floats they are. */
TP_KERNEL void tp_argmax_f16(const uint16_t *x, int64_t *y, int32_t outer, int32_t n,
    int32_t inner, int32_t last) {
  int32_t o, i, k;
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const uint16_t *xr = x + (o * n * inner + i);
      float best = tp_f16_to_f32(xr[0]);
      int32_t at = 0;
      for (k = 1; k < n; ++k)
        if (tp_argbetter_max_f32(tp_f16_to_f32(xr[k * inner]), best, last)) {
          best = tp_f16_to_f32(xr[k * inner]);
          at = k;
        }
      y[o * inner + i] = at;
    }
}

/* @kernel tp_argmax_i8 uses tp_argbetter_max_i64
 * @instance tp_argmax_i32: int8_t=int32_t
 * @instance tp_argmin_u8: int8_t=uint8_t tp_argbetter_max_i64=tp_argbetter_min_u64
 * @instance tp_argmax_u64: int8_t=uint64_t tp_argbetter_max_i64=tp_argbetter_max_u64
 * Integers (uint64_t comparisons for the unsigned types). */
TP_KERNEL void tp_argmax_i8(const int8_t *x, int64_t *y, int32_t outer, int32_t n,
    int32_t inner, int32_t last) {
  int32_t o, i, k;
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const int8_t *xr = x + (o * n * inner + i);
      int8_t best = xr[0];
      int32_t at = 0;
      for (k = 1; k < n; ++k)
        if (tp_argbetter_max_i64(xr[k * inner], best, last)) {
          best = xr[k * inner];
          at = k;
        }
      y[o * inner + i] = at;
    }
}
