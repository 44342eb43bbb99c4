/* The comparison loops of kernels/compare.c made with their element
 * functions (as tinyplan makes them): every comparison of floats with
 * signed zeros, infinities and NaN on either side, broadcast (a column
 * against a row) and of one shape, against C's operators; in place over a
 * one-byte operand; f16 and bf16 patterns; integers at their extremes,
 * unsigned ones above the signed range; And, Or, Xor of bools broadcast; Not.
 * KERNELS:
 *   tp_compare_equal_f32=tp_compare_f32:tp_compare_op_f32=tp_equal_f32
 *   tp_compare_less_f32=tp_compare_f32:tp_compare_op_f32=tp_less_f32
 *   tp_compare_greater_f32=tp_compare_f32:tp_compare_op_f32=tp_greater_f32
 *   tp_compare_lessorequal_f32=tp_compare_f32:tp_compare_op_f32=tp_lessorequal_f32
 *   tp_compare_greaterorequal_f32=tp_compare_f32:tp_compare_op_f32=tp_greaterorequal_f32
 *   tp_compare_same_less_f32=tp_compare_same_f32:tp_compare_op_f32=tp_less_f32
 *   tp_compare_same_equal_f64=tp_compare_same_f64:tp_compare_op_f64=tp_equal_f64
 *   tp_compare_same_less_f16=tp_compare_same_f16:tp_compare_op_f16=tp_less_f16
 *   tp_compare_same_greaterorequal_bf16=tp_compare_same_bf16:tp_compare_op_bf16=tp_greaterorequal_bf16
 *   tp_compare_same_less_i8=tp_compare_same_i8:tp_compare_op_i8=tp_less_i8
 *   tp_compare_same_equal_u8=tp_compare_same_u8:tp_compare_op_u8=tp_equal_u8
 *   tp_compare_same_greater_u64=tp_compare_same_u64:tp_compare_op_u64=tp_greater_u64
 *   tp_compare_same_lessorequal_i64=tp_compare_same_i64:tp_compare_op_i64=tp_lessorequal_i64
 *   tp_compare_and_bool=tp_compare_bool:tp_compare_op_bool=tp_and_bool
 *   tp_compare_or_bool=tp_compare_bool:tp_compare_op_bool=tp_or_bool
 *   tp_compare_xor_bool=tp_compare_bool:tp_compare_op_bool=tp_xor_bool
 *   tp_compare_same_equal_bool=tp_compare_same_bool:tp_compare_op_bool=tp_equal_bool
 *   tp_unary_not_bool=tp_unary_u8:tp_unary_op_u8=tp_not_bool */
#include "kernels.h"
#include "tp_check.h"

#include <math.h>

#define NV 8

static const float values[NV] = {-INFINITY, -2.5f, -0.0f, 0.0f, 1.0f, 1.0f, INFINITY, NAN};

/* A column of NV values against a row of NV: y[i][j] = op(values[i], values[j]). */
static void check_floats(void) {
  static const int32_t dims[2] = {NV, NV}, as[2] = {1, 0}, bs[2] = {0, 1};
  uint8_t y[NV * NV];
  int32_t i, j, op;
  for (op = 0; op < 5; ++op) {
    void (*const loops[5])(const float *, const float *, uint8_t *, int32_t, int32_t,
                           const int32_t *, const int32_t *, const int32_t *) = {
        tp_compare_equal_f32, tp_compare_less_f32, tp_compare_greater_f32,
        tp_compare_lessorequal_f32, tp_compare_greaterorequal_f32};
    loops[op](values, values, y, NV * NV, 2, dims, as, bs);
    for (i = 0; i < NV; ++i)
      for (j = 0; j < NV; ++j) {
        const float a = values[i], b = values[j];
        const int want = op == 0   ? a == b
                         : op == 1 ? a < b
                         : op == 2 ? a > b
                         : op == 3 ? a <= b
                                   : a >= b;
        TP_CHECK_INT(y[i * NV + j], want);
      }
  }
  /* By hand: NaN equals nothing, -0 equals +0. */
  tp_compare_same_less_f32(values, values + 1, y, NV - 1);
  TP_CHECK_INT(y[0], 1); /* -inf < -2.5 */
  TP_CHECK_INT(y[1], 1); /* -2.5 < -0 */
  TP_CHECK_INT(y[2], 0); /* -0 < +0: no */
  TP_CHECK_INT(y[4], 0); /* 1 < 1: no */
  TP_CHECK_INT(y[6], 0); /* inf < NaN: no */
  {
    const double d[3] = {NAN, -0.0, 3}, e[3] = {NAN, 0.0, 3.0000000000000004};
    tp_compare_same_equal_f64(d, e, y, 3);
    TP_CHECK_INT(y[0], 0);
    TP_CHECK_INT(y[1], 1);
    TP_CHECK_INT(y[2], 0);
  }
}

