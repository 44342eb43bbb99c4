/* resize.c - Resize and Upsample: nearest gathers and weighted sums.
 *
 * lib/Ops/Resize.cpp works out, for every axis and every output index along
 * it, which input indices that output reads and with which weights (the
 * ONNX reference's coordinates and coefficients, computed at compile time).
 * Nearest reads one input index per axis; linear, cubic and antialiased
 * resizes read several and sum them nested, the innermost axis first, as
 * the reference nests its 1-D interpolations. An output index with no
 * input (tf_crop_and_resize outside the region) is the extrapolation value.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_resize_nearest_f32
 * @instance tp_resize_nearest_f64: float=double
 * @instance tp_resize_nearest_i8: float=int8_t
 * @instance tp_resize_nearest_u8: float=uint8_t
 * @instance tp_resize_nearest_i16: float=int16_t
 * @instance tp_resize_nearest_u16: float=uint16_t
 * @instance tp_resize_nearest_i32: float=int32_t
 * @instance tp_resize_nearest_u32: float=uint32_t
 * @instance tp_resize_nearest_i64: float=int64_t
 * @instance tp_resize_nearest_u64: float=uint64_t
 * y (rank 1 to 8) takes, along each axis, the input index t gives for its
 * output index, or value where that is -1. g holds two ints per axis
 * (input dim, output dim); t one int per output index of each axis, the
 * axes one after the other. One output row (innermost axis) at a time. */
TP_KERNEL void tp_resize_nearest_f32(const float *x, float *y, int32_t rank, const int32_t *g,
    const int32_t *t, float value) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const int32_t *tw = t;
  const int32_t W = g[2 * rank - 1];
  int32_t rows = 1, r, d, k;
  for (d = 0; d < rank - 1; ++d) {
    rows *= g[2 * d + 1];
    tw += g[2 * d + 1];
  }
  for (r = 0; r < rows; ++r) {
    const int32_t *td = t;
    int32_t src = 0, inside = 1;
    for (d = 0; d < rank - 1; ++d) {
      const int32_t s = td[idx[d]];
      inside = inside && s >= 0;
      src = src * g[2 * d] + s;
      td += g[2 * d + 1];
    }
    if (!inside) {
      for (k = 0; k < W; ++k)
        y[k] = value;
    } else {
      const float *xr = x + src * g[2 * rank - 2];
      for (k = 0; k < W; ++k)
        y[k] = tw[k] < 0 ? value : xr[tw[k]];
    }
    y += W;
    for (d = rank - 2; d >= 0; --d) {
      if (++idx[d] < g[2 * d + 1])
        break;
      idx[d] = 0;
    }
  }
}

/* @kernel tp_resize_f32 uses tp_fmaf
 * @instance tp_resize_f64: float=double tp_fmaf=fma
 * y is outer blocks one after the other, each (rank 1 to 8) the weighted
 * sum of the same block of x that t, ix and w give. g holds
 * three ints per axis: input dim, output dim and where the axis's records
 * start in t; a record (two ints per output index) is the first tap and the
 * tap count; tap k reads input index ix[k] with weight w[k]. Output element
 * (o_0, ..., o_r-1) is the sum over axis 0's taps of w times the same sum
 * over the remaining axes, down to the input elements; an axis's output
 * with no taps is value at that level. Each sum starts with its first
 * product and adds the others by tp_fmaf, in tap order. */
TP_KERNEL void tp_resize_f32(const float *x, float *y, int32_t outer, int32_t rank,
    const int32_t *g, const int32_t *t, const int32_t *ix, const float *w, float value) {
  int32_t o[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int32_t k[8], f[8], e[8], off[8], stride[8];
  float acc[8];
  int32_t n = 1, i, d, b;
  for (d = rank - 1; d >= 0; --d) {
    stride[d] = d == rank - 1 ? 1 : stride[d + 1] * g[3 * (d + 1)];
    n *= g[3 * d + 1];
  }
  for (b = 0; b < outer; ++b, x += stride[0] * g[0], y += n) {
    for (i = 0; i < n; ++i) {
      float v = value;
      int32_t descend = 1;
      d = 0;
      off[0] = 0;
      for (;;) {
        if (descend) {
          const int32_t *rec = t + g[3 * d + 2] + 2 * o[d];
          k[d] = f[d] = rec[0];
          e[d] = rec[0] + rec[1];
          if (k[d] == e[d]) {
            v = value;
          } else if (d == rank - 1) {
            int32_t j = k[d];
            v = w[j] * x[off[d] + ix[j]];
            for (++j; j < e[d]; ++j)
              v = tp_fmaf(w[j], x[off[d] + ix[j]], v);
          } else {
            off[d + 1] = off[d] + ix[k[d]] * stride[d];
            ++d;
            continue;
          }
        }
        /* v is the value of level d: fold it into level d - 1. */
        if (d == 0)
          break;
        --d;
        acc[d] = k[d] == f[d] ? w[k[d]] * v : tp_fmaf(w[k[d]], v, acc[d]);
        if (++k[d] < e[d]) {
          off[d + 1] = off[d] + ix[k[d]] * stride[d];
          ++d;
          descend = 1;
          continue;
        }
        v = acc[d];
        descend = 0;
      }
      y[i] = v;
      for (d = rank - 1; d >= 0; --d) {
        if (++o[d] < g[3 * d + 1])
          break;
        o[d] = 0;
      }
    }
  }
}
