/* TopK (kernels/topk.c): rows along the last axis and a middle one (inner
 * > 1), every k from 0 to n, largest and smallest, data with many ties,
 * against a reference that picks the best not yet taken element, lower
 * index first among equals; integer types at their extremes.
 * KERNELS: tp_topk_f32 tp_topk_f64 tp_topk_i8 tp_topk_u8 tp_topk_i64 tp_topk_u64 */
#include "kernels.h"
#include "tp_check.h"

#define MAXN 96

static float x[MAXN], values[MAXN];
static int64_t indices[MAXN];

static void check(int32_t outer, int32_t n, int32_t inner) {
  int32_t o, j, k, p, i, largest;
  for (largest = 0; largest < 2; ++largest)
    for (k = 0; k <= n; ++k) {
      tp_topk_f32(x, values, indices, outer, n, inner, k, largest);
      for (o = 0; o < outer; ++o)
        for (j = 0; j < inner; ++j) {
          uint8_t taken[MAXN] = {0};
          for (p = 0; p < k; ++p) {
            int32_t best = -1;
            for (i = 0; i < n; ++i) {
              const float v = x[o * n * inner + i * inner + j];
              if (taken[i])
                continue;
              if (best < 0 || (largest ? v > x[o * n * inner + best * inner + j]
                                       : v < x[o * n * inner + best * inner + j]))
                best = i;
            }
            taken[best] = 1;
            TP_CHECK_INT(indices[o * k * inner + p * inner + j], best);
            TP_CHECK_F32(values[o * k * inner + p * inner + j],
                         x[o * n * inner + best * inner + j]);
          }
        }
    }
}

static void check_types(void) {
  const double d[5] = {1, 3, -2, 3, 0};
  const int8_t i8[5] = {-128, 127, 5, 127, -128};
  const uint8_t u8[4] = {255, 0, 7, 0};
  const int64_t i64[4] = {INT64_MIN, INT64_MAX, -1, INT64_MAX};
  const uint64_t u64[3] = {1, UINT64_MAX, (uint64_t)1 << 63};
  double dv[5];
  int8_t iv[5];
  uint8_t uv[4];
  int64_t lv[4], ix[5];
  uint64_t vv[3];
  tp_topk_f64(d, dv, ix, 1, 5, 1, 3, 1);
  TP_CHECK_F64(dv[0], 3);
  TP_CHECK_INT(ix[0], 1);
  TP_CHECK_INT(ix[1], 3);
  TP_CHECK_INT(ix[2], 0);
  tp_topk_i8(i8, iv, ix, 1, 5, 1, 5, 0);
  TP_CHECK_INT(ix[0], 0);
  TP_CHECK_INT(ix[1], 4);
  TP_CHECK_INT(ix[2], 2);
  TP_CHECK_INT(ix[3], 1);
  TP_CHECK_INT(ix[4], 3);
  TP_CHECK_INT(iv[4], 127);
  tp_topk_u8(u8, uv, ix, 1, 4, 1, 2, 0);
  TP_CHECK_INT(uv[0], 0);
  TP_CHECK_INT(ix[0], 1);
  TP_CHECK_INT(ix[1], 3);
  tp_topk_i64(i64, lv, ix, 1, 4, 1, 2, 1);
  TP_CHECK_INT(lv[0], INT64_MAX);
  TP_CHECK_INT(ix[0], 1);
  TP_CHECK_INT(ix[1], 3);
  tp_topk_u64(u64, vv, ix, 1, 3, 1, 1, 1);
  TP_CHECK(vv[0] == UINT64_MAX);
  TP_CHECK_INT(ix[0], 1);
  /* Two columns (inner = 2) of a 2 x 2 u8 input: {255, 0}, {7, 0}: the
   * smallest of each column. */
  tp_topk_u8(u8, uv, ix, 1, 2, 2, 1, 0);
  TP_CHECK_INT(uv[0], 7);
  TP_CHECK_INT(ix[0], 1);
  TP_CHECK_INT(uv[1], 0);
  TP_CHECK_INT(ix[1], 0);
}

int main(void) {
  int32_t i;
  uint32_t r = 2463534242u;
  for (i = 0; i < MAXN; ++i) {
    r ^= r << 13;
    r ^= r >> 17;
    r ^= r << 5;
    x[i] = (float)(int32_t)(r % 7u) - 3; /* many ties */
  }
  check(4, 12, 1);
  check(2, 6, 4);
  check(1, 1, 3);
  check(3, 16, 2);
  check_types();
  return tp_finish("topk");
}