static void check_narrow_and_integers(void) {
  /* f16 1, -2, 2, NaN against 2, -2, 1, 1. */
  const uint16_t h[4] = {0x3c00u, 0xc000u, 0x4000u, 0x7e00u},
                 hb[4] = {0x4000u, 0xc000u, 0x3c00u, 0x3c00u};
  /* bf16 1, -0, 2, NaN against 1, +0, 3, NaN. */
  const uint16_t b[4] = {0x3f80u, 0x8000u, 0x4000u, 0x7fc0u},
                 bb[4] = {0x3f80u, 0x0000u, 0x4040u, 0x7fc0u};
  const int8_t i8[3] = {-128, 127, 0}, j8[3] = {127, -128, 0};
  const uint8_t u8[3] = {255, 0, 7}, v8[3] = {255, 1, 7};
  const uint64_t u64[3] = {(uint64_t)1 << 63, UINT64_MAX, 0}, v64[3] = {1, UINT64_MAX, 1};
  const int64_t i64[3] = {INT64_MIN, INT64_MAX, -1}, j64[3] = {INT64_MAX, INT64_MAX, 0};
  uint8_t y[4];
  tp_compare_same_less_f16(h, hb, y, 4);
  TP_CHECK_INT(y[0], 1);
  TP_CHECK_INT(y[1], 0);
  TP_CHECK_INT(y[2], 0);
  TP_CHECK_INT(y[3], 0);
  tp_compare_same_greaterorequal_bf16(b, bb, y, 4);
  TP_CHECK_INT(y[0], 1);
  TP_CHECK_INT(y[1], 1);
  TP_CHECK_INT(y[2], 0);
  TP_CHECK_INT(y[3], 0);
  tp_compare_same_less_i8(i8, j8, y, 3);
  TP_CHECK_INT(y[0], 1);
  TP_CHECK_INT(y[1], 0);
  TP_CHECK_INT(y[2], 0);
  tp_compare_same_equal_u8(u8, v8, y, 3);
  TP_CHECK_INT(y[0], 1);
  TP_CHECK_INT(y[1], 0);
  TP_CHECK_INT(y[2], 1);
  tp_compare_same_greater_u64(u64, v64, y, 3);
  TP_CHECK_INT(y[0], 1);
  TP_CHECK_INT(y[1], 0);
  TP_CHECK_INT(y[2], 0);
  tp_compare_same_lessorequal_i64(i64, j64, y, 3);
  TP_CHECK_INT(y[0], 1);
  TP_CHECK_INT(y[1], 1);
  TP_CHECK_INT(y[2], 1);
  /* In place over the first operand: u8 {255, 0, 7} == {255, 1, 7}. */
  {
    uint8_t a[3] = {255, 0, 7};
    tp_compare_same_equal_u8(a, v8, a, 3);
    TP_CHECK_INT(a[0], 1);
    TP_CHECK_INT(a[1], 0);
    TP_CHECK_INT(a[2], 1);
  }
}

static void check_logical(void) {
  /* A column {0, 1} against a row {0, 1, 1}. */
  static const int32_t dims[2] = {2, 3}, as[2] = {1, 0}, bs[2] = {0, 1};
  const uint8_t col[2] = {0, 1}, row[3] = {0, 1, 1};
  uint8_t y[6], z[6];
  int32_t i, j;
  tp_compare_and_bool(col, row, y, 6, 2, dims, as, bs);
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 3; ++j)
      TP_CHECK_INT(y[i * 3 + j], col[i] && row[j]);
  tp_compare_or_bool(col, row, y, 6, 2, dims, as, bs);
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 3; ++j)
      TP_CHECK_INT(y[i * 3 + j], col[i] || row[j]);
  tp_compare_xor_bool(col, row, y, 6, 2, dims, as, bs);
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 3; ++j)
      TP_CHECK_INT(y[i * 3 + j], col[i] != row[j]);
  tp_compare_same_equal_bool(y, y, z, 6);
  for (i = 0; i < 6; ++i)
    TP_CHECK_INT(z[i], 1);
  /* Not, in place. */
  tp_unary_not_bool(y, y, 6, 0, 0);
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 3; ++j)
      TP_CHECK_INT(y[i * 3 + j], col[i] == row[j]);
}

int main(void) {
  check_floats();
  check_narrow_and_integers();
  check_logical();
  return tp_finish("compare");
}
