/* qconv.c - QLinearConv with weights laid out at compile time.
 *
 * tp_qconv_blocked_*: a convolution of one group (1-D or 2-D) whose
 * weights, zero points, scales and bias are constants and whose centred
 * weights w - w_zp fit int8 (always so for int8 weights with zero point 0,
 * and uint8 ones with 128). tinyplan stores w - w_zp as int8, two output
 * channels by two taps per word, in the order the loop reads them, folds
 * x_zp into the bias, and computes each channel's requantization
 * multiplier in float at compile time. The windows of four output pixels
 * are gathered into the node's scratch as int16 pairs; each block of two
 * channels by four pixels is summed and stored by tp_qconv_block_* (SMLAD
 * on cores with the DSP extension, __ARM_FEATURE_DSP: Cortex-M4, M7,
 * M33...).
 *
 * tp_qconv_depthwise_*: a depthwise convolution (group = C = M) whose
 * weights and scales are constants; the rows of each channel's padded
 * plane pass once through a small ring of int16 x - x_zp.
 *
 * The integer sums are those of tp_qlinearconv_* (kernels/quant.c), in any
 * order (integer arithmetic); the requantization is tp_qstore_finite_*
 * (the fixed-point instances under --requant=fixed), so the bits are the
 * direct kernels' on every core.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_qconv_pack16
 * The word of two 16-bit halves: lo in bits 0-15, hi in bits 16-31, as
 * SMLAD reads them (built with shifts, so the same on any host). */
TP_KERNEL inline uint32_t tp_qconv_pack16(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xffffu) | (((uint32_t)hi & 0xffffu) << 16);
}

/* @kernel tp_qconv_widen_u8
 * @instance tp_qconv_widen_i8: uint8_t=int8_t
 * Bytes 0 and 2 of v as the two 16-bit halves of a word, extended from
 * uint8_t (UXTB16; SXTB16 for int8_t). For the DSP extension only. */
TP_KERNEL inline uint32_t tp_qconv_widen_u8(uint32_t v) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
  return (uint8_t)-1 == 255 ? (uint32_t)__builtin_arm_uxtb16(v) : (uint32_t)__builtin_arm_sxtb16(v);
#else
  return v;
#endif
}

/* @kernel tp_qconv_widen_odd_u8 uses tp_qconv_widen_u8
 * @instance tp_qconv_widen_odd_i8: uint8_t=int8_t tp_qconv_widen_u8=tp_qconv_widen_i8
 * Bytes 1 and 3 of v widened as tp_qconv_widen_u8 widens bytes 0 and 2: on
 * Thumb-2, one UXTB16 / SXTB16 with the word rotated by 8 (GCC 12 shifts
 * first). For the DSP extension only. */
TP_KERNEL inline uint32_t tp_qconv_widen_odd_u8(uint32_t v) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && defined(__GNUC__) && \
    !defined(TINYPLAN_NO_ASM)
  uint32_t r;
  if ((uint8_t)-1 == 255)
    __asm__("uxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  else
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
#else
  return tp_qconv_widen_u8(v >> 8);
#endif
}

/* @kernel tp_qconv_halves
 * The word of the low half of lo (bits 0-15) and the low half of hi (bits
 * 16-31): one PKHBT on Thumb-2 with the DSP extension, where GCC 12 spends
 * two instructions. */
TP_KERNEL inline uint32_t tp_qconv_halves(uint32_t lo, uint32_t hi) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && defined(__GNUC__) && \
    !defined(TINYPLAN_NO_ASM)
  uint32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
#else
  return (lo & 0xffffu) | (hi << 16);
#endif
}

/* @kernel tp_qconv_tops
 * The word of the high half of lo (bits 0-15) and the high half of hi
 * (bits 16-31): one PKHTB, as tp_qconv_halves. */
TP_KERNEL inline uint32_t tp_qconv_tops(uint32_t lo, uint32_t hi) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && defined(__GNUC__) && \
    !defined(TINYPLAN_NO_ASM)
  uint32_t r;
  __asm__("pkhtb %0, %2, %1, asr #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
#else
  return (lo >> 16) | (hi & 0xffff0000u);
#endif
}

/* @kernel tp_qconv_lowtop
 * The word of the low half of lo and the high half of hi, in place: one
 * PKHBT, as tp_qconv_halves. */
TP_KERNEL inline uint32_t tp_qconv_lowtop(uint32_t lo, uint32_t hi) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && defined(__GNUC__) && \
    !defined(TINYPLAN_NO_ASM)
  uint32_t r;
  __asm__("pkhbt %0, %1, %2" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
#else
  return (lo & 0xffffu) | (hi & 0xffff0000u);
#endif
}

/* @kernel tp_qconv_pairs1_u8 uses tp_qconv_pack16 tp_qconv_widen_u8 tp_qconv_widen_odd_u8 tp_qconv_halves tp_qconv_tops
 * @instance tp_qconv_pairs1_i8: uint8_t=int8_t tp_qconv_widen_u8=tp_qconv_widen_i8 tp_qconv_widen_odd_u8=tp_qconv_widen_odd_i8
 * The pairs (0, 1), (2, 3)... of the KW taps at a (columns 1 apart) of one
 * pixel's window row, as pair words col[0], col[4]...; returns col past
 * them. With the DSP extension, four taps at a time: one word load, two
 * UXTB16 / SXTB16 (bytes 0 and 2, 1 and 3), PKHBT and PKHTB and two
 * stores, where two pairs of byte loads take about 14. No byte past the
 * row's last tap is read. */
TP_KERNEL inline uint32_t *tp_qconv_pairs1_u8(const uint8_t *a, int32_t KW, uint32_t *col) {
  int32_t kw = 0;
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  for (; kw + 3 < KW; kw += 4, col += 8) {
    uint32_t u, e, o;
    memcpy(&u, a + kw, 4);
    e = tp_qconv_widen_u8(u), o = tp_qconv_widen_odd_u8(u);
    col[0] = tp_qconv_halves(e, o);
    col[4] = tp_qconv_tops(e, o);
  }
#endif
  for (; kw + 1 < KW; kw += 2, col += 4)
    *col = tp_qconv_pack16(a[kw], a[kw + 1]);
  return col;
}

/* @kernel tp_qconv_gather1_u8 uses tp_qconv_pack16 tp_qconv_pairs1_u8
 * @instance tp_qconv_gather1_i8: uint8_t=int8_t tp_qconv_pairs1_u8=tp_qconv_pairs1_i8
 * The taps of output pixel (oh, ow), any window, as words of two taps in
 * the pair order (tp_qconv_blocked_u8), pair j at col[4 * j]; x_zp in the
 * padding. An element is read only where it is inside. Rows inside with
 * columns 1 apart go through tp_qconv_pairs1_u8. */
TP_KERNEL void tp_qconv_gather1_u8(const uint8_t *x, int32_t xzp, int32_t C, const int32_t *geo,
                                   int32_t oh, int32_t ow, uint32_t *col) {
  const int32_t H = geo[0], W = geo[1], KH = geo[4], KW = geo[5], DH = geo[8], DW = geo[9];
  const int32_t ih0 = oh * geo[6] - geo[10], iw0 = ow * geo[7] - geo[11], R = C * KH;
  /* The taps kw0 <= kw < kw1 of a row are inside it. */
  const int32_t kw0 = iw0 < 0 ? (DW - 1 - iw0) / DW : 0;
  const int32_t kw1 = iw0 + (KW - 1) * DW < W ? KW : (W - iw0 + DW - 1) / DW;
  const uint32_t padding = tp_qconv_pack16(xzp, xzp);
  int32_t c, kh, kw, r;
  for (c = 0; c < C; ++c)
    for (kh = 0; kh < KH; ++kh) {
      const int32_t ih = ih0 + kh * DH, off = (c * H + ih) * W + iw0;
      if (ih < 0 || ih >= H) {
        for (kw = 0; kw + 1 < KW; kw += 2, col += 4)
          *col = padding;
      } else if (kw0 == 0 && kw1 == KW && DW == 1) {
        col = tp_qconv_pairs1_u8(x + off, KW, col);
      } else if (kw0 == 0 && kw1 == KW) {
        const uint8_t *xr = x + off;
        for (kw = 0; kw + 1 < KW; kw += 2, col += 4, xr += 2 * DW)
          *col = tp_qconv_pack16(xr[0], xr[DW]);
      } else {
        for (kw = 0; kw + 1 < KW; kw += 2, col += 4)
          *col = tp_qconv_pack16(kw >= kw0 && kw < kw1 ? (int32_t)x[off + kw * DW] : xzp,
                                 kw + 1 >= kw0 && kw + 1 < kw1 ? (int32_t)x[off + (kw + 1) * DW]
                                                               : xzp);
      }
    }
  if (KW & 1) {
    const int32_t inside = KW - 1 >= kw0 && KW - 1 < kw1;
    int32_t v[2];
    for (r = 0; r < R; r += 2, col += 4) {
      for (kh = 0; kh < 2; ++kh) {
        const int32_t ih = ih0 + (r + kh) % KH * DH;
        v[kh] = r + kh < R && inside && ih >= 0 && ih < H
                    ? (int32_t)x[((r + kh) / KH * H + ih) * W + iw0 + (KW - 1) * DW]
                    : xzp;
      }
      *col = tp_qconv_pack16(v[0], v[1]);
    }
  }
}

/* @kernel tp_qconv_pairs4_u8 uses tp_qconv_widen_u8 tp_qconv_widen_odd_u8 tp_qconv_halves tp_qconv_tops tp_qconv_lowtop
 * @instance tp_qconv_pairs4_i8: uint8_t=int8_t tp_qconv_widen_u8=tp_qconv_widen_i8 tp_qconv_widen_odd_u8=tp_qconv_widen_odd_i8
 * With the DSP extension: the taps (0, 1), (2, 3)... (columns 1 apart) of
 * one row of the windows of four pixels SW apart (1 or 2), the first
 * starting at a, as pair words col[4 j + q]; returns col past them. Side
 * by side, the taps (kw, kw + 1) of the four pixels come from the word at
 * kw and the byte at kw + 4; 2 apart, from the words at kw and kw + 4; two
 * UXTB16 / SXTB16 per word (bytes 0, 2 and 1, 3) and halfword packs make
 * the pair words. No byte past the last pixel's taps is read. */
TP_KERNEL inline uint32_t *tp_qconv_pairs4_u8(const uint8_t *a, int32_t SW, int32_t KW,
                                              uint32_t *col) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  int32_t kw;
  uint32_t u, v, e, o;
  if (SW == 1)
    for (kw = 0; kw + 1 < KW; kw += 2, col += 4) {
      const int32_t b4 = a[kw + 4];
      memcpy(&u, a + kw, 4);
      e = tp_qconv_widen_u8(u), o = tp_qconv_widen_odd_u8(u);
      col[0] = tp_qconv_halves(e, o);
      col[1] = tp_qconv_lowtop(o, e);
      col[2] = tp_qconv_tops(e, o);
      col[3] = (o >> 16) | ((uint32_t)b4 << 16);
    }
  else
    for (kw = 0; kw + 1 < KW; kw += 2, col += 4) {
      memcpy(&u, a + kw, 4);
      memcpy(&v, a + kw + 4, 4);
      e = tp_qconv_widen_u8(u), o = tp_qconv_widen_odd_u8(u);
      col[0] = tp_qconv_halves(e, o);
      col[1] = tp_qconv_tops(e, o);
      e = tp_qconv_widen_u8(v), o = tp_qconv_widen_odd_u8(v);
      col[2] = tp_qconv_halves(e, o);
      col[3] = tp_qconv_tops(e, o);
    }
#else
  (void)a, (void)SW, (void)KW;
#endif
  return col;
}

/* @kernel tp_qconv_lasts4_u8 uses tp_qconv_widen_u8 tp_qconv_widen_odd_u8 tp_qconv_halves tp_qconv_tops
 * @instance tp_qconv_lasts4_i8: uint8_t=int8_t tp_qconv_widen_u8=tp_qconv_widen_i8 tp_qconv_widen_odd_u8=tp_qconv_widen_odd_i8
 * With the DSP extension: the last taps of two rows of the windows of four
 * pixels SW apart (1 or 2), at u and v (v null past the last row: 0), as
 * the four pair words col[q] (u's in the low halves): bytes 0 to 3 of the
 * word at u (SW 1), or bytes 0 and 2 of the words at u and, shifted, u + 3
 * (SW 2: no byte past the last pixel's). */
TP_KERNEL inline void tp_qconv_lasts4_u8(const uint8_t *u, const uint8_t *v, int32_t SW,
                                         uint32_t *col) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  uint32_t u0, u1, v0 = 0, v1 = 0;
  memcpy(&u0, u, 4);
  if (v)
    memcpy(&v0, v, 4);
  if (SW == 1) {
    u1 = tp_qconv_widen_odd_u8(u0), v1 = tp_qconv_widen_odd_u8(v0);
    u0 = tp_qconv_widen_u8(u0), v0 = tp_qconv_widen_u8(v0);
    col[0] = tp_qconv_halves(u0, v0);
    col[1] = tp_qconv_halves(u1, v1);
    col[2] = tp_qconv_tops(u0, v0);
    col[3] = tp_qconv_tops(u1, v1);
    return;
  }
  memcpy(&u1, u + 3, 4);
  if (v)
    memcpy(&v1, v + 3, 4);
  u0 = tp_qconv_widen_u8(u0), u1 = tp_qconv_widen_odd_u8(u1);
  v0 = tp_qconv_widen_u8(v0), v1 = tp_qconv_widen_odd_u8(v1);
  col[0] = tp_qconv_halves(u0, v0);
  col[1] = tp_qconv_tops(u0, v0);
  col[2] = tp_qconv_halves(u1, v1);
  col[3] = tp_qconv_tops(u1, v1);
#else
  (void)u, (void)v, (void)SW, (void)col;
#endif
}

/* @kernel tp_qconv_rows3_u8 uses tp_qconv_widen_u8 tp_qconv_widen_odd_u8 tp_qconv_halves tp_qconv_lowtop tp_qconv_tops
 * @instance tp_qconv_rows3_i8: uint8_t=int8_t tp_qconv_widen_u8=tp_qconv_widen_i8 tp_qconv_widen_odd_u8=tp_qconv_widen_odd_i8
 * tp_qconv_pairs4_u8 of rows a and b and tp_qconv_lasts4_u8 of their last
 * columns, for a window 3 wide and pixels side by side: each row's six
 * bytes in two words (bytes 0-3 and 2-5), so 4 loads for the 12 words.
 * For the DSP extension only. */
