/* reduce.c - The Reduce family (ReduceSum, ReduceMean, ReduceMax, ...)
 * over any set of axes.
 *
 * The caller splits the input's dims into kept and reduced ones, in order,
 * drops dims of 1 and merges neighbours of the same kind that are
 * contiguous, so that each kind is at most 8 (dims, element strides)
 * pairs: od / os for the kept dims (outRank of them), rd / rs for the
 * reduced ones (redRank), count the number of reduced elements. For each
 * output element in order, a kernel folds its reduced elements into a
 * local accumulator that starts at init, the innermost reduced dim as the
 * inner loop, both kinds walking the input through their strides
 * (odometers), then finishes the accumulator (a mean divides it by count).
 *
 * One kernel per element type is written out (the sum); every other
 * reduction is an instance of it with the combining step (tp_red_add_*)
 * and the finishing step (tp_red_keep_*) replaced, made by lib/CodeGen on
 * demand. Floats reduce in their own type, f16 and bf16 in float (widened
 * exactly, the result rounded once to nearest even); integers in 64 bits
 * (signed or not as the type; sums and products wrap modulo 2^64, then
 * the conversion keeps the low bits), a mean divides truncating toward
 * zero, as ONNX Runtime does. Without reduced elements (count 0, an empty
 * input) nothing is read and the result is init finished: a float mean of
 * nothing is 0 / 0, NaN, an integer one 0.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_odometer_next
 * One step of an odometer over rank dims (the last fastest): idx[] counts
 * each dim's position, *at the element offset, moved by steps[d] per step
 * of dim d. Returns 0 when the odometer wraps back to all zeros (and *at
 * to where it started), which it does at once for rank 0. */
TP_KERNEL inline int32_t tp_odometer_next(int32_t *idx, const int32_t *dims,
    const int32_t *steps, int32_t rank, int32_t *at) {
  int32_t d;
  for (d = rank - 1; d >= 0; --d) {
    *at += steps[d];
    if (++idx[d] < dims[d])
      return 1;
    *at -= steps[d] * dims[d];
    idx[d] = 0;
  }
  return 0;
}

/* @kernel tp_red_add_f32
 * @instance tp_red_add_f64: float=double
 * The combining steps of the float reductions: sum, product, sum of
 * absolute values, sum of squares (one fused multiply-add), maximum and
 * minimum (a NaN wins and stays). */
TP_KERNEL inline float tp_red_add_f32(float acc, float v) {
  return acc + v;
}

/* @kernel tp_red_mul_f32
 * @instance tp_red_mul_f64: float=double */
TP_KERNEL inline float tp_red_mul_f32(float acc, float v) {
  return acc * v;
}

/* @kernel tp_red_abs_f32
 * @instance tp_red_abs_f64: float=double fabsf=fabs */
TP_KERNEL inline float tp_red_abs_f32(float acc, float v) {
  return acc + fabsf(v);
}

/* @kernel tp_red_sq_f32 uses tp_fmaf
 * @instance tp_red_sq_f64: float=double tp_fmaf=fma */
TP_KERNEL inline float tp_red_sq_f32(float acc, float v) {
  return tp_fmaf(v, v, acc);
}

/* @kernel tp_red_max_f32
 * @instance tp_red_max_f64: float=double */
TP_KERNEL inline float tp_red_max_f32(float acc, float v) {
  return v > acc || v != v ? v : acc;
}

/* @kernel tp_red_min_f32
 * @instance tp_red_min_f64: float=double */
TP_KERNEL inline float tp_red_min_f32(float acc, float v) {
  return v < acc || v != v ? v : acc;
}

/* @kernel tp_red_keep_f32
 * @instance tp_red_keep_f64: float=double
 * The finishing steps of the float reductions: the accumulator itself,
 * divided by count (a mean), its square root (sqrtf is exact), its
 * logarithm. */
TP_KERNEL inline float tp_red_keep_f32(float acc, int32_t count) {
  (void)count;
  return acc;
}

/* @kernel tp_red_mean_f32
 * @instance tp_red_mean_f64: float=double */
TP_KERNEL inline float tp_red_mean_f32(float acc, int32_t count) {
  return acc / (float)count;
}

/* @kernel tp_red_sqrt_f32
 * @instance tp_red_sqrt_f64: float=double sqrtf=sqrt */
TP_KERNEL inline float tp_red_sqrt_f32(float acc, int32_t count) {
  (void)count;
  return sqrtf(acc);
}

/* @kernel tp_red_log_f32 uses tp_logf
 * @instance tp_red_log_f64: float=double tp_logf=log */
TP_KERNEL inline float tp_red_log_f32(float acc, int32_t count) {
  (void)count;
  return tp_logf(acc);
}

/* @kernel tp_red_add_i64
 * @instance tp_red_add_u64: int64_t=uint64_t
 * The combining steps of the integer reductions, in uint64_t so that a
 * sum or product wraps instead of overflowing (converting back to int64_t
 * keeps the low bits on every compiler tinyplan targets): sum, product,
 * sum of absolute values (signed types only: an unsigned ReduceL1 is the
 * sum), sum of squares, maximum, minimum. */
