/* conv3d.c - The 3-D convolution (NCDHW), direct, with a fused activation.
 *
 * 1-D and 2-D convolutions are tiles lib/CodeGen writes for each layer's
 * window; 3-D ones are rare enough to share this direct kernel: one
 * accumulator per output element, started from the bias, the window
 * clipped to the input once per output element (so the inner loop tests
 * no bounds), fma per tap in the order channel, depth, row, column. The
 * stored value goes through the activation, an element function: the
 * prototype tp_conv3d_f32 calls tp_conv3d_identity_f32, and an instance
 * replaces it by an activation of activations.c with one float argument
 * (tp_relu_f32, tp_tanh_f32, tp_sigmoid_f32, tp_hardswish_f32), or by a
 * one-line wrapper that model.c defines before it with the node's
 * parameters, e.g. `static inline float act_1(float v) { return
 * tp_leakyrelu_f32(v, 0x1.99999ap-4f); }`.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_conv3d_identity_f32
 * @instance tp_conv3d_identity_f64: float=double
 * No activation. */
TP_KERNEL inline float tp_conv3d_identity_f32(float v) {
  return v;
}

/* @kernel tp_conv3d_f32 uses tp_conv3d_identity_f32 tp_fmaf
 * @instance tp_conv3d_f64: float=double tp_fmaf=fma tp_conv3d_identity_f32=tp_conv3d_identity_f64
 * @instance tp_conv3d_relu_f32: tp_conv3d_identity_f32=tp_relu_f32
 * @instance tp_conv3d_relu_f64: float=double tp_fmaf=fma tp_conv3d_identity_f32=tp_relu_f64
 * x is N x C x D x H x W, w is M x C/G x KD x KH x KW, b holds M elements
 * or is null, y is N x M x OD x OH x OW. geo: D H W, OD OH OW, KD KH KW,
 * strides, dilations, begin pads (3 each); the end pads are implied by
 * the output extents. */
TP_KERNEL void tp_conv3d_f32(const float *x, const float *w, const float *b, float *y,
    int32_t N, int32_t C, int32_t M, int32_t G, const int32_t *geo) {
  const int32_t D = geo[0], H = geo[1], W = geo[2], OD = geo[3], OH = geo[4], OW = geo[5];
  const int32_t KD = geo[6], KH = geo[7], KW = geo[8], SD = geo[9], SH = geo[10], SW = geo[11];
  const int32_t DD = geo[12], DH = geo[13], DW = geo[14], PF = geo[15], PT = geo[16], PL = geo[17];
  const int32_t CG = C / G, MG = M / G;
  int32_t n, m, od, oh, ow, c, kd, kh, kw;
  for (n = 0; n < N; ++n)
    for (m = 0; m < M; ++m) {
      const float *xg = x + (n * C + (m / MG) * CG) * D * H * W;
      const float *wm = w + m * CG * KD * KH * KW;
      float *ym = y + (n * M + m) * OD * OH * OW;
      for (od = 0; od < OD; ++od) {
        const int32_t id0 = od * SD - PF;
        const int32_t kd0 = id0 < 0 ? (DD - 1 - id0) / DD : 0;
        const int32_t kd1 = id0 + (KD - 1) * DD < D ? KD : (D - id0 + DD - 1) / DD;
        for (oh = 0; oh < OH; ++oh) {
          const int32_t ih0 = oh * SH - PT;
          const int32_t kh0 = ih0 < 0 ? (DH - 1 - ih0) / DH : 0;
          const int32_t kh1 = ih0 + (KH - 1) * DH < H ? KH : (H - ih0 + DH - 1) / DH;
          for (ow = 0; ow < OW; ++ow) {
            const int32_t iw0 = ow * SW - PL;
            const int32_t kw0 = iw0 < 0 ? (DW - 1 - iw0) / DW : 0;
            const int32_t kw1 = iw0 + (KW - 1) * DW < W ? KW : (W - iw0 + DW - 1) / DW;
            float acc = b ? b[m] : (float)0;
            for (c = 0; c < CG; ++c)
              for (kd = kd0; kd < kd1; ++kd)
                for (kh = kh0; kh < kh1; ++kh) {
                  const float *xr = xg + ((c * D + id0 + kd * DD) * H + ih0 + kh * DH) * W + iw0;
                  const float *wr = wm + ((c * KD + kd) * KH + kh) * KW;
                  for (kw = kw0; kw < kw1; ++kw)
                    acc = tp_fmaf(xr[kw * DW], wr[kw], acc);
                }
            ym[(od * OH + oh) * OW + ow] = tp_conv3d_identity_f32(acc);
          }
        }
      }
    }
}