TP_KERNEL inline void tp_qconv_rows3_u8(const uint8_t *a, const uint8_t *b, uint32_t *col,
                                        uint32_t *tail) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  uint32_t u, v, ae, ao, ae2, ao2, be, bo, be2, bo2;
  memcpy(&u, a, 4);
  memcpy(&v, a + 2, 4);
  ae = tp_qconv_widen_u8(u), ao = tp_qconv_widen_odd_u8(u);   /* a0 a2, a1 a3 */
  ae2 = tp_qconv_widen_u8(v), ao2 = tp_qconv_widen_odd_u8(v); /* a2 a4, a3 a5 */
  col[0] = tp_qconv_halves(ae, ao);
  col[1] = tp_qconv_lowtop(ao, ae);
  col[2] = tp_qconv_tops(ae, ao);
  col[3] = tp_qconv_tops(ao, ae2);
  memcpy(&u, b, 4);
  memcpy(&v, b + 2, 4);
  be = tp_qconv_widen_u8(u), bo = tp_qconv_widen_odd_u8(u);
  be2 = tp_qconv_widen_u8(v), bo2 = tp_qconv_widen_odd_u8(v);
  col[4] = tp_qconv_halves(be, bo);
  col[5] = tp_qconv_lowtop(bo, be);
  col[6] = tp_qconv_tops(be, bo);
  col[7] = tp_qconv_tops(bo, be2);
  tail[0] = tp_qconv_halves(ae2, be2);
  tail[1] = tp_qconv_halves(ao2, bo2);
  tail[2] = tp_qconv_tops(ae2, be2);
  tail[3] = tp_qconv_tops(ao2, bo2);
#else
  (void)a, (void)b, (void)col, (void)tail;
#endif
}

/* @kernel tp_qconv_gather4_u8 uses tp_qconv_pack16 tp_qconv_pairs4_u8 tp_qconv_lasts4_u8 tp_qconv_rows3_u8
 * @instance tp_qconv_gather4_i8: uint8_t=int8_t tp_qconv_pairs4_u8=tp_qconv_pairs4_i8 tp_qconv_lasts4_u8=tp_qconv_lasts4_i8 tp_qconv_rows3_u8=tp_qconv_rows3_i8
 * tp_qconv_gather1_u8 of four pixels whose windows are inside the input,
 * at x + at[q], at once: col[4 * j + q]. With the DSP extension, pixels
 * side by side or 2 apart with columns 1 apart take 4 bytes at a time
 * (tp_qconv_pairs4_u8, tp_qconv_lasts4_u8, two rows per pass; 3 wide and
 * side by side, tp_qconv_rows3_u8). */
TP_KERNEL void tp_qconv_gather4_u8(const uint8_t *x, int32_t C, const int32_t *geo,
                                   const int32_t *at, uint32_t *col) {
  const int32_t H = geo[0], W = geo[1], KH = geo[4], KW = geo[5], DH = geo[8], DW = geo[9];
  const int32_t R = C * KH;
  int32_t c, kh, kw, r, q;
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  const int32_t SW = at[1] - at[0];
  if (DW == 1 && (SW == 1 || SW == 2) && at[2] == at[0] + 2 * SW && at[3] == at[0] + 3 * SW) {
    const int32_t next = H * W - KH * DH * W;
    const uint8_t *row = x + at[0];
    /* The last column's pairs, after the other columns' of every row. */
    uint32_t *tail = col + 4 * R * (KW / 2);
    if (!(KW & 1)) {
      for (r = 0, kh = 0; r < R; ++r) {
        col = tp_qconv_pairs4_u8(row, SW, KW, col);
        row += DH * W;
        if (++kh == KH)
          kh = 0, row += next;
      }
      return;
    }
    /* Two rows per pass: their pairs, then the pair of their last columns. */
    for (r = 0, kh = 0; r < R; r += 2, tail += 4) {
      const uint8_t *first = row, *second = 0;
      row += DH * W;
      if (++kh == KH)
        kh = 0, row += next;
      if (r + 1 < R) {
        second = row;
        row += DH * W;
        if (++kh == KH)
          kh = 0, row += next;
      }
      if (KW == 3 && SW == 1 && second) {
        tp_qconv_rows3_u8(first, second, col, tail);
        col += 8;
        continue;
      }
      col = tp_qconv_pairs4_u8(first, SW, KW, col);
      if (second)
        col = tp_qconv_pairs4_u8(second, SW, KW, col);
      tp_qconv_lasts4_u8(first + KW - 1, second ? second + KW - 1 : 0, SW, tail);
    }
    return;
  }
#endif
  for (c = 0; c < C; ++c)
    for (kh = 0; kh < KH; ++kh) {
      const int32_t row = (c * H + kh * DH) * W;
      const uint8_t *a = x + at[0] + row, *b = x + at[1] + row;
      const uint8_t *e = x + at[2] + row, *d = x + at[3] + row;
      for (kw = 0; kw + 1 < KW; kw += 2, col += 4) {
        const int32_t k0 = kw * DW, k1 = k0 + DW;
        col[0] = tp_qconv_pack16(a[k0], a[k1]);
        col[1] = tp_qconv_pack16(b[k0], b[k1]);
        col[2] = tp_qconv_pack16(e[k0], e[k1]);
        col[3] = tp_qconv_pack16(d[k0], d[k1]);
      }
    }
  if (KW & 1)
    for (r = 0; r < R; r += 2, col += 4) {
      const int32_t k0 = (r / KH * H + r % KH * DH) * W + (KW - 1) * DW;
      const int32_t k1 = ((r + 1) / KH * H + (r + 1) % KH * DH) * W + (KW - 1) * DW;
      for (q = 0; q < 4; ++q)
        col[q] = tp_qconv_pack16(x[at[q] + k0], r + 1 < R ? (int32_t)x[at[q] + k1] : 0);
    }
}

/* @kernel tp_qconv_copy_u8
 * @instance tp_qconv_copy_i8: uint8_t=int8_t
 * The n bytes at src to dst, four at a time where the core loads and
 * stores words at any address (the Cortex-M3 and up), where a byte loop
 * takes about 8 instructions a byte. No byte past src + n is read. */
TP_KERNEL inline void tp_qconv_copy_u8(uint8_t *dst, const uint8_t *src, int32_t n) {
  int32_t i = 0;
#if defined(__ARM_FEATURE_UNALIGNED) && defined(__GNUC__)
  for (; i + 4 <= n; i += 4) {
    uint32_t u;
    memcpy(&u, src + i, 4);
    __asm__("" : "+r"(u)); /* a word kept a word: no call of memcpy for the loop */
    memcpy(dst + i, &u, 4);
  }
#endif
  for (; i < n; ++i)
    dst[i] = src[i];
}

/* @kernel tp_qconv_strip4odd_u8 uses tp_qconv_pack16 tp_qconv_pairs4_u8 tp_qconv_copy_u8 tp_qconv_widen_u8 tp_qconv_widen_odd_u8 tp_qconv_halves tp_qconv_tops
 * @instance tp_qconv_strip4odd_i8: uint8_t=int8_t tp_qconv_pairs4_u8=tp_qconv_pairs4_i8 tp_qconv_copy_u8=tp_qconv_copy_i8 tp_qconv_widen_u8=tp_qconv_widen_i8 tp_qconv_widen_odd_u8=tp_qconv_widen_odd_i8
 * The rows of tp_qconv_strip4_u8 for four pixels, an odd window width,
 * columns 1 apart and stride SW 1 or 2, on a core with the DSP extension
 * (strip and its padding ready, j0 <= j < j1 the bytes inside the row):
 * each row's last column as two words of int16 pairs (SW 1: pixels 0 and
 * 2, 1 and 3; SW 2: 0 and 1, 2 and 3), kept from an even row until the
 * odd row after it makes their 4 pair words (a last even row: with 0). */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((unused)) /* called on cores with the DSP extension only */
#endif
void tp_qconv_strip4odd_u8(const uint8_t *x, int32_t xzp, int32_t C, const int32_t *geo,
                           int32_t ih0, int32_t iw0, int32_t j0, int32_t j1, uint8_t *strip,
                           uint32_t *col) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  const int32_t H = geo[0], W = geo[1], KH = geo[4], KW = geo[5], SW = geo[7], DH = geo[8];
  const int32_t R = C * KH;
  const uint32_t padding = tp_qconv_pack16(xzp, xzp);
  uint32_t *tail = col + 4 * R * (KW / 2);
  uint32_t w0 = padding, w1 = padding, e0 = padding, e1 = padding, u;
  int32_t r, kw;
  for (r = 0; r < R; ++r) {
    const int32_t ih = ih0 + r % KH * DH;
    if (ih < 0 || ih >= H) {
      for (kw = 0; kw + 1 < KW; kw += 2, col += 4)
        col[0] = col[1] = col[2] = col[3] = padding;
      w0 = w1 = padding;
    } else {
      tp_qconv_copy_u8(strip + j0, x + (r / KH * H + ih) * W + iw0 + j0, j1 - j0);
      col = tp_qconv_pairs4_u8(strip, SW, KW, col);
      memcpy(&u, strip + KW - 1, 4);
      w0 = tp_qconv_widen_u8(u);
      if (SW == 2)
        memcpy(&u, strip + KW + 2, 4);
      w1 = tp_qconv_widen_odd_u8(u);
    }
    if (!(r & 1)) {
      e0 = w0, e1 = w1;
      if (r + 1 < R)
        continue;
      w0 = w1 = 0;
    }
    tail[0] = tp_qconv_halves(e0, w0);
    tail[1] = SW == 1 ? tp_qconv_halves(e1, w1) : tp_qconv_tops(e0, w0);
    tail[2] = SW == 1 ? tp_qconv_tops(e0, w0) : tp_qconv_halves(e1, w1);
    tail[3] = tp_qconv_tops(e1, w1);
    tail += 4;
  }
#else
  (void)x, (void)xzp, (void)C, (void)geo, (void)ih0, (void)iw0, (void)j0, (void)j1;
  (void)strip, (void)col;
#endif
}

/* @kernel tp_qconv_strip4_u8 uses tp_qconv_pack16 tp_qconv_pairs4_u8 tp_qconv_copy_u8 tp_qconv_strip4odd_u8
 * @instance tp_qconv_strip4_i8: uint8_t=int8_t tp_qconv_pairs4_u8=tp_qconv_pairs4_i8 tp_qconv_copy_u8=tp_qconv_copy_i8 tp_qconv_strip4odd_u8=tp_qconv_strip4odd_i8
 * tp_qconv_gather1_u8 of output pixels (oh, ow0) to (oh, ow0 + count - 1)
 * of one output row (count 1 to 4; a short group repeats its last pixel)
 * whose windows reach into the padding: each row of the windows is first
 * copied into strip (3 SW + (KW - 1) DW + 1 bytes, x_zp in the padding), so
 * that its pairs are gathered as from a row inside (4 bytes at a time with
 * the DSP extension, for columns 1 apart and strides 1 or 2); a row of
 * padding is x_zp throughout. The rows' last taps (odd KW) go to the pair
 * words after all rows' pairs, row 2i in the low half (4 bytes at a time
 * where the pairs are: tp_qconv_strip4odd_u8). */
TP_KERNEL void tp_qconv_strip4_u8(const uint8_t *x, int32_t xzp, int32_t C, const int32_t *geo,
                                  int32_t oh, int32_t ow0, int32_t count, uint8_t *strip,
                                  uint32_t *col) {
  const int32_t H = geo[0], W = geo[1], KH = geo[4], KW = geo[5], SW = geo[7], DH = geo[8];
  const int32_t DW = geo[9], R = C * KH, span = 3 * SW + (KW - 1) * DW + 1;
  const int32_t ih0 = oh * geo[6] - geo[10], iw0 = ow0 * SW - geo[11];
  /* Strip bytes j0 <= j < j1 are inside the row. */
  const int32_t j0 = iw0 < 0 ? (-iw0 < span ? -iw0 : span) : 0;
  const int32_t j1 = W - iw0 < span ? (W - iw0 > j0 ? W - iw0 : j0) : span;
  const uint32_t padding = tp_qconv_pack16(xzp, xzp);
  uint32_t *tail = col + 4 * R * (KW / 2);
  /* Where pixel q's window starts in the strip (a short group's last
     pixel repeated). */
  const int32_t o1 = (count > 1 ? 1 : count - 1) * SW, o2 = (count > 2 ? 2 : count - 1) * SW;
  const int32_t o3 = (count > 3 ? 3 : count - 1) * SW;
  int32_t r, j, kw, q;
  /* The strip's padding, the same for every row: written once. */
  for (j = 0; j < j0; ++j)
    strip[j] = (uint8_t)xzp;
  for (j = j1; j < span; ++j)
    strip[j] = (uint8_t)xzp;
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  if (count == 4 && DW == 1 && (SW == 1 || SW == 2) && (KW & 1)) {
    tp_qconv_strip4odd_u8(x, xzp, C, geo, ih0, iw0, j0, j1, strip, col);
    return;
  }
#endif
  for (r = 0; r < R; ++r) {
    const int32_t ih = ih0 + r % KH * DH;
    int32_t odd[4];
    if (ih < 0 || ih >= H) {
      for (kw = 0; kw + 1 < KW; kw += 2, col += 4)
        col[0] = col[1] = col[2] = col[3] = padding;
      odd[0] = odd[1] = odd[2] = odd[3] = xzp;
    } else {
      const uint8_t *xr = x + (r / KH * H + ih) * W;
      const uint8_t *a = strip;
      tp_qconv_copy_u8(strip + j0, xr + iw0 + j0, j1 - j0);
      kw = 0;
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
      if (count == 4 && DW == 1 && (SW == 1 || SW == 2)) {
        col = tp_qconv_pairs4_u8(a, SW, KW, col);
        kw = KW & ~1;
      }
#endif
      for (; kw + 1 < KW; kw += 2, col += 4) {
        const int32_t k0 = kw * DW, k1 = k0 + DW;
        col[0] = tp_qconv_pack16(a[k0], a[k1]);
        col[1] = tp_qconv_pack16(a[o1 + k0], a[o1 + k1]);
        col[2] = tp_qconv_pack16(a[o2 + k0], a[o2 + k1]);
        col[3] = tp_qconv_pack16(a[o3 + k0], a[o3 + k1]);
      }
      if (KW & 1) {
        const int32_t k = (KW - 1) * DW;
        odd[0] = a[k], odd[1] = a[o1 + k], odd[2] = a[o2 + k], odd[3] = a[o3 + k];
      }
    }
    if (KW & 1)
      for (q = 0; q < 4; ++q)
        tail[r / 2 * 4 + q] = r & 1 ? tail[r / 2 * 4 + q] | ((uint32_t)odd[q] & 0xffffu) << 16
                                    : (uint32_t)odd[q] & 0xffffu;
  }
}

/* @kernel tp_qconv_gather1x1_u8 uses tp_qconv_pack16
 * @instance tp_qconv_gather1x1_i8: uint8_t=int8_t
 * tp_qconv_gather4_u8 of a 1 x 1 window with stride 1 and no padding, for
 * four pixels side by side: x at the first pixel of channel 0, channels P
 * apart; col[4 j + q] = (x[2 j][q], x[2 j + 1][q]), 0 in the high half past
 * the last channel. On Thumb-2 with the DSP extension, in assembly per two
 * channels: two word loads, four UXTB16 / SXTB16 (bytes 0 and 2, 1 and 3),
 * four PKHBT / PKHTB and two STRD, 15 instructions with the loop. */
