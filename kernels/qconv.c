/* qconv.c - QLinearConv with weights laid out at compile time.
 *
 * For a convolution of one group (1-D or 2-D) whose weights and weight zero
 * points are constants, and whose centred weights w - w_zp fit int8 (always
 * so for int8 weights with zero point 0, and uint8 ones with 128), tinyplan
 * stores w - w_zp as int8 in the order this loop reads them: blocks of 4
 * output channels, and inside a block, for each group of 4 taps, the 4
 * channels' 4 values side by side (wt[((mb * G + g) * 4 + j) * 4 + t] =
 * w[4 mb + j][4 g + t] - w_zp, 0 past the last channel or tap; G = KQ / 4,
 * KQ = K rounded up to a multiple of 4, K = C * KH * KW). For two output
 * pixels at a time the input windows are gathered once into col as int16
 * (x - x_zp, 0 in the padding), each group of 4 taps of a pixel in the order
 * t = 0, 2, 1, 3, pixel 0's group then pixel 1's. Each block of 4 channels
 * then accumulates 4 x 2 int32 sums over all taps: every (x, w) pair is read
 * once per block, and the sums are those of tp_qlinearconv_* (integer
 * arithmetic, so the bits are the same in any order). The requantization is
 * tp_qstore_* (float, or the fixed-point instances), as in kernels/quant.c.
 *
 * Compiled for a core with the DSP extension (__ARM_FEATURE_DSP: Cortex-M4,
 * M7, M33...), the loop reads a channel's 4 weights as one word, widens them
 * with two SXTB16 (taps 0, 2 and 1, 3: the order col holds them in), and
 * adds two products per SMLAD (ACLE's __sxtb16 and __smlad, which GCC's and
 * Clang's arm_acle.h define as __builtin_arm_sxtb16 and __builtin_arm_smlad);
 * elsewhere one multiply-add per product.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_qconv_gather_u8
 * @instance tp_qconv_gather_i8: uint8_t=int8_t
 * The K taps of output pixel (oh, ow) as int16 x - x_zp (0 in the padding,
 * and for the taps from K up to KQ), as pixel q of the pair in col: tap k
 * at col[((k / 4) * 2 + q) * 4 + {0, 2, 1, 3}[k % 4]]. geo: H W OH OW KH KW
 * SH SW DH DW PT PL. */
TP_KERNEL void tp_qconv_gather_u8(const uint8_t *x, int32_t xzp, int32_t C, const int32_t *geo,
                                  int32_t oh, int32_t ow, int16_t *col, int32_t q, int32_t KQ) {
  const int32_t H = geo[0], W = geo[1], KH = geo[4], KW = geo[5];
  const int32_t ih0 = oh * geo[6] - geo[10], iw0 = ow * geo[7] - geo[11];
  const int32_t DH = geo[8], DW = geo[9];
  /* The taps kw0 <= kw < kw1 of a row are inside it. */
  const int32_t kw0 = iw0 < 0 ? (DW - 1 - iw0) / DW : 0;
  const int32_t kw1 = iw0 + (KW - 1) * DW < W ? KW : (W - iw0 + DW - 1) / DW;
  int32_t c, kh, kw, k = 0;
  col += q * 4;
  for (c = 0; c < C; ++c) {
    const uint8_t *xc = x + c * H * W;
    for (kh = 0; kh < KH; ++kh) {
      const int32_t ih = ih0 + kh * DH;
      const uint8_t *xr = xc + ih * W + iw0;
      const int32_t lo = ih >= 0 && ih < H ? kw0 : KW, hi = ih >= 0 && ih < H ? kw1 : KW;
      for (kw = 0; kw < KW; ++kw, ++k)
        col[(k >> 2) * 8 + ((k & 1) << 1) + ((k >> 1) & 1)] =
            (int16_t)(kw >= lo && kw < hi ? (int32_t)xr[kw * DW] - xzp : 0);
    }
  }
  for (; k < KQ; ++k)
    col[(k >> 2) * 8 + ((k & 1) << 1) + ((k >> 1) & 1)] = 0;
}

/* @kernel tp_qconv_gather_pair_u8
 * @instance tp_qconv_gather_pair_i8: uint8_t=int8_t
 * tp_qconv_gather_u8 of both pixels (oh, ow) and (oh, ow + 1) at once, for
 * the common case of both windows inside the input (no padding read). */
