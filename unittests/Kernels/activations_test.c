/* The activations of kernels/activations.c against their ONNX definitions,
 * on every 211th float of [-8, 8] (every 1021st on the emulated Cortex-M4F),
 * and on NaN, infinities and signed zeros. (test/CodeGen checks that the
 * fused and standalone forms give the same bits on every 7th float.)
 * KERNELS: tp_relu_f32 tp_leakyrelu_f32 tp_clip_f32 tp_hardsigmoid_f32
 *          tp_hardswish_f32 tp_relu_f64 tp_clip_f64 tp_hardswish_f64
 *          tp_tanh_f32 tp_sigmoid_f32 tp_tanh_f64 tp_sigmoid_f64
 * M4F-FLAGS: -DSTEP=1021 */
#include "kernels.h"
#include "tp_check.h"

#ifndef STEP
#define STEP 211
#endif

/* ONNX Runtime's min and max (Eigen's): the first operand unless the
 * second compares smaller (larger), so a NaN first operand stays. */
static float min_f32(float a, float b) { return b < a ? b : a; }
static float max_f32(float a, float b) { return a < b ? b : a; }

static float relu_ref(float x) { return x != x ? x : x > 0 ? x : 0.0f; }
static float leaky_ref(float x, float alpha) { return x < 0 ? alpha * x : x; }
static float clip_ref(float x, float lo, float hi) { return min_f32(max_f32(x, lo), hi); }
static float hardsigmoid_ref(float x, float alpha, float beta) {
  const volatile float product = alpha * x; /* rounded before the sum */
  return max_f32(min_f32(product + beta, 1.0f), 0.0f);
}
static float hardswish_ref(float x) { return x * hardsigmoid_ref(x, 1.0f / 6.0f, 0.5f); }

static void check_one(float x) {
  TP_CHECK_F32(tp_relu_f32(x), relu_ref(x));
  TP_CHECK_F32(tp_leakyrelu_f32(x, 0.01f), leaky_ref(x, 0.01f));
  TP_CHECK_F32(tp_clip_f32(x, -1.0f, 6.0f), clip_ref(x, -1.0f, 6.0f));
  TP_CHECK_F32(tp_hardsigmoid_f32(x, 0.2f, 0.5f), hardsigmoid_ref(x, 0.2f, 0.5f));
  TP_CHECK_F32(tp_hardswish_f32(x), hardswish_ref(x));
}

int main(void) {
  const float inf = HUGE_VALF;
  uint32_t u;
  /* Every STEP-th float of [0, 8] and its negative. */
  for (u = 0; u <= 0x41000000u; u += STEP) {
    check_one(tp_f32_from_bits(u));
    check_one(tp_f32_from_bits(u | 0x80000000u));
  }
  /* The edges. */
  check_one(NAN);
  check_one(inf);
  check_one(-inf);
  TP_CHECK(tp_f32_bits(tp_relu_f32(-0.0f)) == 0);           /* -0 becomes +0 */
  TP_CHECK(tp_relu_f32(NAN) != tp_relu_f32(NAN));
  TP_CHECK(tp_hardsigmoid_f32(NAN, 0.2f, 0.5f) != tp_hardsigmoid_f32(NAN, 0.2f, 0.5f));
  TP_CHECK_F32(tp_hardswish_f32(3.0f), 3.0f);
  TP_CHECK_F32(tp_hardswish_f32(-3.0f), -0.0f);
  TP_CHECK_F32(tp_clip_f32(5.0f, 2.0f, 1.0f), 1.0f);        /* lo > hi: hi */
  TP_CHECK_F32(tp_clip_f32(7.0f, -inf, inf), 7.0f);
  TP_CHECK_F32(tp_tanh_f32(0.5f), tp_tanhf(0.5f));
  TP_CHECK_F32(tp_sigmoid_f32(0.5f), tp_sigmoidf(0.5f));
  /* The f64 instances compute in double. */
  TP_CHECK_F64(tp_relu_f64(-2.5), 0.0);
  TP_CHECK_F64(tp_clip_f64(1e300, 0.0, 6.0), 6.0);
  TP_CHECK_F64(tp_hardswish_f64(1.0), 1.0 * (1.0 / 6.0 + 0.5));
  /* libm's tanh rounds differently in glibc and newlib: kept out of the digest. */
  TP_CHECK(tp_tanh_f64(0.5) == tanh(0.5));
  TP_CHECK_F64(tp_sigmoid_f64(0.0), 0.5);
  return tp_finish("activations");
}