TP_KERNEL inline void tp_qconv_gather1x1_u8(const uint8_t *x, int32_t P, int32_t C, uint32_t *col) {
  int32_t c = 0, q;
  /* Word loads from any byte: where the core may access memory unaligned. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && \
    defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && defined(__ARM_FEATURE_UNALIGNED) && \
    !defined(TINYPLAN_NO_ASM)
  if (C >= 2) {
    const uint32_t *end = col + 4 * (C / 2);
    uint32_t u, v, ue, uo, ve, vo;
#define TP_GATHER1X1_ASM(WIDEN)                                                                \
  __asm__ volatile("1:\n\t"                                                                    \
                   "ldr %[u], [%[x]]\n\t"                                                      \
                   "ldr %[v], [%[x], %[p]]\n\t"                                                \
                   "add %[x], %[x], %[p], lsl #1\n\t"                                          \
                   WIDEN " %[ue], %[u]\n\t"                                                    \
                   WIDEN " %[uo], %[u], ror #8\n\t"                                            \
                   WIDEN " %[ve], %[v]\n\t"                                                    \
                   WIDEN " %[vo], %[v], ror #8\n\t"                                            \
                   "pkhbt %[u], %[ue], %[ve], lsl #16\n\t"                                     \
                   "pkhbt %[v], %[uo], %[vo], lsl #16\n\t"                                     \
                   "pkhtb %[ve], %[ve], %[ue], asr #16\n\t"                                    \
                   "pkhtb %[vo], %[vo], %[uo], asr #16\n\t"                                    \
                   "strd %[u], %[v], [%[col]], #8\n\t"                                         \
                   "strd %[ve], %[vo], [%[col]], #8\n\t"                                       \
                   "cmp %[col], %[end]\n\t"                                                    \
                   "bne 1b\n"                                                                  \
                   : [x] "+r"(x), [col] "+r"(col), [u] "=&r"(u), [v] "=&r"(v),                 \
                     [ue] "=&r"(ue), [uo] "=&r"(uo), [ve] "=&r"(ve), [vo] "=&r"(vo)            \
                   : [p] "r"(P), [end] "r"(end)                                                \
                   : "cc", "memory")
    if ((uint8_t)-1 == 255)
      TP_GATHER1X1_ASM("uxtb16");
    else
      TP_GATHER1X1_ASM("sxtb16");
#undef TP_GATHER1X1_ASM
    c = C & ~1;
  }
#endif
  for (; c < C; c += 2, x += 2 * P, col += 4)
    for (q = 0; q < 4; ++q)
      col[q] = tp_qconv_pack16(x[q], c + 1 < C ? (int32_t)x[P + q] : 0);
}

/* @kernel tp_qconv_wide
 * 0: tp_qconv_block_u8 reads int8 weights. Its instances for wide (int16)
 * weights have tp_qconv_wide_on (1) in its place, and so the blocked
 * kernels that call them (lib/CodeGen, --qconv-weights). */
TP_KERNEL inline int32_t tp_qconv_wide(void) {
  return 0;
}

/* @kernel tp_qconv_wide_on
 * tp_qconv_wide in the instances for wide weights. */
TP_KERNEL inline int32_t tp_qconv_wide_on(void) {
  return 1;
}

/* @kernel tp_qconv_dot2
 * acc plus the products of the two signed 16-bit halves of x and w, low
 * with low and high with high, modulo 2^32 (SMLAD with the DSP extension). */
TP_KERNEL inline uint32_t tp_qconv_dot2(uint32_t x, uint32_t w, uint32_t acc) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
  return (uint32_t)__builtin_arm_smlad((int32_t)x, (int32_t)w, (int32_t)acc);
#else
  const int32_t xl = (int32_t)((x & 0xffffu) ^ 0x8000u) - 0x8000;
  const int32_t xh = (int32_t)((x >> 16) ^ 0x8000u) - 0x8000;
  const int32_t wl = (int32_t)((w & 0xffffu) ^ 0x8000u) - 0x8000;
  const int32_t wh = (int32_t)((w >> 16) ^ 0x8000u) - 0x8000;
  return acc + (uint32_t)(xl * wl) + (uint32_t)(xh * wh);
#endif
}

/* @kernel tp_qconv_bytes16
 * Bytes 0 and 2 of w (odd: 1 and 3) as signed 16-bit halves: SXTB16. */
TP_KERNEL inline uint32_t tp_qconv_bytes16(uint32_t w, int32_t odd) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && defined(__GNUC__) && \
    !defined(TINYPLAN_NO_ASM)
  uint32_t r;
  if (odd)
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(w));
  else
    __asm__("sxtb16 %0, %1" : "=r"(r) : "r"(w));
  return r;
#else
  const uint32_t v = odd ? w >> 8 : w;
  const uint32_t lo = ((v & 0xffu) ^ 0x80u) - 0x80u, hi = (((v >> 16) & 0xffu) ^ 0x80u) - 0x80u;
  return (lo & 0xffffu) | ((hi & 0xffffu) << 16);
#endif
}

/* @kernel tp_qconv_block_u8 uses tp_qstore4_finite_u8 tp_qstore_finite_u8 tp_requant_float tp_qconv_wide tp_qconv_dot2 tp_qconv_bytes16
 * @instance tp_qconv_block_i8: uint8_t=int8_t tp_qstore4_finite_u8=tp_qstore4_finite_i8 tp_qstore_finite_u8=tp_qstore_finite_i8
 * The outputs of M channels (m at y + m P) over count <= 4 pixels (y[0..count
 * - 1]) from the 4 pixels' gathered windows col, two channels at a time:
 * the sums s_m[q] = bz[m] plus, over the J pairs j,
 * lo(col[4j + q]) * w_m(2j) + hi(col[4j + q]) * w_m(2j + 1), with
 * channels m and m + 1's weights at wt + m / 2 * J, word j holding bytes
 * (w_m(2j), w_m+1(2j), w_m(2j + 1), w_m+1(2j + 1)), low byte first; or when
 * wide (tp_qconv_wide), at wt + m / 2 * 2 J, words 2j and 2j + 1 holding
 * the int16 pairs (w_m(2j), w_m(2j + 1)) and (w_m+1(2j), w_m+1(2j + 1)),
 * low half first (sums
 * wrap modulo 2^32: the caller's totals fit int32), stored as
 * tp_qstore4_finite_u8 stores them with mult[m] and zero point zp.
 *
 * With the DSP extension, per pair: one word of weights widened by two
 * SXTB16 (bytes 0 and 2: channel 0's, bytes 1 and 3: channel 1's), two
 * LDRD of the pixels' words and 8 SMLAD, 13 instructions for 16
 * multiply-accumulates, four pairs per iteration; wide weights come as
 * they are used, in one LDRD: 11 instructions, for twice the weights'
 * bytes. It is assembly because
 * GCC 12 at -O2 keeps only some of the 8 sums in registers (the same loop
 * in C with ACLE's __sxtb16 and __smlad ran 86 instructions per 64
 * multiply-accumulates); the loop needs all 14 of r0-r12 and lr, with the
 * end pointers on the stack: a function of its own, never inlined, so that
 * no caller's registers are live across it (its own loop's live on the
 * stack); the sums go from there to tp_qstore4_finite_u8 in registers.
 * Whole blocks (four pixels, two channels) have a loop of their own, which
 * stores straight into y; the general loop takes the short blocks and an
 * odd last channel through spare. With a single-precision FPU and the float
 * requantization (tp_requant_float), the whole blocks' loop over channel
 * pairs is one piece of assembly (J >= 4): the first pair's SMLADs start
 * from the biases, the first four pairs go without a test, the loop ends
 * are col's (the same for every pair), the 8 sums are requantized
 * together (the zero point's QADDs skipped when it is 0) and stored as two
 * words; its pointers and count live in memory, about 15 instructions per
 * pair of channels besides the sums and their requantization. */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void tp_qconv_block_u8(const uint32_t *col, const uint32_t *wt, int32_t J, const int32_t *bz,
                       const float *mult, int32_t zp, uint8_t *y, int32_t P, int32_t M,
                       int32_t count) {
  /* Room for a short block's 8 outputs, and for the 8 sums of a whole
     one on their way to the FPU and back (below). */
  int32_t buf[8];
  uint8_t *const spare = (uint8_t *)buf;
  /* Words of weights per tap pair of two channels. */
  const int32_t wide = tp_qconv_wide(), words = wide ? 2 : 1;
  int32_t m = 0, q;
  /* The asm loop leaves wb at the next pair's weights. */
  const uint32_t *wb = wt;
  /* One or two pixels (a short last block): each on its own, two channels
     at a time, where a block computes four. */
  if (count <= 2) {
    for (q = 0; q < count; ++q)
      for (m = 0, wb = wt; m < M; m += 2) {
        uint32_t a = (uint32_t)bz[m], b = m + 1 < M ? (uint32_t)bz[m + 1] : 0;
        const uint32_t *cp = col + q;
        int32_t j;
        for (j = 0; j < J; ++j, cp += 4, wb += words) {
          const uint32_t x = *cp;
          a = tp_qconv_dot2(x, wide ? wb[0] : tp_qconv_bytes16(wb[0], 0), a);
          b = tp_qconv_dot2(x, wide ? wb[1] : tp_qconv_bytes16(wb[0], 1), b);
        }
        tp_qstore_finite_u8(y, m * P + q, (int32_t)a, mult[m], zp);
        if (m + 1 < M)
          tp_qstore_finite_u8(y, (m + 1) * P + q, (int32_t)b, mult[m + 1], zp);
      }
    return;
  }
/* The assembly below holds 13 or 14 values in core registers. GCC can give
   it that many only when it optimises (at -O0 r7 is the frame pointer) and
   r9 is not reserved for position-independent code; -fno-omit-frame-pointer
   and -ffixed-r9 take one each too, and want -DTINYPLAN_NO_ASM
   (docs/cmake.md). Its word stores into y may be unaligned: not under
   -mno-unaligned-access either. Elsewhere the portable C below gives the
   same bits. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && \
    defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && \
    !defined(__clang__) && \
    defined(__OPTIMIZE__) && !defined(__PIC__) && defined(__ARM_FEATURE_UNALIGNED) && \
    !defined(TINYPLAN_NO_ASM)
/* The weights of one tap pair of the two channels into t (channel m's two
   taps, int16 each) and w (channel m + 1's): one word of 4 bytes widened by
   two SXTB16, or with wide weights, two words that hold them so. */
#define TP_QCONV_NARROW                                                                        \
  "ldr %[w], [%[wb]], #4\n\t"                                                                  \
  "sxtb16 %[t], %[w]\n\t"                                                                      \
  "sxtb16 %[w], %[w], ror #8\n\t"
#define TP_QCONV_WIDE "ldrd %[t], %[w], [%[wb]], #8\n\t"
/* One tap pair into the 8 sums, each from the sum named in A (a0..a3) or
   B (b0..b3): their own, or a3 and b3 holding the biases for the first. */
#define TP_QCONV_TAPS(WLOAD, A0, A1, A2, A3, B0, B1, B2, B3)                                   \
  "ldrd %[x0], %[x1], [%[col]], #8\n\t" WLOAD                                                  \
  "smlad %[a0], %[x0], %[t], %[" A0 "]\n\t"                                                    \
  "smlad %[a1], %[x1], %[t], %[" A1 "]\n\t"                                                    \
  "smlad %[b0], %[x0], %[w], %[" B0 "]\n\t"                                                    \
  "smlad %[b1], %[x1], %[w], %[" B1 "]\n\t"                                                    \
  "ldrd %[x0], %[x1], [%[col]], #8\n\t"                                                        \
  "smlad %[a2], %[x0], %[t], %[" A2 "]\n\t"                                                    \
  "smlad %[a3], %[x1], %[t], %[" A3 "]\n\t"                                                    \
  "smlad %[b2], %[x0], %[w], %[" B2 "]\n\t"                                                    \
  "smlad %[b3], %[x1], %[w], %[" B3 "]\n\t"
#define TP_QCONV_PAIR(WLOAD) TP_QCONV_TAPS(WLOAD, "a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3")
/* The 8 sums of channels m, m + 1 (a, b) over pixels 0-3 from their biases. */
#define TP_QCONV_SUMS(WLOAD)                                                                   \
  __asm__ volatile("ldr %[x0], %[end4]\n\t"                                                    \
                   "cmp %[wb], %[x0]\n\t"                                                      \
                   "beq 2f\n"                                                                  \
                   "1:\n\t" TP_QCONV_PAIR(WLOAD) TP_QCONV_PAIR(WLOAD) TP_QCONV_PAIR(WLOAD)      \
                   TP_QCONV_PAIR(WLOAD)                                                        \
                   "ldr %[x0], %[end4]\n\t"                                                    \
                   "cmp %[wb], %[x0]\n\t"                                                      \
                   "bne 1b\n"                                                                  \
                   "2:\n\t"                                                                    \
                   "ldr %[x0], %[end]\n\t"                                                     \
                   "cmp %[wb], %[x0]\n\t"                                                      \
                   "beq 4f\n"                                                                  \
                   "3:\n\t" TP_QCONV_PAIR(WLOAD)                                               \
                   "ldr %[x0], %[end]\n\t"                                                     \
                   "cmp %[wb], %[x0]\n\t"                                                      \
                   "bne 3b\n"                                                                  \
                   "4:\n"                                                                      \
                   : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),               \
                     [b0] "+r"(b0), [b1] "+r"(b1), [b2] "+r"(b2), [b3] "+r"(b3),               \
                     [col] "+r"(cp), [wb] "+r"(wb), [x0] "=&r"(x0), [x1] "=&r"(x1),            \
                     [t] "=&r"(t), [w] "=&r"(w)                                                \
                   : [end4] "m"(end4), [end] "m"(end)                                          \
                   : "cc", "memory")
#if defined(__ARM_FP) && (__ARM_FP & 4)
/* The first pair of a block: the sums start from the biases in a3, b3. */
#define TP_QCONV_FIRST(WLOAD) TP_QCONV_TAPS(WLOAD, "a3", "a3", "a3", "a3", "b3", "b3", "b3", "b3")
/* Every pair of channels of a whole block: the sums as TP_QCONV_SUMS
   makes them (the first four tap pairs without a test, J >= 4; col's ends
   instead of the weights'), then
   tp_qstore4_finite_u8's arithmetic on all 8 (into the FPU and back
   through memory, VCVT, VMUL by the pair's multipliers, VCVTR, QADD of the
   zero point unless it is 0, USAT), FLIP for int8, a word store per
   channel, and the next pair. */