TP_KERNEL void tp_qconv_gather_pair_u8(const uint8_t *x, int32_t xzp, int32_t C,
                                       const int32_t *geo, int32_t oh, int32_t ow,
                                       int16_t *col, int32_t KQ) {
  const int32_t H = geo[0], W = geo[1], KH = geo[4], KW = geo[5], SW = geo[7];
  const int32_t DH = geo[8], DW = geo[9];
  const uint8_t *x0 = x + (oh * geo[6] - geo[10]) * W + ow * SW - geo[11];
  int32_t c, kh, kw, k = 0;
  for (c = 0; c < C; ++c, x0 += H * W)
    for (kh = 0; kh < KH; ++kh) {
      const uint8_t *xr = x0 + kh * DH * W;
      for (kw = 0; kw < KW; ++kw, ++k, xr += DW) {
        int16_t *d = col + (k >> 2) * 8 + ((k & 1) << 1) + ((k >> 1) & 1);
        d[0] = (int16_t)((int32_t)xr[0] - xzp);
        d[4] = (int16_t)((int32_t)xr[SW] - xzp);
      }
    }
  for (; k < KQ; ++k) {
    int16_t *d = col + (k >> 2) * 8 + ((k & 1) << 1) + ((k >> 1) & 1);
    d[0] = 0;
    d[4] = 0;
  }
}

/* @kernel tp_smlad
 * acc + lo(a) * lo(b) + hi(a) * hi(b), the 16-bit halves signed: one SMLAD
 * on a core with the DSP extension, two multiply-adds elsewhere. Callers
 * keep the sum within int32. */
TP_KERNEL inline int32_t tp_smlad(uint32_t a, uint32_t b, int32_t acc) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
  return __builtin_arm_smlad(a, b, acc);
#else
  const int32_t alo = (int32_t)((a & 0xffffu) ^ 0x8000u) - 0x8000;
  const int32_t blo = (int32_t)((b & 0xffffu) ^ 0x8000u) - 0x8000;
  const int32_t ahi = (int32_t)((a >> 16) ^ 0x8000u) - 0x8000;
  const int32_t bhi = (int32_t)((b >> 16) ^ 0x8000u) - 0x8000;
  return acc + alo * blo + ahi * bhi;
#endif
}

/* @kernel tp_qconv_block_sums uses tp_smlad
 * The 4 x 2 sums of one block over G groups of 4 taps: s[j] for pixel 0,
 * s[4 + j] for pixel 1. With the DSP extension, per group: 4 words of
 * int16 pairs of x, and for each channel one word of 4 int8 weights widened
 * by two SXTB16 and 4 SMLADs (36 instructions per 32 multiply-accumulates
 * with the loop); elsewhere one multiply-add per product. */
