/* The pads of kernels/pad.c, called as Pad calls them (g built as
 * lib/Ops/Pad.cpp builds it), against a reference that maps each output
 * element to the input one by walking: inside the kept run it is itself,
 * edge clamps to the run, reflect bounces off the run's ends until it
 * lands inside, wrap steps by the run's length until it lands inside.
 * Constant, edge, reflect and wrap modes; negative pads (crops)
 * alone and mixed with padding on the same and other axes; pads wider
 * than the input, several reflections over; runs cropped to nothing;
 * rows entirely in padding; ranks 1 to 5; every storage type.
 * KERNELS: tp_pad_source tp_pad_f32 tp_pad_f64 tp_pad_i8 tp_pad_u8 tp_pad_i16
 *          tp_pad_u16 tp_pad_i32 tp_pad_u32 tp_pad_i64 tp_pad_u64 */
#include "kernels.h"
#include "tp_check.h"

#define MAX 4096

/* One case: an input shape, pads at the beginning and end of each axis. */
struct pad_case {
  int32_t rank, in[8], begin[8], end[8];
};

/* The input index that output index o of one axis reads, or -1 for the
   constant: o - begin inside the kept run [lo, hi) of the input, clamped
   (edge), reflected back and forth (reflect) or shifted by whole runs
   (wrap) outside. */
static int32_t source_ref(int32_t o, int32_t dim, int32_t begin, int32_t end, int32_t mode) {
  const int32_t lo = begin < 0 ? -begin : 0, hi = end < 0 ? dim + end : dim;
  int32_t i = o - begin;
  if (i >= lo && i < hi)
    return i;
  if (mode == 0 || hi <= lo)
    return -1;
  if (mode == 3) {
    while (i < lo || i >= hi)
      i += i < lo ? hi - lo : lo - hi;
    return i;
  }
  if (mode == 1 || hi - lo == 1)
    return i < lo ? lo : hi - 1;
  while (i < lo || i >= hi)
    i = i < lo ? 2 * lo - i : 2 * (hi - 1) - i;
  return i;
}

/* g and the output's element count for c; src[k] the input element (flat)
   that output element k reads, or -1. */
static int32_t setup(const struct pad_case *c, int32_t mode, int32_t *g, int32_t *src) {
  int32_t out[8], n = 1, d, k;
  for (d = 0; d < c->rank; ++d) {
    const int32_t first = c->begin[d] < 0 ? -c->begin[d] : 0;
    const int32_t cut = c->end[d] < 0 ? -c->end[d] : 0;
    const int32_t count = c->in[d] - first - cut;
    out[d] = c->in[d] + c->begin[d] + c->end[d];
    g[5 * d] = c->in[d];
    g[5 * d + 1] = out[d];
    g[5 * d + 2] = c->begin[d] + first;
    g[5 * d + 3] = first;
    g[5 * d + 4] = count < 0 ? 0 : count;
    n *= out[d];
  }
  for (k = 0; k < n; ++k) {
    int32_t rest = k, at = 0, stride = 1;
    for (d = c->rank - 1; d >= 0; --d) {
      const int32_t s = source_ref(rest % out[d], c->in[d], c->begin[d], c->end[d], mode);
      rest /= out[d];
      if (s < 0 || at < 0) {
        at = -1;
      } else {
        at += s * stride;
      }
      stride *= c->in[d];
    }
    src[k] = at;
  }
  return n;
}

static float xf[MAX], yf[MAX + 1];
static int32_t src[MAX], g[40];

static void check_f32(const struct pad_case *c, int32_t mode, float value) {
  int32_t n = setup(c, mode, g, src), k;
  for (k = 0; k <= MAX; ++k)
    yf[k] = 1234.5f;
  tp_pad_f32(xf, yf, c->rank, g, mode, value);
  for (k = 0; k < n; ++k)
    TP_CHECK_F32(yf[k], src[k] < 0 ? value : xf[src[k]]);
  TP_CHECK_F32(yf[n], 1234.5f); /* nothing written past the result */
}