#define TP_QCONV_WHOLE(FLIP, WLOAD)                                                            \
  __asm__ volatile("0:\n\t"                                                                    \
                   "ldr %[x0], %[bzp]\n\t"                                                     \
                   "ldrd %[a3], %[b3], [%[x0]], #8\n\t"                                        \
                   "str %[x0], %[bzp]\n\t"                                                     \
                   "ldr %[col], %[col0]\n\t" TP_QCONV_FIRST(WLOAD) TP_QCONV_PAIR(WLOAD)        \
                   TP_QCONV_PAIR(WLOAD) TP_QCONV_PAIR(WLOAD)                                   \
                   "ldr %[x0], %[cend4]\n\t"                                                   \
                   "cmp %[col], %[x0]\n\t"                                                     \
                   "beq 2f\n"                                                                  \
                   "1:\n\t" TP_QCONV_PAIR(WLOAD) TP_QCONV_PAIR(WLOAD) TP_QCONV_PAIR(WLOAD)      \
                   TP_QCONV_PAIR(WLOAD)                                                        \
                   "ldr %[x0], %[cend4]\n\t"                                                   \
                   "cmp %[col], %[x0]\n\t"                                                     \
                   "bne 1b\n"                                                                  \
                   "2:\n\t"                                                                    \
                   "ldr %[x0], %[cend]\n\t"                                                    \
                   "cmp %[col], %[x0]\n\t"                                                     \
                   "beq 4f\n"                                                                  \
                   "3:\n\t" TP_QCONV_PAIR(WLOAD)                                               \
                   "ldr %[x0], %[cend]\n\t"                                                    \
                   "cmp %[col], %[x0]\n\t"                                                     \
                   "bne 3b\n"                                                                  \
                   "4:\n\t"                                                                    \
                   "ldr %[x0], %[multp]\n\t"                                                   \
                   "vldmia %[x0]!, {s8, s9}\n\t"                                               \
                   "str %[x0], %[multp]\n\t"                                                   \
                   "ldr %[x0], %[bufp]\n\t"                                                    \
                   "stm %[x0], {%[a0], %[a1], %[a2], %[a3], %[b0], %[b1], %[b2], %[b3]}\n\t"   \
                   "vldm %[x0], {s0-s7}\n\t"                                                   \
                   "vcvt.f32.s32 s0, s0\n\tvcvt.f32.s32 s1, s1\n\t"                            \
                   "vcvt.f32.s32 s2, s2\n\tvcvt.f32.s32 s3, s3\n\t"                            \
                   "vcvt.f32.s32 s4, s4\n\tvcvt.f32.s32 s5, s5\n\t"                            \
                   "vcvt.f32.s32 s6, s6\n\tvcvt.f32.s32 s7, s7\n\t"                            \
                   "vmul.f32 s0, s0, s8\n\tvmul.f32 s1, s1, s8\n\t"                            \
                   "vmul.f32 s2, s2, s8\n\tvmul.f32 s3, s3, s8\n\t"                            \
                   "vmul.f32 s4, s4, s9\n\tvmul.f32 s5, s5, s9\n\t"                            \
                   "vmul.f32 s6, s6, s9\n\tvmul.f32 s7, s7, s9\n\t"                            \
                   "vcvtr.s32.f32 s0, s0\n\tvcvtr.s32.f32 s1, s1\n\t"                          \
                   "vcvtr.s32.f32 s2, s2\n\tvcvtr.s32.f32 s3, s3\n\t"                          \
                   "vcvtr.s32.f32 s4, s4\n\tvcvtr.s32.f32 s5, s5\n\t"                          \
                   "vcvtr.s32.f32 s6, s6\n\tvcvtr.s32.f32 s7, s7\n\t"                          \
                   "vstm %[x0], {s0-s7}\n\t"                                                   \
                   "ldm %[x0], {%[a0], %[a1], %[a2], %[a3], %[b0], %[b1], %[b2], %[b3]}\n\t"   \
                   "ldr %[t], %[z]\n\t"                                                        \
                   "cmp %[t], #0\n\t"                                                          \
                   "beq 5f\n\t"                                                                \
                   "qadd %[a0], %[a0], %[t]\n\tqadd %[a1], %[a1], %[t]\n\t"                    \
                   "qadd %[a2], %[a2], %[t]\n\tqadd %[a3], %[a3], %[t]\n\t"                    \
                   "qadd %[b0], %[b0], %[t]\n\tqadd %[b1], %[b1], %[t]\n\t"                    \
                   "qadd %[b2], %[b2], %[t]\n\tqadd %[b3], %[b3], %[t]\n"                      \
                   "5:\n\t"                                                                    \
                   "usat %[a0], #8, %[a0]\n\tusat %[a1], #8, %[a1]\n\t"                        \
                   "usat %[a2], #8, %[a2]\n\tusat %[a3], #8, %[a3]\n\t"                        \
                   "usat %[b0], #8, %[b0]\n\tusat %[b1], #8, %[b1]\n\t"                        \
                   "usat %[b2], #8, %[b2]\n\tusat %[b3], #8, %[b3]\n\t"                        \
                   "orr %[a0], %[a0], %[a1], lsl #8\n\t"                                       \
                   "orr %[a0], %[a0], %[a2], lsl #16\n\t"                                      \
                   "orr %[a0], %[a0], %[a3], lsl #24\n\t"                                      \
                   "orr %[b0], %[b0], %[b1], lsl #8\n\t"                                       \
                   "orr %[b0], %[b0], %[b2], lsl #16\n\t"                                      \
                   "orr %[b0], %[b0], %[b3], lsl #24\n\t" FLIP                                 \
                   "ldr %[t], %[yp]\n\t"                                                       \
                   "ldr %[x0], %[p]\n\t"                                                       \
                   "str %[a0], [%[t]]\n\t"                                                     \
                   "str %[b0], [%[t], %[x0]]\n\t"                                              \
                   "add %[t], %[t], %[x0], lsl #1\n\t"                                         \
                   "str %[t], %[yp]\n\t"                                                       \
                   "ldr %[x0], %[left]\n\t"                                                    \
                   "subs %[x0], %[x0], #1\n\t"                                                 \
                   "str %[x0], %[left]\n\t"                                                    \
                   "bne 0b\n"                                                                  \
                   : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3),           \
                     [b0] "=&r"(b0), [b1] "=&r"(b1), [b2] "=&r"(b2), [b3] "=&r"(b3),           \
                     [col] "=&r"(cp), [wb] "+r"(wb), [x0] "=&r"(x0), [x1] "=&r"(x1),           \
                     [t] "=&r"(t), [w] "=&r"(w), [bzp] "+m"(bzp), [multp] "+m"(multp),         \
                     [yp] "+m"(yp), [left] "+m"(left)                                          \
                   : [col0] "m"(col), [cend4] "m"(cend4), [cend] "m"(cend), [z] "m"(z),        \
                     [p] "m"(P), [bufp] "m"(bufp)                                              \
                   : "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "cc", "memory")
  /* Whole blocks (two channels, four pixels) straight into y, in one
     piece of assembly where the stores are the float requantization. */
  if (count == 4 && M >= 2 && J >= 4 && tp_requant_float()) {
    const int32_t *bzp = bz;
    const float *multp = mult;
    uint8_t *yp = y;
    int32_t left = M / 2;
    const int32_t z = (uint8_t)-1 == 255 ? zp : zp + 128;
    const uint32_t *cend4 = col + 4 * (4 + ((J - 4) & ~3)), *cend = col + 4 * J, *cp;
    /* The 8 sums go to the FPU and back through buf, one STM/VLDM and one
       VSTM/LDM: the registers in ascending order, a's before b's. */
    register int32_t a0 __asm__("r0"), a1 __asm__("r1"), a2 __asm__("r2"), a3 __asm__("r3");
    register int32_t b0 __asm__("r4"), b1 __asm__("r5"), b2 __asm__("r6"), b3 __asm__("r8");
    int32_t *bufp = buf;
    uint32_t x0, x1, t, w;
#define TP_QCONV_FLIP "eor %[a0], %[a0], #0x80808080\n\teor %[b0], %[b0], #0x80808080\n\t"
    if ((uint8_t)-1 == 255 && wide)
      TP_QCONV_WHOLE("", TP_QCONV_WIDE);
    else if ((uint8_t)-1 == 255)
      TP_QCONV_WHOLE("", TP_QCONV_NARROW);
    else if (wide)
      TP_QCONV_WHOLE(TP_QCONV_FLIP, TP_QCONV_WIDE);
    else
      TP_QCONV_WHOLE(TP_QCONV_FLIP, TP_QCONV_NARROW);
#undef TP_QCONV_FLIP
    (void)a0, (void)a1, (void)a2, (void)a3, (void)b0, (void)b1, (void)b2, (void)b3;
    (void)x0, (void)x1, (void)t, (void)w, (void)cp;
    m = M & ~1, bz = bzp, mult = multp, y = yp;
  }
#undef TP_QCONV_FIRST
#undef TP_QCONV_WHOLE
#endif
  /* Whole blocks (two channels, four pixels) straight into y. */
  if (count == 4)
    for (; m + 1 < M; m += 2, y += 2 * P, bz += 2, mult += 2) {
      int32_t a0 = bz[0], a1 = a0, a2 = a0, a3 = a0;
      int32_t b0 = bz[1], b1 = b0, b2 = b0, b3 = b0;
      const uint32_t *cp = col, *end4 = wb + (J & ~3) * words, *end = wb + J * words;
      uint32_t x0, x1, t, w;
      if (wide)
        TP_QCONV_SUMS(TP_QCONV_WIDE);
      else
        TP_QCONV_SUMS(TP_QCONV_NARROW);
      tp_qstore4_finite_u8(y, a0, a1, a2, a3, mult[0], zp);
      tp_qstore4_finite_u8(y + P, b0, b1, b2, b3, mult[1], zp);
    }
#endif
  for (; m < M; m += 2, y += 2 * P, bz += 2, mult += 2) {
    const int32_t pair = m + 1 < M, whole = pair && count == 4;
    const int32_t bias0 = bz[0], bias1 = pair ? bz[1] : 0;
    const float mult0 = mult[0], mult1 = pair ? mult[1] : mult0;
    /* A block of fewer than 4 pixels, or of one channel, goes through spare. */
    uint8_t *y0 = whole ? y : spare, *y1 = whole ? y + P : spare + 4;
    const uint32_t *cp = col;
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && \
    defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && \
    !defined(__clang__) && \
    defined(__OPTIMIZE__) && !defined(__PIC__) && defined(__ARM_FEATURE_UNALIGNED) && \
    !defined(TINYPLAN_NO_ASM)
    int32_t a0 = bias0, a1 = bias0, a2 = bias0, a3 = bias0;
    int32_t b0 = bias1, b1 = bias1, b2 = bias1, b3 = bias1;
    const uint32_t *end4 = wb + (J & ~3) * words, *end = wb + J * words;
    uint32_t x0, x1, t, w;
    if (wide)
      TP_QCONV_SUMS(TP_QCONV_WIDE);
    else
      TP_QCONV_SUMS(TP_QCONV_NARROW);
    tp_qstore4_finite_u8(y0, a0, a1, a2, a3, mult0, zp);
    tp_qstore4_finite_u8(y1, b0, b1, b2, b3, mult1, zp);
#else
    uint32_t u[8];
    int32_t j;
    wb = wt + m / 2 * J * words;
    for (q = 0; q < 4; ++q)
      u[q] = (uint32_t)bias0, u[4 + q] = (uint32_t)bias1;
    for (j = 0; j < J; ++j, cp += 4) {
      /* The weights as signed values, without a narrowing conversion. */
      int32_t w00, w10, w01, w11;
      if (wide) {
        const uint32_t w0 = wb[2 * j], w1 = wb[2 * j + 1];
        w00 = (int32_t)((w0 & 0xffffu) ^ 0x8000u) - 0x8000;
        w01 = (int32_t)((w0 >> 16) ^ 0x8000u) - 0x8000;
        w10 = (int32_t)((w1 & 0xffffu) ^ 0x8000u) - 0x8000;
        w11 = (int32_t)((w1 >> 16) ^ 0x8000u) - 0x8000;
      } else {
        const uint32_t w = wb[j];
        w00 = (int32_t)((w & 0xffu) ^ 0x80u) - 0x80;
        w10 = (int32_t)(((w >> 8) & 0xffu) ^ 0x80u) - 0x80;
        w01 = (int32_t)(((w >> 16) & 0xffu) ^ 0x80u) - 0x80;
        w11 = (int32_t)((w >> 24) ^ 0x80u) - 0x80;
      }
      for (q = 0; q < 4; ++q) {
        const int32_t lo = (int32_t)((cp[q] & 0xffffu) ^ 0x8000u) - 0x8000;
        const int32_t hi = (int32_t)((cp[q] >> 16) ^ 0x8000u) - 0x8000;
        u[q] += (uint32_t)(lo * w00) + (uint32_t)(hi * w01);
        u[4 + q] += (uint32_t)(lo * w10) + (uint32_t)(hi * w11);
      }
    }
    tp_qstore4_finite_u8(y0, (int32_t)u[0], (int32_t)u[1], (int32_t)u[2], (int32_t)u[3], mult0,
                         zp);
    tp_qstore4_finite_u8(y1, (int32_t)u[4], (int32_t)u[5], (int32_t)u[6], (int32_t)u[7], mult1,
                         zp);
#endif
    if (!whole)
      for (q = 0; q < count; ++q) {
        y[q] = spare[q];
        if (pair)
          y[P + q] = spare[4 + q];
      }
  }
#undef TP_QCONV_PAIR
#undef TP_QCONV_TAPS
#undef TP_QCONV_SUMS
#undef TP_QCONV_NARROW
#undef TP_QCONV_WIDE
}

/* @kernel tp_qconv_blocked_u8 uses tp_qconv_gather1_u8 tp_qconv_gather4_u8 tp_qconv_gather1x1_u8 tp_qconv_strip4_u8 tp_qconv_block_u8
 * @instance tp_qconv_blocked_i8: uint8_t=int8_t tp_qconv_gather1_u8=tp_qconv_gather1_i8 tp_qconv_gather4_u8=tp_qconv_gather4_i8 tp_qconv_gather1x1_u8=tp_qconv_gather1x1_i8 tp_qconv_strip4_u8=tp_qconv_strip4_i8 tp_qconv_block_u8=tp_qconv_block_i8
 * QLinearConv of N images, group 1, 1-D or 2-D, constant weights (geo: H W
 * OH OW KH KW SH SW DH DW PT PL, then 1 when windows reach into the
 * padding, else 0). The taps of a window are taken two at a
 * time, in the pair order: each row r = c * KH + kh's taps (0, 1), (2,
 * 3)... in turn, then when KW is odd the rows' last taps, rows (0, 1), (2,
 * 3)... (a row past the last: weight 0). For
 * every 4 output pixels (the last ones repeated to make 4), the pairs of
 * their windows are gathered into col (J = pair count words per pixel,
 * pixel q of pair j at col[4 j + q]) as the raw x, and x_zp where the
 * window is in the padding; then for every 2 output channels, wt holds
 * their weights w - w_zp, two channels x two taps per word (J words, as
 * tp_qconv_block_u8 reads them; 0 for a channel past M; as int16 pairs,
 * 2 J words, in the instances whose block kernel is wide), and bz[m] =
 * b[m] - x_zp * sum of channel m's w - w_zp (modulo 2^32), so that the sums
 * are those of (x - x_zp) * (w - w_zp) + b: the direct kernel's integers.
 * Each sum is stored as tp_qstore_finite_u8 stores it, with mult[m] =
 * (x_scale * w_scale[m]) / y_scale, computed in float at compile time.
 * Groups of pixels of one output row whose windows reach into the padding
 * are gathered through the strip after the windows (tp_qconv_strip4_u8),
 * others of them pixel by pixel; a 1 x 1 window with stride 1 and no
 * padding takes four pixels' pairs straight from their channels' rows
 * (tp_qconv_gather1x1_u8). scratch: 16 J + 3 bytes, plus 3 SW + (KW - 1)
 * DW + 1 for the strip when windows reach into the padding. */