TP_KERNEL inline int64_t tp_red_add_i64(int64_t acc, int64_t v) {
  return (int64_t)((uint64_t)acc + (uint64_t)v);
}

/* @kernel tp_red_mul_i64
 * @instance tp_red_mul_u64: int64_t=uint64_t */
TP_KERNEL inline int64_t tp_red_mul_i64(int64_t acc, int64_t v) {
  return (int64_t)((uint64_t)acc * (uint64_t)v);
}

/* @kernel tp_red_abs_i64 */
TP_KERNEL inline int64_t tp_red_abs_i64(int64_t acc, int64_t v) {
  return (int64_t)((uint64_t)acc + (v < 0 ? 0 - (uint64_t)v : (uint64_t)v));
}

/* @kernel tp_red_sq_i64
 * @instance tp_red_sq_u64: int64_t=uint64_t */
TP_KERNEL inline int64_t tp_red_sq_i64(int64_t acc, int64_t v) {
  return (int64_t)((uint64_t)acc + (uint64_t)v * (uint64_t)v);
}

/* @kernel tp_red_max_i64
 * @instance tp_red_max_u64: int64_t=uint64_t */
TP_KERNEL inline int64_t tp_red_max_i64(int64_t acc, int64_t v) {
  return v > acc ? v : acc;
}

/* @kernel tp_red_min_i64
 * @instance tp_red_min_u64: int64_t=uint64_t */
TP_KERNEL inline int64_t tp_red_min_i64(int64_t acc, int64_t v) {
  return v < acc ? v : acc;
}

/* @kernel tp_red_keep_i64
 * @instance tp_red_keep_u64: int64_t=uint64_t
 * The finishing steps of the integer reductions: the accumulator, or the
 * mean truncated toward zero (0 for an empty reduction). */
TP_KERNEL inline int64_t tp_red_keep_i64(int64_t acc, int32_t count) {
  (void)count;
  return acc;
}

/* @kernel tp_red_mean_i64
 * @instance tp_red_mean_u64: int64_t=uint64_t */
TP_KERNEL inline int64_t tp_red_mean_i64(int64_t acc, int32_t count) {
  return count != 0 ? acc / (int64_t)count : 0;
}

/* @kernel tp_reducesum_f32 uses tp_odometer_next tp_red_add_f32 tp_red_keep_f32
 * @instance tp_reducesum_f64: float=double tp_red_add_f32=tp_red_add_f64 tp_red_keep_f32=tp_red_keep_f64
 * @instance tp_reducemean_f64: float=double tp_red_add_f32=tp_red_add_f64 tp_red_keep_f32=tp_red_mean_f64
 * @instance tp_reducemean_f32: tp_red_keep_f32=tp_red_mean_f32
 * @instance tp_reducemax_f32: tp_red_add_f32=tp_red_max_f32
 * @instance tp_reducemin_f32: tp_red_add_f32=tp_red_min_f32
 * @instance tp_reduceprod_f32: tp_red_add_f32=tp_red_mul_f32
 * @instance tp_reducel1_f32: tp_red_add_f32=tp_red_abs_f32
 * @instance tp_reducel2_f32: tp_red_add_f32=tp_red_sq_f32 tp_red_keep_f32=tp_red_sqrt_f32
 * @instance tp_reducelogsum_f32: tp_red_keep_f32=tp_red_log_f32
 * @instance tp_reducesumsquare_f32: tp_red_add_f32=tp_red_sq_f32
 * The accumulator in the type, each element combined in input order. */
TP_KERNEL void tp_reducesum_f32(const float *x, float *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count, float init) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = count != 0 ? rd[redRank - 1] : 0, step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    float acc = init;
    int32_t xi = xo;
    for (d = 0; d < redRank; ++d)
      ri[d] = 0;
    do {
      const float *xr = x + xi;
      for (k = 0; k < inner; ++k)
        acc = tp_red_add_f32(acc, xr[k * step]);
    } while (tp_odometer_next(ri, rd, rs, redRank - 1, &xi));
    y[i] = tp_red_keep_f32(acc, count);
    tp_odometer_next(oi, od, os, outRank, &xo);
  }
}

/* @kernel tp_reducesum_f16 uses tp_odometer_next tp_f16_to_f32 tp_f32_to_f16 tp_red_add_f32 tp_red_keep_f32
 * @instance tp_reducesum_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * @instance tp_reducemean_f16: tp_red_keep_f32=tp_red_mean_f32
 * @instance tp_reducemean_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16 tp_red_keep_f32=tp_red_mean_f32
 * f16 (bf16) bit patterns: each element widened to float and combined
 * there, the result rounded once to float and once to f16. */
