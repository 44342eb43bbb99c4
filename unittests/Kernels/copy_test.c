/* The strided copies of kernels/copy.c: transposes of rank 2 to 4 and 8
 * against a reference that walks the input in order and puts each element
 * where the permutation sends it; slices with steps, an offset and negative
 * steps (reversed axes) against nested loops; dims merged as tinyplan
 * merges them; every storage type; bit patterns (NaN payloads, -0,
 * subnormals) kept exactly.
 * KERNELS: tp_copy_strided_f32 tp_copy_strided_f64 tp_copy_strided_i8
 *          tp_copy_strided_u8 tp_copy_strided_i16 tp_copy_strided_u16
 *          tp_copy_strided_i32 tp_copy_strided_u32 tp_copy_strided_i64
 *          tp_copy_strided_u64 */
#include "kernels.h"
#include "tp_check.h"

#define MAX 4096

static float x[MAX], y[MAX], want[MAX];

/* Transposes x (shape in, rank dims) by perm with tp_copy_strided_f32,
 * as Transpose calls it (the result's dims, the input's strides permuted,
 * no merging), and checks y against the reference. */
static void check_transpose(int32_t rank, const int32_t *in, const int32_t *perm) {
  int32_t out[8], xs[8], instride[8], outstride[8], idx[8];
  int32_t n = 1, d, j;
  for (d = rank - 1; d >= 0; --d) {
    instride[d] = n;
    n *= in[d];
  }
  for (d = 0; d < rank; ++d) {
    out[d] = in[perm[d]];
    xs[d] = instride[perm[d]];
  }
  for (d = rank - 1, j = 1; d >= 0; --d) {
    outstride[d] = j;
    j *= out[d];
  }
  for (j = 0; j < n; ++j)
    x[j] = (float)j * 0.25f - 7.0f;
  /* Reference: input element j, at input index idx, goes to the output
     index whose axis d is idx[perm[d]]. */
  for (j = 0; j < n; ++j) {
    int32_t rest = j, at = 0;
    for (d = rank - 1; d >= 0; --d) {
      idx[d] = rest % in[d];
      rest /= in[d];
    }
    for (d = 0; d < rank; ++d)
      at += idx[perm[d]] * outstride[d];
    want[at] = x[j];
  }
  memset(y, 0, sizeof y);
  tp_copy_strided_f32(x, y, rank, out, xs);
  for (j = 0; j < n; ++j)
    TP_CHECK_F32(y[j], want[j]);
  TP_CHECK_F32(y[n], 0.0f); /* nothing written past the result */
}

static void transposes(void) {
  static const int32_t in2[] = {3, 5}, p2[] = {1, 0};
  static const int32_t in3[] = {2, 3, 4}, p3a[] = {2, 0, 1}, p3b[] = {1, 2, 0}, p3c[] = {0, 2, 1};
  static const int32_t in4[] = {2, 3, 4, 5}, p4a[] = {0, 2, 3, 1}, p4b[] = {3, 1, 0, 2},
                       p4c[] = {3, 2, 1, 0};
  static const int32_t in8[] = {2, 3, 2, 2, 3, 2, 2, 2}, p8[] = {7, 0, 5, 2, 6, 1, 4, 3};
  check_transpose(2, in2, p2);
  check_transpose(3, in3, p3a);
  check_transpose(3, in3, p3b);
  check_transpose(3, in3, p3c);
  check_transpose(4, in4, p4a); /* NCHW to NHWC */
  check_transpose(4, in4, p4b);
  check_transpose(4, in4, p4c);
  check_transpose(8, in8, p8);
}

static void slices(void) {
  int32_t i, j, k, n;
  for (i = 0; i < 9 * 11; ++i)
    x[i] = (float)(i * 3 - 100);
  {
    /* x[1:8:3, 2:11:4] of a 9 x 11 input: offset 1 * 11 + 2. */
    static const int32_t dims[] = {3, 3}, xs[] = {3 * 11, 4};
    tp_copy_strided_f32(x + 1 * 11 + 2, y, 2, dims, xs);
    for (n = 0, i = 1; i < 9; i += 3)
      for (j = 2; j < 11; j += 4)
        TP_CHECK_F32(y[n++], x[i * 11 + j]);
    TP_CHECK_INT(n, 9);
  }
  {
    /* x[::-1, ::-1]: both axes reversed, from the last element. */
    static const int32_t dims[] = {9, 11}, xs[] = {-11, -1};
    tp_copy_strided_f32(x + 9 * 11 - 1, y, 2, dims, xs);
    for (n = 0, i = 8; i >= 0; --i)
      for (j = 10; j >= 0; --j)
        TP_CHECK_F32(y[n++], x[i * 11 + j]);
  }
  {
    /* x[7:0:-2, 1:10:2]: rows backwards by 2, columns forwards by 2. */
    static const int32_t dims[] = {4, 5}, xs[] = {-2 * 11, 2};
    tp_copy_strided_f32(x + 7 * 11 + 1, y, 2, dims, xs);
    for (n = 0, i = 7; i > 0; i -= 2)
      for (j = 1; j < 10; j += 2)
        TP_CHECK_F32(y[n++], x[i * 11 + j]);
    TP_CHECK_INT(n, 20);
  }
  {
    /* x[:, ::-3] of 9 x 11 with the rows contiguous: the row stride stays. */
    static const int32_t dims[] = {9, 4}, xs[] = {11, -3};
    tp_copy_strided_f32(x + 10, y, 2, dims, xs);
    for (n = 0, i = 0; i < 9; ++i)
      for (j = 10; j >= 0; j -= 3)
        TP_CHECK_F32(y[n++], x[i * 11 + j]);
  }
  {
    /* One merged dim: x[3:12:... ] of a flat input, every 5th backwards. */
    static const int32_t dims[] = {6}, xs[] = {-5};
    tp_copy_strided_f32(x + 90, y, 1, dims, xs);
    for (k = 0; k < 6; ++k)
      TP_CHECK_F32(y[k], x[90 - 5 * k]);
  }
  {
    /* x[1:3, :, 0:4:3] of a 3 x 3 x 11 input, the dims of 1 dropped and
       the middle two merged as tinyplan merges them: rows of 3 * 11
       elements become one dim of 3 with stride 11. */
    static const int32_t dims[] = {2, 3, 2}, xs[] = {33, 11, 3};
    static const int32_t merged[] = {6, 2}, mxs[] = {11, 3};
    float z[12];
    tp_copy_strided_f32(x + 33, y, 3, dims, xs);
    tp_copy_strided_f32(x + 33, z, 2, merged, mxs);
    for (n = 0, i = 1; i < 3; ++i)
      for (j = 0; j < 3; ++j)
        for (k = 0; k < 4; k += 3) {
          TP_CHECK_F32(y[n], x[i * 33 + j * 11 + k]);
          TP_CHECK_F32(z[n], y[n]);
          ++n;
        }
  }
}

