/* The 3-D convolution (kernels/conv3d.c) against a reference that tests
 * the bounds of every tap (the kernel clips each window once): pads at
 * both ends, strides, dilations, groups, no bias, two images, windows
 * partly outside the input on every side; f32 and f64; the fused
 * activations as instances: Relu (declared), HardSwish (made on demand)
 * and a LeakyRelu through a one-line wrapper holding its alpha, as model.c
 * writes one per node.
 * KERNELS: tp_conv3d_f32 tp_conv3d_f64 tp_conv3d_relu_f32 tp_conv3d_relu_f64
 *          tp_leakyrelu_f32
 *          tp_conv3d_hardswish_f32=tp_conv3d_f32:tp_conv3d_identity_f32=tp_hardswish_f32
 *          tp_conv3d_leaky_f32=tp_conv3d_f32:tp_conv3d_identity_f32=leaky_act */
#include <math.h>
static inline float leaky_act(float v);
#include "kernels.h"
#include "tp_check.h"

/* The per-node wrapper: the activation with the node's parameters. */
static inline float leaky_act(float v) {
  return tp_leakyrelu_f32(v, 0x1.99999ap-4f);
}

struct conv {
  int32_t n, c, m, g, bias, in[3], k[3], s[3], dl[3], pb[3], pe[3];
};

#define MAXX 1200
#define MAXW 600
#define MAXY 1200

/* The kernel's geometry: input extents, output extents (the end pads
 * only make them), kernel, strides, dilations, begin pads. */
static int32_t geometry(const struct conv *p, int32_t *geo) {
  int32_t d, outs = p->n * p->m;
  for (d = 0; d < 3; ++d) {
    geo[d] = p->in[d];
    geo[3 + d] = (p->in[d] + p->pb[d] + p->pe[d] - ((p->k[d] - 1) * p->dl[d] + 1)) / p->s[d] + 1;
    geo[6 + d] = p->k[d];
    geo[9 + d] = p->s[d];
    geo[12 + d] = p->dl[d];
    geo[15 + d] = p->pb[d];
    outs *= geo[3 + d];
  }
  return outs;
}

/* Each output: the bias, then fma over the group's channels and the taps
 * inside the input, in the order channel, depth, row, column. */
#define CONV_REF(NAME, T, FMA)                                                 \
  static void NAME(const T *x, const T *w, const T *b, T *y, const struct conv *p, \
                   const int32_t *geo) {                                       \
    const int32_t cg = p->c / p->g, mg = p->m / p->g;                          \
    int32_t n, m, o[3], c, t[3], d, i = 0;                                     \
    for (n = 0; n < p->n; ++n)                                                 \
      for (m = 0; m < p->m; ++m)                                               \
        for (o[0] = 0; o[0] < geo[3]; ++o[0])                                  \
          for (o[1] = 0; o[1] < geo[4]; ++o[1])                                \
            for (o[2] = 0; o[2] < geo[5]; ++o[2]) {                            \
              T acc = b ? b[m] : 0;                                            \
              for (c = 0; c < cg; ++c)                                         \
                for (t[0] = 0; t[0] < p->k[0]; ++t[0])                         \
                  for (t[1] = 0; t[1] < p->k[1]; ++t[1])                       \
                    for (t[2] = 0; t[2] < p->k[2]; ++t[2]) {                   \
                      int32_t at[3], in = 1;                                   \
                      for (d = 0; d < 3; ++d) {                                \
                        at[d] = o[d] * p->s[d] - p->pb[d] + t[d] * p->dl[d];   \
                        in &= at[d] >= 0 && at[d] < p->in[d];                  \
                      }                                                        \
                      if (in)                                                  \
                        acc = FMA(x[(((n * p->c + m / mg * cg + c) * p->in[0] + at[0]) * p->in[1] + \
                                     at[1]) * p->in[2] + at[2]],               \
                                  w[(((m * cg + c) * p->k[0] + t[0]) * p->k[1] + t[1]) * p->k[2] + \
                                    t[2]],                                     \
                                  acc);                                        \
                    }                                                          \
              y[i++] = acc;                                                    \
            }                                                                  \
  }
CONV_REF(conv_ref_f32, float, fmaf)
CONV_REF(conv_ref_f64, double, fma)