TP_KERNEL void tp_reducesum_f16(const uint16_t *x, uint16_t *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count, float init) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = count != 0 ? rd[redRank - 1] : 0, step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    float acc = init;
    int32_t xi = xo;
    for (d = 0; d < redRank; ++d)
      ri[d] = 0;
    do {
      const uint16_t *xr = x + xi;
      for (k = 0; k < inner; ++k)
        acc = tp_red_add_f32(acc, tp_f16_to_f32(xr[k * step]));
    } while (tp_odometer_next(ri, rd, rs, redRank - 1, &xi));
    y[i] = tp_f32_to_f16(tp_red_keep_f32(acc, count));
    tp_odometer_next(oi, od, os, outRank, &xo);
  }
}

/* @kernel tp_reducesum_i8 uses tp_odometer_next tp_red_add_i64 tp_red_keep_i64
 * @instance tp_reducesum_i32: int8_t=int32_t
 * @instance tp_reducesum_u8: int8_t=uint8_t int64_t=uint64_t tp_red_add_i64=tp_red_add_u64 tp_red_keep_i64=tp_red_keep_u64
 * @instance tp_reducemean_i8: tp_red_keep_i64=tp_red_mean_i64
 * @instance tp_reducemean_i16: int8_t=int16_t tp_red_keep_i64=tp_red_mean_i64
 * @instance tp_reducemean_i32: int8_t=int32_t tp_red_keep_i64=tp_red_mean_i64
 * @instance tp_reducemean_i64: int8_t=int64_t tp_red_keep_i64=tp_red_mean_i64
 * @instance tp_reducemean_u8: int8_t=uint8_t int64_t=uint64_t tp_red_add_i64=tp_red_add_u64 tp_red_keep_i64=tp_red_mean_u64
 * @instance tp_reducemean_u16: int8_t=uint16_t int64_t=uint64_t tp_red_add_i64=tp_red_add_u64 tp_red_keep_i64=tp_red_mean_u64
 * @instance tp_reducemean_u32: int8_t=uint32_t int64_t=uint64_t tp_red_add_i64=tp_red_add_u64 tp_red_keep_i64=tp_red_mean_u64
 * @instance tp_reducemean_u64: int8_t=uint64_t int64_t=uint64_t tp_red_add_i64=tp_red_add_u64 tp_red_keep_i64=tp_red_mean_u64
 * @instance tp_reducemax_i8: tp_red_add_i64=tp_red_max_i64
 * @instance tp_reducemin_u16: int8_t=uint16_t int64_t=uint64_t tp_red_add_i64=tp_red_min_u64 tp_red_keep_i64=tp_red_keep_u64
 * @instance tp_reducel1_i16: int8_t=int16_t tp_red_add_i64=tp_red_abs_i64
 * @instance tp_reducesumsquare_i32: int8_t=int32_t tp_red_add_i64=tp_red_sq_i64
 * @instance tp_reduceprod_u32: int8_t=uint32_t int64_t=uint64_t tp_red_add_i64=tp_red_mul_u64 tp_red_keep_i64=tp_red_keep_u64
 * Integers: the accumulator in int64_t (uint64_t for the unsigned types),
 * converted to the type at the end. */
TP_KERNEL void tp_reducesum_i8(const int8_t *x, int8_t *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count, int64_t init) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = count != 0 ? rd[redRank - 1] : 0, step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    int64_t acc = init;
    int32_t xi = xo;
    for (d = 0; d < redRank; ++d)
      ri[d] = 0;
    do {
      const int8_t *xr = x + xi;
      for (k = 0; k < inner; ++k)
        acc = tp_red_add_i64(acc, xr[k * step]);
    } while (tp_odometer_next(ri, rd, rs, redRank - 1, &xi));
    y[i] = (int8_t)tp_red_keep_i64(acc, count);
    tp_odometer_next(oi, od, os, outRank, &xo);
  }
}

/* @kernel tp_reducelogsumexp_f32 uses tp_odometer_next tp_expf tp_logf
 * @instance tp_reducelogsumexp_f64: float=double HUGE_VALF=HUGE_VAL tp_expf=exp tp_logf=log
 * log(sum(exp(x))) as ONNX Runtime computes it, without overflow: a first
 * walk finds the maximum m, a second sums exp(x - m), the result is
 * m + log(sum). An infinite or NaN maximum (or none: -inf for an empty
 * reduction) is the result itself. */
TP_KERNEL void tp_reducelogsumexp_f32(const float *x, float *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = count != 0 ? rd[redRank - 1] : 0, step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0, pass;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    float m = -HUGE_VALF, acc = 0;
    for (pass = 0; pass < 2; ++pass) {
      int32_t xi = xo;
      for (d = 0; d < redRank; ++d)
        ri[d] = 0;
      do {
        const float *xr = x + xi;
        if (pass == 0) {
          for (k = 0; k < inner; ++k)
            if (xr[k * step] > m || xr[k * step] != xr[k * step])
              m = xr[k * step];
        } else {
          for (k = 0; k < inner; ++k)
            acc += tp_expf(xr[k * step] - m);
        }
      } while (tp_odometer_next(ri, rd, rs, redRank - 1, &xi));
      if (m - m != 0) /* infinite or NaN */
        break;
    }
    y[i] = m - m != 0 ? m : m + tp_logf(acc);
    tp_odometer_next(oi, od, os, outRank, &xo);
  }
}
