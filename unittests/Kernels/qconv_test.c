/* The int8 convolution kernels of kernels/qconv.c against the direct
 * kernels of kernels/quant.c: the same QLinearConv computed by
 * tp_qlinearconv_<x>_<w> and by tp_qconv_blocked_<x> (group 1) or
 * tp_qconv_depthwise_<x> (group = C = M) must give the same bytes. The
 * fast kernels' weight layouts are built here from plain weights as
 * tinyplan's compiler builds them (lib/CodeGen/Kernels/
 * QLinearConvBlocked.cpp): the blocked kernel's words of two channels x
 * two taps of w - w_zp in its pair order, the bias with x_zp folded in
 * (modulo 2^32) and the multipliers (x_scale * w_scale[m]) / y_scale; the
 * depthwise kernel's centred int16 weights, with and without the SMLAD
 * words of a 3 x 3 window. Every output goes into the digest, so the
 * Cortex-M4F (SXTB16 / SMLAD assembly, VCVTR stores) and the host
 * (portable C) must agree too. Guard bytes after the output and around
 * the scratch (given at every alignment) must stay untouched, and the
 * output starts as the complement of the expected one, so that an element
 * the kernel leaves unwritten is seen.
 * Cases: uint8 and int8 activations, int8 and uint8 weights, weight zero
 * points absent, per tensor and per channel (odd values, range ends), per
 * tensor and per channel scales, power-of-two multipliers (ties),
 * saturating ones, bias absent, small, large, near the int32 ends, and at
 * them with x = x_zp (the folded bias and the sums wrap), x zero points
 * at 0, odd values and the range ends,
 * 1-D and 2-D, C 1 to 5, M 1 to 8 odd and even, output pixel counts that
 * are not multiples of 4, odd and even KW, KH up to 8, 256 taps, strides 1
 * to 3, dilations 1 and 2, asymmetric pads, pads beyond the window's reach
 * (outputs of padding only), two batches; depthwise 3 x 3 with stride 1
 * and 2 (the fast path), dilation 2, odd and even OW, and other windows
 * (1 x 1, 2 x 2, 3 x 1, 1 x 3, 5 x 5, 7 x 7, 16 x 16), each also with the
 * plane walked column by column (transposed geometry and weights) and with
 * the ring a window high or holding the whole padded plane, fixed
 * ones and a deterministic random sample of each; and every 3 x 3 plane
 * of 1 to 9 rows and columns, strides 1 and 2, with and without padding.
 * Every other blocked case runs the instances for wide (int16) weights;
 * half of the pointwise ones (1 x 1, stride 1, no padding) run
 * tp_qconv_pointwise_<x>, which tinyplan calls for them, instead.
 * KERNELS: tp_qconv_blocked_u8 tp_qconv_blocked_i8 tp_qconv_depthwise_u8
 *   tp_qconv_depthwise_i8 tp_qlinearconv_u8_i8 tp_qlinearconv_u8_u8
 *   tp_qlinearconv_i8_i8 tp_qlinearconv_i8_u8
 *   tp_qconv_block16_u8=tp_qconv_block_u8:tp_qconv_wide=tp_qconv_wide_on
 *   tp_qconv_block16_i8=tp_qconv_block_i8:tp_qconv_wide=tp_qconv_wide_on
 *   tp_qconv_blocked16_u8=tp_qconv_blocked_u8:tp_qconv_block_u8=tp_qconv_block16_u8
 *   tp_qconv_blocked16_i8=tp_qconv_blocked_i8:tp_qconv_block_i8=tp_qconv_block16_i8
 *   tp_qconv_pointwise_u8 tp_qconv_pointwise_i8
 *   tp_qconv_pointwise16_u8=tp_qconv_pointwise_u8:tp_qconv_block_u8=tp_qconv_block16_u8
 *   tp_qconv_pointwise16_i8=tp_qconv_pointwise_i8:tp_qconv_block_i8=tp_qconv_block16_i8 */
#include "kernels.h"
#include "tp_check.h"

/* A deterministic pseudo-random sequence (LCG), the same on every target. */
static uint32_t seed_ = 12345u;
static int32_t rnd(int32_t lo, int32_t hi) {
  seed_ = seed_ * 1664525u + 1013904223u;
  return lo + (int32_t)((seed_ >> 8) % (uint32_t)(hi - lo + 1));
}

/* ---- Buffers ------------------------------------------------------------- */

#define X_MAX 4096   /* N * C * H * W */
#define W_MAX 2048   /* M * C * KH * KW (blocked), C * KH * KW (depthwise) */
#define Y_MAX 4096   /* N * M * OH * OW */
#define CH_MAX 8     /* M, and C of a depthwise convolution */
#define TAPS_MAX 256 /* C * KH * KW (blocked), KH * KW (depthwise) */
#define PAIRS_MAX (TAPS_MAX / 2 + 1)
#define SCRATCH_MAX 4096
#define GUARD 16
#define SCRATCH_LEAD 8
#define FILL_SCRATCH 0xa5u
#define FILL_Y 0xc3u

static uint8_t xb[X_MAX];                 /* x as stored (uint8 or int8 bytes) */
static int32_t wv[W_MAX];                 /* the weights' values */
static uint8_t wb[W_MAX];                 /* the weights as stored */
static int32_t wzpv[CH_MAX];              /* the weight zero points' values */
static uint8_t wzpb[CH_MAX];              /* as stored */
static int32_t bias[CH_MAX];
static float wscale[CH_MAX];
static uint8_t yr[Y_MAX], yf[Y_MAX + GUARD];
/* The fast kernels' tables. */
static uint32_t wt[(CH_MAX / 2) * PAIRS_MAX * 2]; /* two words per pair when wide */
static int32_t bz[CH_MAX];
static float mult[CH_MAX];
static int32_t pairs[PAIRS_MAX][2];
static int16_t dwt[W_MAX];
static uint32_t w3[CH_MAX * 6];
/* Words, so that the offsets given are the misalignments. */
static uint32_t scratch_words[(SCRATCH_LEAD + SCRATCH_MAX + GUARD) / 4 + 1];

static int cases_, failed_cases_, pointwise_cases_;

/* ---- A case -------------------------------------------------------------- */

typedef struct {
  int32_t N, C, M, H, W, KH, KW, SH, SW, DH, DW, PT, PB, PL, PR;
} Shape;

