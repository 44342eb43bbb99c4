/* pointwise.c - The 1 x 1 convolution (stride 1, no padding) of one
 * channels-first image, pixels outermost, with a fused activation.
 *
 * Four pixels at a time: their C input channels are first copied into the
 * scratch, then every output channel of those pixels is computed from the
 * copy, 4 channels x 4 pixels per pass, each sum from the bias and one fma
 * per input channel in order (the arithmetic of lib/CodeGen's generated
 * tiles, so the bits are theirs). Because a block's inputs are all read
 * before any of its outputs is written, the result may start exactly where
 * the input starts: output (m, p) then sits on input (m, p), already read
 * (docs/planning.md, "Overlaps"). The stored value goes through the
 * activation as in conv3d.c: tp_pointwise_identity_f32, or an instance's.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_pointwise_identity_f32
 * No activation. */
TP_KERNEL inline float tp_pointwise_identity_f32(float v) {
  return v;
}

/* @kernel tp_pointwise_f32 uses tp_pointwise_identity_f32 tp_fmaf
 * x is C x P, w is M x C, b holds M elements or is null, y is M x P;
 * t is scratch for 4 C floats. */
TP_KERNEL void tp_pointwise_f32(const float *x, const float *w, const float *b, float *y,
    int32_t C, int32_t M, int32_t P, float *t) {
  const int32_t M4 = M / 4 * 4;
  int32_t p, m, c, j;
  for (p = 0; p < P; p += 4) {
    const int32_t n = P - p < 4 ? P - p : 4;
    if (n == 4) {
      const float *xc = x + p;
      float *tc = t;
      for (c = 0; c < C; ++c, xc += P, tc += 4) {
        const float x0 = xc[0], x1 = xc[1], x2 = xc[2], x3 = xc[3];
        tc[0] = x0;
        tc[1] = x1;
        tc[2] = x2;
        tc[3] = x3;
      }
    } else {
      /* A short last block repeats its last pixel; only n are stored. */
      for (c = 0; c < C; ++c)
        for (j = 0; j < 4; ++j)
          t[c * 4 + j] = x[c * P + p + (j < n ? j : n - 1)];
    }
    for (m = 0; m < M4; m += 4) {
      const float *w0 = w + m * C, *w1 = w0 + C, *w2 = w1 + C, *w3 = w2 + C;
      const float *tc = t;
      const float b0 = b ? b[m] : (float)0, b1 = b ? b[m + 1] : (float)0;
      const float b2 = b ? b[m + 2] : (float)0, b3 = b ? b[m + 3] : (float)0;
      float a00 = b0, a01 = b0, a02 = b0, a03 = b0, a10 = b1, a11 = b1, a12 = b1, a13 = b1;
      float a20 = b2, a21 = b2, a22 = b2, a23 = b2, a30 = b3, a31 = b3, a32 = b3, a33 = b3;
      float *y0 = y + m * P + p, *y1 = y0 + P, *y2 = y1 + P, *y3 = y2 + P;
      for (c = 0; c < C; ++c, tc += 4) {
        const float x0 = tc[0], x1 = tc[1], x2 = tc[2], x3 = tc[3];
        const float v0 = w0[c], v1 = w1[c], v2 = w2[c], v3 = w3[c];
        a00 = tp_fmaf(x0, v0, a00);
        a01 = tp_fmaf(x1, v0, a01);
        a02 = tp_fmaf(x2, v0, a02);
        a03 = tp_fmaf(x3, v0, a03);
        a10 = tp_fmaf(x0, v1, a10);
        a11 = tp_fmaf(x1, v1, a11);
        a12 = tp_fmaf(x2, v1, a12);
        a13 = tp_fmaf(x3, v1, a13);
        a20 = tp_fmaf(x0, v2, a20);
        a21 = tp_fmaf(x1, v2, a21);
        a22 = tp_fmaf(x2, v2, a22);
        a23 = tp_fmaf(x3, v2, a23);
        a30 = tp_fmaf(x0, v3, a30);
        a31 = tp_fmaf(x1, v3, a31);
        a32 = tp_fmaf(x2, v3, a32);
        a33 = tp_fmaf(x3, v3, a33);
      }
      if (n == 4) {
        y0[0] = tp_pointwise_identity_f32(a00);
        y0[1] = tp_pointwise_identity_f32(a01);
        y0[2] = tp_pointwise_identity_f32(a02);
        y0[3] = tp_pointwise_identity_f32(a03);
        y1[0] = tp_pointwise_identity_f32(a10);
        y1[1] = tp_pointwise_identity_f32(a11);
        y1[2] = tp_pointwise_identity_f32(a12);
        y1[3] = tp_pointwise_identity_f32(a13);
        y2[0] = tp_pointwise_identity_f32(a20);
        y2[1] = tp_pointwise_identity_f32(a21);
        y2[2] = tp_pointwise_identity_f32(a22);
        y2[3] = tp_pointwise_identity_f32(a23);
        y3[0] = tp_pointwise_identity_f32(a30);
        y3[1] = tp_pointwise_identity_f32(a31);
        y3[2] = tp_pointwise_identity_f32(a32);
        y3[3] = tp_pointwise_identity_f32(a33);
      } else {
        const float r[4][4] = {{a00, a01, a02, a03}, {a10, a11, a12, a13},
                               {a20, a21, a22, a23}, {a30, a31, a32, a33}};
        for (j = 0; j < n; ++j) {
          y0[j] = tp_pointwise_identity_f32(r[0][j]);
          y1[j] = tp_pointwise_identity_f32(r[1][j]);
          y2[j] = tp_pointwise_identity_f32(r[2][j]);
          y3[j] = tp_pointwise_identity_f32(r[3][j]);
        }
      }
    }
    /* The channels left over, one at a time (pointers stepped, not
       multiplied: GCC then sees no index that could overflow). */
    {
      const float *wm = w + M4 * C;
      float *ym = y + M4 * P + p;
      for (m = M4; m < M; ++m, wm += C, ym += P) {
      const float *tc = t;
      const float bm = b ? b[m] : (float)0;
      float a0 = bm, a1 = bm, a2 = bm, a3 = bm;
      for (c = 0; c < C; ++c, tc += 4) {
        const float v = wm[c];
        a0 = tp_fmaf(tc[0], v, a0);
        a1 = tp_fmaf(tc[1], v, a1);
        a2 = tp_fmaf(tc[2], v, a2);
        a3 = tp_fmaf(tc[3], v, a3);
      }
      {
        const float r[4] = {a0, a1, a2, a3};
        for (j = 0; j < n; ++j)
          ym[j] = tp_pointwise_identity_f32(r[j]);
      }
      }
    }
  }
}
