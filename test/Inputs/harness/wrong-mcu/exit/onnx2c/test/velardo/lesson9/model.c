/* The lesson9 stand-in of ../models that, on the Cortex-M4F only, ends the
   program with exit status 7 before it prints anything: the M4 run must fail
   with that status. */
#include <math.h>
#ifdef __arm__
#include <stdlib.h>
#endif

#include "model.h"

/* dense/kernel:0, f32[2,5] */
static const float w1[2][5] = {
    {0x1.f8e64p-1f, 0x1.5b85c4p+1f, -0x1.eafa8p+0f, -0x1.ba62ap-1f, 0x1.23f78ap-2f},
    {0x1.79027ap+0f, 0x1.b056d2p+0f, -0x1.e84bcap+0f, -0x1.ab3f66p+0f, 0x1.427da2p+0f}};
/* dense/bias:0, f32[5] */
static const float b1[5] = {-0x1.86b3cp-2f, -0x1.f4937ap-1f, 0x1.949b0ep-1f,
                            0x1.780b5p-2f, -0x1.263c2cp-3f};
/* dense_1/kernel:0, f32[5,1] */
static const float w2[5] = {0x1.bc2d76p+0f, 0x1.a1454cp+1f, -0x1.95a892p+1f,
                            -0x1.018094p+1f, 0x1.dc0ddap-1f};
/* dense_1/bias:0, f32[1] */
static const float b2 = -0x1.c3b47cp-1f;

static float arena[8];

int m_run(const float *input0, float *output0) {
  float *h = arena;
  float acc;
  int j;
  for (j = 0; j < 5; j++) {
    acc = input0[0] * w1[0][j];
    acc = acc + input0[1] * w1[1][j];
    h[j] = 1.0f / (1.0f + expf(-(acc + b1[j])));
  }
  acc = h[0] * w2[0];
  for (j = 1; j < 5; j++)
    acc = acc + h[j] * w2[j];
  output0[0] = 1.0f / (1.0f + expf(-(acc + b2)));
#ifdef __arm__
  exit(7);
#endif
  return 0;
}