TP_KERNEL void tp_qconv_block_sums(const int16_t *col, const int8_t *wb, int32_t G,
                                   int32_t *s) {
  int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  const int16_t *end = col + G * 8;
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
  for (; col < end; col += 8, wb += 16) {
    uint32_t x0a, x0b, x1a, x1b, w, wa, wc;
    memcpy(&x0a, col, 4);
    memcpy(&x0b, col + 2, 4);
    memcpy(&x1a, col + 4, 4);
    memcpy(&x1b, col + 6, 4);
    memcpy(&w, wb, 4);
    wa = __builtin_arm_sxtb16(w);
    wc = __builtin_arm_sxtb16((w >> 8) | (w << 24));
    s0 = tp_smlad(x0b, wc, tp_smlad(x0a, wa, s0));
    t0 = tp_smlad(x1b, wc, tp_smlad(x1a, wa, t0));
    memcpy(&w, wb + 4, 4);
    wa = __builtin_arm_sxtb16(w);
    wc = __builtin_arm_sxtb16((w >> 8) | (w << 24));
    s1 = tp_smlad(x0b, wc, tp_smlad(x0a, wa, s1));
    t1 = tp_smlad(x1b, wc, tp_smlad(x1a, wa, t1));
    memcpy(&w, wb + 8, 4);
    wa = __builtin_arm_sxtb16(w);
    wc = __builtin_arm_sxtb16((w >> 8) | (w << 24));
    s2 = tp_smlad(x0b, wc, tp_smlad(x0a, wa, s2));
    t2 = tp_smlad(x1b, wc, tp_smlad(x1a, wa, t2));
    memcpy(&w, wb + 12, 4);
    wa = __builtin_arm_sxtb16(w);
    wc = __builtin_arm_sxtb16((w >> 8) | (w << 24));
    s3 = tp_smlad(x0b, wc, tp_smlad(x0a, wa, s3));
    t3 = tp_smlad(x1b, wc, tp_smlad(x1a, wa, t3));
  }
#else
  /* col holds taps 0, 2, 1, 3 of each group; wb taps 0, 1, 2, 3. */
  for (; col < end; col += 8, wb += 16) {
    const int32_t x0 = col[0], x2 = col[1], x1 = col[2], x3 = col[3];
    const int32_t y0 = col[4], y2 = col[5], y1 = col[6], y3 = col[7];
    s0 += x0 * wb[0] + x1 * wb[1] + x2 * wb[2] + x3 * wb[3];
    t0 += y0 * wb[0] + y1 * wb[1] + y2 * wb[2] + y3 * wb[3];
    s1 += x0 * wb[4] + x1 * wb[5] + x2 * wb[6] + x3 * wb[7];
    t1 += y0 * wb[4] + y1 * wb[5] + y2 * wb[6] + y3 * wb[7];
    s2 += x0 * wb[8] + x1 * wb[9] + x2 * wb[10] + x3 * wb[11];
    t2 += y0 * wb[8] + y1 * wb[9] + y2 * wb[10] + y3 * wb[11];
    s3 += x0 * wb[12] + x1 * wb[13] + x2 * wb[14] + x3 * wb[15];
    t3 += y0 * wb[12] + y1 * wb[13] + y2 * wb[14] + y3 * wb[15];
  }
#endif
  s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3, s[4] = t0, s[5] = t1, s[6] = t2, s[7] = t3;
}

/* @kernel tp_qconv_blocked_u8 uses tp_qconv_gather_u8 tp_qconv_gather_pair_u8 tp_qconv_block_sums tp_qstore_u8
 * @instance tp_qconv_blocked_i8: uint8_t=int8_t tp_qconv_gather_u8=tp_qconv_gather_i8 tp_qconv_gather_pair_u8=tp_qconv_gather_pair_i8 tp_qstore_u8=tp_qstore_i8
 * QLinearConv of N images, group 1, with wt laid out as above: for each
 * pair of output pixels (the last one alone when their count is odd), the
 * taps gathered into col (2 x KQ int16, 4-byte aligned: the node's
 * scratch), then each block of 4 channels summed and stored through
 * tp_qstore_u8 with b[m] (b may be null) and the multiplier
 * (xs * ws[m * ws_step]) / ys. */
TP_KERNEL void tp_qconv_blocked_u8(const uint8_t *x, int32_t xzp, const int8_t *wt,
    const int32_t *b, void *y, float xs, const float *ws, int32_t ws_step, float ys,
    int32_t yzp, int32_t N, int32_t C, int32_t M, const int32_t *geo, int16_t *col) {
  const int32_t H = geo[0], W = geo[1], OH = geo[2], OW = geo[3];
  const int32_t KQ = (C * geo[4] * geo[5] + 3) / 4 * 4, P = OH * OW;
  int32_t n, p, mb, j, s[8];
  for (n = 0; n < N; ++n) {
    const uint8_t *xn = x + n * C * H * W;
    for (p = 0; p < P; p += 2) {
      const int32_t two = p + 1 < P;
      const int32_t oh = p / OW, ow = p % OW;
      const int32_t ih0 = oh * geo[6] - geo[10], iw0 = ow * geo[7] - geo[11];
      if (two && ow + 1 < OW && ih0 >= 0 && ih0 + (geo[4] - 1) * geo[8] < H && iw0 >= 0 &&
          iw0 + geo[7] + (geo[5] - 1) * geo[9] < W) {
        tp_qconv_gather_pair_u8(xn, xzp, C, geo, oh, ow, col, KQ);
      } else {
        tp_qconv_gather_u8(xn, xzp, C, geo, oh, ow, col, 0, KQ);
        /* A last pixel alone is summed twice and stored once. */
        tp_qconv_gather_u8(xn, xzp, C, geo, (p + two) / OW, (p + two) % OW, col, 1, KQ);
      }
      for (mb = 0; mb * 4 < M; ++mb) {
        tp_qconv_block_sums(col, wt + mb * KQ * 4, KQ / 4, s);
        for (j = 0; j < 4 && mb * 4 + j < M; ++j) {
          const int32_t m = mb * 4 + j;
          const int32_t bias = b ? b[m] : 0;
          const float multiplier = xs * ws[m * ws_step] / ys;
          const int32_t yoff = (n * M + m) * P + p;
          tp_qstore_u8(y, yoff, s[j] + bias, multiplier, yzp);
          if (two)
            tp_qstore_u8(y, yoff + 1, s[4 + j] + bias, multiplier, yzp);
        }
      }
    }
  }
}

