/* copy.c - Strided copies: Transpose and Slice.
 *
 * A Transpose is the input read with permuted strides, a Slice the input
 * read from an offset with each dim's stride times its step (negative for
 * negative steps). tinyplan drops the dims of 1 and merges a dim with the
 * next where the strides allow, so the copy has at most 8 dims, and the
 * innermost of them is the inner loop; a copy that is contiguous after the
 * merging is a memmove instead. The elements move in their storage type and
 * are not converted: f16 and bf16 move as uint16_t, bool as uint8_t.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_copy_strided_f32
 * @instance tp_copy_strided_f64: float=double
 * @instance tp_copy_strided_i8: float=int8_t
 * @instance tp_copy_strided_u8: float=uint8_t
 * @instance tp_copy_strided_i16: float=int16_t
 * @instance tp_copy_strided_u16: float=uint16_t
 * @instance tp_copy_strided_i32: float=int32_t
 * @instance tp_copy_strided_u32: float=uint32_t
 * @instance tp_copy_strided_i64: float=int64_t
 * @instance tp_copy_strided_u64: float=uint64_t
 * y, dense over dims[0..rank), is x read with the element strides xs (any
 * sign): y[i0, ..., ik] = x[i0 * xs[0] + ... + ik * xs[k]]. rank is 1 to 8;
 * an odometer over the outer dims moves the row's start. */
TP_KERNEL void tp_copy_strided_f32(const float *x, float *y, int32_t rank,
    const int32_t *dims, const int32_t *xs) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const int32_t inner = dims[rank - 1], step = xs[rank - 1];
  int32_t rows = 1, r, d, k, xi = 0;
  for (d = 0; d < rank - 1; ++d)
    rows *= dims[d];
  for (r = 0; r < rows; ++r) {
    const float *xr = x + xi;
    for (k = 0; k < inner; ++k)
      y[k] = xr[k * step];
    y += inner;
    for (d = rank - 2; d >= 0; --d) {
      xi += xs[d];
      if (++idx[d] < dims[d])
        break;
      xi -= xs[d] * dims[d];
      idx[d] = 0;
    }
  }
}