typedef struct {
  int32_t xi8;     /* int8 activations (else uint8) */
  int32_t wu8;     /* uint8 weights (else int8) */
  int32_t wzp;     /* weight zero points: 0 none (null), 1 per tensor, 2 per channel */
  int32_t ws_pc;   /* per-channel weight scales */
  int32_t xmode;   /* 0 uniform, 1 the type's ends, 2 all x_zp, 3 x_zp +- 3 */
  int32_t wmode;   /* centred weights: 0 uniform, 1 the ends, 2 within +-2 */
  int32_t bmode;   /* 0 none (null), 1 +-64 2^k (acc_shift), 2 +-(2^31 - 2^24), 3 +-300,
                      4 INT32_MIN or INT32_MAX (with xmode 2: the sums are the bias) */
  int32_t smode;   /* 0 powers of two (ties), 1 other, 2 saturating, 3 x_scale 1/2, y_scale 2 */
  int32_t xzp, yzp;
  int32_t mis;     /* the scratch's misalignment, 0 to 3 */
  int32_t words;   /* depthwise 3 x 3: pass the SMLAD words */
  int32_t transposed; /* depthwise: walk the plane column by column */
  int32_t plane;   /* depthwise: the ring holds every row of the padded plane */
} Params;

static int32_t ext_h(const Shape *s) { return (s->KH - 1) * s->DH + 1; }
static int32_t ext_w(const Shape *s) { return (s->KW - 1) * s->DW + 1; }
static int32_t out_h(const Shape *s) { return (s->H + s->PT + s->PB - ext_h(s)) / s->SH + 1; }
static int32_t out_w(const Shape *s) { return (s->W + s->PL + s->PR - ext_w(s)) / s->SW + 1; }

/* The blocked kernel's pair count (its formula). */
static int32_t pair_count(const Shape *s) {
  const int32_t R = s->C * s->KH;
  return R * (s->KW / 2) + (R + 1) / 2 * (s->KW & 1);
}

/* Whether some output window reaches into the padding (the end pads
 * count only where a window reaches them). */
static int pads_read(const Shape *s) {
  return s->PT > 0 || s->PL > 0 || (out_h(s) - 1) * s->SH + ext_h(s) > s->H + s->PT ||
         (out_w(s) - 1) * s->SW + ext_w(s) > s->W + s->PL;
}

/* The depthwise ring's rows: a window's, or every row of the padded plane
 * (transposed: of its columns). */
static int32_t ring_rows(const Shape *s, int transposed, int plane) {
  if (transposed)
    return plane ? (out_w(s) - 1) * s->SW + ext_w(s) : ext_w(s);
  return plane ? (out_h(s) - 1) * s->SH + ext_h(s) : ext_h(s);
}

static int32_t scratch_bytes(const Shape *s, int depthwise, int transposed, int plane) {
  /* The depthwise ring: its rows of WR = (OW - 1) SW + (KW - 1) DW + 4
   * int16 (3 spare columns), and a byte to align it; transposed, the
   * columns are the rows. */
  if (depthwise && transposed)
    return 2 * ring_rows(s, 1, plane) * ((out_h(s) - 1) * s->SH + ext_h(s) + 3) + 1;
  if (depthwise)
    return 2 * ring_rows(s, 0, plane) * ((out_w(s) - 1) * s->SW + ext_w(s) + 3) + 1;
  /* The blocked kernel: 4 pixels' pair words and 3 bytes to align them,
   * and when windows reach into the padding, the strip of a row of 4. */
  return 16 * pair_count(s) + 3 + (pads_read(s) ? 3 * s->SW + ext_w(s) : 0);
}

/* Whether the shape is valid and fits the buffers (and the time budget). */
static int shape_ok(const Shape *s, int depthwise) {
  const int32_t taps = (depthwise ? 1 : s->C) * s->KH * s->KW;
  int32_t OH, OW;
  if (s->H + s->PT + s->PB < ext_h(s) || s->W + s->PL + s->PR < ext_w(s))
    return 0;
  OH = out_h(s), OW = out_w(s);
  return taps <= TAPS_MAX && s->M <= CH_MAX && s->N * s->C * s->H * s->W <= X_MAX &&
         s->M * (depthwise ? 1 : s->C) * s->KH * s->KW <= W_MAX &&
         s->N * s->M * OH * OW <= Y_MAX && scratch_bytes(s, depthwise, 0, 1) <= SCRATCH_MAX &&
         scratch_bytes(s, depthwise, 1, 1) <= SCRATCH_MAX &&
         s->N * s->M * OH * OW * taps <= 60000;
}

/* An int32 of the bits of u, without an implementation-defined conversion. */
static int32_t s32(uint32_t u) {
  return u <= 0x7fffffffu ? (int32_t)u : -(int32_t)(0xffffffffu - u) - 1;
}

/* A byte as the value of the type it holds. */
static int32_t byte_value(uint8_t b, int32_t is_signed) {
  return is_signed && b >= 128 ? (int32_t)b - 256 : (int32_t)b;
}

static uint8_t as_byte(int32_t v) { return (uint8_t)(v & 0xff); }

/* k with 4^k about the sums' spread squared over 32^2: with a multiplier
 * of about 2^-k, most outputs fall within a few tens of the zero point,
 * some at the ends. */
static int32_t acc_shift(const Shape *s, const Params *p, int depthwise) {
  static const int64_t sx[4] = {128, 128, 0, 2}, sw[3] = {74, 128, 1};
  const int64_t taps = (depthwise ? 1 : s->C) * s->KH * s->KW;
  const int64_t v = taps * sx[p->xmode] * sx[p->xmode] * sw[p->wmode] * sw[p->wmode];
  int32_t k = 0;
  if (p->bmode == 4)
    return 25;
  while (k < 20 && v > ((int64_t)1024 << (2 * k)))
    ++k;
  return k;
}

/* 2^-e, -20 <= e <= 40. */
static float pow2_neg(int32_t e) { return tp_f32_from_bits((uint32_t)(127 - e) << 23); }

