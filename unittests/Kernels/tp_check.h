/* tp_check.h - The checks of the kernel unit tests.
 *
 * A test includes the kernels it tests (the file tinyplan-kernels writes,
 * kernels.h) and this header, calls kernels, and checks their results with
 * TP_CHECK. Every result a check looks at also goes into a digest, which
 * tp_finish prints: scripts/kerneltests.py runs each test on the host and
 * on an emulated Cortex-M4F and requires the same digest, so the kernels
 * give the same bits on both.
 */
#ifndef TP_CHECK_H
#define TP_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tp_checks_, tp_failures_;
static uint32_t tp_digest_ = 2166136261u;

/* Adds n bytes at p to the digest (FNV-1a). */
static inline void tp_digest(const void *p, size_t n) {
  const unsigned char *b = (const unsigned char *)p;
  size_t i;
  for (i = 0; i < n; ++i)
    tp_digest_ = (tp_digest_ ^ b[i]) * 16777619u;
}

static inline uint32_t tp_f32_bits(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return u;
}

static inline uint64_t tp_f64_bits(double x) {
  uint64_t u;
  memcpy(&u, &x, 8);
  return u;
}

static inline float tp_f32_from_bits(uint32_t u) {
  float x;
  memcpy(&x, &u, 4);
  return x;
}

/* Adds a float result to the digest. The NaN an invalid operation makes
 * (inf * 0) is negative on x86 and positive on Arm, both IEEE 754: every
 * NaN counts as one value here, while the checks still compare bits. */
static inline void tp_digest_f32(float x) {
  const uint32_t u = x != x ? 0x7fc00000u : tp_f32_bits(x);
  tp_digest(&u, 4);
}

static inline void tp_digest_f64(double x) {
  const uint64_t u = x != x ? 0x7ff8000000000000u : tp_f64_bits(x);
  tp_digest(&u, 8);
}

static inline void tp_check_(int ok, const char *what, const char *file, int line) {
  ++tp_checks_;
  if (!ok) {
    ++tp_failures_;
    if (tp_failures_ <= 20)
      printf("%s:%d: check failed: %s\n", file, line, what);
  }
}

#define TP_CHECK(cond) tp_check_((cond) != 0, #cond, __FILE__, __LINE__)

/* Exactly these bits (NaN payloads included), and into the digest. */
#define TP_CHECK_F32(got, want)                                                \
  do {                                                                         \
    const float tp_g_ = (got), tp_w_ = (want);                                 \
    tp_digest_f32(tp_g_);                                                      \
    tp_check_(tp_f32_bits(tp_g_) == tp_f32_bits(tp_w_), #got " == " #want,     \
              __FILE__, __LINE__);                                             \
    if (tp_f32_bits(tp_g_) != tp_f32_bits(tp_w_) && tp_failures_ <= 20)        \
      printf("  got %a (0x%08lx), want %a (0x%08lx)\n", (double)tp_g_,          \
             (unsigned long)tp_f32_bits(tp_g_), (double)tp_w_,                 \
             (unsigned long)tp_f32_bits(tp_w_));                               \
  } while (0)

#define TP_CHECK_F64(got, want)                                                \
  do {                                                                         \
    const double tp_g_ = (got), tp_w_ = (want);                                \
    tp_digest_f64(tp_g_);                                                      \
    tp_check_(tp_f64_bits(tp_g_) == tp_f64_bits(tp_w_), #got " == " #want,     \
              __FILE__, __LINE__);                                             \
    if (tp_f64_bits(tp_g_) != tp_f64_bits(tp_w_) && tp_failures_ <= 20)        \
      printf("  got %a, want %a\n", tp_g_, tp_w_);                             \
  } while (0)

/* Integers of any type up to 64 bits, exactly. */
#define TP_CHECK_INT(got, want)                                                \
  do {                                                                         \
    const int64_t tp_g_ = (int64_t)(got), tp_w_ = (int64_t)(want);             \
    tp_digest(&tp_g_, 8);                                                      \
    tp_check_(tp_g_ == tp_w_, #got " == " #want, __FILE__, __LINE__);          \
    if (tp_g_ != tp_w_ && tp_failures_ <= 20)                                  \
      printf("  got %ld, want %ld\n", (long)tp_g_, (long)tp_w_);               \
  } while (0)

/* Prints the summary line the runner reads; the exit status of main. */
static inline int tp_finish(const char *name) {
  printf("%s: %d checks, %d failed, digest %08lx\n", name, tp_checks_, tp_failures_,
         (unsigned long)tp_digest_);
  return tp_failures_ != 0;
}

#endif
