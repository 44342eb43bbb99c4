/* batchnorm.c - BatchNormalization in inference mode.
 *
 * Per channel c of N * C planes of S elements, in ONNX Runtime's order:
 * y = (x - mean) / sqrt(var + eps) * scale + B, each operation rounded in
 * the tensor's type (no fma), the square root once per channel and plane.
 * y may be x (in place). Transforms fold most BatchNormalization nodes
 * into the convolution before them; this kernel is for the others.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_batchnorm_f32
 * @instance tp_batchnorm_f64: float=double sqrtf=sqrt
 * scale, bias, mean and var hold C elements each. */
TP_KERNEL void tp_batchnorm_f32(const float *x, const float *scale, const float *bias,
    const float *mean, const float *var, float *y, int32_t N, int32_t C, int32_t S, float eps) {
  int32_t n, c, i;
  for (n = 0; n < N; ++n)
    for (c = 0; c < C; ++c) {
      const float m = mean[c], d = sqrtf(var[c] + eps), g = scale[c], b = bias[c];
      const float *xc = x + (n * C + c) * S;
      float *yc = y + (n * C + c) * S;
      for (i = 0; i < S; ++i)
        yc[i] = (xc[i] - m) / d * g + b;
    }
}