TP_KERNEL void tp_qconv_blocked_u8(const uint8_t *x, int32_t xzp, const uint32_t *wt,
    const int32_t *bz, const float *mult, void *y, int32_t yzp, int32_t N, int32_t C, int32_t M,
    const int32_t *geo, void *scratch) {
  const int32_t H = geo[0], W = geo[1], OH = geo[2], OW = geo[3], KH = geo[4], KW = geo[5];
  const int32_t P = OH * OW, R = C * KH, J = R * (KW / 2) + (R + 1) / 2 * (KW & 1);
  /* The scratch's first 4-byte boundary: LDRD needs it. */
  uint32_t *col = (uint32_t *)(void *)((uint8_t *)scratch + ((4u - ((uintptr_t)scratch & 3u)) & 3u));
  /* With padding, the strip of a row of 4 windows after the windows. */
  uint8_t *strip = geo[12] ? (uint8_t *)(col + 4 * J) : 0;
  /* 1 x 1, stride 1, no padding: pixel p is input element p. */
  const int32_t pointwise = KH == 1 && KW == 1 && geo[6] == 1 && geo[7] == 1 && !geo[12] &&
                            OH == H && OW == W;
  int32_t n, p, q, at[4];
  for (n = 0; n < N; ++n) {
    const uint8_t *xn = x + n * C * H * W;
    for (p = 0; p < P; p += 4) {
      const int32_t count = P - p < 4 ? P - p : 4;
      int32_t inside = 1;
      if (pointwise && count == 4) {
        tp_qconv_gather1x1_u8(xn + p, P, C, col);
        tp_qconv_block_u8(col, wt, J, bz, mult, yzp, (uint8_t *)y + n * M * P + p, P, M, 4);
        continue;
      }
      for (q = 0; q < 4; ++q) {
        const int32_t pq = p + (q < count ? q : count - 1);
        const int32_t ih0 = pq / OW * geo[6] - geo[10], iw0 = pq % OW * geo[7] - geo[11];
        inside = inside && ih0 >= 0 && ih0 + (KH - 1) * geo[8] < H && iw0 >= 0 &&
                 iw0 + (KW - 1) * geo[9] < W;
        at[q] = ih0 * W + iw0;
      }
      if (inside) {
        tp_qconv_gather4_u8(xn, C, geo, at, col);
      } else if (strip && p / OW == (p + count - 1) / OW) {
        tp_qconv_strip4_u8(xn, xzp, C, geo, p / OW, p % OW, count, strip, col);
      } else {
        for (q = 0; q < 4; ++q) {
          const int32_t pq = p + (q < count ? q : count - 1);
          tp_qconv_gather1_u8(xn, xzp, C, geo, pq / OW, pq % OW, col + q);
        }
      }
      tp_qconv_block_u8(col, wt, J, bz, mult, yzp, (uint8_t *)y + n * M * P + p, P, M, count);
    }
  }
}

/* @kernel tp_qconv_pointwise_u8 uses tp_qconv_pack16 tp_qconv_gather1x1_u8 tp_qconv_block_u8
 * @instance tp_qconv_pointwise_i8: uint8_t=int8_t tp_qconv_gather1x1_u8=tp_qconv_gather1x1_i8 tp_qconv_block_u8=tp_qconv_block_i8
 * tp_qconv_blocked_u8 of a 1 x 1 window with stride 1 and no padding: N
 * images of C channels of P pixels, wt, bz and mult as there (pair j:
 * channels 2j and 2j + 1). The same integers; a kernel of its own so
 * that a model's other convolutions leave the general kernel to fewer
 * callers, whose gathers the compiler then specialises. scratch: 16
 * ((C + 1) / 2) + 3 bytes. */
TP_KERNEL void tp_qconv_pointwise_u8(const uint8_t *x, const uint32_t *wt, const int32_t *bz,
    const float *mult, void *y, int32_t yzp, int32_t N, int32_t C, int32_t M, int32_t P,
    void *scratch) {
  const int32_t J = (C + 1) / 2;
  /* The scratch's first 4-byte boundary: LDRD needs it. */
  uint32_t *col = (uint32_t *)(void *)((uint8_t *)scratch + ((4u - ((uintptr_t)scratch & 3u)) & 3u));
  int32_t n, p, q, j;
  for (n = 0; n < N; ++n) {
    const uint8_t *xn = x + n * C * P;
    for (p = 0; p < P; p += 4) {
      const int32_t count = P - p < 4 ? P - p : 4;
      if (count == 4) {
        tp_qconv_gather1x1_u8(xn + p, P, C, col);
      } else {
        /* The last pixels, the last one repeated to make 4 (of one or two,
           tp_qconv_block_u8 reads only theirs). */
        const int32_t slots = count <= 2 ? count : 4;
        for (j = 0; j < J; ++j)
          for (q = 0; q < slots; ++q) {
            const uint8_t *xq = xn + 2 * j * P + p + (q < count ? q : count - 1);
            col[4 * j + q] = tp_qconv_pack16(xq[0], 2 * j + 1 < C ? (int32_t)xq[P] : 0);
          }
      }
      tp_qconv_block_u8(col, wt, J, bz, mult, yzp, (uint8_t *)y + n * M * P + p, P, M, count);
    }
  }
}

/* @kernel tp_qconv_dwplane_u8 uses tp_qconv_pack16
 * @instance tp_qconv_dwplane_i8: uint8_t=int8_t
 * `rows` rows of W side-by-side inputs, xrow apart from x, as int16 x -
 * x_zp in rows WR int16 apart from out (tp_qconv_dwrow_u8's side-by-side
 * rows, and all of a plane's at once). With the DSP extension on Thumb-2,
 * one piece of assembly: per row, 4 inputs at a time (UXTB16/SXTB16, PKHBT
 * and PKHTB, two SSUB16: 11 instructions), then the last W % 4 one at a
 * time (5), and 10 instructions around them, where a call per row costs
 * about 20. */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void tp_qconv_dwplane_u8(const uint8_t *x, int32_t xrow, int32_t xzp, int32_t W, int32_t rows,
                         int16_t *out, int32_t WR) {
/* As tp_qconv_block_u8's, this assembly takes 13 core registers; its word
   loads from any byte need a core that may access memory unaligned. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && \
    defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && defined(__ARM_FEATURE_UNALIGNED) && \
    defined(__OPTIMIZE__) && !defined(__PIC__) && !defined(TINYPLAN_NO_ASM)
  const uint32_t zz = tp_qconv_pack16(xzp, xzp);
  const int32_t w4 = W & ~3, rem = W & 3, xadv = xrow - W, oadv = (WR - W) * 2;
  int32_t n = rows;
  const uint8_t *end;
  uint32_t v, e, o;
#define TP_DWPLANE_ASM(WIDEN, LOADB)                                                           \
  __asm__ volatile("0:\n\t"                                                                    \
                   "add %[end], %[x], %[w4]\n\t"                                               \
                   "cmp %[x], %[end]\n\t"                                                      \
                   "beq 2f\n"                                                                  \
                   "1:\n\t"                                                                    \
                   "ldr %[v], [%[x]], #4\n\t"                                                  \
                   WIDEN " %[e], %[v]\n\t"                                                     \
                   WIDEN " %[o], %[v], ror #8\n\t"                                             \
                   "pkhbt %[v], %[e], %[o], lsl #16\n\t"                                       \
                   "pkhtb %[o], %[o], %[e], asr #16\n\t"                                       \
                   "ssub16 %[v], %[v], %[zz]\n\t"                                              \
                   "ssub16 %[o], %[o], %[zz]\n\t"                                              \
                   "str %[v], [%[r]], #4\n\t"                                                  \
                   "str %[o], [%[r]], #4\n\t"                                                  \
                   "cmp %[x], %[end]\n\t"                                                      \
                   "bne 1b\n"                                                                  \
                   "2:\n\t"                                                                    \
                   "add %[end], %[x], %[rem]\n\t"                                              \
                   "cmp %[x], %[end]\n\t"                                                      \
                   "beq 4f\n"                                                                  \
                   "3:\n\t"                                                                    \
                   LOADB " %[v], [%[x]], #1\n\t"                                               \
                   "sub %[v], %[v], %[zp]\n\t"                                                 \
                   "strh %[v], [%[r]], #2\n\t"                                                 \
                   "cmp %[x], %[end]\n\t"                                                      \
                   "bne 3b\n"                                                                  \
                   "4:\n\t"                                                                    \
                   "add %[x], %[x], %[xadv]\n\t"                                               \
                   "add %[r], %[r], %[oadv]\n\t"                                               \
                   "subs %[n], %[n], #1\n\t"                                                   \
                   "bne 0b\n"                                                                  \
                   : [x] "+r"(x), [r] "+r"(out), [n] "+r"(n), [end] "=&r"(end),                \
                     [v] "=&r"(v), [e] "=&r"(e), [o] "=&r"(o)                                  \
                   : [w4] "r"(w4), [rem] "r"(rem), [xadv] "r"(xadv), [oadv] "r"(oadv),         \
                     [zz] "r"(zz), [zp] "r"(xzp)                                               \
                   : "cc", "memory")
  if (rows <= 0)
    return;
  /* Bytes 0 and 2, 1 and 3 widened; (x0, x1) and (x2, x3) packed. */
  if ((uint8_t)-1 == 255)
    TP_DWPLANE_ASM("uxtb16", "ldrb");
  else
    TP_DWPLANE_ASM("sxtb16", "ldrsb");
#undef TP_DWPLANE_ASM
#else
  int32_t i, j;
  for (i = 0; i < rows; ++i)
    for (j = 0; j < W; ++j)
      out[i * WR + j] = (int16_t)((int32_t)x[i * xrow + j] - xzp);
#endif
}

/* @kernel tp_qconv_dwrow_u8 uses tp_qconv_pack16
 * @instance tp_qconv_dwrow_i8: uint8_t=int8_t
 * Columns PL to PL + W - 1 of a row of the padded plane: the W inputs at
 * xr, step apart, as int16 x - x_zp, or 0 for a row of padding (xr null).
 * The columns of padding either side are 0 already. With the DSP
 * extension on Thumb-2, inputs step apart go 4 at a time in assembly
 * (PKHBT, SSUB16: 14 instructions per 4); the callers give side-by-side
 * inputs there to tp_qconv_dwplane_u8 (11 instructions per 4). */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void tp_qconv_dwrow_u8(const uint8_t *xr, int32_t step, int32_t xzp, int32_t W, int16_t *row) {
  int32_t j = 0;
  if (!xr) {
    for (j = 0; j < W; ++j)
      row[j] = 0;
    return;
  }
  /* Word stores into the row at any halfword: where the core may access
     memory unaligned. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && \
    defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && defined(__ARM_FEATURE_UNALIGNED) && \
    !defined(TINYPLAN_NO_ASM)
  if (step != 1 && W >= 4) {
    /* A column of the plane (the transposed plane's row): four inputs step
       apart as two words, PKHBT and SSUB16, 14 instructions per 4. */
    const uint32_t zz = tp_qconv_pack16(xzp, xzp);
    int16_t *out = row;
    const int16_t *end = row + (W & ~3);
    uint32_t a, b, c, d;
#define TP_DWCOL_ASM(LOAD)                                                                     \
  __asm__ volatile("1:\n\t"                                                                    \
                   LOAD " %[a], [%[x]]\n\t"                                                    \
                   LOAD " %[b], [%[x], %[s]]\n\t"                                              \
                   "add %[x], %[x], %[s], lsl #1\n\t"                                          \
                   LOAD " %[c], [%[x]]\n\t"                                                    \
                   LOAD " %[d], [%[x], %[s]]\n\t"                                              \
                   "add %[x], %[x], %[s], lsl #1\n\t"                                          \
                   "pkhbt %[a], %[a], %[b], lsl #16\n\t"                                       \
                   "pkhbt %[c], %[c], %[d], lsl #16\n\t"                                       \
                   "ssub16 %[a], %[a], %[zz]\n\t"                                              \
                   "ssub16 %[c], %[c], %[zz]\n\t"                                              \
                   "str %[a], [%[r]], #4\n\t"                                                  \
                   "str %[c], [%[r]], #4\n\t"                                                  \
                   "cmp %[r], %[end]\n\t"                                                      \
                   "bne 1b\n"                                                                  \
                   : [x] "+r"(xr), [r] "+r"(out), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c),    \
                     [d] "=&r"(d)                                                              \
                   : [s] "r"(step), [end] "r"(end), [zz] "r"(zz)                               \
                   : "cc", "memory")
    if ((uint8_t)-1 == 255)
      TP_DWCOL_ASM("ldrb");
    else
      TP_DWCOL_ASM("ldrsb");
#undef TP_DWCOL_ASM
    j = W & ~3;
  }
#endif
  for (; j < W; ++j, xr += step)
    row[j] = (int16_t)((int32_t)*xr - xzp);
}

