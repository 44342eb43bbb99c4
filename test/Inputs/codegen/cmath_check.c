/* The f32 elementary functions of a generated model.c (lib/CodeGen/CMath.cpp)
   against glibc's double functions. model.c must define tp_expf, tp_logf,
   tp_tanhf and tp_sigmoidf (test/CodeGen/cmath.test compiles a model with
   Exp, LogSoftmax, Tanh and Sigmoid).

     cmath_check [STEP]   every STEP-th float bit pattern (default 257; 1 is
                          all 2^32, about ten minutes), plus the special
                          cases; prints each function's largest error in ulp
                          of the exact result and exits 1 when one is over
                          its bound or a special case is wrong.

   Built with -DCMATH_HASH_STEP=N, it prints one FNV-1a digest per function
   of the results' bits on every N-th float instead: the same program on the
   host and on a Cortex-M4F must print the same digests. */
#include "model.c"

#include <stdio.h>
#include <stdlib.h>

typedef float (*Fn)(float);

#ifdef CMATH_HASH_STEP

int main(void) {
  static const Fn fns[] = {tp_expf, tp_logf, tp_tanhf, tp_sigmoidf};
  static const char *const names[] = {"tp_expf", "tp_logf", "tp_tanhf", "tp_sigmoidf"};
  int f;
  for (f = 0; f < 4; ++f) {
    uint32_t hash = 2166136261u;
    uint64_t i;
    for (i = 0; i < 0x100000000u; i += CMATH_HASH_STEP) {
      uint32_t bits = (uint32_t)i;
      float x, y;
      memcpy(&x, &bits, 4);
      y = fns[f](x);
      memcpy(&bits, &y, 4);
      hash = (hash ^ bits) * 16777619u;
    }
    printf("%s %08lx\n", names[f], (unsigned long)hash);
  }
  return 0;
}

#else

#include <float.h>

static double sigmoid(double x) {
  double e = exp(x < 0 ? x : -x);
  return (x < 0 ? e : 1.0) / (1.0 + e);
}

/* |y - exact| in units of the last place of the exact result (2^-149 for
   subnormals); 1e9 when y is NaN, infinite or of the other sign where the
   exact result is not. Exact results at or beyond FLT_MAX + ulp/2 round to
   infinity. */
static double ulpError(float y, double exact) {
  const double huge = 0x1.ffffffp+127;
  int e;
  double ulp;
  if (exact != exact)
    return y != y ? 0 : 1e9;
  if (exact >= huge || exact <= -huge)
    return (double)y == (exact > 0 ? HUGE_VAL : -HUGE_VAL) ? 0 : 1e9;
  if (y != y || y == HUGE_VALF || y == -HUGE_VALF)
    return 1e9;
  frexp(exact, &e);
  ulp = ldexp(1.0, e - 24);
  if (ulp < 0x1p-149)
    ulp = 0x1p-149;
  return fabs((double)y - exact) / ulp;
}

struct Check {
  const char *name;
  Fn fn;
  double (*exact)(double);
  double bound;
  double worst;
  float at;
};

enum { kNumChecks = 4 };

static void measure(struct Check *checks, float x) {
  int c;
  for (c = 0; c < kNumChecks; ++c) {
    double err = ulpError(checks[c].fn(x), checks[c].exact((double)x));
    if (err > checks[c].worst) {
      checks[c].worst = err;
      checks[c].at = x;
    }
  }
}

static int failures;

/* Special cases must give exactly \p want (same bits; any NaN for NaN). */
static void expectBits(const char *name, Fn fn, float x, float want) {
  float y = fn(x);
  uint32_t a, b;
  memcpy(&a, &y, 4);
  memcpy(&b, &want, 4);
  if (want != want ? y == y : a != b) {
    printf("FAIL: %s(%a) = %a, want %a\n", name, (double)x, (double)y, (double)want);
    ++failures;
  }
}