static void fill_data(const Shape *s, const Params *p, int depthwise) {
  const int32_t k = acc_shift(s, p, depthwise);
  const int32_t xlo = p->xi8 ? -128 : 0, xhi = xlo + 255;
  const int32_t wlo = p->wu8 ? 0 : -128, whi = wlo + 255;
  const int32_t taps = (depthwise ? 1 : s->C) * s->KH * s->KW;
  int32_t i, m, t;
  for (i = 0; i < s->N * s->C * s->H * s->W; ++i) {
    int32_t v;
    switch (p->xmode) {
    case 0: v = rnd(xlo, xhi); break;
    case 1: v = rnd(0, 1) ? xlo : xhi; break;
    case 2: v = p->xzp; break;
    default:
      v = p->xzp + rnd(-3, 3);
      v = v < xlo ? xlo : v > xhi ? xhi : v;
    }
    xb[i] = as_byte(v);
  }
  for (m = 0; m < s->M; ++m) {
    /* Zero points: the usual ones, odd ones and the range ends. */
    static const int32_t zi8[] = {0, 0, -1, 3, 17, -128, 127, -100};
    static const int32_t zu8[] = {128, 128, 0, 255, 127, 131, 1, 100};
    int32_t z = 0, clo, chi;
    if (p->wzp == 1)
      z = m == 0 ? (p->wu8 ? zu8[rnd(1, 4)] : zi8[rnd(0, 2)]) : wzpv[0];
    else if (p->wzp == 2)
      z = p->wu8 ? zu8[rnd(0, 7)] : zi8[rnd(0, 7)];
    wzpv[m] = z;
    wzpb[m] = as_byte(z);
    /* The centred values the type allows, and int8 for the blocked kernel. */
    clo = wlo - z, chi = whi - z;
    if (!depthwise) {
      clo = clo < -128 ? -128 : clo;
      chi = chi > 127 ? 127 : chi;
    }
    for (t = 0; t < taps; ++t) {
      int32_t c;
      switch (p->wmode) {
      case 0: c = rnd(clo, chi); break;
      case 1: c = rnd(0, 1) ? clo : chi; break;
      default:
        c = rnd(-2, 2);
        c = c < clo ? clo : c > chi ? chi : c;
      }
      wv[m * taps + t] = c + z;
      wb[m * taps + t] = as_byte(c + z);
    }
    switch (p->bmode) {
    case 1: bias[m] = rnd(-(64 << k), 64 << k); break;
    case 2: bias[m] = rnd(0, 1) ? 2147483647 - 16777216 : -2147483647 + 16777216; break;
    case 3: bias[m] = rnd(-300, 300); break;
    case 4: bias[m] = rnd(0, 1) ? 2147483647 : -2147483647 - 1; break;
    default: bias[m] = 0;
    }
  }
}

/* x_scale, y_scale and the weight scales of a case: multipliers about
 * 2^-k (acc_shift), powers of two (ties) or not, or saturating ones. */
static void fill_scales(const Shape *s, const Params *p, int depthwise, float *xs, float *ys) {
  static const float mixed_x[] = {0.02f, 0.0039215689f, 0.5f, 0.0625f};
  static const float mixed_y[] = {0.1f, 0.37f, 3.0f, 0.0078125f};
  static const float factors[] = {0.37f, 0.73f, 1.0f, 1.3f, 0.9f, 1.7f, 0.51f, 0.013f};
  const int32_t k = acc_shift(s, p, depthwise);
  int32_t m;
  switch (p->smode) {
  case 1: *xs = mixed_x[rnd(0, 3)], *ys = mixed_y[rnd(0, 3)]; break;
  case 2: *xs = 1.0f, *ys = 0.0625f; break;
  case 3: *xs = 0.5f, *ys = 2.0f; break;
  default: *xs = 1.0f, *ys = 1.0f;
  }
  for (m = 0; m < s->M; ++m) {
    float w;
    if (m > 0 && !p->ws_pc) {
      wscale[m] = wscale[0];
      continue;
    }
    switch (p->smode) {
    case 1: w = factors[rnd(0, 7)] * pow2_neg(k + rnd(-1, 1)) * *ys / *xs; break;
    case 2: w = rnd(0, 1) ? 1.0f : 4.0f; break;
    case 3: w = pow2_neg(k + rnd(-1, 2) - 2); break; /* times 1/4 */
    default: w = pow2_neg(k + rnd(-1, 2));
    }
    wscale[m] = w;
  }
}

/* The direct kernel (the reference) into yr. */
static void reference(const Shape *s, const Params *p, int depthwise, float xs, float ys) {
  const int32_t geo[18] = {1, s->H, s->W, 1, out_h(s), out_w(s), 1, s->KH, s->KW,
                           1, s->SH, s->SW, 1, s->DH, s->DW, 0, s->PT, s->PL};
  const int32_t G = depthwise ? s->C : 1, zstep = p->wzp == 2 ? 1 : 0;
  const int32_t *b = p->bmode ? bias : 0;
  const int32_t sstep = p->ws_pc ? 1 : 0;
  if (!p->xi8 && !p->wu8)
    tp_qlinearconv_u8_i8(xb, p->xzp, (const int8_t *)wb, p->wzp ? (const int8_t *)wzpb : 0,
                         zstep, b, yr, xs, wscale, sstep, ys, p->yzp, s->N, s->C, s->M, G, geo);
  else if (!p->xi8)
    tp_qlinearconv_u8_u8(xb, p->xzp, wb, p->wzp ? wzpb : 0, zstep, b, yr, xs, wscale, sstep,
                         ys, p->yzp, s->N, s->C, s->M, G, geo);
  else if (!p->wu8)
    tp_qlinearconv_i8_i8((const int8_t *)xb, p->xzp, (const int8_t *)wb,
                         p->wzp ? (const int8_t *)wzpb : 0, zstep, b, yr, xs, wscale, sstep,
                         ys, p->yzp, s->N, s->C, s->M, G, geo);
  else
    tp_qlinearconv_i8_u8((const int8_t *)xb, p->xzp, wb, p->wzp ? wzpb : 0, zstep, b, yr, xs,
                         wscale, sstep, ys, p->yzp, s->N, s->C, s->M, G, geo);
}

/* w - w_zp of channel m, tap k, as a byte of a blocked word (0 for a
 * channel past M or a missing tap). */
static uint32_t centred_byte(const Shape *s, int32_t m, int32_t k) {
  const int32_t K = s->C * s->KH * s->KW;
  if (m >= s->M || k < 0)
    return 0;
  return (uint32_t)(wv[m * K + k] - wzpv[m]) & 0xffu;
}

/* w - w_zp of channel m, tap k, as an int16 half of a wide blocked word. */
static uint32_t centred_half(const Shape *s, int32_t m, int32_t k) {
  const int32_t K = s->C * s->KH * s->KW;
  if (m >= s->M || k < 0)
    return 0;
  return (uint32_t)(wv[m * K + k] - wzpv[m]) & 0xffffu;
}

