/* The gathers of kernels/gather.c, called as Gather calls them (outer,
 * count, the axis dim, inner in bytes), on each axis of a 3 x 4 x 5 float
 * tensor against nested loops over the result, with int64 and int32
 * indices: negative ones count from the back, and ones outside [-dim, dim)
 * (run-time indices) give zeros, down to INT64_MIN and up to INT64_MAX.
 * Bytes: 1- and 8-byte elements too.
 * KERNELS: tp_gather_i64 tp_gather_i32 */
#include "kernels.h"
#include "tp_check.h"

enum { D0 = 3, D1 = 4, D2 = 5 };

static float data[D0][D1][D2];

/* The index k selects, or -1 for zeros. */
static int32_t pick(int64_t k, int32_t dim) {
  if (k >= dim || k < -(int64_t)dim)
    return -1;
  return (int32_t)(k < 0 ? k + dim : k);
}

/* Gathers with the count indices (int64 and, where they fit, int32 copies
   of them) along axis, and checks the result element by element. */
static void check_axis(int32_t axis, const int64_t *indices, int32_t count, int fits32) {
  static float y[D0 * D1 * D2 * 16 + 1];
  int32_t i32[16], c, i, j, k, n, kind;
  const int32_t dims[3] = {D0, D1, D2};
  const int32_t outer = axis == 0 ? 1 : axis == 1 ? D0 : D0 * D1;
  const int32_t inner = (axis == 0 ? D1 * D2 : axis == 1 ? D2 : 1) * (int32_t)sizeof(float);
  for (c = 0; c < count; ++c)
    i32[c] = (int32_t)indices[c];
  for (kind = 0; kind < (fits32 ? 2 : 1); ++kind) {
    for (i = 0; i < D0 * D1 * D2 * 16 + 1; ++i)
      y[i] = 99.0f;
    if (kind == 0)
      tp_gather_i64((const uint8_t *)data, (uint8_t *)y, indices, outer, count, dims[axis], inner);
    else
      tp_gather_i32((const uint8_t *)data, (uint8_t *)y, i32, outer, count, dims[axis], inner);
    n = 0;
    if (axis == 0) {
      for (c = 0; c < count; ++c)
        for (j = 0; j < D1; ++j)
          for (k = 0; k < D2; ++k, ++n) {
            const int32_t s = pick(indices[c], D0);
            TP_CHECK_F32(y[n], s < 0 ? 0.0f : data[s][j][k]);
          }
    } else if (axis == 1) {
      for (i = 0; i < D0; ++i)
        for (c = 0; c < count; ++c)
          for (k = 0; k < D2; ++k, ++n) {
            const int32_t s = pick(indices[c], D1);
            TP_CHECK_F32(y[n], s < 0 ? 0.0f : data[i][s][k]);
          }
    } else {
      for (i = 0; i < D0; ++i)
        for (j = 0; j < D1; ++j)
          for (c = 0; c < count; ++c, ++n) {
            const int32_t s = pick(indices[c], D2);
            TP_CHECK_F32(y[n], s < 0 ? 0.0f : data[i][j][s]);
          }
    }
    TP_CHECK_F32(y[n], 99.0f); /* nothing written past the result */
  }
}

int main(void) {
  static const int64_t first[] = {2, 0, -1, -3, 1, 2};            /* a 2 x 3 indices tensor */
  static const int64_t second[] = {3, -4, 4, -5, 0};              /* 4 and -5: zeros */
  static const int64_t third[] = {-1, 4, 5, -6, 2, -5, 0};
  static const int64_t wide[] = {INT64_MIN, INT64_MAX, -1, (int64_t)1 << 32, ((int64_t)1 << 32) + 1};
  static const int64_t edges32[] = {INT32_MIN, INT32_MAX, -2, INT32_MIN + 3};
  int32_t i, j, k;
  for (i = 0; i < D0; ++i)
    for (j = 0; j < D1; ++j)
      for (k = 0; k < D2; ++k)
        data[i][j][k] = (float)(100 * i + 10 * j + k) + 0.5f;
  data[1][2][3] = -0.0f;
  check_axis(0, first, 6, 1);
  check_axis(1, second, 5, 1);
  check_axis(2, third, 7, 1);
  check_axis(2, wide, 5, 0);  /* beyond int32: only int64 */
  check_axis(1, edges32, 4, 1);
  {
    /* One-byte elements (bool, int8) and eight-byte ones (int64). */
    static const uint8_t b[6] = {1, 0, 0, 1, 1, 0};
    static const int64_t l[4] = {INT64_MIN, -1, 0, INT64_MAX};
    static const int32_t ib[] = {5, -6, 3, 6};
    static const int64_t il[] = {-1, 0, -4, 4};
    uint8_t yb[4];
    int64_t yl[4];
    tp_gather_i32(b, yb, ib, 1, 4, 6, 1);
    TP_CHECK_INT(yb[0], 0);
    TP_CHECK_INT(yb[1], 1);
    TP_CHECK_INT(yb[2], 1);
    TP_CHECK_INT(yb[3], 0); /* index 6: zero */
    tp_gather_i64((const uint8_t *)l, (uint8_t *)yl, il, 1, 4, 4, 8);
    TP_CHECK_INT(yl[0], INT64_MAX);
    TP_CHECK_INT(yl[1], INT64_MIN);
    TP_CHECK_INT(yl[2], INT64_MIN);
    TP_CHECK_INT(yl[3], 0);
  }
  return tp_finish("gather");
}
