/* cumsum.c - CumSum: running sums along one axis.
 *
 * outer * inner rows of n elements, inner apart. Each row is summed from
 * its first element (reverse: its last) in order: the first sum is that
 * element itself, every later one the previous sum plus the next element,
 * one addition in the element type, as ONNX Runtime sums; exclusive sums
 * start from 0 and leave each element's own value out. Integers wrap
 * around as two's complement, computed in uint64_t. Each element is read
 * before it is written, and a sum needs only elements already read: y may
 * be x.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_cumsum_f32
 * @instance tp_cumsum_f64: float=double
 * The running sums of x's rows into y; exclusive and reverse are 0 or 1. */
TP_KERNEL void tp_cumsum_f32(const float *x, float *y, int32_t outer, int32_t n, int32_t inner,
                             int32_t exclusive, int32_t reverse) {
  const int32_t step = reverse ? -inner : inner;
  int32_t o, j, k;
  for (o = 0; o < outer; ++o)
    for (j = 0; j < inner; ++j) {
      int32_t i = o * n * inner + j + (reverse ? (n - 1) * inner : 0);
      float acc = 0;
      for (k = 0; k < n; ++k, i += step) {
        const float v = x[i];
        if (exclusive) {
          y[i] = acc;
          acc = acc + v;
        } else {
          acc = k == 0 ? v : acc + v;
          y[i] = acc;
        }
      }
    }
}

/* @kernel tp_cumsum_i64
 * @instance tp_cumsum_u64: int64_t=uint64_t
 * @instance tp_cumsum_i32: int64_t=int32_t
 * @instance tp_cumsum_u32: int64_t=uint32_t
 * The running sums of x's rows into y, wrapping around; exclusive and
 * reverse are 0 or 1. */
TP_KERNEL void tp_cumsum_i64(const int64_t *x, int64_t *y, int32_t outer, int32_t n,
                             int32_t inner, int32_t exclusive, int32_t reverse) {
  const int32_t step = reverse ? -inner : inner;
  int32_t o, j, k;
  for (o = 0; o < outer; ++o)
    for (j = 0; j < inner; ++j) {
      int32_t i = o * n * inner + j + (reverse ? (n - 1) * inner : 0);
      uint64_t acc = 0;
      for (k = 0; k < n; ++k, i += step) {
        const uint64_t v = (uint64_t)x[i];
        if (exclusive) {
          y[i] = (int64_t)acc;
          acc += v;
        } else {
          acc += v;
          y[i] = (int64_t)acc;
        }
      }
    }
}
