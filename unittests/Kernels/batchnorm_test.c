/* BatchNormalization (kernels/batchnorm.c) against a reference over the
 * flat index, each operation rounded in the tensor's type in ONNX
 * Runtime's order: N = 2 images of 3 channels of 5 elements, in place and
 * not, with NaN, infinities, a zero variance with eps 0 (division by 0),
 * signed zeros; f32 and f64 (sqrt is exact: in the digest).
 * KERNELS: tp_batchnorm_f32 tp_batchnorm_f64 */
#include "kernels.h"
#include "tp_check.h"

#define N 2
#define C 3
#define S 5

static float ref_f32(float x, float scale, float bias, float mean, float var, float eps) {
  const float centred = x - mean, root = sqrtf(var + eps), q = centred / root, p = q * scale;
  return p + bias;
}

static double ref_f64(double x, double scale, double bias, double mean, double var, double eps) {
  const double centred = x - mean, root = sqrt(var + eps), q = centred / root, p = q * scale;
  return p + bias;
}

int main(void) {
  const float scale[C] = {1.5f, -0.25f, 3.0f}, bias[C] = {0.125f, -1.0f, 0.0f};
  const float mean[C] = {0.5f, -2.0f, 0.0f}, var[C] = {4.0f, 0.3f, 0.0f};
  const double scaled[C] = {1.5, -0.25, 3.0}, biasd[C] = {0.125, -1.0, 0.0};
  const double meand[C] = {0.5, -2.0, 0.0}, vard[C] = {4.0, 0.3, 0.0};
  float x[N * C * S], y[N * C * S], z[N * C * S];
  double xd[N * C * S], yd[N * C * S];
  int32_t i;
  for (i = 0; i < N * C * S; ++i) {
    x[i] = (float)((i * 11) % 17 - 8) / 3.0f;
    xd[i] = (double)((i * 11) % 17 - 8) / 3.0;
  }
  x[3] = NAN;
  x[7] = HUGE_VALF;
  x[10] = 1.0f;
  x[11] = -2.0f;
  x[12] = -0.0f;
  x[20] = -HUGE_VALF;
  x[15] = 0.5f; /* image 1, channel 0: x - mean = 0 */
  xd[3] = NAN;
  xd[7] = -HUGE_VAL;
  tp_batchnorm_f32(x, scale, bias, mean, var, y, N, C, S, 1e-5f);
  for (i = 0; i < N * C * S; ++i) {
    const int32_t c = i / S % C;
    TP_CHECK_F32(y[i], ref_f32(x[i], scale[c], bias[c], mean[c], var[c], 1e-5f));
  }
  TP_CHECK_F32(y[15], 0.125f); /* 0 / 2 * 1.5 + 0.125 */
  /* In place, and eps 0: channel 2 divides by sqrt(0) = 0. */
  memcpy(z, x, sizeof z);
  tp_batchnorm_f32(z, scale, bias, mean, var, z, N, C, S, 0.0f);
  for (i = 0; i < N * C * S; ++i) {
    const int32_t c = i / S % C;
    TP_CHECK_F32(z[i], ref_f32(x[i], scale[c], bias[c], mean[c], var[c], 0.0f));
  }
  TP_CHECK(z[12] != z[12]); /* -0 / 0 */
  TP_CHECK_F32(z[10], HUGE_VALF); /* 1 / 0 * 3 */
  TP_CHECK_F32(z[11], -HUGE_VALF);
  tp_batchnorm_f64(xd, scaled, biasd, meand, vard, yd, N, C, S, 1e-5);
  for (i = 0; i < N * C * S; ++i) {
    const int32_t c = i / S % C;
    TP_CHECK_F64(yd[i], ref_f64(xd[i], scaled[c], biasd[c], meand[c], vard[c], 1e-5));
  }
  /* One image, one channel, one element. */
  tp_batchnorm_f32(x + 1, scale, bias, mean, var, y, 1, 1, 1, 0.0f);
  TP_CHECK_F32(y[0], (x[1] - 0.5f) / 2.0f * 1.5f + 0.125f);
  return tp_finish("batchnorm");
}
