/* The Where kernels of kernels/where.c: broadcasts of the condition and of
 * either operand against a reference that indexes each operand through
 * its own shape; the loop without broadcasting; the result overwriting an
 * operand; bit patterns (NaN payloads, -0) chosen unchanged; every storage
 * type.
 * KERNELS: tp_where_f32 tp_where_same_f32 tp_where_f64 tp_where_same_f64
 *          tp_where_i8 tp_where_u8 tp_where_i16 tp_where_u16 tp_where_i32
 *          tp_where_u32 tp_where_i64 tp_where_u64 tp_where_same_i8
 *          tp_where_same_u8 tp_where_same_i16 tp_where_same_u16
 *          tp_where_same_i32 tp_where_same_u32 tp_where_same_i64
 *          tp_where_same_u64 */
#include "kernels.h"
#include "tp_check.h"

/* Result [2, 3, 4]: condition [3, 1], a [2, 1, 4], b [4]; the steps as
 * tinyplan writes them (dims of the result, 0 where an operand broadcasts). */
static void broadcasts(void) {
  static const int32_t dims[] = {2, 3, 4}, cs[] = {0, 1, 0}, as[] = {4, 0, 1},
                       bs[] = {0, 0, 1};
  uint8_t c[3] = {1, 0, 1};
  float a[8], b[4], y[25];
  int32_t i, j, k;
  for (i = 0; i < 8; ++i)
    a[i] = (float)i + 0.5f;
  for (i = 0; i < 4; ++i)
    b[i] = -(float)i - 100.0f;
  y[24] = 42.0f;
  tp_where_f32(c, a, b, y, 24, 3, dims, cs, as, bs);
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 3; ++j)
      for (k = 0; k < 4; ++k)
        TP_CHECK_F32(y[(i * 3 + j) * 4 + k], c[j] ? a[i * 4 + k] : b[k]);
  TP_CHECK_F32(y[24], 42.0f); /* nothing written past the result */
}

/* The same shapes, result written over a (as the planner may place it). */
static void in_place(void) {
  static const int32_t dims[] = {6, 5}, cs[] = {1, 0}, as[] = {5, 1}, bs[] = {0, 0};
  uint8_t c[6] = {0, 1, 1, 0, 0, 1};
  float a[30], want[30], b[1] = {-1.25f};
  int32_t i, j;
  for (i = 0; i < 30; ++i)
    a[i] = (float)i * 0.75f;
  for (i = 0; i < 6; ++i)
    for (j = 0; j < 5; ++j)
      want[i * 5 + j] = c[i] ? a[i * 5 + j] : b[0];
  tp_where_f32(c, a, b, a, 30, 2, dims, cs, as, bs);
  for (i = 0; i < 30; ++i)
    TP_CHECK_F32(a[i], want[i]);
}

/* Without broadcasting; NaN payloads and -0 move bit for bit; y over b. */
static void same(void) {
  uint8_t c[6] = {1, 0, 1, 0, 0, 1};
  float a[6], b[6], want[6];
  int32_t i;
  a[0] = tp_f32_from_bits(0x7fc12345u);
  a[1] = 1.0f;
  a[2] = -0.0f;
  a[3] = 3.0f;
  a[4] = 4.0f;
  a[5] = tp_f32_from_bits(0x00000001u);
  b[0] = 9.0f;
  b[1] = tp_f32_from_bits(0xffc00001u);
  b[2] = 0.0f;
  b[3] = -0.0f;
  b[4] = tp_f32_from_bits(0x80000003u);
  b[5] = 7.0f;
  for (i = 0; i < 6; ++i)
    want[i] = c[i] ? a[i] : b[i];
  tp_where_same_f32(c, a, b, b, 6);
  for (i = 0; i < 6; ++i)
    TP_CHECK_INT(tp_f32_bits(b[i]), tp_f32_bits(want[i]));
}

/* Every storage type: condition [4] against a [3, 4] and a scalar b. */
#define CHECK_TYPE(sfx, T, value, CHECK)                                       \
  do {                                                                         \
    static const int32_t dims[] = {3, 4}, cs[] = {0, 1}, as[] = {4, 1},        \
                         bs[] = {0, 0};                                        \
    uint8_t c[4] = {1, 0, 0, 1};                                               \
    T a[12], b[1], y[12], s[12];                                               \
    int32_t r;                                                                 \
    for (r = 0; r < 12; ++r)                                                   \
      a[r] = (T)(value);                                                       \
    b[0] = a[5];                                                               \
    tp_where_##sfx(c, a, b, y, 12, 2, dims, cs, as, bs);                       \
    for (r = 0; r < 12; ++r)                                                   \
      CHECK(y[r], c[r % 4] ? a[r] : b[0]);                                     \
    for (r = 0; r < 12; ++r)                                                   \
      s[r] = b[0];                                                             \
    tp_where_same_##sfx(c, a, s, s, 4);                                        \
    for (r = 0; r < 4; ++r)                                                    \
      CHECK(s[r], c[r] ? a[r] : b[0]);                                         \
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
  broadcasts();
  in_place();
  same();
  types();
  return tp_finish("where");
}