static void f32_cases(void) {
  static const struct pad_case plain = {2, {3, 4}, {1, 2}, {2, 1}};
  static const struct pad_case crop_and_pad = {2, {4, 5}, {-1, 2}, {1, -3}};
  static const struct pad_case crop_only = {3, {3, 4, 5}, {-1, 0, -2}, {0, -1, -1}};
  static const struct pad_case wide1 = {1, {3}, {7, 0}, {9, 0}};
  static const struct pad_case wide2 = {1, {4}, {10, 0}, {11, 0}};
  static const struct pad_case single = {2, {1, 3}, {4, 2}, {3, 5}};
  static const struct pad_case reflect2 = {2, {5, 6}, {-1, 4}, {3, -2}};
  static const struct pad_case mixed3 = {3, {2, 3, 4}, {1, -1, 2}, {2, 1, -1}};
  static const struct pad_case outer4 = {4, {2, 2, 3, 3}, {0, 1, 1, 1}, {1, 0, 1, 1}};
  static const struct pad_case rank5 = {5, {2, 1, 3, 2, 3}, {1, 2, -1, 0, 2}, {0, 1, 2, 3, -1}};
  /* Kept runs cropped to nothing (constant mode only): on the last axis,
     from the front past the input's end, from the back past the padding at
     the front (the run would start after the row ends), and on an outer
     axis. */
  static const struct pad_case empty_last = {2, {3, 4}, {1, -4}, {0, 2}};
  static const struct pad_case past_end = {2, {3, 4}, {0, -6}, {0, 4}};
  static const struct pad_case past_row = {2, {3, 4}, {1, 5}, {0, -6}};
  static const struct pad_case empty_outer = {2, {3, 4}, {-3, 1}, {2, 0}};
  const float nan = tp_f32_from_bits(0x7fc00123u);
  int32_t k, mode;
  for (k = 0; k < MAX; ++k)
    xf[k] = (float)k * 0.5f + 1.0f;
  xf[5] = -0.0f;
  for (mode = 0; mode < 4; ++mode) {
    const float value = mode == 0 ? -1.25f : 0.0f; /* the other modes ignore it */
    check_f32(&plain, mode, value);
    check_f32(&crop_and_pad, mode, value);
    check_f32(&crop_only, mode, value);
    check_f32(&wide1, mode, value);
    check_f32(&wide2, mode, value);
    check_f32(&single, mode, value);
    check_f32(&reflect2, mode, value);
    check_f32(&mixed3, mode, value);
    check_f32(&outer4, mode, value);
    check_f32(&rank5, mode, value);
  }
  check_f32(&empty_last, 0, 3.0f);
  check_f32(&past_end, 0, 3.0f);
  check_f32(&past_row, 0, 3.0f);
  check_f32(&empty_outer, 0, 3.0f);
  check_f32(&plain, 0, nan); /* the value's bits, NaN payload included */
  TP_CHECK(tp_f32_bits(yf[0]) == 0x7fc00123u);
  /* By hand: reflect of [1, 1.5, 2] by 4 on each side is
     1 1.5 2 1.5 | 1 1.5 2 | 1.5 1 1.5 2; edge by 2 is 1 1 | ... | 2 2. */
  {
    static const float want[] = {1, 1.5f, 2, 1.5f, 1, 1.5f, 2, 1.5f, 1, 1.5f, 2};
    static const int32_t gr[] = {3, 11, 4, 0, 3}, ge[] = {3, 7, 2, 0, 3};
    float y[11];
    tp_pad_f32(xf, y, 1, gr, 2, 0.0f);
    for (k = 0; k < 11; ++k)
      TP_CHECK_F32(y[k], want[k]);
    tp_pad_f32(xf, y, 1, ge, 1, 0.0f);
    TP_CHECK_F32(y[0], 1.0f);
    TP_CHECK_F32(y[1], 1.0f);
    TP_CHECK_F32(y[4], 2.0f);
    TP_CHECK_F32(y[6], 2.0f);
  }
}

/* tp_pad_source on its own: every relative index of runs of 1 to 4. */
static void source(void) {
  int32_t count, j, mode;
  for (count = 1; count <= 4; ++count)
    for (mode = 0; mode < 4; ++mode)
      for (j = -13; j < 17; ++j)
        TP_CHECK_INT(tp_pad_source(j, count, mode), source_ref(j, count, 0, 0, mode));
  TP_CHECK_INT(tp_pad_source(0, 0, 0), -1);
  TP_CHECK_INT(tp_pad_source(-7, 3, 2), 1); /* period 4: -7 is 1 */
  TP_CHECK_INT(tp_pad_source(5, 3, 2), 1);
}

/* Each other storage type: a 2 x 3 input padded (constant, with a value at
 * the type's edge) and reflected. */
#define CHECK_PAD_TYPE(SUFFIX, T, VALUE, CHECK)                                \
  do {                                                                         \
    static const struct pad_case c = {2, {2, 3}, {1, 2}, {-1, 3}};             \
    T x[6], y[3 * 8 + 1];                                                      \
    int32_t n, k, mode;                                                        \
    for (k = 0; k < 6; ++k)                                                    \
      x[k] = (T)(VALUE);                                                       \
    for (mode = 0; mode < 4; mode += 3) {                                      \
      n = setup(&c, mode, g, src);                                             \
      y[n] = (T)7;                                                             \
      tp_pad_##SUFFIX(x, y, 2, g, mode, x[0]);                                 \
      for (k = 0; k < n; ++k)                                                  \
        CHECK(y[k], src[k] < 0 ? x[0] : x[src[k]]);                            \
      CHECK(y[n], (T)7);                                                       \
    }                                                                          \
  } while (0)

static void types(void) {
  CHECK_PAD_TYPE(f64, double, k == 0 ? -0.0 : 1e300 * (k - 3), TP_CHECK_F64);
  CHECK_PAD_TYPE(i8, int8_t, k == 0 ? -128 : k * 25, TP_CHECK_INT);
  CHECK_PAD_TYPE(u8, uint8_t, 255 - k * 40, TP_CHECK_INT);
  CHECK_PAD_TYPE(i16, int16_t, k == 0 ? -32768 : k * 6000, TP_CHECK_INT);
  CHECK_PAD_TYPE(u16, uint16_t, k == 0 ? 0x7e01 : 0x3c00 + k, TP_CHECK_INT); /* f16 patterns */
  CHECK_PAD_TYPE(i32, int32_t, k == 0 ? INT32_MIN : k * 400000000, TP_CHECK_INT);
  CHECK_PAD_TYPE(u32, uint32_t, 4294967295u - (uint32_t)k * 800000000u, TP_CHECK_INT);
  CHECK_PAD_TYPE(i64, int64_t, k == 0 ? INT64_MIN : (int64_t)k * 1800000000000000000, TP_CHECK_INT);
  CHECK_PAD_TYPE(u64, uint64_t, UINT64_MAX - (uint64_t)k * 3600000000000000000u, TP_CHECK_INT);
}

int main(void) {
  source();
  f32_cases();
  types();
  return tp_finish("pad");
}