/* tp_qconv_blocked_*'s tables: the words in its pair order (as int16 pairs
 * when wide), the folded bias and the multipliers. Returns the pair count. */
static int32_t build_blocked(const Shape *s, const Params *p, float xs, float ys, int wide) {
  const int32_t R = s->C * s->KH, KW = s->KW, K = s->C * s->KH * s->KW;
  int32_t J = 0, r, k, m, j;
  for (r = 0; r < R; ++r)
    for (k = 0; k + 1 < KW; k += 2, ++J)
      pairs[J][0] = r * KW + k, pairs[J][1] = r * KW + k + 1;
  if (KW & 1)
    for (r = 0; r < R; r += 2, ++J)
      pairs[J][0] = r * KW + KW - 1, pairs[J][1] = r + 1 < R ? (r + 1) * KW + KW - 1 : -1;
  for (m = 0; m < s->M; m += 2)
    for (j = 0; j < J; ++j)
      if (wide) {
        wt[m * J + 2 * j] = centred_half(s, m, pairs[j][0]) | centred_half(s, m, pairs[j][1]) << 16;
        wt[m * J + 2 * j + 1] =
            centred_half(s, m + 1, pairs[j][0]) | centred_half(s, m + 1, pairs[j][1]) << 16;
      } else {
        wt[m / 2 * J + j] = centred_byte(s, m, pairs[j][0]) |
                            centred_byte(s, m + 1, pairs[j][0]) << 8 |
                            centred_byte(s, m, pairs[j][1]) << 16 |
                            centred_byte(s, m + 1, pairs[j][1]) << 24;
      }
  for (m = 0; m < s->M; ++m) {
    uint32_t sum = 0;
    const float product = xs * wscale[m];
    for (k = 0; k < K; ++k)
      sum += (uint32_t)(wv[m * K + k] - wzpv[m]);
    bz[m] = s32((uint32_t)bias[m] - (uint32_t)p->xzp * sum);
    mult[m] = product / ys;
  }
  return J;
}

/* tp_qconv_depthwise_*'s tables: centred int16 weights, the SMLAD words of
 * a 3 x 3 window, the multipliers. Transposed, the window is walked column
 * by column: entry (j, i) of the KW x KH window is weight (i, j). */
static void build_depthwise(const Shape *s, float xs, float ys, int transposed) {
  const int32_t T = s->KH * s->KW;
  int32_t c, t, row;
  for (c = 0; c < s->C; ++c) {
    const float product = xs * wscale[c];
    for (t = 0; t < T; ++t) {
      const int32_t from = transposed ? t % s->KH * s->KW + t / s->KH : t;
      dwt[c * T + t] = (int16_t)(wv[c * T + from] - wzpv[c]);
    }
    if (T == 9)
      for (row = 0; row < 3; ++row) {
        const int16_t *v = dwt + c * 9 + row * 3;
        w3[c * 6 + row * 2] = (uint32_t)(uint16_t)v[0] | (uint32_t)(uint16_t)v[1] << 16;
        w3[c * 6 + row * 2 + 1] = (uint32_t)(uint16_t)v[2];
      }
    mult[c] = product / ys;
  }
}

static void print_case(const char *kernel, int32_t id, const Shape *s, const Params *p,
                       float xs, float ys) {
  int32_t m;
  printf("  %s case %d: N=%d C=%d M=%d H=%d W=%d KH=%d KW=%d SH=%d SW=%d DH=%d DW=%d "
         "pads t%d b%d l%d r%d -> OH=%d OW=%d\n",
         kernel, (int)id, (int)s->N, (int)s->C, (int)s->M, (int)s->H, (int)s->W, (int)s->KH,
         (int)s->KW, (int)s->SH, (int)s->SW, (int)s->DH, (int)s->DW, (int)s->PT, (int)s->PB,
         (int)s->PL, (int)s->PR, (int)out_h(s), (int)out_w(s));
  printf("    x %s zp %d, w %s (zero points %s), y zp %d, xmode %d wmode %d bmode %d "
         "smode %d, x_scale 0x%08lx y_scale 0x%08lx, scratch +%d%s%s%s\n",
         p->xi8 ? "int8" : "uint8", (int)p->xzp, p->wu8 ? "uint8" : "int8",
         p->wzp == 0 ? "none" : p->wzp == 1 ? "per tensor" : "per channel", (int)p->yzp,
         (int)p->xmode, (int)p->wmode, (int)p->bmode, (int)p->smode,
         (unsigned long)tp_f32_bits(xs), (unsigned long)tp_f32_bits(ys), (int)p->mis,
         p->words ? ", SMLAD words" : "", p->transposed ? ", transposed" : "",
         p->plane ? ", whole plane" : "");
  for (m = 0; m < s->M; ++m)
    printf("    channel %d: w_zp %d, w_scale 0x%08lx, bias %ld, multiplier 0x%08lx\n", (int)m,
           (int)wzpv[m], (unsigned long)tp_f32_bits(wscale[m]), (long)bias[m],
           (unsigned long)tp_f32_bits(mult[m]));
}

