/* Hand-written stand-in for tinyplan's output for lesson9.onnx; see model.h.
   Its exp is its own, not libm's (whose rounding differs between newlib and
   glibc), so that the host and the emulated Cortex-M4F agree bit for bit.
   mcu-harness.test builds it for the M4 with one of these defined (through
   TINYPLAN_MCU_CFLAGS), and the M4 run must fail:
     WRONG_MCU_EXIT   the program ends with status 7 before it prints anything;
     WRONG_MCU_BSS    a second object in .bss besides the arena;
     WRONG_MCU_ULP    the output moves by one ulp: within the reference
                      tolerance, but not bit-identical with the host;
     WRONG_MCU_LIBM   the output is multiplied by libm's expf(0 * input),
                      1: the same bits, but a call of expf. */
#include <stdint.h>
#include <string.h>
#ifdef WRONG_MCU_EXIT
#include <stdlib.h>
#endif
#ifdef WRONG_MCU_LIBM
#include <math.h>
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
#ifdef WRONG_MCU_BSS
static volatile float scratch[4];
#endif

/* e^x = 2^k e^r with |r| <= ln(2)/2: a degree-7 Taylor polynomial for e^r. */
static float expNoLibm(float x) {
  int k = (int)(x * 1.44269504f + (x < 0.0f ? -0.5f : 0.5f));
  float r = x - (float)k * 0.693147181f;
  float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 +
            r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
  for (; k > 0; k--)
    p *= 2.0f;
  for (; k < 0; k++)
    p *= 0.5f;
  return p;
}

int m_run(const float *input0, float *output0) {
  float *h = arena;
  float acc;
  int j;
  for (j = 0; j < 5; j++) {
    acc = input0[0] * w1[0][j];
    acc = acc + input0[1] * w1[1][j];
    h[j] = 1.0f / (1.0f + expNoLibm(-(acc + b1[j])));
  }
#ifdef WRONG_MCU_BSS
  scratch[0] = h[0];
  h[0] = scratch[0];
#endif
  acc = h[0] * w2[0];
  for (j = 1; j < 5; j++)
    acc = acc + h[j] * w2[j];
  output0[0] = 1.0f / (1.0f + expNoLibm(-(acc + b2)));
#ifdef WRONG_MCU_ULP
  {
    uint32_t bits;
    memcpy(&bits, output0, sizeof bits);
    bits += 1;
    memcpy(output0, &bits, sizeof bits);
  }
#endif
#ifdef WRONG_MCU_LIBM
  output0[0] *= expf(0.0f * input0[0]);
#endif
#ifdef WRONG_MCU_EXIT
  exit(7);
#endif
  return 0;
}