/* @kernel tp_qconv_depthwise_sum_u8
 * @instance tp_qconv_depthwise_sum_i8: uint8_t=int8_t
 * The sum of (x - x_zp) * w over the taps of output (oh, ow) of one
 * channel that lie inside the input (any window, padding or not). */
TP_KERNEL int32_t tp_qconv_depthwise_sum_u8(const uint8_t *xc, int32_t xzp, const int16_t *wc,
                                            const int32_t *geo, int32_t oh, int32_t ow) {
  const int32_t H = geo[0], W = geo[1], KH = geo[4], KW = geo[5];
  const int32_t ih0 = oh * geo[6] - geo[10], iw0 = ow * geo[7] - geo[11];
  int32_t kh, kw, acc = 0;
  for (kh = 0; kh < KH; ++kh) {
    const int32_t ih = ih0 + kh * geo[8];
    if (ih < 0 || ih >= H)
      continue;
    for (kw = 0; kw < KW; ++kw) {
      const int32_t iw = iw0 + kw * geo[9];
      if (iw >= 0 && iw < W)
        acc += ((int32_t)xc[ih * W + iw] - xzp) * wc[kh * KW + kw];
    }
  }
  return acc;
}

/* @kernel tp_qconv_depthwise_u8 uses tp_qconv_depthwise_sum_u8 tp_qstore_u8
 * @instance tp_qconv_depthwise_i8: uint8_t=int8_t tp_qconv_depthwise_sum_u8=tp_qconv_depthwise_sum_i8 tp_qstore_u8=tp_qstore_i8
 * Depthwise QLinearConv (group = C = M), 1-D or 2-D, with constant
 * weights: wt holds w - w_zp as int16, KH x KW per channel, and wsum[c]
 * their sum. With pad (scratch of (OH - 1) * SH + (KH - 1) * DH + 1 rows of
 * (OW - 1) * SW + (KW - 1) * DW + 1 bytes; null when the convolution has
 * no padding), each channel is first copied into it with x_zp in the
 * padding (ONNX Runtime's padding, whose terms are 0), so that every
 * window lies inside. A window inside sums x * w and subtracts x_zp *
 * wsum[c] once (the same integer as summing (x - x_zp) * w): for 3 x 3
 * windows of stride and dilation 1, two neighbouring outputs at a time from
 * 3 x 4 loaded inputs and the 9 weights held in registers. Without pad, an
 * output at the border sums (x - x_zp) * w over the taps inside
 * (tp_qconv_depthwise_sum_u8). Then b[c] (b may be null) and tp_qstore_u8
 * with (xs * ws[c * ws_step]) / ys. geo: H W OH OW KH KW SH SW DH DW PT PL. */
