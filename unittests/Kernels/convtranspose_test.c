/* ConvTranspose (kernels/convtranspose.c) against two references: one that
 * tries every tap of every output and tests it (the kernel steps from the
 * first reaching tap by S / gcd(S, DL)), adding in the kernel's order, so
 * the bits must be equal; and the definition itself, every input scattered
 * into the output in double, which the float result must match within the
 * rounding of its sums. Strides and dilations with common factors (2 and
 * 4, 3 and 6) and without, negative begin pads (an output_shape past the
 * full output), groups, two images, no bias; 1-D, 2-D, 3-D; f32 and f64.
 * KERNELS: tp_conv_transpose_f32 tp_conv_transpose_f64 */
#include <math.h>
#include "kernels.h"
#include "tp_check.h"

struct convt {
  int32_t n, c, m, g, bias, in[3], k[3], s[3], dl[3], pb[3], out[3];
};

#define MAXX 600
#define MAXW 600
#define MAXY 2400

static int32_t gcd(int32_t a, int32_t b) {
  while (b) {
    const int32_t t = a % b;
    a = b, b = t;
  }
  return a;
}

/* The kernel's geometry table; the output element count. */
static int32_t geometry(const struct convt *p, int32_t *geo) {
  int32_t d, outs = p->n * p->m;
  for (d = 0; d < 3; ++d) {
    geo[d] = p->in[d];
    geo[3 + d] = p->out[d];
    geo[6 + d] = p->k[d];
    geo[9 + d] = p->s[d];
    geo[12 + d] = p->dl[d];
    geo[15 + d] = p->pb[d];
    geo[18 + d] = p->s[d] / gcd(p->s[d], p->dl[d]);
    outs *= p->out[d];
  }
  return outs;
}

/* Every tap tested, in the order channel, depth, row, column tap. */
#define TRY_REF(NAME, T, FMA)                                                   \
  static void NAME(const T *x, const T *w, const T *b, T *y, const struct convt *p) { \
    const int32_t CG = p->c / p->g, MG = p->m / p->g;                           \
    int32_t n, m, o[3], c, k[3], d, i[3];                                       \
    for (n = 0; n < p->n; ++n)                                                  \
      for (m = 0; m < p->m; ++m)                                                \
        for (o[0] = 0; o[0] < p->out[0]; ++o[0])                                \
          for (o[1] = 0; o[1] < p->out[1]; ++o[1])                              \
            for (o[2] = 0; o[2] < p->out[2]; ++o[2]) {                          \
              T acc = p->bias ? b[m] : (T)0;                                    \
              for (c = m / MG * CG; c < (m / MG + 1) * CG; ++c)                 \
                for (k[0] = 0; k[0] < p->k[0]; ++k[0])                          \
                  for (k[1] = 0; k[1] < p->k[1]; ++k[1])                        \
                    for (k[2] = 0; k[2] < p->k[2]; ++k[2]) {                    \
                      int ok = 1;                                               \
                      for (d = 0; d < 3; ++d) {                                 \
                        const int32_t t = o[d] + p->pb[d] - k[d] * p->dl[d];    \
                        ok = ok && t >= 0 && t % p->s[d] == 0 && t / p->s[d] < p->in[d]; \
                        i[d] = ok ? t / p->s[d] : 0;                            \
                      }                                                         \
                      if (ok)                                                   \
                        acc = FMA(x[(((n * p->c + c) * p->in[0] + i[0]) * p->in[1] + i[1]) * \
                                      p->in[2] + i[2]],                         \
                                  w[(((c * MG + m % MG) * p->k[0] + k[0]) * p->k[1] + k[1]) * \
                                        p->k[2] + k[2]],                        \
                                  acc);                                         \
                    }                                                           \
              y[(((n * p->m + m) * p->out[0] + o[0]) * p->out[1] + o[1]) * p->out[2] + o[2]] = \
                  acc;                                                          \
            }                                                                   \
  }
TRY_REF(try_ref_f32, float, tp_fmaf)
TRY_REF(try_ref_f64, double, fma)

/* The definition: every input times every tap of its group's kernels,
 * added in double into the output element it reaches (those outside it
 * dropped); bound[] gets the sum of the products' magnitudes. */
static void scatter_ref(const float *x, const float *w, const float *b, double *y,
                        double *bound, const struct convt *p) {
  const int32_t CG = p->c / p->g, MG = p->m / p->g;
  const int32_t outs = p->n * p->m * p->out[0] * p->out[1] * p->out[2];
  int32_t n, c, i[3], mm, k[3], d, e;
  for (e = 0; e < outs; ++e) {
    const int32_t m = e / (p->out[0] * p->out[1] * p->out[2]) % p->m;
    y[e] = p->bias ? b[m] : 0;
    bound[e] = fabs(y[e]);
  }
  for (n = 0; n < p->n; ++n)
    for (c = 0; c < p->c; ++c)
      for (i[0] = 0; i[0] < p->in[0]; ++i[0])
        for (i[1] = 0; i[1] < p->in[1]; ++i[1])
          for (i[2] = 0; i[2] < p->in[2]; ++i[2])
            for (mm = 0; mm < MG; ++mm)
              for (k[0] = 0; k[0] < p->k[0]; ++k[0])
                for (k[1] = 0; k[1] < p->k[1]; ++k[1])
                  for (k[2] = 0; k[2] < p->k[2]; ++k[2]) {
                    int32_t o[3], inside = 1;
                    double v;
                    for (d = 0; d < 3; ++d) {
                      o[d] = i[d] * p->s[d] + k[d] * p->dl[d] - p->pb[d];
                      inside = inside && o[d] >= 0 && o[d] < p->out[d];
                    }
                    if (!inside)
                      continue;
                    v = (double)x[(((n * p->c + c) * p->in[0] + i[0]) * p->in[1] + i[1]) *
                                      p->in[2] + i[2]] *
                        w[(((c * MG + mm) * p->k[0] + k[0]) * p->k[1] + k[1]) * p->k[2] + k[2]];
                    e = (((n * p->m + c / CG * MG + mm) * p->out[0] + o[0]) * p->out[1] + o[1]) *
                            p->out[2] + o[2];
                    y[e] += v;
                    bound[e] += fabs(v);
                  }
}

