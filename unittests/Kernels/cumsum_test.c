/* CumSum (kernels/cumsum.c): rows along the last axis and a middle one
 * (inner > 1), in the four exclusive / reverse combinations, against a
 * reference that sums each row in order; in place; the first inclusive sum
 * is the element itself (-0 stays -0); integers wrapping around at 32 and 64
 * bits, signed and unsigned.
 * KERNELS: tp_cumsum_f32 tp_cumsum_f64 tp_cumsum_i32 tp_cumsum_u32 tp_cumsum_i64
 *          tp_cumsum_u64 */
#include "kernels.h"
#include "tp_check.h"

#define MAXN 120

static float x[MAXN], y[MAXN], copy[MAXN];

static void check(int32_t outer, int32_t n, int32_t inner) {
  int32_t o, j, k, exclusive, reverse;
  for (exclusive = 0; exclusive < 2; ++exclusive)
    for (reverse = 0; reverse < 2; ++reverse) {
      tp_cumsum_f32(x, y, outer, n, inner, exclusive, reverse);
      for (o = 0; o < outer; ++o)
        for (j = 0; j < inner; ++j) {
          float acc = 0;
          for (k = 0; k < n; ++k) {
            const int32_t at = o * n * inner + (reverse ? n - 1 - k : k) * inner + j;
            if (exclusive) {
              TP_CHECK_F32(y[at], acc);
              acc = acc + x[at];
            } else {
              acc = k == 0 ? x[at] : acc + x[at];
              TP_CHECK_F32(y[at], acc);
            }
          }
        }
      memcpy(copy, x, sizeof copy);
      tp_cumsum_f32(copy, copy, outer, n, inner, exclusive, reverse);
      for (k = 0; k < outer * n * inner; ++k)
        TP_CHECK_F32(copy[k], y[k]);
    }
}

static void check_by_hand(void) {
  const float f[3] = {-0.0f, 1.5f, 2.0f};
  const double d[3] = {0.1, 0.2, 0.3};
  const int32_t i32[3] = {INT32_MAX, 1, -5};
  const uint32_t u32[3] = {UINT32_MAX, 2, 3};
  const int64_t i64[3] = {INT64_MAX, 1, INT64_MIN};
  const uint64_t u64[3] = {UINT64_MAX, 1, 1};
  float fy[3];
  double dy[3];
  int32_t iy[3];
  uint32_t uy[3];
  int64_t ly[3];
  uint64_t vy[3];
  tp_cumsum_f32(f, fy, 1, 3, 1, 0, 0);
  TP_CHECK_F32(fy[0], -0.0f);
  TP_CHECK_F32(fy[1], 1.5f);
  TP_CHECK_F32(fy[2], 3.5f);
  tp_cumsum_f32(f, fy, 1, 3, 1, 1, 0);
  TP_CHECK_F32(fy[0], 0.0f);
  TP_CHECK_F32(fy[1], 0.0f);
  TP_CHECK_F32(fy[2], 1.5f);
  tp_cumsum_f32(f, fy, 1, 3, 1, 0, 1);
  TP_CHECK_F32(fy[0], 3.5f);
  TP_CHECK_F32(fy[1], 3.5f);
  TP_CHECK_F32(fy[2], 2.0f);
  tp_cumsum_f32(f, fy, 1, 3, 1, 1, 1);
  TP_CHECK_F32(fy[0], 3.5f);
  TP_CHECK_F32(fy[1], 2.0f);
  TP_CHECK_F32(fy[2], 0.0f);
  /* 0.1 + 0.2 rounds to 0.30000000000000004, then + 0.3. */
  tp_cumsum_f64(d, dy, 1, 3, 1, 0, 0);
  TP_CHECK_F64(dy[1], 0.30000000000000004);
  TP_CHECK_F64(dy[2], 0.6000000000000001);
  tp_cumsum_i32(i32, iy, 1, 3, 1, 0, 0);
  TP_CHECK_INT(iy[0], INT32_MAX);
  TP_CHECK_INT(iy[1], INT32_MIN);
  TP_CHECK_INT(iy[2], INT32_MIN - 5LL + 4294967296LL);
  tp_cumsum_u32(u32, uy, 1, 3, 1, 1, 1);
  TP_CHECK_INT(uy[0], 5);
  TP_CHECK_INT(uy[1], 3);
  TP_CHECK_INT(uy[2], 0);
  tp_cumsum_i64(i64, ly, 1, 3, 1, 0, 0);
  TP_CHECK_INT(ly[1], INT64_MIN);
  TP_CHECK_INT(ly[2], 0);
  tp_cumsum_u64(u64, vy, 1, 3, 1, 0, 0);
  TP_CHECK(vy[0] == UINT64_MAX);
  TP_CHECK_INT(vy[1], 0);
  TP_CHECK_INT(vy[2], 1);
}

int main(void) {
  int32_t i;
  uint32_t r = 88172645u;
  for (i = 0; i < MAXN; ++i) {
    r ^= r << 13;
    r ^= r >> 17;
    r ^= r << 5;
    x[i] = (float)(int32_t)(r % 20001u - 10000u) / 997.0f;
  }
  check(4, 30, 1);
  check(2, 5, 12);
  check(1, 1, 7);
  check(3, 4, 10);
  check_by_hand();
  return tp_finish("cumsum");
}