/* @kernel tp_qconv_dwrow2_u8 uses tp_qconv_pack16
 * @instance tp_qconv_dwrow2_i8: uint8_t=int8_t
 * tp_qconv_dwrow_u8 of two rows at once, row and row + WR: the W inputs at
 * xr and those at xr + 1 (two neighbouring columns of the plane, the
 * transposed plane's rows), step apart. With the DSP extension on Thumb-2,
 * four inputs of each row per iteration in assembly: four LDRH, the bytes'
 * words widened (UXTB16 / SXTB16, bytes 0 and 2, 1 and 3), four SSUB16
 * and four stores, 22 instructions per 8 inputs (8 per 2 one row at a
 * time). */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void tp_qconv_dwrow2_u8(const uint8_t *xr, int32_t step, int32_t xzp, int32_t W, int16_t *row,
                        int32_t WR) {
  int32_t j = 0;
  /* Halfword loads from any byte: where the core may access memory unaligned. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__thumb2__) && \
    defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && defined(__ARM_FEATURE_UNALIGNED) && \
    !defined(TINYPLAN_NO_ASM)
  if (W >= 2) {
    const uint32_t zz = tp_qconv_pack16(xzp, xzp);
    const int32_t wr2 = WR * 2;
    int16_t *out = row;
    const int16_t *end4 = row + (W & ~3), *end = row + (W & ~1);
    uint32_t a, b, c, d;
/* Four inputs of each row per iteration (22 instructions per 8), then two
   (12 per 4) when W % 4 is 2 or 3. */
#define TP_DWROW2_ASM(WIDEN)                                                                   \
  if (W >= 4)                                                                                  \
    __asm__ volatile("1:\n\t"                                                                  \
                     "ldrh %[a], [%[x]]\n\t"                                                   \
                     "ldrh %[b], [%[x], %[s]]\n\t"                                             \
                     "add %[x], %[x], %[s], lsl #1\n\t"                                        \
                     "ldrh %[c], [%[x]]\n\t"                                                   \
                     "ldrh %[d], [%[x], %[s]]\n\t"                                             \
                     "add %[x], %[x], %[s], lsl #1\n\t"                                        \
                     "orr %[a], %[a], %[b], lsl #16\n\t"                                       \
                     "orr %[c], %[c], %[d], lsl #16\n\t"                                       \
                     WIDEN " %[b], %[a], ror #8\n\t"                                           \
                     WIDEN " %[a], %[a]\n\t"                                                   \
                     WIDEN " %[d], %[c], ror #8\n\t"                                           \
                     WIDEN " %[c], %[c]\n\t"                                                   \
                     "ssub16 %[a], %[a], %[zz]\n\t"                                            \
                     "ssub16 %[b], %[b], %[zz]\n\t"                                            \
                     "ssub16 %[c], %[c], %[zz]\n\t"                                            \
                     "ssub16 %[d], %[d], %[zz]\n\t"                                            \
                     "str %[b], [%[r], %[wr2]]\n\t"                                            \
                     "str %[a], [%[r]], #4\n\t"                                                \
                     "str %[d], [%[r], %[wr2]]\n\t"                                            \
                     "str %[c], [%[r]], #4\n\t"                                                \
                     "cmp %[r], %[end]\n\t"                                                    \
                     "bne 1b\n"                                                                \
                     : [x] "+r"(xr), [r] "+r"(out), [a] "=&r"(a), [b] "=&r"(b),                \
                       [c] "=&r"(c), [d] "=&r"(d)                                              \
                     : [s] "r"(step), [end] "r"(end4), [zz] "r"(zz), [wr2] "r"(wr2)            \
                     : "cc", "memory");                                                        \
  if (W & 2)                                                                                   \
    __asm__ volatile("ldrh %[a], [%[x]]\n\t"                                                   \
                     "ldrh %[b], [%[x], %[s]]\n\t"                                             \
                     "add %[x], %[x], %[s], lsl #1\n\t"                                        \
                     "orr %[a], %[a], %[b], lsl #16\n\t"                                       \
                     WIDEN " %[b], %[a], ror #8\n\t"                                           \
                     WIDEN " %[a], %[a]\n\t"                                                   \
                     "ssub16 %[a], %[a], %[zz]\n\t"                                            \
                     "ssub16 %[b], %[b], %[zz]\n\t"                                            \
                     "str %[b], [%[r], %[wr2]]\n\t"                                            \
                     "str %[a], [%[r]], #4\n"                                                  \
                     : [x] "+r"(xr), [r] "+r"(out), [a] "=&r"(a), [b] "=&r"(b)                 \
                     : [s] "r"(step), [zz] "r"(zz), [wr2] "r"(wr2)                             \
                     : "memory")
    if ((uint8_t)-1 == 255) {
      TP_DWROW2_ASM("uxtb16");
    } else {
      TP_DWROW2_ASM("sxtb16");
    }
#undef TP_DWROW2_ASM
    (void)c, (void)d, (void)end;
    j = W & ~1;
  }
#endif
  for (; j < W; ++j, xr += step) {
    row[j] = (int16_t)((int32_t)xr[0] - xzp);
    row[WR + j] = (int16_t)((int32_t)xr[1] - xzp);
  }
}

/* @kernel tp_qconv_dw3_row
 * One row of two outputs of a 3 x 3 window with columns 1 apart, SW (1
 * or 2) apart: *a += r[0..2] . (w0, w1, w2), *b += r[SW..SW + 2] . the
 * same, with w01 = (w0, w1) and w2 = (w2, 0) as SMLAD words (low half
 * first). With the DSP extension: 3 loads of int16 pairs, 2 SMLAD and 2
 * SMLAxy. */
TP_KERNEL inline void tp_qconv_dw3_row(const int16_t *r, uint32_t w01, uint32_t w2, int32_t SW,
                                       int32_t *a, int32_t *b) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(__ARM_BIG_ENDIAN)
  uint32_t p0, p2, p;
  memcpy(&p0, r, 4);
  memcpy(&p2, r + 2, 4);
  *a = __builtin_arm_smlabb(p2, w2, __builtin_arm_smlad(p0, w01, *a));
  if (SW == 1) {
    memcpy(&p, r + 1, 4);
    *b = __builtin_arm_smlatb(p2, w2, __builtin_arm_smlad(p, w01, *b));
  } else {
    memcpy(&p, r + 4, 4);
    *b = __builtin_arm_smlabb(p, w2, __builtin_arm_smlad(p2, w01, *b));
  }
#else
  const int32_t v0 = (int32_t)((w01 & 0xffffu) ^ 0x8000u) - 0x8000;
  const int32_t v1 = (int32_t)((w01 >> 16) ^ 0x8000u) - 0x8000;
  const int32_t v2 = (int32_t)((w2 & 0xffffu) ^ 0x8000u) - 0x8000;
  *a += r[0] * v0 + r[1] * v1 + r[2] * v2;
  *b += r[SW] * v0 + r[SW + 1] * v1 + r[SW + 2] * v2;
#endif
}

/* @kernel tp_qconv_dw3pass_u8
 * @instance tp_qconv_dw3pass_i8: uint8_t=int8_t
 * For tp_qconv_dw3x4_u8, on a core with the DSP extension and a
 * single-precision FPU: outputs 0 to OW - 1 (OW >= 4) of `rows` output
 * rows of a 3 x 3 window with columns 1 apart and stride SW (1 or 2), the
 * first output row's window rows r0, r1, r2 of the padded plane (int16
 * x - x_zp), each next output row's rstep further; w the channel's 6
 * SMLAD words; each sum from bias, stored as tp_qstore_finite_u8 stores
 * it at y[oh * yrow + ow * ycol]. In assembly: along each output row four
 * outputs at a time, the sums, their requantization and the store in
 * registers. Per row of the window: five loads of int16 pairs (columns 0,
 * 1, 2, 3, 4, or 0, 2, 4, 6, 8 for stride 2), four SMLAD with the row's
 * (w0, w1) and four SMLAxy with its w2, 13 instructions for 12
 * multiply-accumulates; then tp_qstore4_finite_u8's arithmetic (two sums
 * per VMOV into the FPU and back, VCVT, VMUL, VCVTR, QADD unless the zero
 * point makes it add 0, USAT) and one word store, or four byte stores ycol
 * apart straight from the four registers (SSAT for int8 there, after
 * QADDs without the test for 0: its zero point is y_zp itself; no packing,
 * 9 instructions). A row whose OW % 4 is 2 ends with a block of two
 * outputs, one whose OW % 4 is 1 with one output (two loads and an SMLAD
 * and an SMLAxy per window row, its requantization alone), one whose OW %
 * 4 is 3 with the block of its last four outputs, which recomputes some
 * (the same bits). Rows of whole blocks whose outputs follow each
 * other go from one to the next in 14 instructions. The loop
 * needs 14 registers: the four sums, a data word, the five weight words
 * (w2 of rows 0 and 1 share one), the three row pointers and the row's
 * end; the rest of its state is in memory, and the function is never
 * inlined, so that no caller's registers are live across it. */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((noinline, unused))
#endif
void tp_qconv_dw3pass_u8(const int16_t *r0, const int16_t *r1, const int16_t *r2,
                         const uint32_t *w, int32_t SW, int32_t OW, int32_t rows, int32_t rstep,
                         int32_t bias, uint8_t *y, int32_t ycol, int32_t yrow, float multiplier,
                         int32_t yzp) {
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__ARM_FP) && (__ARM_FP & 4) && \
    defined(__thumb2__) && defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && \
    !defined(__clang__) && \
    defined(__OPTIMIZE__) && !defined(__PIC__) && defined(__ARM_FEATURE_UNALIGNED) && \
    !defined(TINYPLAN_NO_ASM)
  const uint32_t wa = w[0], wb = w[2], wc = w[4], we = w[5];
  const uint32_t wd = (w[1] & 0xffffu) | (w[3] << 16);
  /* int8 packed in a word saturates value + 128 as uint8 and flips the
     top bits; stored byte by byte, it saturates as int8. */
  const int32_t z = (uint8_t)-1 == 255 || ycol != 1 ? yzp : yzp + 128;
  const int32_t rem = OW & 3;
/* Row P of the window with (w0, w1) in W and w2 in half Y (b or t) of H,
   the sums from a3 (the bias) for the first row R0 = a3, else their own. */
#define TP_DW3_S1(P, W, H, Y, A0, A1, A2, A3)                                                  \
  "ldr %[t], [%[" P "]]\n\t"                                                                   \
  "smlad %[a0], %[t], %[" W "], %[" A0 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #2]\n\t"                                                               \
  "smlad %[a1], %[t], %[" W "], %[" A1 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #4]\n\t"                                                               \
  "smlab" Y " %[a0], %[t], %[" H "], %[a0]\n\t"                                                \
  "smlat" Y " %[a1], %[t], %[" H "], %[a1]\n\t"                                                \
  "smlad %[a2], %[t], %[" W "], %[" A2 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #6]\n\t"                                                               \
  "smlad %[a3], %[t], %[" W "], %[" A3 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #8]!\n\t"                                                              \
  "smlab" Y " %[a2], %[t], %[" H "], %[a2]\n\t"                                                \
  "smlat" Y " %[a3], %[t], %[" H "], %[a3]\n\t"
#define TP_DW3_S2(P, W, H, Y, A0, A1, A2, A3)                                                  \
  "ldr %[t], [%[" P "]]\n\t"                                                                   \
  "smlad %[a0], %[t], %[" W "], %[" A0 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #4]\n\t"                                                               \
  "smlab" Y " %[a0], %[t], %[" H "], %[a0]\n\t"                                                \
  "smlad %[a1], %[t], %[" W "], %[" A1 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #8]\n\t"                                                               \
  "smlab" Y " %[a1], %[t], %[" H "], %[a1]\n\t"                                                \
  "smlad %[a2], %[t], %[" W "], %[" A2 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #12]\n\t"                                                              \
  "smlab" Y " %[a2], %[t], %[" H "], %[a2]\n\t"                                                \
  "smlad %[a3], %[t], %[" W "], %[" A3 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #16]!\n\t"                                                             \
  "smlab" Y " %[a3], %[t], %[" H "], %[a3]\n\t"
/* Two outputs (the row's last two when OW % 4 is 2). */
#define TP_DW3_T1(P, W, H, Y, A0, A1)                                                          \
  "ldr %[t], [%[" P "]]\n\t"                                                                  \
  "smlad %[a0], %[t], %[" W "], %[" A0 "]\n\t"                                                \
  "ldr %[t], [%[" P "], #2]\n\t"                                                              \
  "smlad %[a1], %[t], %[" W "], %[" A1 "]\n\t"                                                \
  "ldr %[t], [%[" P "], #4]!\n\t"                                                             \
  "smlab" Y " %[a0], %[t], %[" H "], %[a0]\n\t"                                               \
  "smlat" Y " %[a1], %[t], %[" H "], %[a1]\n\t"
#define TP_DW3_T2(P, W, H, Y, A0, A1)                                                          \
  "ldr %[t], [%[" P "]]\n\t"                                                                  \
  "smlad %[a0], %[t], %[" W "], %[" A0 "]\n\t"                                                \
  "ldr %[t], [%[" P "], #4]\n\t"                                                              \
  "smlab" Y " %[a0], %[t], %[" H "], %[a0]\n\t"                                               \
  "smlad %[a1], %[t], %[" W "], %[" A1 "]\n\t"                                                \
  "ldr %[t], [%[" P "], #8]!\n\t"                                                             \
  "smlab" Y " %[a1], %[t], %[" H "], %[a1]\n\t"
#define TP_DW3_PAIR(T)                                                                         \
  "ldr %[a3], %[bias]\n\t"                                                                    \
  T("p0", "wa", "wd", "b", "a3", "a3")                                                        \
  T("p1", "wb", "wd", "t", "a0", "a1")                                                        \
  T("p2", "wc", "we", "b", "a0", "a1")                                                        \
  "vmov s0, s1, %[a0], %[a1]\n\t"                                                             \
  "vcvt.f32.s32 s0, s0\n\tvcvt.f32.s32 s1, s1\n\t"                                            \
  "vmul.f32 s0, s0, %[m]\n\tvmul.f32 s1, s1, %[m]\n\t"                                        \
  "vcvtr.s32.f32 s0, s0\n\tvcvtr.s32.f32 s1, s1\n\t"                                          \
  "vmov %[a0], %[a1], s0, s1\n\t"                                                             \
  "ldr %[t], %[z]\n\t"                                                                        \
  "qadd %[a0], %[a0], %[t]\n\tqadd %[a1], %[a1], %[t]\n\t"
/* One output (the row's last when OW % 4 is 1): per window row a load of
   taps (0, 1), P then advanced by ADV bytes (the output's stride), and one
   of taps (2, 3) at P + OFF. */
#define TP_DW3_U(P, W, H, Y, A0, ADV, OFF)                                                     \
  "ldr %[t], [%[" P "]], #" ADV "\n\t"                                                          \
  "smlad %[a0], %[t], %[" W "], %[" A0 "]\n\t"                                                 \
  "ldr %[t], [%[" P "], #" OFF "]\n\t"                                                          \
  "smlab" Y " %[a0], %[t], %[" H "], %[a0]\n\t"
#define TP_DW3_ONE(ADV, OFF)                                                                   \
  "ldr %[a3], %[bias]\n\t"                                                                     \
  TP_DW3_U("p0", "wa", "wd", "b", "a3", ADV, OFF)                                              \
  TP_DW3_U("p1", "wb", "wd", "t", "a0", ADV, OFF)                                              \
  TP_DW3_U("p2", "wc", "we", "b", "a0", ADV, OFF)                                              \
  "vmov s0, %[a0]\n\t"                                                                         \
  "vcvt.f32.s32 s0, s0\n\t"                                                                    \
  "vmul.f32 s0, s0, %[m]\n\t"                                                                  \
  "vcvtr.s32.f32 s0, s0\n\t"                                                                   \
  "vmov %[a0], s0\n\t"                                                                         \
  "ldr %[t], %[z]\n\t"                                                                         \
  "qadd %[a0], %[a0], %[t]\n\t"