static float xs[MAXX], ws[MAXW], bs[16], ys[MAXY], yr[MAXY];
static double xd[MAXX], wd[MAXW], bd[16], yd[MAXY], ydr[MAXY], ysc[MAXY], bound[MAXY];

static void run(const struct convt *p) {
  int32_t geo[21], i;
  const int32_t outs = geometry(p, geo);
  const int32_t nx = p->n * p->c * p->in[0] * p->in[1] * p->in[2];
  const int32_t nw = p->c * (p->m / p->g) * p->k[0] * p->k[1] * p->k[2];
  TP_CHECK(nx <= MAXX && nw <= MAXW && outs <= MAXY && p->m <= 16);
  for (i = 0; i < nx; ++i)
    xs[i] = (float)((i * 37 + 11) % 23 - 11) * 0.3125f, xd[i] = xs[i] * 1.0009765625;
  for (i = 0; i < nw; ++i)
    ws[i] = (float)((i * 29 + 5) % 19 - 9) * 0.0703125f, wd[i] = ws[i] * 0.9990234375;
  for (i = 0; i < p->m; ++i)
    bs[i] = (float)(i * 7 % 5) - 2.25f, bd[i] = bs[i];
  for (i = 0; i < outs; ++i)
    ys[i] = yr[i] = -12345.0f, yd[i] = ydr[i] = -12345.0;
  tp_conv_transpose_f32(xs, ws, p->bias ? bs : 0, ys, p->n, p->c, p->m, p->g, geo);
  try_ref_f32(xs, ws, bs, yr, p);
  tp_conv_transpose_f64(xd, wd, p->bias ? bd : 0, yd, p->n, p->c, p->m, p->g, geo);
  try_ref_f64(xd, wd, bd, ydr, p);
  scatter_ref(xs, ws, bs, ysc, bound, p);
  for (i = 0; i < outs; ++i) {
    TP_CHECK_F32(ys[i], yr[i]);
    TP_CHECK_F64(yd[i], ydr[i]);
    /* Each fma rounds once: at most one float ulp of the running sum's
       magnitude per product. */
    TP_CHECK(fabs((double)ys[i] - ysc[i]) <= bound[i] * 0x1p-23 * (p->c * nw + 1));
  }
}

int main(void) {
  static const struct convt cases[] = {
      /* n c m g bias   in         k          s          dl         pb        out */
      {1, 1, 2, 1, 0, {1, 3, 3}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {1, 5, 5}},
      {1, 1, 2, 1, 1, {1, 3, 3}, {1, 3, 3}, {1, 3, 2}, {1, 1, 1}, {0, 1, 2}, {1, 7, 3}},
      {2, 2, 3, 1, 1, {1, 1, 5}, {1, 1, 3}, {1, 1, 2}, {1, 1, 1}, {0, 0, 0}, {1, 1, 11}},
      {1, 1, 1, 1, 1, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {1, 2, 2}, {0, 0, 0}, {1, 5, 5}},
      /* Common factors of stride and dilation. */
      {1, 2, 2, 1, 1, {1, 4, 5}, {1, 3, 4}, {1, 2, 3}, {1, 4, 6}, {0, 1, 2}, {1, 13, 27}},
      {1, 1, 1, 1, 0, {1, 6, 4}, {1, 5, 3}, {1, 2, 3}, {1, 2, 2}, {0, 0, 1}, {1, 19, 14}},
      /* Negative begin pads: output_shape past the full output. */
      {1, 1, 2, 1, 1, {1, 3, 3}, {1, 3, 3}, {1, 3, 2}, {1, 1, 1}, {0, -1, -2}, {1, 12, 10}},
      /* Groups. */
      {2, 4, 6, 2, 1, {1, 3, 2}, {1, 2, 3}, {1, 2, 1}, {1, 1, 2}, {0, 1, 0}, {1, 5, 5}},
      {1, 3, 3, 3, 0, {1, 4, 4}, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 1}, {1, 8, 8}},
      /* 3-D. */
      {1, 2, 2, 1, 1, {2, 3, 2}, {2, 2, 3}, {2, 1, 2}, {1, 2, 1}, {0, 0, 1}, {4, 5, 4}},
      {1, 1, 2, 1, 1, {3, 2, 2}, {3, 2, 2}, {3, 2, 1}, {2, 1, 3}, {1, 0, 1}, {10, 4, 4}},
  };
  size_t i;
  for (i = 0; i < sizeof cases / sizeof cases[0]; ++i)
    run(&cases[i]);
  return tp_finish("convtranspose_test");
}
