/* gather.c - Gather: runs of the data selected by an index tensor.
 *
 * Gather(data, indices) along axis a copies, for every index o before the
 * axis (outer) and every index c of the indices tensor (count), the run of
 * data[o, k, ...] with k = indices[c]: inner bytes, the element size times
 * the dims after the axis. Bytes, so one kernel per index type (int32 or
 * int64) serves every element type. A negative index counts from the back;
 * one still outside [0, dim) after that (an index computed at run time;
 * constant ones are checked at compile time) gives zero bytes instead of a
 * read outside the data.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_gather_i64
 * @instance tp_gather_i32: int64_t=int32_t
 * y[o, c, ...] = x[o, indices[c], ...]: dim is the data's axis dim, inner
 * the bytes of one run. */
TP_KERNEL void tp_gather_i64(const uint8_t *x, uint8_t *y, const int64_t *indices,
    int32_t outer, int32_t count, int32_t dim, int32_t inner) {
  int32_t o, c;
  for (o = 0; o < outer; ++o) {
    const uint8_t *xo = x + (size_t)o * (size_t)dim * (size_t)inner;
    for (c = 0; c < count; ++c) {
      int64_t k = indices[c];
      if (k < 0)
        k += dim;
      if (k >= 0 && k < dim)
        memcpy(y, xo + (size_t)k * (size_t)inner, (size_t)inner);
      else
        memset(y, 0, (size_t)inner);
      y += inner;
    }
  }
}