/* One QLinearConv with both kernels, compared byte for byte. */
static void run_case(const Shape *s, const Params *p, int depthwise) {
  const char *kernel = depthwise ? (p->xi8 ? "tp_qconv_depthwise_i8" : "tp_qconv_depthwise_u8")
                                 : (p->xi8 ? "tp_qconv_blocked_i8" : "tp_qconv_blocked_u8");
  const int32_t id = cases_++;
  int32_t geo[13], OH, OW, P, count, S, i, diff = 0, first = -1;
  /* Every other blocked case with wide (int16) weights. */
  const int wide = !depthwise && (id & 1);
  int y_guard = 1, s_guard = 1;
  uint8_t *base = (uint8_t *)scratch_words, *scratch;
  float xs, ys;
  TP_CHECK(shape_ok(s, depthwise));
  if (!shape_ok(s, depthwise)) {
    printf("  %s case %d: bad shape\n", kernel, (int)id);
    return;
  }
  OH = out_h(s), OW = out_w(s), P = OH * OW, count = s->N * s->M * P;
  geo[0] = s->H, geo[1] = s->W, geo[2] = OH, geo[3] = OW, geo[4] = s->KH, geo[5] = s->KW;
  geo[6] = s->SH, geo[7] = s->SW, geo[8] = s->DH, geo[9] = s->DW, geo[10] = s->PT;
  geo[11] = s->PL, geo[12] = pads_read(s);
  fill_data(s, p, depthwise);
  fill_scales(s, p, depthwise, &xs, &ys);
  reference(s, p, depthwise, xs, ys);

  /* The output starts as the complement of the expected one, then guards. */
  for (i = 0; i < count; ++i)
    yf[i] = (uint8_t)~yr[i];
  memset(yf + count, (int)FILL_Y, GUARD);
  S = scratch_bytes(s, depthwise, p->transposed, p->plane);
  memset(base, (int)FILL_SCRATCH, (size_t)(SCRATCH_LEAD + p->mis + S + GUARD));
  scratch = base + SCRATCH_LEAD + p->mis;

  if (depthwise) {
    const int32_t *b = p->bmode ? bias : 0;
    const uint32_t *words = p->words ? w3 : 0;
    build_depthwise(s, xs, ys, p->transposed);
    if (p->transposed)
      for (i = 0; i < 12; i += 2) {
        const int32_t t = geo[i];
        geo[i] = geo[i + 1], geo[i + 1] = t;
      }
    /* With the words of a window the kernel takes them for (3 x 3, columns
       1 apart, stride 1 or 2 in its frame), the int16 weights may be null,
       as tinyplan passes them. */
    const int16_t *centred = words && geo[4] == 3 && geo[5] == 3 && geo[9] == 1 &&
                                     (geo[7] == 1 || geo[7] == 2) && (p->mis & 1)
                                 ? 0
                                 : dwt;
    if (p->xi8)
      tp_qconv_depthwise_i8((const int8_t *)xb, p->xzp, centred, words, b, mult, yf, p->yzp,
                            s->N, s->C, geo, p->transposed,
                            ring_rows(s, p->transposed, p->plane), scratch);
    else
      tp_qconv_depthwise_u8(xb, p->xzp, centred, words, b, mult, yf, p->yzp, s->N, s->C, geo,
                            p->transposed, ring_rows(s, p->transposed, p->plane), scratch);
  } else {
    /* A pointwise geometry (the windows are the pixels themselves). */
    const int pointwise = s->KH == 1 && s->KW == 1 && s->SH == 1 && s->SW == 1 && !geo[12] &&
                          OH == s->H && OW == s->W;
    build_blocked(s, p, xs, ys, wide);
    if (pointwise && (id & 2)) {
      if (p->xi8 && wide)
        tp_qconv_pointwise16_i8((const int8_t *)xb, wt, bz, mult, yf, p->yzp, s->N, s->C, s->M,
                                P, scratch);
      else if (p->xi8)
        tp_qconv_pointwise_i8((const int8_t *)xb, wt, bz, mult, yf, p->yzp, s->N, s->C, s->M, P,
                              scratch);
      else if (wide)
        tp_qconv_pointwise16_u8(xb, wt, bz, mult, yf, p->yzp, s->N, s->C, s->M, P, scratch);
      else
        tp_qconv_pointwise_u8(xb, wt, bz, mult, yf, p->yzp, s->N, s->C, s->M, P, scratch);
      ++pointwise_cases_;
    } else if (p->xi8 && wide)
      tp_qconv_blocked16_i8((const int8_t *)xb, p->xzp, wt, bz, mult, yf, p->yzp, s->N, s->C,
                            s->M, geo, scratch);
    else if (p->xi8)
      tp_qconv_blocked_i8((const int8_t *)xb, p->xzp, wt, bz, mult, yf, p->yzp, s->N, s->C,
                          s->M, geo, scratch);
    else if (wide)
      tp_qconv_blocked16_u8(xb, p->xzp, wt, bz, mult, yf, p->yzp, s->N, s->C, s->M, geo,
                            scratch);
    else
      tp_qconv_blocked_u8(xb, p->xzp, wt, bz, mult, yf, p->yzp, s->N, s->C, s->M, geo,
                          scratch);
  }

  tp_digest(yf, (size_t)count);
  for (i = 0; i < count; ++i) {
    tp_check_(yf[i] == yr[i], "fast kernel == tp_qlinearconv_*", __FILE__, __LINE__);
    if (yf[i] != yr[i] && diff++ == 0)
      first = i;
  }
  for (i = 0; i < GUARD; ++i)
    y_guard = y_guard && yf[count + i] == FILL_Y;
  for (i = 0; i < SCRATCH_LEAD + p->mis; ++i)
    s_guard = s_guard && base[i] == FILL_SCRATCH;
  for (i = 0; i < GUARD; ++i)
    s_guard = s_guard && scratch[S + i] == FILL_SCRATCH;
  TP_CHECK(y_guard);
  TP_CHECK(s_guard);
  if ((diff || !y_guard || !s_guard) && failed_cases_++ < 10) {
    print_case(kernel, id, s, p, xs, ys);
    if (wide)
      printf("    wide (int16) weights\n");
    if (!y_guard)
      printf("    wrote past the output\n");
    if (!s_guard)
      printf("    wrote outside its scratch (%d bytes)\n", (int)S);
    if (diff) {
      const int32_t n = first / (s->M * P), m = first / P % s->M, oh = first % P / OW;
      printf("    %d of %d outputs differ; first y[n=%d, m=%d, oh=%d, ow=%d]: got %d, want "
             "%d\n",
             (int)diff, (int)count, (int)n, (int)m, (int)oh, (int)(first % OW),
             (int)byte_value(yf[first], p->xi8), (int)byte_value(yr[first], p->xi8));
    }
  }
}

/* ---- Parameters ---------------------------------------------------------- */

/* Zero points of activations and outputs: the ends, odd values, the middle. */
static int32_t pick_zp(int32_t is_signed, int32_t sel) {
  static const int32_t zu8[] = {0, 1, 127, 128, 255, 37, 254};
  static const int32_t zi8[] = {-128, -127, -1, 0, 1, 127, -37};
  if (sel < 0 || sel > 6)
    return is_signed ? rnd(-128, 127) : rnd(0, 255);
  return is_signed ? zi8[sel] : zu8[sel];
}

