/* topk.c - TopK: the k largest or smallest elements along one axis.
 *
 * outer * inner rows of n elements, inner apart; for each, values and
 * indices (both rows of k elements, inner apart) get the k largest
 * (largest = 1) or smallest elements in order, best first, with their
 * indices. Of equal elements the one with the lower index comes first, as
 * ONNX specifies: the row is read in order and an element goes after every
 * element already kept that it does not beat. The kept elements are an
 * insertion-sorted list in the outputs themselves, so no scratch is needed;
 * n * k comparisons at most. Values are copied bit for bit. x must not
 * share bytes with values or indices.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_topk_f32
 * @instance tp_topk_f64: float=double
 * @instance tp_topk_i8: float=int8_t
 * @instance tp_topk_u8: float=uint8_t
 * @instance tp_topk_i16: float=int16_t
 * @instance tp_topk_u16: float=uint16_t
 * @instance tp_topk_i32: float=int32_t
 * @instance tp_topk_u32: float=uint32_t
 * @instance tp_topk_i64: float=int64_t
 * @instance tp_topk_u64: float=uint64_t
 * The k best elements of each row of x and their indices; 0 <= k <= n. */
TP_KERNEL void tp_topk_f32(const float *x, float *values, int64_t *indices, int32_t outer,
                           int32_t n, int32_t inner, int32_t k, int32_t largest) {
  int32_t o, j, i, m, p, q;
  for (o = 0; o < outer; ++o)
    for (j = 0; j < inner; ++j) {
      const float *xr = x + o * n * inner + j;
      float *vr = values + o * k * inner + j;
      int64_t *ir = indices + o * k * inner + j;
      m = 0;
      for (i = 0; i < n; ++i) {
        const float v = xr[i * inner];
        /* After every kept element that v does not beat. */
        p = m;
        while (p > 0 && (largest ? v > vr[(p - 1) * inner] : v < vr[(p - 1) * inner]))
          --p;
        if (p >= k)
          continue;
        if (m < k)
          ++m;
        for (q = m - 1; q > p; --q) {
          vr[q * inner] = vr[(q - 1) * inner];
          ir[q * inner] = ir[(q - 1) * inner];
        }
        vr[p * inner] = v;
        ir[p * inner] = i;
      }
    }
}