int main(int argc, char **argv) {
  struct Check checks[kNumChecks] = {
      {"tp_expf", tp_expf, exp, 1.0, 0, 0},
      {"tp_logf", tp_logf, log, 1.0, 0, 0},
      {"tp_tanhf", tp_tanhf, tanh, 1.5, 0, 0},
      {"tp_sigmoidf", tp_sigmoidf, sigmoid, 1.5, 0, 0},
  };
  const uint64_t step = argc > 1 ? strtoull(argv[1], 0, 0) : 257;
  uint64_t i;
  size_t c;
  if (step == 0)
    return 2;
  /* Where the functions change paths, and the ends of the float range. */
  static const float edges[] = {
      0x1.5d589ep+6f,  0x1.5d58a0p+6f,  -0x1.5d589ep+6f, -0x1.5d58a0p+6f, /* expf: 2^k scaled twice */
      -0x1.5d58a2p+6f, -0x1.9fe366p+6f, 0x1.62e42ep+6f,                   /* subnormal, largest */
      0x1.193ea6p-1f,  0x1.193ea8p-1f,  -0x1.193ea8p-1f,                  /* tanhf: polynomial ends */
      9.0f,            9.5f,            0x1.300002p+3f,  -9.5f,           /* tanhf: +-1 from 9.5 */
      0x1.6a09e4p-1f,  0x1.6a09e6p-1f,  0x1.6a09e6p+0f,  0x1.6a09e8p+0f,  /* logf: m around sqrt 2 */
      0x1p-149f,       0x1.fffffcp-127f, 0x1p-126f,      FLT_MAX,         -FLT_MAX};
  for (i = 0; i < 0x100000000u; i += step) {
    uint32_t bits = (uint32_t)i;
    float x;
    memcpy(&x, &bits, 4);
    measure(checks, x);
  }
  for (c = 0; c < sizeof edges / sizeof edges[0]; ++c)
    measure(checks, edges[c]);

  expectBits("tp_expf", tp_expf, 0.0f, 1.0f);
  expectBits("tp_expf", tp_expf, -0.0f, 1.0f);
  expectBits("tp_expf", tp_expf, HUGE_VALF, HUGE_VALF);
  expectBits("tp_expf", tp_expf, -HUGE_VALF, 0.0f);
  expectBits("tp_expf", tp_expf, NAN, NAN);
  expectBits("tp_expf", tp_expf, 0x1.62e430p+6f, HUGE_VALF);        /* overflows */
  expectBits("tp_expf", tp_expf, -0x1.9fe368p+6f, 0x1p-149f);       /* smallest nonzero */
  expectBits("tp_expf", tp_expf, -0x1.9fe36ap+6f, 0.0f);            /* underflows */
  expectBits("tp_logf", tp_logf, 1.0f, 0.0f);
  expectBits("tp_logf", tp_logf, 0.0f, -HUGE_VALF);
  expectBits("tp_logf", tp_logf, -0.0f, -HUGE_VALF);
  expectBits("tp_logf", tp_logf, -1.0f, NAN);
  expectBits("tp_logf", tp_logf, -HUGE_VALF, NAN);
  expectBits("tp_logf", tp_logf, HUGE_VALF, HUGE_VALF);
  expectBits("tp_logf", tp_logf, NAN, NAN);
  expectBits("tp_tanhf", tp_tanhf, 0.0f, 0.0f);
  expectBits("tp_tanhf", tp_tanhf, -0.0f, -0.0f);
  expectBits("tp_tanhf", tp_tanhf, 0x1p-149f, 0x1p-149f);
  expectBits("tp_tanhf", tp_tanhf, HUGE_VALF, 1.0f);
  expectBits("tp_tanhf", tp_tanhf, -HUGE_VALF, -1.0f);
  expectBits("tp_tanhf", tp_tanhf, NAN, NAN);
  expectBits("tp_sigmoidf", tp_sigmoidf, 0.0f, 0.5f);
  expectBits("tp_sigmoidf", tp_sigmoidf, -0.0f, 0.5f);
  expectBits("tp_sigmoidf", tp_sigmoidf, HUGE_VALF, 1.0f);
  expectBits("tp_sigmoidf", tp_sigmoidf, -HUGE_VALF, 0.0f);
  expectBits("tp_sigmoidf", tp_sigmoidf, NAN, NAN);
  expectBits("tp_sigmoidf", tp_sigmoidf, -0x1.9fe368p+6f, 0x1p-149f); /* e^x, subnormal */

  for (c = 0; c < kNumChecks; ++c) {
    int over = checks[c].worst > checks[c].bound;
    printf("%s%s: max %.3f ulp at %a (bound %.1f)\n", over ? "FAIL: " : "", checks[c].name,
           checks[c].worst, (double)checks[c].at, checks[c].bound);
    failures += over;
  }
  printf("%s\n", failures ? "FAILED" : "all within bounds");
  return failures ? 1 : 0;
}

#endif
