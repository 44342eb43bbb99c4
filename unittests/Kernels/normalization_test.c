/* LayerNormalization, InstanceNormalization and GroupNormalization
 * (kernels/normalization.c)
 * against a reference written out here in the same order: rows of several
 * lengths, with and without bias and statistics outputs, in place (both), a
 * constant row (variance 0: (x - mean) = 0 everywhere), and values known
 * exactly; groups of channels with scale and bias per group or per channel.
 * KERNELS: tp_layernorm_f32 tp_groupnorm_f32 tp_rowstats_f32 */
#include "kernels.h"
#include "tp_check.h"

#define MAXN 240

static float x[MAXN], y[MAXN], scale[MAXN], bias[MAXN];

static void stats(const float *row, int32_t n, float eps, float *m, float *inv) {
  float s = 0, q = 0;
  int32_t k;
  for (k = 0; k < n; ++k)
    s += row[k];
  *m = s / (float)n;
  for (k = 0; k < n; ++k)
    q = tp_fmaf(row[k] - *m, row[k] - *m, q);
  *inv = 1 / sqrtf(q / (float)n + eps);
}

static void check_layer(int32_t rows, int32_t n, int32_t withBias, float eps) {
  static float mean[MAXN], inv[MAXN], copy[MAXN];
  int32_t r, k;
  tp_layernorm_f32(x, scale, withBias ? bias : 0, y, mean, inv, rows, n, eps);
  for (r = 0; r < rows; ++r) {
    float m, v;
    stats(x + r * n, n, eps, &m, &v);
    TP_CHECK_F32(mean[r], m);
    TP_CHECK_F32(inv[r], v);
    for (k = 0; k < n; ++k)
      TP_CHECK_F32(y[r * n + k],
                   tp_fmaf((x[r * n + k] - m) * v, scale[k], withBias ? bias[k] : 0));
  }
  /* In place, without the statistics: the same bits. */
  memcpy(copy, x, sizeof copy);
  tp_layernorm_f32(copy, scale, withBias ? bias : 0, copy, 0, 0, rows, n, eps);
  for (k = 0; k < rows * n; ++k)
    TP_CHECK_F32(copy[k], y[k]);
}

static void check_group(int32_t batch, int32_t groups, int32_t perGroup, int32_t n, float eps,
                        int32_t perChannel) {
  static float copy[MAXN];
  const int32_t size = perGroup * n;
  int32_t b, g, c, k;
  tp_groupnorm_f32(x, scale, bias, y, batch, groups, perGroup, n, eps, perChannel);
  /* In place: the same bits. */
  memcpy(copy, x, sizeof copy);
  tp_groupnorm_f32(copy, scale, bias, copy, batch, groups, perGroup, n, eps, perChannel);
  for (k = 0; k < batch * groups * size; ++k)
    TP_CHECK_F32(copy[k], y[k]);
  for (b = 0; b < batch; ++b)
    for (g = 0; g < groups; ++g) {
      const float *row = x + (b * groups + g) * size;
      float m, v;
      stats(row, size, eps, &m, &v);
      for (c = 0; c < perGroup; ++c) {
        const int32_t s = perChannel ? g * perGroup + c : g;
        for (k = 0; k < n; ++k)
          TP_CHECK_F32(y[(b * groups + g) * size + c * n + k],
                       tp_fmaf((row[c * n + k] - m) * v, scale[s], bias[s]));
      }
    }
}

static void check_by_hand(void) {
  const float row[4] = {1, 2, 3, 6}, ones[4] = {1, 1, 1, 1}, zeros[4] = {0, 0, 0, 0},
              flat[4] = {5, 5, 5, 5};
  float out[4], m[1], v[1];
  /* mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; eps 0.5: 1 / sqrt(4) = 0.5. */
  tp_layernorm_f32(row, ones, zeros, out, m, v, 1, 4, 0.5f);
  TP_CHECK_F32(m[0], 3);
  TP_CHECK_F32(v[0], 0.5f);
  TP_CHECK_F32(out[0], -1);
  TP_CHECK_F32(out[1], -0.5f);
  TP_CHECK_F32(out[2], 0);
  TP_CHECK_F32(out[3], 1.5f);
  /* A constant row: every output is the bias (InstanceNormalization: one
   * channel per group). */
  tp_groupnorm_f32(flat, ones, row, out, 1, 4, 1, 1, 1e-5f, 1);
  for (int32_t k = 0; k < 4; ++k)
    TP_CHECK_F32(out[k], row[k]);
  /* One group of two channels of two elements, {1, 2} and {3, 6}, as the row
   * above; scale 2 and bias 1 for the group (opset 18), or per channel
   * scales {1, 2} and biases {0, 1} (opset 21). */
  const float two[1] = {2}, one[1] = {1}, s21[2] = {1, 2}, b21[2] = {0, 1};
  tp_groupnorm_f32(row, two, one, out, 1, 1, 2, 2, 0.5f, 0);
  TP_CHECK_F32(out[0], -1);
  TP_CHECK_F32(out[1], 0);
  TP_CHECK_F32(out[2], 1);
  TP_CHECK_F32(out[3], 4);
  tp_groupnorm_f32(row, s21, b21, out, 1, 1, 2, 2, 0.5f, 1);
  TP_CHECK_F32(out[0], -1);
  TP_CHECK_F32(out[1], -0.5f);
  TP_CHECK_F32(out[2], 1);
  TP_CHECK_F32(out[3], 4);
}

int main(void) {
  int32_t i;
  uint32_t r = 123456789u;
  for (i = 0; i < MAXN; ++i) {
    r ^= r << 13;
    r ^= r >> 17;
    r ^= r << 5;
    x[i] = (float)(int32_t)(r % 20001u - 10000u) / 997.0f;
    scale[i] = (float)(int32_t)(r % 401u - 200u) / 64.0f;
    bias[i] = (float)(int32_t)(r % 101u - 50u) / 8.0f;
  }
  check_layer(1, 240, 1, 1e-5f);
  check_layer(20, 12, 0, 1e-5f);
  check_layer(3, 5, 1, 0.25f);
  check_group(2, 3, 1, 40, 1e-5f, 1); /* InstanceNormalization */
  check_group(1, 5, 1, 1, 1e-3f, 1);
  check_group(2, 3, 2, 10, 1e-5f, 0);
  check_group(2, 3, 2, 10, 1e-5f, 1);
  check_group(1, 4, 1, 7, 1e-3f, 1);
  check_group(3, 1, 5, 4, 0.5f, 0);
  check_by_hand();
  return tp_finish("normalization");
}