static void random_params(Params *p, int depthwise, const Shape *s) {
  p->xi8 = rnd(0, 1);
  p->wu8 = rnd(0, 2) == 0;
  p->wzp = rnd(0, 2);
  p->ws_pc = rnd(0, 1);
  p->xmode = rnd(0, 5) < 3 ? 0 : rnd(1, 3);
  p->wmode = rnd(0, 4) < 3 ? 0 : rnd(1, 2);
  {
    /* Saturation everywhere (a bias near the int32 ends, a multiplier
     * of 16 or 64) in one case of 8 each. */
    static const int32_t bmodes[8] = {0, 0, 1, 1, 1, 2, 3, 3};
    static const int32_t smodes[8] = {0, 0, 0, 1, 1, 2, 3, 3};
    p->bmode = bmodes[rnd(0, 7)];
    p->smode = smodes[rnd(0, 7)];
  }
  if (rnd(0, 15) == 0)
    p->xmode = 2, p->bmode = 4, p->smode = rnd(0, 1) ? 0 : 3;
  p->xzp = pick_zp(p->xi8, rnd(0, 8));
  p->yzp = pick_zp(p->xi8, rnd(0, 8));
  p->mis = rnd(0, 3);
  p->transposed = depthwise && rnd(0, 2) == 0;
  p->plane = depthwise && rnd(0, 1) == 0;
  p->words = depthwise && s->KH == 3 && s->KW == 3 &&
             (p->transposed ? s->DH : s->DW) == 1 && rnd(0, 3) != 0;
}

/* Fixed parameter sets for the fixed shapes: every type pair, the zero
 * point and bias kinds, the ends. {xi8, wu8, wzp, ws_pc, xmode, wmode,
 * bmode, smode, xzp selector, yzp selector} */
static const int32_t presets[][10] = {
    {0, 0, 0, 0, 0, 0, 1, 0, 3, 3}, /* u8 x, int8 w without zero points, ties */
    {1, 0, 2, 1, 0, 0, 0, 1, 2, 0}, /* i8 x, per-channel w zero points and scales */
    {0, 1, 1, 0, 1, 1, 2, 2, 0, 4}, /* u8 x at its ends, uint8 w per tensor, saturating */
    {1, 1, 2, 1, 3, 2, 3, 3, 5, 0}, /* i8 x near x_zp 127, uint8 w per channel, halves */
    {0, 0, 1, 1, 1, 1, 1, 1, 4, 1}, /* x_zp 255, w at -128 / 127 */
    {1, 0, 1, 0, 1, 1, 2, 0, 0, 6}, /* x_zp -128, large bias, ties */
    {0, 0, 2, 1, 2, 0, 3, 3, 5, 5}, /* x all at x_zp: bias alone */
    {0, 0, 1, 1, 2, 1, 4, 0, 4, 3}, /* bias INT32_MIN / MAX alone: the folded bias and */
    {1, 1, 2, 0, 2, 1, 4, 3, 0, 3}, /* the sums wrap, x_zp 255 and -128 */
};

static void preset_params(Params *p, int32_t k, int depthwise, const Shape *s) {
  const int32_t *v = presets[k];
  p->xi8 = v[0], p->wu8 = v[1], p->wzp = v[2], p->ws_pc = v[3], p->xmode = v[4];
  p->wmode = v[5], p->bmode = v[6], p->smode = v[7];
  p->xzp = pick_zp(p->xi8, v[8]), p->yzp = pick_zp(p->xi8, v[9]);
  p->mis = k & 3;
  p->transposed = 0;
  p->plane = (k >> 1) & 1;
  p->words = depthwise && s->KH == 3 && s->KW == 3 && s->DW == 1 && (k & 1) == 0;
}

#define PRESETS ((int32_t)(sizeof presets / sizeof presets[0]))

/* ---- Blocked ------------------------------------------------------------- */

