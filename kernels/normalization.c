/* normalization.c - LayerNormalization, InstanceNormalization and
 * GroupNormalization.
 *
 * All three normalise rows of n floats: the mean is the sum in order divided by
 * n, the variance the sum in order of the squared differences (each
 * difference rounded, then squared and added in one fused multiply-add)
 * divided by n, as ONNX's reference computes them, and each element
 * becomes (x - mean) * (1 / sqrtf(variance + eps)) * scale + bias, the
 * last multiply-add fused. Each row is read completely before any of it
 * is written: y may be x.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_rowstats_f32 uses tp_fmaf
 * The mean and 1 / sqrt(variance + eps) of x[0], x[1], ... x[n - 1]. */
TP_KERNEL void tp_rowstats_f32(const float *x, int32_t n, float eps, float *mean,
    float *invStd) {
  float sum = 0, sq = 0, m;
  int32_t k;
  for (k = 0; k < n; ++k)
    sum += x[k];
  m = sum / (float)n;
  for (k = 0; k < n; ++k) {
    const float d = x[k] - m;
    sq = tp_fmaf(d, d, sq);
  }
  *mean = m;
  *invStd = 1 / sqrtf(sq / (float)n + eps);
}

/* @kernel tp_layernorm_f32 uses tp_rowstats_f32 tp_fmaf
 * rows rows of n elements; scale and bias (or none: 0) hold n values, one
 * per column; mean and invStd (either may be null) get one per row. */
TP_KERNEL void tp_layernorm_f32(const float *x, const float *scale, const float *bias,
    float *y, float *mean, float *invStd, int32_t rows, int32_t n, float eps) {
  int32_t r, k;
  for (r = 0; r < rows; ++r) {
    const float *xr = x + r * n;
    float *yr = y + r * n;
    float m, inv;
    tp_rowstats_f32(xr, n, eps, &m, &inv);
    for (k = 0; k < n; ++k)
      yr[k] = tp_fmaf((xr[k] - m) * inv, scale[k], bias ? bias[k] : 0);
    if (mean)
      mean[r] = m;
    if (invStd)
      invStd[r] = inv;
  }
}

/* @kernel tp_groupnorm_f32 uses tp_rowstats_f32 tp_fmaf
 * batch x groups rows of channelsPerGroup planes of n elements, each row
 * normalised as one; scale and bias hold one value per group (perChannel
 * 0, GroupNormalization-18) or per channel (1, GroupNormalization-21).
 * InstanceNormalization is the case of one channel per group. */
TP_KERNEL void tp_groupnorm_f32(const float *x, const float *scale, const float *bias,
    float *y, int32_t batch, int32_t groups, int32_t channelsPerGroup, int32_t n, float eps,
    int32_t perChannel) {
  const int32_t size = channelsPerGroup * n;
  int32_t b, g, c, k;
  for (b = 0; b < batch; ++b)
    for (g = 0; g < groups; ++g) {
      const float *xr = x + (b * groups + g) * size;
      float *yr = y + (b * groups + g) * size;
      float m, inv;
      tp_rowstats_f32(xr, size, eps, &m, &inv);
      for (c = 0; c < channelsPerGroup; ++c) {
        const int32_t s = perChannel ? g * channelsPerGroup + c : g;
        for (k = 0; k < n; ++k)
          yr[c * n + k] = tp_fmaf((xr[c * n + k] - m) * inv, scale[s], bias[s]);
      }
    }
}
