//===- CMath.cpp - Elementary functions for the generated C ---------------===//
//
// The f32 functions are tinyplan's own (see CMath.h for why). Their largest
// errors over all 2^32 floats, against glibc's double functions: expf 0.89
// ulp, logf 0.84, tanhf 1.08, sigmoidf 1.48 (test/CodeGen/cmath.test measures
// a sample; test/Inputs/codegen/cmath_check.c with step 1 all of them). The
// polynomial coefficients are minimax fits of relative error, rounded to
// float (scripts/cmath_coefficients.py). Every function is short code with
// few branches: a Cortex-M4F runs about half the instructions of newlib's
// (bench/cmath.py: expf 37 against 71).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CMath.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// exp(x) = 2^k exp(r) with k = round(x / ln2) and r = x - k ln2 in
/// [-ln2/2, ln2/2]; k * ln2's high part (15 bits) is exact, so r has one
/// rounding. exp(r) is a degree-6 polynomial (relative error 2^-28). Adding
/// 1.5 * 2^23 rounds x / ln2 to an integer k, which then sits in the low bits
/// of t: shifted into the exponent field it makes 2^k. Results near the
/// overflow threshold or subnormal take 2^k in two steps, so the last
/// multiplication rounds once.
constexpr const char *kExpF32 = R"(static inline float tp_expf(float x) {
  const float t = fmaf(x, 0x1.715476p+0f, 0x1.8p+23f), k = t - 0x1.8p+23f;
  const float r = fmaf(k, -0x1.7f7d1cp-20f, fmaf(k, -0x1.62e4p-1f, x));
  float p = fmaf(fmaf(fmaf(fmaf(fmaf(0x1.6a2434p-10f, r, 0x1.1239e2p-7f), r, 0x1.5558f2p-5f), r,
                           0x1.555492p-3f), r, 0x1.fffffcp-2f), r, 1.0f), s;
  uint32_t bits, ax;
  p = fmaf(p, r, 1.0f);
  memcpy(&bits, &t, 4);
  memcpy(&ax, &x, 4);
  if ((ax & 0x7fffffffu) >= 0x42aeac50u) { /* |x| >= 87.34: 2^k is not a normal float */
    if (x != x)
      return x + x;
    if (x > 0x1.62e42ep+6f)
      return HUGE_VALF;
    if (x < -0x1.9fe368p+6f)
      return 0.0f;
    p *= x > 0.0f ? 0x1p+64f : 0x1p-64f;
    bits += x > 0.0f ? 0xffffffc0u : 64u;
  }
  bits = (bits << 23) + 0x3f800000u;
  memcpy(&s, &bits, 4);
  return p * s;
}
)";

/// log(x) = k ln2 + log(m) with m in [sqrt(1/2), sqrt(2)); f = m - 1 is
/// exact, and log(1 + f) = 2 atanh(s) with s = f / (2 + f): f - (f^2/2 -
/// s (f^2/2 + R(s^2))), R a degree-3 polynomial in s^2 times s^2 (error
/// 2^-30), f added last so that the correction terms stay small.
constexpr const char *kLogF32 = R"(static float tp_logf(float x) {
  float k = 0.0f, m, f, s, z, h, q;
  uint32_t ix;
  memcpy(&ix, &x, 4);
  if (ix - 0x00800000u >= 0x7f000000u) { /* not a positive normal number */
    if (x != x || x == HUGE_VALF)
      return x + x;
    if (x == 0.0f)
      return -HUGE_VALF;
    if (x < 0.0f)
      return NAN;
    x *= 0x1p+23f;
    memcpy(&ix, &x, 4);
    k = -23.0f;
  }
  ix += 0x3f800000u - 0x3f3504f3u;
  k += (float)((int32_t)(ix >> 23) - 127);
  ix = (ix & 0x007fffffu) + 0x3f3504f3u;
  memcpy(&m, &ix, 4);
  f = m - 1.0f;
  s = f / (2.0f + f);
  z = s * s;
  h = 0.5f * f * f;
  q = z * fmaf(fmaf(0x1.31e138p-2f, z, 0x1.995eccp-2f), z, 0x1.55557ap-1f);
  return fmaf(k, 0x1.62e4p-1f, f - (h - fmaf(s, h + q, k * 0x1.7f7d1cp-20f)));
}
)";