/* {N, C, M, H, W, KH, KW, SH, SW, DH, DW, PT, PB, PL, PR} */
static const Shape blocked_shapes[] = {
    {1, 3, 5, 4, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  /* 1 x 1, P = 20 */
    {1, 2, 3, 1, 7, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  /* 1 x 1, P = 7 */
    {2, 5, 3, 4, 4, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  /* 1 x 1, C 5, two batches */
    {1, 4, 8, 3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  /* 1 x 1, C 4, P = 9 */
    {1, 1, 2, 2, 6, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  /* 1 x 1, C 1 */
    {1, 2, 3, 4, 4, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0},  /* 1 x 1, stride 2 */
    {1, 2, 3, 1, 13, 1, 3, 1, 2, 1, 1, 0, 0, 1, 2}, /* 1-D, KW 3, stride 2 */
    {2, 1, 2, 1, 11, 1, 4, 1, 1, 1, 2, 0, 0, 8, 0}, /* 1-D, KW 4, dilation 2, pad past reach */
    {1, 5, 1, 1, 9, 1, 2, 1, 3, 1, 1, 0, 0, 0, 1},  /* 1-D, C 5, M 1 */
    {1, 3, 8, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  /* 3 x 3 same */
    {1, 3, 8, 6, 6, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},  /* inside only: 4 x 4 outputs */
    {2, 2, 5, 7, 9, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0},  /* stride 2, pads begin only */
    {1, 1, 2, 9, 3, 8, 1, 1, 1, 1, 1, 0, 0, 0, 0},  /* KH 8, KW 1: last taps paired */
    {1, 1, 3, 8, 4, 7, 3, 1, 1, 1, 1, 3, 3, 1, 1},  /* R = 7: last pair alone */
    {1, 3, 1, 5, 7, 3, 5, 1, 1, 1, 1, 2, 2, 2, 2},  /* R = 9, KW 5 */
    {1, 2, 3, 10, 11, 3, 3, 3, 3, 2, 2, 0, 4, 3, 0}, /* stride 3, dilation 2 */
    {1, 2, 4, 2, 3, 2, 2, 1, 1, 1, 1, 3, 3, 4, 5},  /* pads past reach: padding only */
    {1, 3, 2, 1, 5, 1, 3, 1, 1, 1, 1, 1, 2, 1, 1},  /* H 1 in 2-D: rows of padding */
    {1, 5, 8, 3, 6, 1, 2, 1, 1, 1, 1, 0, 0, 0, 0},  /* KW 2, R = 5 */
    {1, 4, 2, 8, 9, 8, 8, 1, 1, 1, 1, 0, 0, 0, 0},  /* 256 taps */
    {2, 5, 7, 4, 4, 2, 3, 1, 2, 2, 1, 1, 2, 0, 3},  /* M 7, dilation 2 x 1 */
    {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},  /* one element */
    {1, 2, 6, 5, 5, 5, 5, 1, 1, 1, 1, 4, 4, 4, 4},  /* 5 x 5, pads 4 */
    {1, 1, 3, 4, 4, 2, 2, 3, 3, 1, 1, 2, 1, 0, 2},  /* stride past the window */
};

static void random_blocked_shape(Shape *s) {
  do {
    const int32_t pads = rnd(0, 3);
    static const int32_t ms[] = {1, 2, 3, 5, 8, 4, 6, 7};
    s->N = rnd(0, 3) == 0 ? 2 : 1;
    s->C = rnd(1, 5);
    s->M = ms[rnd(0, 7)];
    s->KW = rnd(0, 2) == 0 ? rnd(1, 8) : rnd(1, 4);
    s->SW = rnd(1, 3);
    s->DW = rnd(0, 2) == 0 ? 2 : 1;
    s->W = rnd(1, 14);
    if (rnd(0, 3) == 0) {
      s->H = 1, s->KH = 1, s->SH = 1, s->DH = 1;
    } else {
      s->KH = rnd(0, 3) == 0 ? rnd(1, 8) : rnd(1, 3);
      s->SH = rnd(1, 3);
      s->DH = rnd(0, 2) == 0 ? 2 : 1;
      s->H = rnd(1, 10);
    }
    s->PT = s->PB = s->PL = s->PR = 0;
    if (pads == 1) {
      s->PL = rnd(0, ext_w(s) - 1), s->PR = rnd(0, ext_w(s) - 1);
      if (s->KH > 1 || s->H > 1)
        s->PT = rnd(0, ext_h(s) - 1), s->PB = rnd(0, ext_h(s) - 1);
    } else if (pads == 2) {
      s->PL = rnd(0, ext_w(s) + 2), s->PR = rnd(0, ext_w(s) + 2);
      if (s->KH > 1 || s->H > 1)
        s->PT = rnd(0, ext_h(s) + 2), s->PB = rnd(0, ext_h(s) + 2);
    } else if (pads == 3) {
      s->PL = (ext_w(s) - 1) / 2, s->PR = ext_w(s) / 2;
      s->PT = (ext_h(s) - 1) / 2, s->PB = ext_h(s) / 2;
    }
  } while (!shape_ok(s, 0));
}

#ifndef BLOCKED_RANDOM
#define BLOCKED_RANDOM 400
#endif
#ifndef DEPTHWISE_RANDOM
#define DEPTHWISE_RANDOM 300
#endif

static void test_blocked(void) {
  Params p;
  Shape s;
  int32_t i, k;
  for (i = 0; i < (int32_t)(sizeof blocked_shapes / sizeof blocked_shapes[0]); ++i)
    for (k = 0; k < PRESETS; ++k) {
      preset_params(&p, k, 0, &blocked_shapes[i]);
      run_case(&blocked_shapes[i], &p, 0);
    }
  for (i = 0; i < BLOCKED_RANDOM; ++i) {
    random_blocked_shape(&s);
    random_params(&p, 0, &s);
    run_case(&s, &p, 0);
  }
}

/* Worked by hand: 1 x 1, one channel, weight 1, x - x_zp = -4..5, bias 0,
 * multiplier 0.5: -2, -1.5 -> -2, -1, -0.5 -> -0, 0, 0.5 -> 0, 1,
 * 1.5 -> 2, 2, 2.5 -> 2 (ties to even), plus the zero point 10; the
 * kernel's tables written out. */
static void test_blocked_by_hand(void) {
  static const uint8_t x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  static const uint32_t words[1] = {1u}; /* pair (tap 0, none): channel 0's byte 1 */
  static const int32_t folded[1] = {-4}; /* 0 - x_zp 4 * sum 1 */
  static const float multiplier[1] = {0.5f};
  static const int32_t geo[13] = {1, 10, 1, 10, 1, 1, 1, 1, 1, 1, 0, 0, 0};
  static const uint8_t want[10] = {8, 8, 9, 10, 10, 10, 11, 12, 12, 12};
  uint8_t y[10];
  uint32_t col[4 * 1 + 1];
  int32_t i;
  tp_qconv_blocked_u8(x, 4, words, folded, multiplier, y, 10, 1, 1, 1, geo, col);
  for (i = 0; i < 10; ++i)
    TP_CHECK_INT(y[i], want[i]);
}

/* ---- Depthwise ----------------------------------------------------------- */

/* {N, C, M = C, H, W, KH, KW, SH, SW, DH, DW, PT, PB, PL, PR} */
static const Shape depthwise_shapes[] = {
    {1, 3, 3, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   /* 3 x 3 same, OW even */
    {1, 3, 3, 5, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   /* OW odd */
    {1, 2, 2, 6, 6, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},   /* no padding */
    {2, 4, 4, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},   /* stride 2, OW 4 */
    {1, 3, 3, 8, 8, 3, 3, 2, 2, 1, 1, 0, 1, 0, 1},   /* stride 2, pads end only */
    {1, 2, 2, 9, 9, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0},   /* stride 2, OW 4, no padding */
    {1, 2, 2, 9, 11, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0},  /* stride 2, OW odd */
    {1, 3, 3, 10, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, /* stride 2, OW odd, pads both */
    {1, 2, 2, 9, 8, 3, 3, 1, 1, 2, 1, 2, 2, 1, 1},   /* dilation 2 x 1: fast path, ring 5 */
    {1, 2, 2, 9, 9, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2},   /* dilation 2 */
    {1, 2, 2, 7, 7, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1},   /* stride 3: not the fast path */
    {1, 3, 3, 5, 5, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1},   /* strides 1 x 2 */
    {1, 3, 3, 6, 5, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1},   /* strides 2 x 1 */
    {1, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 4, 4, 4, 4},   /* pads past reach */
    {1, 5, 5, 4, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},   /* 1 x 1 */
    {1, 2, 2, 6, 7, 2, 2, 1, 1, 1, 1, 0, 1, 1, 0},   /* 2 x 2 */
    {1, 3, 3, 7, 7, 3, 1, 1, 1, 1, 1, 1, 1, 0, 0},   /* 3 x 1 */
    {1, 3, 3, 7, 7, 1, 3, 1, 1, 1, 1, 0, 0, 1, 1},   /* 1 x 3 */
    {1, 2, 2, 9, 9, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2},   /* 5 x 5 */
    {1, 2, 2, 11, 12, 5, 5, 2, 2, 2, 2, 4, 4, 4, 4}, /* 5 x 5, stride 2, dilation 2 */
    {1, 2, 2, 12, 12, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3}, /* 7 x 7 */
    {1, 1, 1, 16, 16, 16, 16, 1, 1, 1, 1, 0, 0, 0, 0}, /* 256 taps */
    {2, 3, 3, 1, 12, 1, 3, 1, 1, 1, 1, 0, 0, 1, 1},  /* 1-D, KW 3 */
    {1, 4, 4, 1, 15, 1, 5, 1, 2, 1, 2, 0, 0, 3, 0},  /* 1-D, KW 5, dilation 2 */
    {1, 6, 6, 4, 4, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},   /* OW 2: one pair */
    {1, 2, 2, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   /* W 1, OW 1 */
};

static void random_depthwise_shape(Shape *s) {
  do {
    const int32_t pads = rnd(0, 3), kind = rnd(0, 9);
    s->N = rnd(0, 3) == 0 ? 2 : 1;
    s->C = rnd(1, 6);
    s->M = s->C;
    if (kind < 5) {
      s->KH = 3, s->KW = 3;
      s->SH = rnd(1, 2), s->SW = rnd(0, 5) == 0 ? 3 : rnd(1, 2);
      s->DH = rnd(0, 3) == 0 ? 2 : 1, s->DW = rnd(0, 5) == 0 ? 2 : 1;
    } else {
      s->KH = rnd(1, kind == 9 ? 7 : 5), s->KW = rnd(1, kind == 9 ? 7 : 5);
      s->SH = rnd(1, 3), s->SW = rnd(1, 3);
      s->DH = rnd(0, 3) == 0 ? 2 : 1, s->DW = rnd(0, 3) == 0 ? 2 : 1;
    }
    s->H = rnd(1, 12), s->W = rnd(1, 14);
    if (rnd(0, 5) == 0)
      s->H = 1, s->KH = 1, s->SH = 1, s->DH = 1;
    s->PT = s->PB = s->PL = s->PR = 0;
    if (pads == 1) {
      s->PT = rnd(0, ext_h(s) - 1), s->PB = rnd(0, ext_h(s) - 1);
      s->PL = rnd(0, ext_w(s) - 1), s->PR = rnd(0, ext_w(s) - 1);
    } else if (pads == 2) {
      s->PT = rnd(0, ext_h(s) + 2), s->PB = rnd(0, ext_h(s) + 2);
      s->PL = rnd(0, ext_w(s) + 2), s->PR = rnd(0, ext_w(s) + 2);
    } else if (pads == 3) {
      s->PT = (ext_h(s) - 1) / 2, s->PB = ext_h(s) / 2;
      s->PL = (ext_w(s) - 1) / 2, s->PR = ext_w(s) / 2;
    }
    if (s->H == 1 && s->KH == 1 && rnd(0, 1))
      s->PT = s->PB = 0;
  } while (!shape_ok(s, 1));
}

/* Every small 3 x 3 plane: heights and widths 1 to 9, strides 1 and 2,
 * padded ("same", begin only, end only) and not, channels 1 to 5, each
 * with a preset's types, zero points and saturation in turn, the ring a
 * window high or the whole plane, and the plane walked row by row or
 * column by column: the assembly's blocks of four, its pair of two, the
 * overlapping last block and the rows too short for it. */
static void test_depthwise_small_planes(void) {
  static const int32_t pads[4][4] = {{1, 1, 1, 1}, {0, 0, 0, 0}, {1, 0, 1, 0}, {0, 1, 0, 1}};
  Params p;
  Shape s;
  int32_t h, w, stride, pad, k = 0;
  for (h = 1; h <= 9; ++h)
    for (w = 1; w <= 9; ++w)
      for (stride = 1; stride <= 2; ++stride)
        for (pad = 0; pad < 4; ++pad, ++k) {
          s.N = 1, s.C = s.M = 1 + k % 5, s.H = h, s.W = w, s.KH = s.KW = 3;
          s.SH = s.SW = stride, s.DH = s.DW = 1;
          s.PT = pads[pad][0], s.PB = pads[pad][1], s.PL = pads[pad][2], s.PR = pads[pad][3];
          if (!shape_ok(&s, 1))
            continue;
          preset_params(&p, k % PRESETS, 1, &s);
          p.words = 1;
          p.plane = k / PRESETS % 2;
          p.transposed = k / (2 * PRESETS) % 2;
          run_case(&s, &p, 1);
        }
}

static void test_depthwise(void) {
  Params p;
  Shape s;
  int32_t i, k;
  for (i = 0; i < (int32_t)(sizeof depthwise_shapes / sizeof depthwise_shapes[0]); ++i)
    for (k = 0; k < PRESETS; ++k) {
      preset_params(&p, k, 1, &depthwise_shapes[i]);
      run_case(&depthwise_shapes[i], &p, 1);
      /* 3 x 3: the other way too, with and without the SMLAD words. */
      if (depthwise_shapes[i].KH == 3 && depthwise_shapes[i].KW == 3 &&
          depthwise_shapes[i].DW == 1) {
        p.words = !p.words;
        run_case(&depthwise_shapes[i], &p, 1);
      }
      /* The plane walked column by column (as tinyplan asks when the rows
         are the shorter), with the SMLAD words where they apply. */
      p.transposed = 1;
      p.words = depthwise_shapes[i].KH == 3 && depthwise_shapes[i].KW == 3 &&
                depthwise_shapes[i].DH == 1;
      run_case(&depthwise_shapes[i], &p, 1);
      /* And with every row of the padded plane in the scratch. */
      p.plane = !p.plane;
      run_case(&depthwise_shapes[i], &p, 1);
    }
  for (i = 0; i < DEPTHWISE_RANDOM; ++i) {
    random_depthwise_shape(&s);
    random_params(&p, 1, &s);
    run_case(&s, &p, 1);
  }
}

int main(void) {
  test_blocked_by_hand();
  test_blocked();
  test_depthwise();
  test_depthwise_small_planes();
  /* The pointwise kernel's share of the cases, pinned: 27 of 2,269 (its
     short last blocks among them), so that it cannot shrink unseen. */
  TP_CHECK(pointwise_cases_ == 27);
  TP_CHECK(cases_ == 2269);
  printf("%d cases, %d through tp_qconv_pointwise_*\n", cases_, pointwise_cases_);
  if (failed_cases_)
    printf("%d of %d cases differ\n", failed_cases_, cases_);
  return tp_finish("qconv_test");
}