#define TP_DW3_ROWS(S)                                                                         \
  "ldr %[a3], %[bias]\n\t"                                                                     \
  S("p0", "wa", "wd", "b", "a3", "a3", "a3", "a3")                                             \
  S("p1", "wb", "wd", "t", "a0", "a1", "a2", "a3")                                             \
  S("p2", "wc", "we", "b", "a0", "a1", "a2", "a3")
#define TP_DW3_REQUANT                                                                         \
  "vmov s0, s1, %[a0], %[a1]\n\t"                                                              \
  "vmov s2, s3, %[a2], %[a3]\n\t"                                                              \
  "vcvt.f32.s32 s0, s0\n\tvcvt.f32.s32 s1, s1\n\t"                                             \
  "vcvt.f32.s32 s2, s2\n\tvcvt.f32.s32 s3, s3\n\t"                                             \
  "vmul.f32 s0, s0, %[m]\n\tvmul.f32 s1, s1, %[m]\n\t"                                         \
  "vmul.f32 s2, s2, %[m]\n\tvmul.f32 s3, s3, %[m]\n\t"                                         \
  "vcvtr.s32.f32 s0, s0\n\tvcvtr.s32.f32 s1, s1\n\t"                                           \
  "vcvtr.s32.f32 s2, s2\n\tvcvtr.s32.f32 s3, s3\n\t"                                           \
  "vmov %[a0], %[a1], s0, s1\n\t"                                                              \
  "vmov %[a2], %[a3], s2, s3\n\t"                                                              \
  "ldr %[t], %[z]\n\t"
/* The zero point's QADDs after TP_DW3_REQUANT: skipped when it is 0 (the
   packed stores', whose int8 zero point is y_zp + 128, often 0), or always
   (SSAT's, whose int8 zero point is y_zp itself, rarely 0). */
#define TP_DW3_ZP_TEST                                                                         \
  "cmp %[t], #0\n\t"                                                                           \
  "beq 5f\n\t" TP_DW3_ZP "5:\n\t"
#define TP_DW3_ZP                                                                              \
  "qadd %[a0], %[a0], %[t]\n\tqadd %[a1], %[a1], %[t]\n\t"                                     \
  "qadd %[a2], %[a2], %[t]\n\tqadd %[a3], %[a3], %[t]\n\t"
/* The stores after the sums' requantization: four sums (or the pair's two)
   saturated by USAT and packed into a0, the top bits flipped for int8 (z
   holds y_zp + 128 then), in one word (or halfword); or, with outputs ycol
   apart, each saturated in its own register (SSAT for int8, z = y_zp: the
   same bytes) and stored alone. */
#define TP_DW3_PACK                                                                            \
  "usat %[a0], #8, %[a0]\n\tusat %[a1], #8, %[a1]\n\t"                                         \
  "usat %[a2], #8, %[a2]\n\tusat %[a3], #8, %[a3]\n\t"                                         \
  "orr %[a0], %[a0], %[a1], lsl #8\n\t"                                                        \
  "orr %[a0], %[a0], %[a2], lsl #16\n\t"                                                       \
  "orr %[a0], %[a0], %[a3], lsl #24\n\t"
#define TP_DW3_PACK2                                                                           \
  "usat %[a0], #8, %[a0]\n\tusat %[a1], #8, %[a1]\n\t"                                         \
  "orr %[a0], %[a0], %[a1], lsl #8\n\t"
#define TP_DW3_FLIP "eor %[a0], %[a0], #0x80808080\n\t"
#define TP_DW3_WORD "ldr %[t], %[y]\n\tstr %[a0], [%[t]], #4\n\tstr %[t], %[y]\n\t"
#define TP_DW3_WORD2 "ldr %[t], %[y]\n\tstrh %[a0], [%[t]], #2\n\tstr %[t], %[y]\n\t"
#define TP_DW3_WORD1 "ldr %[t], %[y]\n\tstrb %[a0], [%[t]], #1\n\tstr %[t], %[y]\n\t"
#define TP_DW3_BYTES1(SAT)                                                                     \
  SAT " %[a0], #8, %[a0]\n\t"                                                                   \
  "ldr %[t], %[y]\n\t"                                                                         \
  "strb %[a0], [%[t]]\n\t"                                                                     \
  "ldr %[a1], %[ycol]\n\t"                                                                     \
  "add %[t], %[t], %[a1]\n\t"                                                                  \
  "str %[t], %[y]\n\t"
#define TP_DW3_BYTES(SAT)                                                                      \
  SAT " %[a0], #8, %[a0]\n\t" SAT " %[a1], #8, %[a1]\n\t"                                        \
  SAT " %[a2], #8, %[a2]\n\t" SAT " %[a3], #8, %[a3]\n\t"                                        \
  "ldr %[t], %[y]\n\t"                                                                         \
  "strb %[a0], [%[t]]\n\t"                                                                     \
  "ldr %[a0], %[ycol]\n\t"                                                                     \
  "strb %[a1], [%[t], %[a0]]\n\t"                                                              \
  "add %[t], %[t], %[a0], lsl #1\n\t"                                                          \
  "strb %[a2], [%[t]]\n\t"                                                                     \
  "strb %[a3], [%[t], %[a0]]\n\t"                                                              \
  "add %[t], %[t], %[a0], lsl #1\n\t"                                                          \
  "str %[t], %[y]\n\t"
#define TP_DW3_BYTES2(SAT)                                                                     \
  SAT " %[a0], #8, %[a0]\n\t" SAT " %[a1], #8, %[a1]\n\t"                                        \
  "ldr %[t], %[y]\n\t"                                                                         \
  "strb %[a0], [%[t]]\n\t"                                                                     \
  "ldr %[a0], %[ycol]\n\t"                                                                     \
  "strb %[a1], [%[t], %[a0]]\n\t"                                                              \
  "add %[t], %[t], %[a0], lsl #1\n\t"                                                          \
  "str %[t], %[y]\n\t"
/* After the row's blocks: when OW is not a multiple of 4, back by `back`
   bytes of input and `yback` bytes of output for one more block (OW % 4 =
   3), the pair of a row with OW % 4 = 2 or the single output of one with
   OW % 4 = 1 (row[5] = OW % 4), and the next row; back < 0: rows of whole
   blocks whose output rows follow each other (or one row), straight to the
   next row. */
#define TP_DW3_LOOP(S, T, ONE, STORE, STORE2, STORE1, BLOCK)                                   \
  "1:\n\t" TP_DW3_ROWS(S) TP_DW3_REQUANT STORE                                                   \
  "cmp %[p0], %[end]\n\t"                                                                      \
  "bne 1b\n\t"                                                                                 \
  "ldr %[t], %[back]\n\t"                                                                      \
  "cmp %[t], #0\n\t"                                                                           \
  "blt 6f\n\t"                                                                                 \
  "beq 2f\n\t"                                                                                 \
  "sub %[p0], %[p0], %[t]\n\t"                                                                 \
  "sub %[p1], %[p1], %[t]\n\t"                                                                 \
  "sub %[p2], %[p2], %[t]\n\t"                                                                 \
  "add %[end], %[p0], #" BLOCK "\n\t"                                                          \
  "ldr %[a0], %[yback]\n\t"                                                                    \
  "ldr %[a1], %[y]\n\t"                                                                        \
  "sub %[a1], %[a1], %[a0]\n\t"                                                                \
  "str %[a1], %[y]\n\t"                                                                        \
  "movs %[t], #0\n\t"                                                                          \
  "str %[t], %[back]\n\t"                                                                      \
  "b 1b\n"                                                                                     \
  "2:\n\t"                                                                                     \
  "ldr %[t], %[st]\n\t"                                                                        \
  "ldr %[a0], [%[t], #20]\n\t"                                                                 \
  "cmp %[a0], #2\n\t"                                                                          \
  "beq 8f\n\t"                                                                                 \
  "cmp %[a0], #1\n\t"                                                                          \
  "bne 3f\n\t" ONE STORE1                                                                      \
  "b 3f\n"                                                                                     \
  "8:\n\t" TP_DW3_PAIR(T) STORE2                                                               \
  "3:\n\t"                                                                                     \
  "ldr %[t], %[st]\n\t"                                                                        \
  "ldr %[a0], [%[t]]\n\t"                                                                      \
  "add %[p0], %[p0], %[a0]\n\t"                                                                \
  "add %[p1], %[p1], %[a0]\n\t"                                                                \
  "add %[p2], %[p2], %[a0]\n\t"                                                                \
  "ldr %[a0], [%[t], #4]\n\t"                                                                  \
  "add %[end], %[p0], %[a0]\n\t"                                                               \
  "ldr %[a0], %[y]\n\t"                                                                        \
  "ldr %[a1], [%[t], #8]\n\t"                                                                  \
  "add %[a0], %[a0], %[a1]\n\t"                                                                \
  "str %[a0], %[y]\n\t"                                                                        \
  "ldr %[a0], [%[t], #12]\n\t"                                                                 \
  "str %[a0], %[back]\n\t"                                                                     \
  "ldr %[a0], [%[t], #16]\n\t"                                                                 \
  "subs %[a0], %[a0], #1\n\t"                                                                  \
  "str %[a0], [%[t], #16]\n\t"                                                                 \
  "bne 1b\n\t"                                                                                 \
  "b 7f\n"                                                                                      \
  "6:\n\t"                                                                                     \
  "ldr %[t], %[st]\n\t"                                                                        \
  "ldr %[a0], [%[t]]\n\t"                                                                      \
  "add %[p0], %[p0], %[a0]\n\t"                                                                \
  "add %[p1], %[p1], %[a0]\n\t"                                                                \
  "add %[p2], %[p2], %[a0]\n\t"                                                                \
  "ldr %[a0], [%[t], #4]\n\t"                                                                  \
  "add %[end], %[p0], %[a0]\n\t"                                                               \
  "ldr %[a0], [%[t], #16]\n\t"                                                                 \
  "subs %[a0], %[a0], #1\n\t"                                                                  \
  "str %[a0], [%[t], #16]\n\t"                                                                 \
  "bne 1b\n"                                                                                    \
  "7:\n"
#define TP_DW3_ASM(S, T, ONE, STORE, STORE2, STORE1, BLOCK)                                    \
  __asm__ volatile(TP_DW3_LOOP(S, T, ONE, STORE, STORE2, STORE1, BLOCK)                               \
                   : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3),           \
                     [t] "=&r"(t), [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2),                \
                     [end] "+r"(end), [y] "+m"(y), [back] "+m"(back)                           \
                   : [wa] "r"(wa), [wb] "r"(wb), [wc] "r"(wc), [wd] "r"(wd), [we] "r"(we),     \
                     [bias] "m"(bias), [z] "m"(z), [ycol] "m"(ycol), [yback] "m"(yback),       \
                     [st] "m"(st), [m] "t"(multiplier)                                         \
                   : "s0", "s1", "s2", "s3", "cc", "memory")
  /* Bytes: of a row's blocks, back for its last block, from its end to the
     next row's start; and the output's. */
  const int32_t span = (OW & ~3) * SW * 2;
  const int32_t back0 = rem == 3                                         ? SW * 2
                        : rem == 0 && (yrow == OW * ycol || rows == 1) ? -1
                                                                       : 0;
  const int32_t radv = (rstep - OW * SW) * 2, yback = (4 - rem) * ycol, yadv = yrow - OW * ycol;
  const int16_t *p0 = r0, *p1 = r1, *p2 = r2, *end = r0 + (OW & ~3) * SW;
  /* What the loop reads at the end of a row, and the rows left. */
  int32_t row[6], *st = row, back = back0, a0, a1, a2, a3, t;
  row[0] = radv, row[1] = span, row[2] = yadv, row[3] = back0, row[4] = rows, row[5] = rem;
  if (rows <= 0)
    return;
  if ((uint8_t)-1 == 255) {
    if (SW == 1 && ycol == 1)
      TP_DW3_ASM(TP_DW3_S1, TP_DW3_T1, TP_DW3_ONE("2", "2"), TP_DW3_ZP_TEST TP_DW3_PACK TP_DW3_WORD,
                 TP_DW3_PACK2 TP_DW3_WORD2, "usat %[a0], #8, %[a0]\n\t" TP_DW3_WORD1, "8");
    else if (SW == 1)
      TP_DW3_ASM(TP_DW3_S1, TP_DW3_T1, TP_DW3_ONE("2", "2"), TP_DW3_ZP_TEST TP_DW3_BYTES("usat"),
                 TP_DW3_BYTES2("usat"), TP_DW3_BYTES1("usat"), "8");
    else if (ycol == 1)
      TP_DW3_ASM(TP_DW3_S2, TP_DW3_T2, TP_DW3_ONE("4", "0"), TP_DW3_ZP_TEST TP_DW3_PACK TP_DW3_WORD,
                 TP_DW3_PACK2 TP_DW3_WORD2, "usat %[a0], #8, %[a0]\n\t" TP_DW3_WORD1, "16");
    else
      TP_DW3_ASM(TP_DW3_S2, TP_DW3_T2, TP_DW3_ONE("4", "0"), TP_DW3_ZP_TEST TP_DW3_BYTES("usat"),
                 TP_DW3_BYTES2("usat"), TP_DW3_BYTES1("usat"), "16");
  } else {
    if (SW == 1 && ycol == 1)
      TP_DW3_ASM(TP_DW3_S1, TP_DW3_T1, TP_DW3_ONE("2", "2"),
                 TP_DW3_ZP_TEST TP_DW3_PACK TP_DW3_FLIP TP_DW3_WORD,
                 TP_DW3_PACK2 TP_DW3_FLIP TP_DW3_WORD2,
                 "usat %[a0], #8, %[a0]\n\t" TP_DW3_FLIP TP_DW3_WORD1, "8");
    else if (SW == 1)
      TP_DW3_ASM(TP_DW3_S1, TP_DW3_T1, TP_DW3_ONE("2", "2"), TP_DW3_ZP TP_DW3_BYTES("ssat"),
                 TP_DW3_BYTES2("ssat"), TP_DW3_BYTES1("ssat"), "8");
    else if (ycol == 1)
      TP_DW3_ASM(TP_DW3_S2, TP_DW3_T2, TP_DW3_ONE("4", "0"),
                 TP_DW3_ZP_TEST TP_DW3_PACK TP_DW3_FLIP TP_DW3_WORD,
                 TP_DW3_PACK2 TP_DW3_FLIP TP_DW3_WORD2,
                 "usat %[a0], #8, %[a0]\n\t" TP_DW3_FLIP TP_DW3_WORD1, "16");
    else
      TP_DW3_ASM(TP_DW3_S2, TP_DW3_T2, TP_DW3_ONE("4", "0"), TP_DW3_ZP TP_DW3_BYTES("ssat"),
                 TP_DW3_BYTES2("ssat"), TP_DW3_BYTES1("ssat"), "16");
  }