/* Float bit patterns move unchanged: signalling and quiet NaNs with their
 * payloads, -0, infinities, subnormals. */
static void bit_patterns(void) {
  static const uint32_t f32[] = {0x7f800001u, 0x7fc12345u, 0xffc00000u, 0x80000000u,
                                 0xff800000u, 0x00000001u, 0x807fffffu, 0x3f800000u};
  static const uint64_t f64[] = {0x7ff0000000000001u, 0xfff8000000012345u, 0x8000000000000000u,
                                 0x0000000000000001u};
  static const int32_t dims[] = {8}, back[] = {-1}, dims2[] = {2, 2}, xs2[] = {1, 2};
  double dx[4], dy[4];
  int32_t i;
  for (i = 0; i < 8; ++i)
    x[i] = tp_f32_from_bits(f32[i]);
  tp_copy_strided_f32(x + 7, y, 1, dims, back);
  for (i = 0; i < 8; ++i)
    TP_CHECK(tp_f32_bits(y[i]) == f32[7 - i]);
  for (i = 0; i < 4; ++i)
    memcpy(&dx[i], &f64[i], 8);
  tp_copy_strided_f64(dx, dy, 2, dims2, xs2);
  TP_CHECK(tp_f64_bits(dy[0]) == f64[0]);
  TP_CHECK(tp_f64_bits(dy[1]) == f64[2]);
  TP_CHECK(tp_f64_bits(dy[2]) == f64[1]);
  TP_CHECK(tp_f64_bits(dy[3]) == f64[3]);
}

/* A 3 x 4 transpose in every other storage type, with values that use the
 * type's whole width. */
#define CHECK_TYPE(SUFFIX, T, VALUE, CHECK)                                    \
  do {                                                                         \
    static const int32_t dims[] = {4, 3}, xs[] = {1, 4};                       \
    T tx[12], ty[13];                                                          \
    int32_t r, c;                                                              \
    for (r = 0; r < 12; ++r)                                                   \
      tx[r] = (T)(VALUE);                                                      \
    ty[12] = (T)0;                                                             \
    tp_copy_strided_##SUFFIX(tx, ty, 2, dims, xs);                             \
    for (r = 0; r < 3; ++r)                                                    \
      for (c = 0; c < 4; ++c)                                                  \
        CHECK(ty[c * 3 + r], tx[r * 4 + c]);                                   \
    CHECK(ty[12], (T)0);                                                       \
  } while (0)

static void types(void) {
  CHECK_TYPE(f64, double, (r - 6) * 1e300 + r * 0.1, TP_CHECK_F64);
  CHECK_TYPE(i8, int8_t, r * 23 - 128, TP_CHECK_INT);
  CHECK_TYPE(u8, uint8_t, 255 - r * 21, TP_CHECK_INT);
  CHECK_TYPE(i16, int16_t, r * 5957 - 32768, TP_CHECK_INT);
  CHECK_TYPE(u16, uint16_t, 65535 - r * 5957, TP_CHECK_INT);
  CHECK_TYPE(i32, int32_t, (int64_t)r * 390451572 - 2147483647 - 1, TP_CHECK_INT);
  CHECK_TYPE(u32, uint32_t, 4294967295u - (uint32_t)r * 390451572u, TP_CHECK_INT);
  CHECK_TYPE(i64, int64_t, (int64_t)r * 768614336404564650 - INT64_MAX - 1 + r, TP_CHECK_INT);
  CHECK_TYPE(u64, uint64_t, UINT64_MAX - (uint64_t)r * 1676976733973595601u, TP_CHECK_INT);
}

int main(void) {
  transposes();
  slices();
  bit_patterns();
  types();
  return tp_finish("copy");
}
