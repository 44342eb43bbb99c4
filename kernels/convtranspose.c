/* convtranspose.c - ConvTranspose (NCDHW; 1-D and 2-D as 3-D with extents
 * of 1), grouped and dilated.
 *
 * Each output element is computed on its own as a sum over the input
 * elements that reach it, rather than by scattering every input into the
 * output: no output buffer is read before it is written, and the order of
 * the additions is fixed (bias, then channel, depth, row, column, tap by
 * tap, one fma each).
 */
#include "tinyplan_kernels.h"

/* @kernel tp_conv_transpose_taps
 * The taps k < K of a kernel of dilation DL along one axis that reach
 * output o from an input of extent I with stride S and begin pad P (i * S +
 * k * DL - P = o, 0 <= i < I): the first tap k0, with its input i0, and the
 * tap count; consecutive ones are L = S / gcd(S, DL) taps apart, their
 * inputs DL * L / S apart, the step in *di. */
TP_KERNEL inline int32_t tp_conv_transpose_taps(int32_t o, int32_t I, int32_t K, int32_t S,
    int32_t DL, int32_t P, int32_t L, int32_t *k0, int32_t *i0, int32_t *di) {
  int32_t k, n = 0;
  *k0 = 0, *i0 = 0, *di = DL * L / S;
  for (k = 0; k < K; ++k) {
    const int32_t t = o + P - k * DL;
    if (t >= 0 && t % S == 0 && t / S < I) {
      /* Later reaching taps: t goes down by DL * L each, i by di. */
      const int32_t i = t / S, left = (K - 1 - k) / L, below = i / *di;
      *k0 = k, *i0 = i;
      n = 1 + (left < below ? left : below);
      break;
    }
  }
  return n;
}

/* @kernel tp_conv_transpose_f32 uses tp_conv_transpose_taps tp_fmaf
 * @instance tp_conv_transpose_f64: float=double tp_fmaf=fma
 * x is N x C x D x H x W, w is C x M/G x KD x KH x KW, b holds M elements
 * or is null, y is N x M x OD x OH x OW. geo: D H W, OD OH OW, KD KH KW,
 * strides, dilations, begin pads (may be negative), then the tap steps L
 * (3 each): input i and tap k reach output i * S + k * DL - P. */
TP_KERNEL void tp_conv_transpose_f32(const float *x, const float *w, const float *b, float *y,
    int32_t N, int32_t C, int32_t M, int32_t G, const int32_t *geo) {
  const int32_t D = geo[0], H = geo[1], W = geo[2], OD = geo[3], OH = geo[4], OW = geo[5];
  const int32_t KD = geo[6], KH = geo[7], KW = geo[8];
  const int32_t CG = C / G, MG = M / G;
  int32_t n, m, od, oh, ow, c, jd, jh, jw;
  for (n = 0; n < N; ++n)
    for (m = 0; m < M; ++m) {
      const int32_t c0 = (m / MG) * CG;
      float *ym = y + (n * M + m) * OD * OH * OW;
      for (od = 0; od < OD; ++od) {
        int32_t kd0, id0, did;
        const int32_t nd =
            tp_conv_transpose_taps(od, D, KD, geo[9], geo[12], geo[15], geo[18], &kd0, &id0, &did);
        for (oh = 0; oh < OH; ++oh) {
          int32_t kh0, ih0, dih;
          const int32_t nh = tp_conv_transpose_taps(oh, H, KH, geo[10], geo[13], geo[16],
                                                    geo[19], &kh0, &ih0, &dih);
          for (ow = 0; ow < OW; ++ow) {
            int32_t kw0, iw0, diw;
            const int32_t nw = tp_conv_transpose_taps(ow, W, KW, geo[11], geo[14], geo[17],
                                                      geo[20], &kw0, &iw0, &diw);
            float acc = b ? b[m] : (float)0;
            for (c = 0; c < CG; ++c) {
              const float *xc = x + (n * C + c0 + c) * D * H * W;
              const float *wc = w + ((c0 + c) * MG + m % MG) * KD * KH * KW;
              for (jd = 0; jd < nd; ++jd)
                for (jh = 0; jh < nh; ++jh) {
                  const int32_t id = id0 - jd * did, ih = ih0 - jh * dih;
                  const int32_t kd = kd0 + jd * geo[18], kh = kh0 + jh * geo[19];
                  const float *xr = xc + (id * H + ih) * W;
                  const float *wr = wc + (kd * KH + kh) * KW;
                  for (jw = 0; jw < nw; ++jw)
                    acc = tp_fmaf(xr[iw0 - jw * diw], wr[kw0 + jw * geo[20]], acc);
                }
            }
            ym[(od * OH + oh) * OW + ow] = acc;
          }
        }
      }
    }
}