static void check(const struct conv *p) {
  static float x[MAXX], w[MAXW], y[MAXY], want[MAXY];
  static double xd[MAXX], wd[MAXW], yd[MAXY], wantd[MAXY];
  int32_t geo[18], outs, nx, nw, i;
  uint32_t r = 5u;
  outs = geometry(p, geo);
  nx = p->n * p->c * p->in[0] * p->in[1] * p->in[2];
  nw = p->m * (p->c / p->g) * p->k[0] * p->k[1] * p->k[2];
  TP_CHECK(outs > 0 && outs <= MAXY && nx <= MAXX && nw + p->m <= MAXW);
  for (i = 0; i < nx; ++i) {
    r = r * 1664525u + 1013904223u;
    x[i] = (float)(int32_t)(r >> 16) / 4096.0f - 8.0f;
    xd[i] = x[i] / 3;
  }
  for (i = 0; i < nw + p->m; ++i) {
    r = r * 1664525u + 1013904223u;
    w[i] = (float)(int32_t)(r >> 16) / 65536.0f - 0.5f;
    wd[i] = w[i] / 7;
  }
  tp_conv3d_f32(x, w, p->bias ? w + nw : 0, y, p->n, p->c, p->m, p->g, geo);
  conv_ref_f32(x, w, p->bias ? w + nw : 0, want, p, geo);
  for (i = 0; i < outs; ++i)
    TP_CHECK_F32(y[i], want[i]);
  tp_conv3d_relu_f32(x, w, p->bias ? w + nw : 0, y, p->n, p->c, p->m, p->g, geo);
  for (i = 0; i < outs; ++i)
    TP_CHECK_F32(y[i], want[i] > 0 ? want[i] : 0.0f);
  tp_conv3d_hardswish_f32(x, w, p->bias ? w + nw : 0, y, p->n, p->c, p->m, p->g, geo);
  for (i = 0; i < outs; ++i)
    TP_CHECK_F32(y[i], tp_hardswish_f32(want[i]));
  tp_conv3d_leaky_f32(x, w, p->bias ? w + nw : 0, y, p->n, p->c, p->m, p->g, geo);
  for (i = 0; i < outs; ++i)
    TP_CHECK_F32(y[i], want[i] < 0 ? 0x1.99999ap-4f * want[i] : want[i]);
  tp_conv3d_f64(xd, wd, p->bias ? wd + nw : 0, yd, p->n, p->c, p->m, p->g, geo);
  conv_ref_f64(xd, wd, p->bias ? wd + nw : 0, wantd, p, geo);
  for (i = 0; i < outs; ++i)
    TP_CHECK_F64(yd[i], wantd[i]);
  tp_conv3d_relu_f64(xd, wd, p->bias ? wd + nw : 0, yd, p->n, p->c, p->m, p->g, geo);
  for (i = 0; i < outs; ++i)
    TP_CHECK_F64(yd[i], wantd[i] > 0 ? wantd[i] : 0.0);
}

/* A 1x1x1 input, one channel, a 3x3x3 kernel with pads 1: only the centre
 * tap lands; then NaN and infinity through the fma chain; -0 and Relu. */
static void check_by_hand(void) {
  static const int32_t geo[18] = {1, 1, 1, 1, 1, 1, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  float w[27], x[1] = {2.0f}, b[1] = {0.5f}, y[1];
  int32_t i;
  for (i = 0; i < 27; ++i)
    w[i] = (float)(i + 1);
  tp_conv3d_f32(x, w, b, y, 1, 1, 1, 1, geo);
  TP_CHECK_F32(y[0], 2.0f * 14.0f + 0.5f); /* w[13], the centre */
  tp_conv3d_f32(x, w, 0, y, 1, 1, 1, 1, geo);
  TP_CHECK_F32(y[0], 28.0f);
  x[0] = NAN;
  tp_conv3d_relu_f32(x, w, b, y, 1, 1, 1, 1, geo);
  TP_CHECK(y[0] != y[0]); /* Relu keeps NaN */
  x[0] = HUGE_VALF;
  b[0] = -HUGE_VALF;
  tp_conv3d_f32(x, w, b, y, 1, 1, 1, 1, geo);
  TP_CHECK(y[0] != y[0]); /* inf * 14 - inf */
  x[0] = -0.0f;
  b[0] = -0.0f;
  tp_conv3d_f32(x, w, b, y, 1, 1, 1, 1, geo);
  TP_CHECK_F32(y[0], -0.0f); /* -0 * 14 + -0 */
  tp_conv3d_relu_f32(x, w, b, y, 1, 1, 1, 1, geo);
  TP_CHECK_F32(y[0], 0.0f); /* Relu makes -0 +0 */
  tp_conv3d_f32(x, w, 0, y, 1, 1, 1, 1, geo);
  TP_CHECK_F32(y[0], 0.0f); /* no bias: the sum starts from +0 */
}

int main(void) {
  /* n, c, m, groups, bias, input, kernel, strides, dilations, pads. */
  static const struct conv convs[] = {
      {1, 1, 1, 1, 1, {3, 3, 3}, {3, 3, 3}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
      {2, 2, 3, 1, 1, {4, 5, 3}, {2, 3, 2}, {1, 2, 1}, {1, 1, 2}, {1, 1, 1}, {0, 1, 1}},
      {1, 4, 2, 2, 0, {5, 4, 6}, {3, 2, 2}, {2, 1, 2}, {2, 1, 1}, {2, 0, 1}, {2, 1, 0}},
      {1, 4, 4, 4, 1, {3, 6, 5}, {1, 3, 3}, {1, 2, 2}, {1, 2, 1}, {0, 2, 1}, {0, 2, 2}},
      {2, 3, 2, 1, 1, {2, 2, 7}, {2, 2, 3}, {1, 1, 3}, {1, 1, 2}, {1, 1, 2}, {1, 1, 2}},
      {1, 2, 6, 2, 1, {4, 4, 4}, {2, 2, 2}, {3, 3, 3}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
  };
  size_t i;
  check_by_hand();
  for (i = 0; i < sizeof convs / sizeof convs[0]; ++i)
    check(&convs[i]);
  return tp_finish("conv3d");
}