/// tanh(x) = x + x (x^2 P(x^2) + 0) below atanh(1/2) (P of degree 4, error
/// 2^-27: no cancellation near 0; the + 0 makes the product +0 at x = 0, so
/// that tanh(-0) is -0), 1 - 2 / (exp(2|x|) + 1) above (with the
/// roundings of the sum and the division corrected through fma), and +-1
/// from 9.5 on, where exp(2|x|) would only grow towards overflow.
constexpr const char *kTanhF32 = R"(static float tp_tanhf(float x) {
  const float a = fabsf(x);
  float z, e, d, dl, q, r;
  if (!(a >= 0x1.193ea8p-1f)) {
    z = x * x;
    return fmaf(x, fmaf(z, fmaf(fmaf(fmaf(fmaf(-0x1.9b8492p-8f, z, 0x1.594b06p-6f), z,
                                          -0x1.b92a1p-5f), z, 0x1.110d3p-3f), z, -0x1.55554ap-2f),
                        0.0f), x);
  }
  if (a > 9.5f) {
    r = 1.0f;
  } else {
    e = tp_expf(a + a);
    d = e + 1.0f;
    dl = 1.0f - (d - e);
    q = 2.0f / d;
    q = fmaf(0.5f * q, fmaf(-q, dl, fmaf(-q, d, 2.0f)), q);
    r = 1.0f - q;
  }
  return x < 0.0f ? -r : r;
}
)";

/// n / (1 + e) with e = exp(-|x|), which cannot overflow, and n = 1, or e
/// for x < 0 (which keeps the tiny results of large negative x); fma
/// corrects the roundings of 1 + e (exact in d + dl) and of the division.
/// $T is the float type, $S the literal suffix, $F the libm suffix.
constexpr const char *kSigmoid = R"(static $T tp_sigmoid$F($T x) {
  const $T e = $EXP(x < 0.0$S ? x : -x), n = x < 0.0$S ? e : 1.0$S, d = 1.0$S + e;
  const $T dl = e - (d - 1.0$S), w = 1.0$S / d, y = n * w;
  return fma$F(w, fma$F(-y, dl, fma$F(-y, d, n)), y);
}
)";

} // namespace

std::string requireCMath(CEmitContext &ctx, CMathFunction fn, DType type) {
  bool isF32 = type != DType::F64;
  switch (fn) {
  case CMathFunction::Exp:
    if (!isF32)
      return "exp";
    ctx.requireKernel("tp_expf", kExpF32);
    return "tp_expf";
  case CMathFunction::Log:
    if (!isF32)
      return "log";
    ctx.requireKernel("tp_logf", kLogF32);
    return "tp_logf";
  case CMathFunction::Tanh:
    if (!isF32)
      return "tanh";
    requireCMath(ctx, CMathFunction::Exp, type);
    ctx.requireKernel("tp_tanhf", kTanhF32);
    return "tp_tanhf";
  case CMathFunction::Sigmoid: {
    std::string exp = requireCMath(ctx, CMathFunction::Exp, type);
    std::string name = isF32 ? "tp_sigmoidf" : "tp_sigmoid";
    ctx.requireKernel(name, absl::StrReplaceAll(kSigmoid, {{"$T", isF32 ? "float" : "double"},
                                                           {"$S", isF32 ? "f" : ""},
                                                           {"$F", isF32 ? "f" : ""},
                                                           {"$EXP", exp}}));
    return name;
  }
  }
  return "";
}

} // namespace tinyplan
