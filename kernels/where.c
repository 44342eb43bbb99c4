/* where.c - Where: an element of one of two tensors, chosen by a third.
 *
 * y[i] = c[i] ? a[i] : b[i], the bool condition c and the two operands
 * broadcast numpy-style. Elements move in their storage type, unconverted:
 * f16 and bf16 as uint16_t, bool as uint8_t. tp_where_same_* is the loop
 * when nothing broadcasts; tp_where_* walks the result's dims as an odometer
 * (binary.c's loop with a third operand).
 */
#include "tinyplan_kernels.h"

/* @kernel tp_where_f32
 * @instance tp_where_f64: float=double
 * @instance tp_where_i8: float=int8_t
 * @instance tp_where_u8: float=uint8_t
 * @instance tp_where_i16: float=int16_t
 * @instance tp_where_u16: float=uint16_t
 * @instance tp_where_i32: float=int32_t
 * @instance tp_where_u32: float=uint32_t
 * @instance tp_where_i64: float=int64_t
 * @instance tp_where_u64: float=uint64_t
 * y[i] = c ? a : b over the n elements of the result, whose rank (<= 8)
 * dims are walked as an odometer, the last fastest; cs[d], as[d] and
 * bs[d] are the steps of c, a and b along dim d, 0 where that operand
 * broadcasts. y may be a or b when it has the result's shape: each element
 * is read before it is written. */
TP_KERNEL void tp_where_f32(const uint8_t *pc, const float *pa, const float *pb, float *y,
                            int32_t n, int32_t rank, const int32_t *dims, const int32_t *cs,
                            const int32_t *as, const int32_t *bs) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int32_t i, d, ci = 0, ai = 0, bi = 0;
  for (i = 0; i < n; ++i) {
    y[i] = pc[ci] ? pa[ai] : pb[bi];
    for (d = rank - 1; d >= 0; --d) {
      ci += cs[d];
      ai += as[d];
      bi += bs[d];
      if (++idx[d] < dims[d])
        break;
      ci -= cs[d] * dims[d];
      ai -= as[d] * dims[d];
      bi -= bs[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/* @kernel tp_where_same_f32
 * @instance tp_where_same_f64: float=double
 * @instance tp_where_same_i8: float=int8_t
 * @instance tp_where_same_u8: float=uint8_t
 * @instance tp_where_same_i16: float=int16_t
 * @instance tp_where_same_u16: float=uint16_t
 * @instance tp_where_same_i32: float=int32_t
 * @instance tp_where_same_u32: float=uint32_t
 * @instance tp_where_same_i64: float=int64_t
 * @instance tp_where_same_u64: float=uint64_t
 * y[i] = c[i] ? a[i] : b[i] for three operands of the result's shape. y
 * may be a or b. */
TP_KERNEL void tp_where_same_f32(const uint8_t *c, const float *a, const float *b, float *y,
                                 int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i)
    y[i] = c[i] ? a[i] : b[i];
}
