/* reduce.c - ReduceMean over any set of axes.
 *
 * The caller splits the input's dims into kept and reduced ones, in order,
 * drops dims of 1 and merges neighbours of the same kind that are
 * contiguous, so that each kind is at most 8 (dims, element strides)
 * pairs: od / os for the kept dims (outRank of them), rd / rs for the
 * reduced ones (redRank), count the number of reduced elements. For each
 * output element in order, the kernel sums its reduced elements into a
 * local, the innermost reduced dim as the inner loop, both kinds walking
 * the input through their strides (odometers), and divides by count.
 *
 * Floats sum in their own type, f16 and bf16 in float (widened exactly,
 * the mean rounded to nearest even); integers sum in 64 bits (signed or
 * not as the type) and divide truncating toward zero, as ONNX Runtime
 * does. Without reduced elements (count 0, an empty input) nothing is read:
 * a float mean is 0 / 0, NaN, an integer one 0.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_reducemean_f32
 * @instance tp_reducemean_f64: float=double
 * Sum in the type, then acc / count rounded once. */
TP_KERNEL void tp_reducemean_f32(const float *x, float *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = count != 0 ? rd[redRank - 1] : 0, step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    float acc = 0;
    int32_t xi = xo;
    for (d = 0; d < redRank; ++d)
      ri[d] = 0;
    for (;;) {
      const float *xr = x + xi;
      for (k = 0; k < inner; ++k)
        acc += xr[k * step];
      for (d = redRank - 2; d >= 0; --d) {
        xi += rs[d];
        if (++ri[d] < rd[d])
          break;
        xi -= rs[d] * rd[d];
        ri[d] = 0;
      }
      if (d < 0)
        break;
    }
    y[i] = acc / (float)count;
    for (d = outRank - 1; d >= 0; --d) {
      xo += os[d];
      if (++oi[d] < od[d])
        break;
      xo -= os[d] * od[d];
      oi[d] = 0;
    }
  }
}

/* @kernel tp_reducemean_f16 uses tp_f16_to_f32 tp_f32_to_f16
 * @instance tp_reducemean_bf16: tp_f16_to_f32=tp_bf16_to_f32 tp_f32_to_f16=tp_f32_to_bf16
 * f16 (bf16) bit patterns: each element widened to float and summed there,
 * the mean rounded once to float and once to f16. */
TP_KERNEL void tp_reducemean_f16(const uint16_t *x, uint16_t *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = count != 0 ? rd[redRank - 1] : 0, step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    float acc = 0;
    int32_t xi = xo;
    for (d = 0; d < redRank; ++d)
      ri[d] = 0;
    for (;;) {
      const uint16_t *xr = x + xi;
      for (k = 0; k < inner; ++k)
        acc += tp_f16_to_f32(xr[k * step]);
      for (d = redRank - 2; d >= 0; --d) {
        xi += rs[d];
        if (++ri[d] < rd[d])
          break;
        xi -= rs[d] * rd[d];
        ri[d] = 0;
      }
      if (d < 0)
        break;
    }
    y[i] = tp_f32_to_f16(acc / (float)count);
    for (d = outRank - 1; d >= 0; --d) {
      xo += os[d];
      if (++oi[d] < od[d])
        break;
      xo -= os[d] * od[d];
      oi[d] = 0;
    }
  }
}

/* @kernel tp_reducemean_i8
 * @instance tp_reducemean_i16: int8_t=int16_t
 * @instance tp_reducemean_i32: int8_t=int32_t
 * @instance tp_reducemean_i64: int8_t=int64_t
 * @instance tp_reducemean_u8: int8_t=uint8_t int64_t=uint64_t
 * @instance tp_reducemean_u16: int8_t=uint16_t int64_t=uint64_t
 * @instance tp_reducemean_u32: int8_t=uint32_t int64_t=uint64_t
 * @instance tp_reducemean_u64: int8_t=uint64_t int64_t=uint64_t
 * Integers: the sum in int64_t (uint64_t for the unsigned types), divided
 * by count truncating toward zero. A sum of i64 elements past the int64_t
 * range overflows (C leaves that undefined). */
TP_KERNEL void tp_reducemean_i8(const int8_t *x, int8_t *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = count != 0 ? rd[redRank - 1] : 0, step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    int64_t acc = 0;
    int32_t xi = xo;
    for (d = 0; d < redRank; ++d)
      ri[d] = 0;
    for (;;) {
      const int8_t *xr = x + xi;
      for (k = 0; k < inner; ++k)
        acc += xr[k * step];
      for (d = redRank - 2; d >= 0; --d) {
        xi += rs[d];
        if (++ri[d] < rd[d])
          break;
        xi -= rs[d] * rd[d];
        ri[d] = 0;
      }
      if (d < 0)
        break;
    }
    y[i] = (int8_t)(count != 0 ? acc / (int64_t)count : 0);
    for (d = outRank - 1; d >= 0; --d) {
      xo += os[d];
      if (++oi[d] < od[d])
        break;
      xo -= os[d] * od[d];
      oi[d] = 0;
    }
  }
}