#undef TP_DW3_S1
#undef TP_DW3_S2
#undef TP_DW3_ROWS
#undef TP_DW3_REQUANT
#undef TP_DW3_ZP_TEST
#undef TP_DW3_ZP
#undef TP_DW3_PACK
#undef TP_DW3_PACK2
#undef TP_DW3_WORD
#undef TP_DW3_BYTES
#undef TP_DW3_LOOP
#undef TP_DW3_ASM
#undef TP_DW3_FLIP
#undef TP_DW3_BYTES2
#undef TP_DW3_WORD2
#undef TP_DW3_PAIR
#undef TP_DW3_ONE
#undef TP_DW3_U
#undef TP_DW3_WORD1
#undef TP_DW3_BYTES1
#undef TP_DW3_T2
#undef TP_DW3_T1
#else
  (void)r0, (void)r1, (void)r2, (void)w, (void)SW, (void)OW, (void)rows, (void)rstep;
  (void)bias, (void)y, (void)ycol, (void)yrow, (void)multiplier, (void)yzp;
#endif
}

/* @kernel tp_qconv_dw3x4_u8 uses tp_qconv_dwrow_u8 tp_qconv_dwrow2_u8 tp_qconv_dwplane_u8 tp_qconv_dw3pass_u8
 * @instance tp_qconv_dw3x4_i8: uint8_t=int8_t tp_qconv_dwrow_u8=tp_qconv_dwrow_i8 tp_qconv_dwrow2_u8=tp_qconv_dwrow2_i8 tp_qconv_dwplane_u8=tp_qconv_dwplane_i8 tp_qconv_dw3pass_u8=tp_qconv_dw3pass_i8
 * One channel of tp_qconv_depthwise_u8 for a 3 x 3 window with columns 1
 * apart, stride SW 1 or 2 and OW >= 4, on a core with the DSP extension
 * and a single-precision FPU: x and y the channel's planes, geo, ring, RH
 * and transposed as the caller's, w its 6 SMLAD words. The padded rows
 * go through the ring as there: with every row of the plane in it
 * (RH >= (OH - 1) SH + 2 DH + 1) they are converted first (rows side by
 * side in one call of tp_qconv_dwplane_u8; transposed, the input's
 * columns two at a time by tp_qconv_dwrow2_u8) and one pass of
 * tp_qconv_dw3pass_u8 computes every output row, else each output row has
 * its own pass after its new rows. */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((unused))
#endif
void tp_qconv_dw3x4_u8(const uint8_t *x, int32_t xzp, int16_t *ring, const int32_t *geo,
                       int32_t transposed, int32_t RH, const uint32_t *w, int32_t bias,
                       float multiplier, uint8_t *y, int32_t yzp) {
  const int32_t H = geo[0], W = geo[1], OH = geo[2], OW = geo[3], SH = geo[6], SW = geo[7];
  const int32_t DH = geo[8], PT = geo[10], PL = geo[11], EH = 2 * DH + 1;
  const int32_t WR = (OW - 1) * SW + 6, WI = W < WR - 3 - PL ? W : WR - 3 - PL;
  /* Between the output's rows and its columns; the input's rows and
     columns (transposed: the plane's columns are the rows). */
  const int32_t yrow = transposed ? 1 : OW, ycol = transposed ? OH : 1;
  const int32_t xrow = transposed ? 1 : W, xcol = transposed ? H : 1;
  int32_t oh, next = 0;
  if (RH >= (OH - 1) * SH + EH) {
    /* The input rows the plane holds, in their own slots (the rows of
       padding are 0 already). */
    const int32_t hr = H < RH - PT ? H : RH - PT;
    if (xcol == 1) {
      tp_qconv_dwplane_u8(x, xrow, xzp, WI, hr, ring + PT * WR + PL, WR);
    } else {
      /* Transposed (xrow 1): the plane's rows are neighbouring columns. */
      for (next = 0; next + 1 < hr; next += 2)
        tp_qconv_dwrow2_u8(x + next, xcol, xzp, WI, ring + (PT + next) * WR + PL, WR);
      if (next < hr)
        tp_qconv_dwrow_u8(x + next, xcol, xzp, WI, ring + (PT + next) * WR + PL);
    }
    tp_qconv_dw3pass_u8(ring, ring + DH * WR, ring + 2 * DH * WR, w, SW, OW, OH, SH * WR, bias, y,
                        ycol, yrow, multiplier, yzp);
    return;
  }
  for (oh = 0; oh < OH; ++oh, y += yrow) {
    const int32_t top = oh * SH;
    for (next = next > top ? next : top; next < top + EH; ++next) {
      const int32_t ih = next - PT, inside = ih >= 0 && ih < H;
      int16_t *slot = ring + next % RH * WR + PL;
      if (inside && xcol == 1)
        tp_qconv_dwplane_u8(x + ih * xrow, xrow, xzp, WI, 1, slot, WR);
      else
        tp_qconv_dwrow_u8(inside ? x + ih * xrow : 0, xcol, xzp, WI, slot);
    }
    tp_qconv_dw3pass_u8(ring + top % RH * WR, ring + (top + DH) % RH * WR,
                        ring + (top + 2 * DH) % RH * WR, w, SW, OW, 1, 0, bias, y, ycol, 0,
                        multiplier, yzp);
  }
}

/* @kernel tp_qconv_dw3_u8 uses tp_qconv_dw3_row tp_qstore_finite_u8
 * @instance tp_qconv_dw3_i8: uint8_t=int8_t tp_qstore_finite_u8=tp_qstore_finite_i8
 * Outputs 0 to OW - 1 of `rows` output rows of a 3 x 3 window with
 * columns 1 apart and stride SW (1 or 2), two at a time (an odd last one is
 * computed as a pair and stored alone: the rows have SW + 1 columns to
 * spare): the first output row's window rows r0, r1, r2 of the padded
 * plane, each next output row's rstep further; w the channel's 6 SMLAD
 * words; each sum from bias, stored through tp_qstore_finite_u8 at
 * y[oh * yrow + ow * ycol]. */
TP_KERNEL
#if defined(__GNUC__)
__attribute__((noinline))
#endif
void tp_qconv_dw3_u8(const int16_t *r0, const int16_t *r1, const int16_t *r2, const uint32_t *w,
                     int32_t SW, int32_t OW, int32_t rows, int32_t rstep, int32_t bias,
                     uint8_t *y, int32_t ycol, int32_t yrow, float multiplier, int32_t yzp) {
  const uint32_t w01a = w[0], w2a = w[1], w01b = w[2], w2b = w[3], w01c = w[4], w2c = w[5];
  int32_t oh, ow;
  for (oh = 0; oh < rows; ++oh, r0 += rstep, r1 += rstep, r2 += rstep, y += yrow) {
    const int16_t *p0 = r0, *p1 = r1, *p2 = r2;
    uint8_t *yo = y;
    for (ow = 0; ow < OW; ow += 2, p0 += 2 * SW, p1 += 2 * SW, p2 += 2 * SW) {
      int32_t a = bias, b = bias;
      tp_qconv_dw3_row(p0, w01a, w2a, SW, &a, &b);
      tp_qconv_dw3_row(p1, w01b, w2b, SW, &a, &b);
      tp_qconv_dw3_row(p2, w01c, w2c, SW, &a, &b);
      tp_qstore_finite_u8(yo, 0, a, multiplier, yzp);
      if (ow + 1 < OW)
        tp_qstore_finite_u8(yo, ycol, b, multiplier, yzp);
      yo += 2 * ycol;
    }
  }
}

/* @kernel tp_qconv_depthwise_u8 uses tp_qconv_dwrow_u8 tp_qconv_dwplane_u8 tp_qconv_dw3_u8 tp_qconv_dw3x4_u8 tp_qstore_finite_u8 tp_requant_float
 * @instance tp_qconv_depthwise_i8: uint8_t=int8_t tp_qconv_dwrow_u8=tp_qconv_dwrow_i8 tp_qconv_dwplane_u8=tp_qconv_dwplane_i8 tp_qconv_dw3_u8=tp_qconv_dw3_i8 tp_qconv_dw3x4_u8=tp_qconv_dw3x4_i8 tp_qstore_finite_u8=tp_qstore_finite_i8
 * Depthwise QLinearConv (group = C = M), 1-D or 2-D, constant weights: wt
 * holds w - w_zp as int16, KH x KW per channel; for a 3 x 3 window with
 * columns 1 apart and SW 1 or 2, w3 may hold them as SMLAD words instead
 * (wt is then not read and may be null), 6 per channel: (w0, w1), (w2, 0),
 * (w3, w4), (w5, 0), (w6, w7), (w8, 0), low half first. Per channel, the rows of the padded plane a window reads
 * pass through ring: `rows` rows of WR = (OW - 1) * SW + (KW - 1) * DW + 4
 * int16 (x - x_zp, 0 in the padding, which is ONNX Runtime's padding, whose
 * terms are 0, and in the 3 spare columns), padded row i in slot i % rows,
 * each row loaded once; the ring is zeroed once and its padding columns
 * stay 0. rows is a window's (KH - 1) * DH + 1, or all the padded plane's
 * (OH - 1) * SH + (KH - 1) * DH + 1 (tinyplan asks for that where the arena
 * allows): then a 3 x 3 window's outputs of a channel are computed in one
 * pass, and the rows of padding keep the zeros of their slots. On a core
 * with the DSP extension and a single-precision FPU, a 3 x 3 window's
 * channel of rows of 4 outputs or more goes through tp_qconv_dw3x4_u8
 * (four outputs at a time in assembly), with the same sums and rounding
 * (not under --requant=fixed: its float requantization is in the assembly).
 * Each output is b[c] (b may be null) plus the window's sum, stored
 * through tp_qstore_finite_u8 with mult[c]. geo: H W OH OW KH KW SH SW DH
 * DW PT PL; scratch: 2 rows WR + 1 bytes.
 * With transposed set, geo, wt and w3 describe the transposed plane
 * (columns as rows: tinyplan asks for it when the rows are shorter than
 * the columns, so that the work per row is spread over more outputs); x
 * and y are read and written in their own order. */
TP_KERNEL void tp_qconv_depthwise_u8(const uint8_t *x, int32_t xzp, const int16_t *wt,
    const uint32_t *w3, const int32_t *b, const float *mult, void *y, int32_t yzp, int32_t N,
    int32_t C, const int32_t *geo, int32_t transposed, int32_t rows, void *scratch) {
  /* The scratch's first 2-byte boundary. */
  int16_t *ring = (int16_t *)(void *)((uint8_t *)scratch + ((uintptr_t)scratch & 1u));
  const int32_t H = geo[0], W = geo[1], OH = geo[2], OW = geo[3], KH = geo[4], KW = geo[5];
  const int32_t SH = geo[6], SW = geo[7], DH = geo[8], DW = geo[9], PT = geo[10], PL = geo[11];
  /* Rows: the ring's; EH: a window's. */
  const int32_t WR = (OW - 1) * SW + (KW - 1) * DW + 4, RH = rows, EH = (KH - 1) * DH + 1;
  const int32_t plane = RH >= (OH - 1) * SH + EH;
  /* The input columns the padded rows hold: 0 <= iw < WI. */
  const int32_t WI = W < WR - 3 - PL ? W : WR - 3 - PL;
  const int32_t three = w3 != 0 && KH == 3 && KW == 3 && DW == 1 && (SW == 1 || SW == 2);
  /* Between the output's rows and its columns. */
  const int32_t yrow = transposed ? 1 : OW, ycol = transposed ? OH : 1;
  int32_t n, c, oh, ow, kh, kw, i;
  for (i = 0; i < RH * WR; ++i)
    ring[i] = 0;
  for (n = 0; n < N; ++n)
    for (c = 0; c < C; ++c) {
      const uint8_t *xc = x + (n * C + c) * H * W;
      const int16_t *wc = three ? wt : wt + c * KH * KW; /* wt may be null when three */
      const int32_t bias = b ? b[c] : 0;
      const float multiplier = mult[c];
      uint8_t *yc = (uint8_t *)y + (n * C + c) * OH * OW;
      /* Padded rows below next are loaded, the next one goes to slot ns;
         the window's top row is in slot ts. */
      int32_t next = 0, ns = 0, ts = 0;
      /* Under the condition of tp_qconv_dw3pass_u8's assembly. */
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__ARM_FP) && (__ARM_FP & 4) && \
    defined(__thumb2__) && defined(__GNUC__) && !defined(__ARM_BIG_ENDIAN) && \
    !defined(__clang__) && \
    defined(__OPTIMIZE__) && !defined(__PIC__) && defined(__ARM_FEATURE_UNALIGNED) && \
    !defined(TINYPLAN_NO_ASM)
      if (three && OW >= 4 && tp_requant_float()) {
        tp_qconv_dw3x4_u8(xc, xzp, ring, geo, transposed, RH, w3 + c * 6, bias, multiplier, yc,
                          yzp);
        continue;
      }
#endif
      if (three && plane) {
        /* The input rows the plane holds, in their own slots (the rows of
           padding stay 0), then every output row in one pass. */
        const int32_t hr = H < RH - PT ? H : RH - PT;
        if (!transposed)
          tp_qconv_dwplane_u8(xc, W, xzp, WI, hr, ring + PT * WR + PL, WR);
        else
          for (i = 0; i < hr; ++i)
            tp_qconv_dwrow_u8(xc + i, H, xzp, WI, ring + (PT + i) * WR + PL);
        tp_qconv_dw3_u8(ring, ring + DH * WR, ring + 2 * DH * WR, w3 + c * 6, SW, OW, OH,
                        SH * WR, bias, yc, ycol, yrow, multiplier, yzp);
        continue;
      }
      for (oh = 0; oh < OH; ++oh, yc += yrow) {
        const int32_t top = oh * SH;
        if (next < top)
          next = top, ns = top % RH;
        for (; next < top + EH; ++next, ns = ns + 1 == RH ? 0 : ns + 1) {
          const int32_t ih = next - PT, inside = ih >= 0 && ih < H;
          /* A row of padding has its own slot in the plane: 0 already. */
          if (inside && !transposed)
            tp_qconv_dwplane_u8(xc + ih * W, W, xzp, WI, 1, ring + ns * WR + PL, WR);
          else if (inside || !plane)
            tp_qconv_dwrow_u8(inside ? xc + ih : 0, H, xzp, WI, ring + ns * WR + PL);
        }
        if (three) {
          const int32_t s1 = ts + DH < RH ? ts + DH : ts + DH - RH;
          const int32_t s2 = s1 + DH < RH ? s1 + DH : s1 + DH - RH;
          tp_qconv_dw3_u8(ring + ts * WR, ring + s1 * WR, ring + s2 * WR, w3 + c * 6, SW, OW, 1,
                          0, bias, yc, ycol, 0, multiplier, yzp);
        } else {
          for (ow = 0; ow < OW; ++ow) {
            int32_t acc = bias;
            for (kh = 0; kh < KH; ++kh) {
              const int16_t *r = ring + (top + kh * DH) % RH * WR + ow * SW;
              for (kw = 0; kw < KW; ++kw)
                acc += r[kw * DW] * wc[kh * KW + kw];
            }
            tp_qstore_finite_u8(yc, ow * ycol, acc, multiplier, yzp);
          }
        }
        ts += SH;
        while (ts >= RH)
          ts -= RH;
      }
    }
}
