/* activations.c - The activation functions, one element at a time.
 *
 * The standalone kernels of Relu, LeakyRelu, HardSigmoid, HardSwish, Clip,
 * Tanh, Sigmoid, Elu, Selu, Celu, ThresholdedRelu, Softplus, Softsign and
 * Mish and the Conv / Gemm / MatMul kernels that apply a fused
 * activation as they store each result both call these, so a model gives
 * the same bits whether or not its activations were fused. Each is the ONNX
 * definition evaluated in the tensor's type, one IEEE operation at a time.
 * min and max are comparisons, false for NaN, so NaN stays NaN (as in ONNX
 * Runtime), and a Cortex-M4 has no instruction for fminf / fmaxf anyway.
 * The literals are integers or exact in both types, so the f64 instances
 * are the same C.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_relu_f32
 * @instance tp_relu_f64: float=double
 * max(x, 0): -0 becomes +0 and NaN stays NaN. */
TP_KERNEL inline float tp_relu_f32(float x) {
  return x <= 0 ? 0 : x;
}

/* @kernel tp_leakyrelu_f32
 * @instance tp_leakyrelu_f64: float=double
 * x < 0 ? alpha * x : x. */
TP_KERNEL inline float tp_leakyrelu_f32(float x, float alpha) {
  return x < 0 ? alpha * x : x;
}

/* @kernel tp_clip_f32
 * @instance tp_clip_f64: float=double
 * min(max(x, lo), hi): with lo > hi every result is hi. Clip without a
 * bound passes -HUGE_VAL or HUGE_VAL, which change nothing. */
TP_KERNEL inline float tp_clip_f32(float x, float lo, float hi) {
  const float t = x < lo ? lo : x;
  return t > hi ? hi : t;
}

/* @kernel tp_hardsigmoid_f32
 * @instance tp_hardsigmoid_f64: float=double
 * max(0, min(1, alpha * x + beta)), the product and the sum each rounded
 * (never contracted to an fma). */
TP_KERNEL inline float tp_hardsigmoid_f32(float x, float alpha, float beta) {
  const float t = alpha * x + beta;
  const float u = t > 1 ? 1 : t;
  return u < 0 ? 0 : u;
}

/* @kernel tp_hardswish_f32 uses tp_hardsigmoid_f32
 * @instance tp_hardswish_f64: float=double tp_hardsigmoid_f32=tp_hardsigmoid_f64
 * x * HardSigmoid(x) with alpha = 1/6 and beta = 1/2, 1/6 rounded to the
 * tensor's type. */
TP_KERNEL inline float tp_hardswish_f32(float x) {
  return x * tp_hardsigmoid_f32(x, (float)1 / 6, (float)1 / 2);
}

/* @kernel tp_tanh_f32 uses tp_tanhf
 * @instance tp_tanh_f64: float=double tp_tanhf=tanh
 * tanh: tinyplan's own for f32 (cmath.c), libm's for f64. */
TP_KERNEL inline float tp_tanh_f32(float x) {
  return tp_tanhf(x);
}

/* @kernel tp_sigmoid_f32 uses tp_sigmoidf
 * @instance tp_sigmoid_f64: float=double tp_sigmoidf=tp_sigmoid
 * 1 / (1 + exp(-x)), see cmath.c. */
TP_KERNEL inline float tp_sigmoid_f32(float x) {
  return tp_sigmoidf(x);
}

/* @kernel tp_elu_f32 uses tp_expf
 * @instance tp_elu_f64: float=double tp_expf=exp
 * x < 0 ? alpha * (exp(x) - 1) : x. */
TP_KERNEL inline float tp_elu_f32(float x, float alpha) {
  return x < 0 ? alpha * (tp_expf(x) - 1) : x;
}

/* @kernel tp_selu_f32 uses tp_expf
 * @instance tp_selu_f64: float=double tp_expf=exp
 * x > 0 ? gamma * x : gamma * (alpha * exp(x) - alpha). */
TP_KERNEL inline float tp_selu_f32(float x, float alpha, float gamma) {
  return x > 0 ? gamma * x : gamma * (alpha * tp_expf(x) - alpha);
}

/* @kernel tp_celu_f32 uses tp_expf
 * @instance tp_celu_f64: float=double tp_expf=exp
 * max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), which for alpha > 0
 * is x > 0 ? x : alpha * (exp(x / alpha) - 1). */
TP_KERNEL inline float tp_celu_f32(float x, float alpha) {
  return x > 0 ? x : alpha * (tp_expf(x / alpha) - 1);
}

/* @kernel tp_thresholdedrelu_f32
 * @instance tp_thresholdedrelu_f64: float=double
 * x > alpha ? x : 0; NaN stays NaN. */
TP_KERNEL inline float tp_thresholdedrelu_f32(float x, float alpha) {
  return x <= alpha ? 0 : x;
}

/* @kernel tp_softplus_f32 uses tp_expf tp_logf
 * @instance tp_softplus_f64: float=double tp_expf=exp tp_logf=log
 * log(1 + exp(x)) as max(x, 0) + log1p(t), t = exp(-|x|), which cannot
 * overflow; log1p(t) is log(u) t / (u - 1) with u = 1 + t (u - 1 is
 * exact), or t where u rounds to 1, so tiny results keep their digits. */
TP_KERNEL inline float tp_softplus_f32(float x) {
  const float t = tp_expf(x < 0 ? x : -x), u = 1 + t;
  const float l = u == 1 ? t : tp_logf(u) * (t / (u - 1));
  return x > 0 ? x + l : l;
}

/* @kernel tp_softsign_f32
 * @instance tp_softsign_f64: float=double fabsf=fabs
 * x / (1 + |x|). */
TP_KERNEL inline float tp_softsign_f32(float x) {
  return x / (1 + fabsf(x));
}

/* @kernel tp_mish_f32 uses tp_softplus_f32 tp_tanhf
 * @instance tp_mish_f64: float=double tp_softplus_f32=tp_softplus_f64 tp_tanhf=tanh
 * x * tanh(softplus(x)). */
TP_KERNEL inline float tp_mish_f32(float x) {
  return x * tp_tanhf(tp_softplus_f32(x));
}
