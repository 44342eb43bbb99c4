/* softmax.c - Softmax and LogSoftmax along one axis.
 *
 * The caller views the tensor as outer * n * inner elements and normalises
 * each of the outer * inner rows of n elements, inner apart (opset 13's
 * single axis, or before 13 every dim from axis on as n with inner 1).
 * Each row takes three passes: its maximum (the first element, then every
 * larger one: a NaN first element stays the maximum, a later NaN is
 * skipped), the sum of exp(x - max) in order, then the outputs. A NaN
 * anywhere makes the whole row NaN; so does a row of -inf only, or with
 * +inf (inf - inf), as in ONNX Runtime. f32 uses tinyplan's tp_expf and
 * tp_logf (cmath.c), f64 libm's exp and log.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_softmax_f32 uses tp_expf
 * @instance tp_softmax_f64: float=double tp_expf=exp
 * y = exp(x - max) / sum, the exponential computed again for each output:
 * nothing is kept between the passes. */
TP_KERNEL void tp_softmax_f32(const float *x, float *y, int32_t outer, int32_t n, int32_t inner) {
  int32_t o, i, k;
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const float *xr = x + o * n * inner + i;
      float *yr = y + o * n * inner + i;
      float max = xr[0], sum = 0;
      for (k = 1; k < n; ++k)
        if (xr[k * inner] > max)
          max = xr[k * inner];
      for (k = 0; k < n; ++k)
        sum += tp_expf(xr[k * inner] - max);
      for (k = 0; k < n; ++k)
        yr[k * inner] = tp_expf(xr[k * inner] - max) / sum;
    }
}

/* @kernel tp_logsoftmax_f32 uses tp_expf tp_logf
 * @instance tp_logsoftmax_f64: float=double tp_expf=exp tp_logf=log
 * y = (x - max) - log(sum), rounded in that order. */
TP_KERNEL void tp_logsoftmax_f32(const float *x, float *y, int32_t outer, int32_t n,
    int32_t inner) {
  int32_t o, i, k;
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const float *xr = x + o * n * inner + i;
      float *yr = y + o * n * inner + i;
      float max = xr[0], sum = 0;
      for (k = 1; k < n; ++k)
        if (xr[k * inner] > max)
          max = xr[k * inner];
      for (k = 0; k < n; ++k)
        sum += tp_expf(xr[k * inner] - max);
      for (k = 0; k < n; ++k)
        yr[k * inner] = xr[k * inner] - max - tp_logf(sum);
    }
}