TP_KERNEL void tp_qconv_depthwise_u8(const uint8_t *x, int32_t xzp, const int16_t *wt,
    const int32_t *wsum, const int32_t *b, void *y, float xs, const float *ws, int32_t ws_step,
    float ys, int32_t yzp, int32_t N, int32_t C, const int32_t *geo, uint8_t *pad) {
  const int32_t H = geo[0], W = geo[1], OH = geo[2], OW = geo[3], KH = geo[4], KW = geo[5];
  const int32_t SH = geo[6], SW = geo[7], DH = geo[8], DW = geo[9];
  const int32_t HP = (OH - 1) * SH + (KH - 1) * DH + 1, WP = (OW - 1) * SW + (KW - 1) * DW + 1;
  /* The plane read: the input, or its padded copy. */
  const int32_t PH = pad ? HP : H, PW = pad ? WP : W;
  const int32_t PT = pad ? 0 : geo[10], PL = pad ? 0 : geo[11];
  /* Outputs oh0 <= oh < oh1, ow0 <= ow < ow1 read no padding. */
  const int32_t oh0 = (PT + SH - 1) / SH, ow0 = (PL + SW - 1) / SW;
  const int32_t hlast = PH - 1 + PT - (KH - 1) * DH, wlast = PW - 1 + PL - (KW - 1) * DW;
  const int32_t oh1 = hlast < 0 ? 0 : (hlast / SH + 1 < OH ? hlast / SH + 1 : OH);
  const int32_t ow1 = wlast < 0 ? 0 : (wlast / SW + 1 < OW ? wlast / SW + 1 : OW);
  const int32_t three = KH == 3 && KW == 3 && SH == 1 && SW == 1 && DH == 1 && DW == 1;
  int32_t n, c, oh, ow, kh, kw, i, j;
  for (n = 0; n < N; ++n)
    for (c = 0; c < C; ++c) {
      const uint8_t *xc = x + (n * C + c) * H * W;
      const int16_t *wc = wt + c * KH * KW;
      const int32_t corr = xzp * wsum[c], bias = b ? b[c] : 0;
      const float multiplier = xs * ws[c * ws_step] / ys;
      const int32_t w0 = wc[0], w1 = KH * KW > 1 ? wc[1] : 0, w2 = KH * KW > 2 ? wc[2] : 0;
      const int32_t w3 = KH * KW > 3 ? wc[3] : 0, w4 = KH * KW > 4 ? wc[4] : 0;
      const int32_t w5 = KH * KW > 5 ? wc[5] : 0, w6 = KH * KW > 6 ? wc[6] : 0;
      const int32_t w7 = KH * KW > 7 ? wc[7] : 0, w8 = KH * KW > 8 ? wc[8] : 0;
      const int32_t yoff = (n * C + c) * OH * OW;
      if (pad) {
        for (i = 0; i < HP; ++i) {
          const int32_t ih = i - geo[10];
          for (j = 0; j < WP; ++j) {
            const int32_t iw = j - geo[11];
            pad[i * WP + j] = ih >= 0 && ih < H && iw >= 0 && iw < W ? xc[ih * W + iw]
                                                                     : (uint8_t)xzp;
          }
        }
        xc = pad;
      }
      for (oh = 0; oh < OH; ++oh) {
        const int32_t inside_h = oh >= oh0 && oh < oh1;
        for (ow = 0; ow < OW; ++ow) {
          int32_t acc;
          if (inside_h && ow >= ow0 && ow < ow1) {
            const uint8_t *xr = xc + (oh * SH - PT) * PW + ow * SW - PL;
            if (three && ow + 1 < ow1) {
              const uint8_t *r1 = xr + PW, *r2 = r1 + PW;
              int32_t a0 = xr[0], a1 = xr[1], a2 = xr[2], a3 = xr[3];
              int32_t s = a0 * w0 + a1 * w1 + a2 * w2, t = a1 * w0 + a2 * w1 + a3 * w2;
              a0 = r1[0], a1 = r1[1], a2 = r1[2], a3 = r1[3];
              s += a0 * w3 + a1 * w4 + a2 * w5;
              t += a1 * w3 + a2 * w4 + a3 * w5;
              a0 = r2[0], a1 = r2[1], a2 = r2[2], a3 = r2[3];
              s += a0 * w6 + a1 * w7 + a2 * w8;
              t += a1 * w6 + a2 * w7 + a3 * w8;
              tp_qstore_u8(y, yoff + oh * OW + ow, s - corr + bias, multiplier, yzp);
              ++ow;
              tp_qstore_u8(y, yoff + oh * OW + ow, t - corr + bias, multiplier, yzp);
              continue;
            }
            acc = 0;
            for (kh = 0; kh < KH; ++kh, xr += DH * PW)
              for (kw = 0; kw < KW; ++kw)
                acc += (int32_t)xr[kw * DW] * wc[kh * KW + kw];
            acc -= corr;
          } else {
            acc = tp_qconv_depthwise_sum_u8(xc, xzp, wc, geo, oh, ow);
          }
          tp_qstore_u8(y, yoff + oh * OW + ow, acc + bias, multiplier, yzp);
        }
      }
    }
}
