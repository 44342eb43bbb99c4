/* tp_concat_copy of kernels/concat.c, called as Concat calls it (once per
 * input, at the input's byte offset in the result), against a reference
 * that reads the result's elements one by one from the input they fall in:
 * axis 1 of three 3-D int16 inputs (2 x a x 3), the last axis of float
 * inputs, axis 0 (one chunk each), and an input the planner placed in
 * place (not copied).
 * KERNELS: tp_concat_copy */
#include "kernels.h"
#include "tp_check.h"

static void middle_axis(void) {
  /* Inputs 2 x 1 x 3, 2 x 2 x 3 and 2 x 4 x 3 of int16: the result is
     2 x 7 x 3. */
  static const int32_t axis[] = {1, 2, 4};
  int16_t in[3][2 * 4 * 3], out[2 * 7 * 3 + 1];
  const int32_t size = 2, inner = 3, total = 7;
  int32_t i, o, a, c, offset = 0;
  for (i = 0; i < 3; ++i)
    for (a = 0; a < 2 * axis[i] * inner; ++a)
      in[i][a] = (int16_t)(1000 * (i + 1) + a - (i == 2 ? 33000 : 0));
  out[2 * 7 * 3] = 12345;
  for (i = 0; i < 3; ++i) {
    const int32_t chunk = axis[i] * inner * size;
    tp_concat_copy((uint8_t *)out + offset, (const uint8_t *)in[i], 2, chunk,
                   total * inner * size);
    offset += chunk;
  }
  /* Result element (o, a, c) comes from the input whose axis range holds a. */
  for (o = 0; o < 2; ++o)
    for (a = 0; a < total; ++a)
      for (c = 0; c < inner; ++c) {
        int32_t which = 0, at = a;
        while (at >= axis[which])
          at -= axis[which++];
        TP_CHECK_INT(out[(o * total + a) * inner + c], in[which][(o * axis[which] + at) * inner + c]);
      }
  TP_CHECK_INT(out[2 * 7 * 3], 12345); /* nothing written past the result */
}

static void last_axis(void) {
  /* Float inputs 3 x 2 and 3 x 1 joined along axis 1; a NaN payload and -0
     move as bytes. */
  float a[6], b[3], y[9];
  int32_t r;
  for (r = 0; r < 6; ++r)
    a[r] = (float)r + 0.5f;
  b[0] = tp_f32_from_bits(0x7fc01234u);
  b[1] = -0.0f;
  b[2] = -HUGE_VALF;
  tp_concat_copy((uint8_t *)y, (const uint8_t *)a, 3, 2 * 4, 3 * 4);
  tp_concat_copy((uint8_t *)y + 2 * 4, (const uint8_t *)b, 3, 1 * 4, 3 * 4);
  for (r = 0; r < 3; ++r) {
    TP_CHECK_F32(y[3 * r], a[2 * r]);
    TP_CHECK_F32(y[3 * r + 1], a[2 * r + 1]);
    TP_CHECK(tp_f32_bits(y[3 * r + 2]) == tp_f32_bits(b[r]));
  }
}

static void first_axis(void) {
  /* Axis 0: one chunk per input (outer 1); the second input already sits
     at its offset in the result (placed there by the planner), so only the
     first and third are copied. */
  int64_t y[7] = {0, 0, 0, -5, INT64_MIN, 0, 0};
  const int64_t a[3] = {INT64_MAX, -1, 2}, c[2] = {7, 8};
  tp_concat_copy((uint8_t *)y, (const uint8_t *)a, 1, 3 * 8, 7 * 8);
  tp_concat_copy((uint8_t *)y + 5 * 8, (const uint8_t *)c, 1, 2 * 8, 7 * 8);
  TP_CHECK_INT(y[0], INT64_MAX);
  TP_CHECK_INT(y[1], -1);
  TP_CHECK_INT(y[2], 2);
  TP_CHECK_INT(y[3], -5);
  TP_CHECK_INT(y[4], INT64_MIN);
  TP_CHECK_INT(y[5], 7);
  TP_CHECK_INT(y[6], 8);
}

int main(void) {
  middle_axis();
  last_axis();
  first_axis();
  return tp_finish("concat");
}
