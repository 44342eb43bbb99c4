/* pool.c - AveragePool, MaxPool (with or without Indices) and the global
 * pools.
 *
 * The windowed pools run over N*C planes of up to three spatial dims: a
 * 1-D or 2-D pool is a 3-D one with leading spatial dims of 1. Their
 * geometry comes in one table g of 22 int32_t, each triple in D, H, W
 * order: input extents, output extents, kernel, strides, dilations, begin
 * pads, end pads, then count_include_pad (AveragePool) or storage_order
 * (MaxPool with Indices). The output is written in order. Each window is
 * clipped to the input once per output element (tp_pool_window), so the
 * inner loop runs over input elements only and tests no bounds; ceil mode
 * is only a larger output extent, whose last windows the clipping covers.
 *
 * Channels-last, the global pools' _nhwc instances take plane nc as channel
 * nc % C of image nc / C, its elements C apart (tp_pool_at_* and
 * tp_pool_step_* carry the difference); the windowed pools' _nhwc kernels
 * go output pixel by output pixel, all channels of one before the next.
 * Every window is summed in the same order either way.
 *
 * MaxPool starts from the type's lowest value, as ONNX Runtime does (a
 * window without an input element, or of -inf only, yields it), and a NaN
 * wins: the first NaN of a window is its maximum and its index. The
 * element functions tp_maxpool_lowest_* and tp_maxpool_wins_* carry what
 * differs between the float and the integer instances.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_pool_window
 * The taps [*k0, *k1) of a window of K taps at dilation DL starting at s
 * that fall inside an input of n elements, and in *padded the count of its
 * taps before the end of the input padded by pe at the end
 * (count_include_pad's divisor: a window starts at or after the begin
 * padding's start). A window without taps inside has *k1 <= *k0. */
TP_KERNEL void tp_pool_window(int32_t s, int32_t K, int32_t DL, int32_t n, int32_t pe,
    int32_t *k0, int32_t *k1, int32_t *padded) {
  *k0 = s < 0 ? (DL - 1 - s) / DL : 0;
  *k1 = (n - s + DL - 1) / DL;
  if (*k1 > K)
    *k1 = K;
  *padded = (n + pe - s + DL - 1) / DL;
  if (*padded > K)
    *padded = K;
}

/* @kernel tp_pool_at_cf
 * Channels-first: where element i of plane nc (planes of S elements) is;
 * C is not read. */
TP_KERNEL inline int32_t tp_pool_at_cf(int32_t nc, int32_t i, int32_t S, int32_t C) {
  (void)C;
  return nc * S + i;
}

/* @kernel tp_pool_step_cf
 * Channels-first: the distance between a plane's adjacent elements. */
TP_KERNEL inline int32_t tp_pool_step_cf(int32_t C) {
  (void)C;
  return 1;
}

/* @kernel tp_pool_at_cl
 * Channels-last: where element i of plane nc (channel nc % C of image
 * nc / C, S pixels) is. */
TP_KERNEL inline int32_t tp_pool_at_cl(int32_t nc, int32_t i, int32_t S, int32_t C) {
  return (nc / C * S + i) * C + nc % C;
}

/* @kernel tp_pool_step_cl
 * Channels-last: a plane's adjacent elements are C apart. */
TP_KERNEL inline int32_t tp_pool_step_cl(int32_t C) {
  return C;
}

/* @kernel tp_maxpool_lowest_f32
 * -FLT_MAX, MaxPool's starting value (written out: model.c includes no
 * <float.h>). */
TP_KERNEL inline float tp_maxpool_lowest_f32(void) {
  return -0x1.fffffep+127f;
}

/* @kernel tp_maxpool_lowest_f64
 * -DBL_MAX. */
TP_KERNEL inline double tp_maxpool_lowest_f64(void) {
  return -0x1.fffffffffffffp+1023;
}

/* @kernel tp_maxpool_lowest_i8
 * @instance tp_maxpool_lowest_u8: int8_t=uint8_t INT8_MIN=0
 * INT8_MIN; 0 for u8. */
TP_KERNEL inline int8_t tp_maxpool_lowest_i8(void) {
  return INT8_MIN;
}

/* @kernel tp_maxpool_wins_f32
 * @instance tp_maxpool_wins_f64: float=double
 * Whether v replaces the maximum so far: larger, or the first NaN. */
TP_KERNEL inline int tp_maxpool_wins_f32(float v, float acc) {
  return v > acc || (v != v && acc == acc);
}

/* @kernel tp_maxpool_wins_i8
 * @instance tp_maxpool_wins_u8: int8_t=uint8_t
 * Whether v replaces the maximum so far. */
TP_KERNEL inline int tp_maxpool_wins_i8(int8_t v, int8_t acc) {
  return v > acc;
}

/* @kernel tp_avgpool_f32 uses tp_pool_window tp_pool_at_cf tp_pool_step_cf
 * @instance tp_avgpool_f64: float=double
 * AveragePool: the sum of the window's input elements in order, divided by
 * their count, or with count_include_pad (g[21] != 0) by the window
 * clipped to the padded input (as ONNX Runtime does); with dilations, the
 * taps inside the input or inside the padded input. */
TP_KERNEL void tp_avgpool_f32(const float *x, float *y, int32_t NC, int32_t C,
    const int32_t *g) {
  const int32_t D = g[0], H = g[1], W = g[2], OD = g[3], OH = g[4], OW = g[5];
  const int32_t KD = g[6], KH = g[7], KW = g[8], SD = g[9], SH = g[10], SW = g[11];
  const int32_t DD = g[12], DH = g[13], DW = g[14], PF = g[15], PT = g[16], PL = g[17];
  const int32_t PK = g[18], PB = g[19], PR = g[20], mode = g[21];
  int32_t nc, od, oh, ow, id, ih, iw, kd0, kd1, dp, kh0, kh1, hp, kw0, kw1, wp;
  const int32_t E = tp_pool_step_cf(C);
  for (nc = 0; nc < NC; ++nc) {
    const float *xc = x + tp_pool_at_cf(nc, 0, D * H * W, C);
    float *yc = y + tp_pool_at_cf(nc, 0, OD * OH * OW, C);
    for (od = 0; od < OD; ++od) {
      const int32_t ds = od * SD - PF;
      tp_pool_window(ds, KD, DD, D, PK, &kd0, &kd1, &dp);
      for (oh = 0; oh < OH; ++oh) {
        const int32_t hs = oh * SH - PT;
        tp_pool_window(hs, KH, DH, H, PB, &kh0, &kh1, &hp);
        for (ow = 0; ow < OW; ++ow) {
          const int32_t ws = ow * SW - PL;
          float acc = 0;
          tp_pool_window(ws, KW, DW, W, PR, &kw0, &kw1, &wp);
          for (id = kd0; id < kd1; ++id)
            for (ih = kh0; ih < kh1; ++ih) {
              const int32_t row = ((ds + id * DD) * H + hs + ih * DH) * W + ws;
              const float *xr = xc + row * E;
              for (iw = kw0; iw < kw1; ++iw) {
                const float v = xr[iw * DW * E];
                acc += v;
              }
            }
          yc[((od * OH + oh) * OW + ow) * E] =
              acc / (float)(mode ? dp * hp * wp
                                 : (kd1 - kd0) * (kh1 - kh0) * (kw1 - kw0));
        }
      }
    }
  }
}

/* @kernel tp_maxpool_f32 uses tp_pool_window tp_pool_at_cf tp_pool_step_cf tp_maxpool_lowest_f32 tp_maxpool_wins_f32
 * @instance tp_maxpool_f64: float=double tp_maxpool_lowest_f32=tp_maxpool_lowest_f64 tp_maxpool_wins_f32=tp_maxpool_wins_f64
 * @instance tp_maxpool_i8: float=int8_t tp_maxpool_lowest_f32=tp_maxpool_lowest_i8 tp_maxpool_wins_f32=tp_maxpool_wins_i8
 * @instance tp_maxpool_u8: float=uint8_t tp_maxpool_lowest_f32=tp_maxpool_lowest_u8 tp_maxpool_wins_f32=tp_maxpool_wins_u8
 * MaxPool without Indices; g[21] is not read. */
TP_KERNEL void tp_maxpool_f32(const float *x, float *y, int32_t NC, int32_t C,
    const int32_t *g) {
  const int32_t D = g[0], H = g[1], W = g[2], OD = g[3], OH = g[4], OW = g[5];
  const int32_t KD = g[6], KH = g[7], KW = g[8], SD = g[9], SH = g[10], SW = g[11];
  const int32_t DD = g[12], DH = g[13], DW = g[14], PF = g[15], PT = g[16], PL = g[17];
  const int32_t PK = g[18], PB = g[19], PR = g[20];
  int32_t nc, od, oh, ow, id, ih, iw, kd0, kd1, dp, kh0, kh1, hp, kw0, kw1, wp;
  const int32_t E = tp_pool_step_cf(C);
  for (nc = 0; nc < NC; ++nc) {
    const float *xc = x + tp_pool_at_cf(nc, 0, D * H * W, C);
    float *yc = y + tp_pool_at_cf(nc, 0, OD * OH * OW, C);
    for (od = 0; od < OD; ++od) {
      const int32_t ds = od * SD - PF;
      tp_pool_window(ds, KD, DD, D, PK, &kd0, &kd1, &dp);
      for (oh = 0; oh < OH; ++oh) {
        const int32_t hs = oh * SH - PT;
        tp_pool_window(hs, KH, DH, H, PB, &kh0, &kh1, &hp);
        for (ow = 0; ow < OW; ++ow) {
          const int32_t ws = ow * SW - PL;
          float acc = tp_maxpool_lowest_f32();
          tp_pool_window(ws, KW, DW, W, PR, &kw0, &kw1, &wp);
          for (id = kd0; id < kd1; ++id)
            for (ih = kh0; ih < kh1; ++ih) {
              const int32_t row = ((ds + id * DD) * H + hs + ih * DH) * W + ws;
              const float *xr = xc + row * E;
              for (iw = kw0; iw < kw1; ++iw) {
                const float v = xr[iw * DW * E];
                if (tp_maxpool_wins_f32(v, acc))
                  acc = v;
              }
            }
          yc[((od * OH + oh) * OW + ow) * E] = acc;
        }
      }
    }
  }
}

/* @kernel tp_avgpool_nhwc_f32 uses tp_pool_window
 * @instance tp_avgpool_nhwc_f64: float=double
 * AveragePool channels-last (NC = N * C): tp_avgpool_f32's sums, output
 * pixel by output pixel, all C channels of a pixel before the next. The
 * result is written row by row, so it may start below the input, over
 * rows already read (docs/planning.md, "Overlaps"). */
TP_KERNEL void tp_avgpool_nhwc_f32(const float *x, float *y, int32_t NC, int32_t C,
    const int32_t *g) {
  const int32_t D = g[0], H = g[1], W = g[2], OD = g[3], OH = g[4], OW = g[5];
  const int32_t KD = g[6], KH = g[7], KW = g[8], SD = g[9], SH = g[10], SW = g[11];
  const int32_t DD = g[12], DH = g[13], DW = g[14], PF = g[15], PT = g[16], PL = g[17];
  const int32_t PK = g[18], PB = g[19], PR = g[20], mode = g[21];
  int32_t n, c, od, oh, ow, id, ih, iw, kd0, kd1, dp, kh0, kh1, hp, kw0, kw1, wp;
  if (C <= 0)
    return;
  for (n = 0; n < NC / C; ++n) {
    const float *xn = x + n * D * H * W * C;
    float *yp = y + n * OD * OH * OW * C;
    for (od = 0; od < OD; ++od) {
      const int32_t ds = od * SD - PF;
      tp_pool_window(ds, KD, DD, D, PK, &kd0, &kd1, &dp);
      for (oh = 0; oh < OH; ++oh) {
        const int32_t hs = oh * SH - PT;
        tp_pool_window(hs, KH, DH, H, PB, &kh0, &kh1, &hp);
        for (ow = 0; ow < OW; ++ow, yp += C) {
          const int32_t ws = ow * SW - PL;
          tp_pool_window(ws, KW, DW, W, PR, &kw0, &kw1, &wp);
          {
            const float count = (float)(mode ? dp * hp * wp
                                             : (kd1 - kd0) * (kh1 - kh0) * (kw1 - kw0));
            for (c = 0; c < C; ++c) {
              float acc = 0;
              for (id = kd0; id < kd1; ++id)
                for (ih = kh0; ih < kh1; ++ih) {
                  const int32_t row = ((ds + id * DD) * H + hs + ih * DH) * W + ws;
                  const float *xr = xn + row * C + c;
                  for (iw = kw0; iw < kw1; ++iw) {
                    const float v = xr[iw * DW * C];
                    acc += v;
                  }
                }
              yp[c] = acc / count;
            }
          }
        }
      }
    }
  }
}

/* @kernel tp_maxpool_nhwc_f32 uses tp_pool_window tp_maxpool_lowest_f32 tp_maxpool_wins_f32
 * @instance tp_maxpool_nhwc_f64: float=double tp_maxpool_lowest_f32=tp_maxpool_lowest_f64 tp_maxpool_wins_f32=tp_maxpool_wins_f64
 * @instance tp_maxpool_nhwc_i8: float=int8_t tp_maxpool_lowest_f32=tp_maxpool_lowest_i8 tp_maxpool_wins_f32=tp_maxpool_wins_i8
 * @instance tp_maxpool_nhwc_u8: float=uint8_t tp_maxpool_lowest_f32=tp_maxpool_lowest_u8 tp_maxpool_wins_f32=tp_maxpool_wins_u8
 * MaxPool channels-last without Indices (NC = N * C): tp_maxpool_f32's
 * maxima, output pixel by output pixel, all C channels of a pixel before
 * the next, so the result may start below the input, over rows already
 * read. */
TP_KERNEL void tp_maxpool_nhwc_f32(const float *x, float *y, int32_t NC, int32_t C,
    const int32_t *g) {
  const int32_t D = g[0], H = g[1], W = g[2], OD = g[3], OH = g[4], OW = g[5];
  const int32_t KD = g[6], KH = g[7], KW = g[8], SD = g[9], SH = g[10], SW = g[11];
  const int32_t DD = g[12], DH = g[13], DW = g[14], PF = g[15], PT = g[16], PL = g[17];
  const int32_t PK = g[18], PB = g[19], PR = g[20];
  int32_t n, c, od, oh, ow, id, ih, iw, kd0, kd1, dp, kh0, kh1, hp, kw0, kw1, wp;
  if (C <= 0)
    return;
  for (n = 0; n < NC / C; ++n) {
    const float *xn = x + n * D * H * W * C;
    float *yp = y + n * OD * OH * OW * C;
    for (od = 0; od < OD; ++od) {
      const int32_t ds = od * SD - PF;
      tp_pool_window(ds, KD, DD, D, PK, &kd0, &kd1, &dp);
      for (oh = 0; oh < OH; ++oh) {
        const int32_t hs = oh * SH - PT;
        tp_pool_window(hs, KH, DH, H, PB, &kh0, &kh1, &hp);
        for (ow = 0; ow < OW; ++ow, yp += C) {
          const int32_t ws = ow * SW - PL;
          tp_pool_window(ws, KW, DW, W, PR, &kw0, &kw1, &wp);
          for (c = 0; c < C; ++c) {
            float acc = tp_maxpool_lowest_f32();
            for (id = kd0; id < kd1; ++id)
              for (ih = kh0; ih < kh1; ++ih) {
                const int32_t row = ((ds + id * DD) * H + hs + ih * DH) * W + ws;
                const float *xr = xn + row * C + c;
                for (iw = kw0; iw < kw1; ++iw) {
                  const float v = xr[iw * DW * C];
                  if (tp_maxpool_wins_f32(v, acc))
                    acc = v;
                }
              }
            yp[c] = acc;
          }
        }
      }
    }
  }
}

/* @kernel tp_maxpool_indices_f32 uses tp_pool_window tp_maxpool_lowest_f32 tp_maxpool_wins_f32
 * @instance tp_maxpool_indices_f64: float=double tp_maxpool_lowest_f32=tp_maxpool_lowest_f64 tp_maxpool_wins_f32=tp_maxpool_wins_f64
 * @instance tp_maxpool_indices_i8: float=int8_t tp_maxpool_lowest_f32=tp_maxpool_lowest_i8 tp_maxpool_wins_f32=tp_maxpool_wins_i8
 * @instance tp_maxpool_indices_u8: float=uint8_t tp_maxpool_lowest_f32=tp_maxpool_lowest_u8 tp_maxpool_wins_f32=tp_maxpool_wins_u8
 * MaxPool with Indices: ind gets the flat index of each maximum in the
 * whole input (n, c and the plane), row-major, or with storage_order
 * (g[21] != 0) column-major within the plane. A window without an input
 * element has index nc * D * H * W - 1. */
TP_KERNEL void tp_maxpool_indices_f32(const float *x, float *y, int64_t *ind, int32_t NC,
    const int32_t *g) {
  const int32_t D = g[0], H = g[1], W = g[2], OD = g[3], OH = g[4], OW = g[5];
  const int32_t KD = g[6], KH = g[7], KW = g[8], SD = g[9], SH = g[10], SW = g[11];
  const int32_t DD = g[12], DH = g[13], DW = g[14], PF = g[15], PT = g[16], PL = g[17];
  const int32_t PK = g[18], PB = g[19], PR = g[20], mode = g[21];
  int32_t nc, od, oh, ow, id, ih, iw, kd0, kd1, dp, kh0, kh1, hp, kw0, kw1, wp;
  for (nc = 0; nc < NC; ++nc) {
    const float *xc = x + nc * D * H * W;
    for (od = 0; od < OD; ++od) {
      const int32_t ds = od * SD - PF;
      tp_pool_window(ds, KD, DD, D, PK, &kd0, &kd1, &dp);
      for (oh = 0; oh < OH; ++oh) {
        const int32_t hs = oh * SH - PT;
        tp_pool_window(hs, KH, DH, H, PB, &kh0, &kh1, &hp);
        for (ow = 0; ow < OW; ++ow) {
          const int32_t ws = ow * SW - PL;
          float acc = tp_maxpool_lowest_f32();
          int32_t at = -1;
          tp_pool_window(ws, KW, DW, W, PR, &kw0, &kw1, &wp);
          for (id = kd0; id < kd1; ++id)
            for (ih = kh0; ih < kh1; ++ih) {
              const int32_t row = ((ds + id * DD) * H + hs + ih * DH) * W + ws;
              const float *xr = xc + row;
              for (iw = kw0; iw < kw1; ++iw) {
                const float v = xr[iw * DW];
                if (tp_maxpool_wins_f32(v, acc)) {
                  acc = v;
                  at = row + iw * DW;
                }
              }
            }
          *y++ = acc;
          if (at >= 0 && mode != 0)
            at = at / (W * H) + (at / W % H) * D + at % W * D * H;
          *ind++ = (int64_t)nc * D * H * W + at;
        }
      }
    }
  }
}

/* @kernel tp_globalavgpool_f32 uses tp_pool_at_cf tp_pool_step_cf
 * @instance tp_globalavgpool_f64: float=double
 * @instance tp_globalavgpool_nhwc_f32: tp_pool_at_cf=tp_pool_at_cl tp_pool_step_cf=tp_pool_step_cl
 * @instance tp_globalavgpool_nhwc_f64: float=double tp_pool_at_cf=tp_pool_at_cl tp_pool_step_cf=tp_pool_step_cl
 * GlobalAveragePool over NC planes of S > 0 elements: the sum from the
 * first element on, in order, divided by S. */
TP_KERNEL void tp_globalavgpool_f32(const float *x, float *y, int32_t NC, int32_t C,
    int32_t S) {
  const int32_t E = tp_pool_step_cf(C);
  int32_t nc, i;
  for (nc = 0; nc < NC; ++nc) {
    const float *xc = x + tp_pool_at_cf(nc, 0, S, C);
    float acc = xc[0];
    for (i = 1; i < S; ++i) {
      const float v = xc[i * E];
      acc += v;
    }
    y[nc] = acc / (float)S;
  }
}

/* @kernel tp_globalmaxpool_f32 uses tp_pool_at_cf tp_pool_step_cf
 * @instance tp_globalmaxpool_f64: float=double
 * @instance tp_globalmaxpool_nhwc_f32: tp_pool_at_cf=tp_pool_at_cl tp_pool_step_cf=tp_pool_step_cl
 * @instance tp_globalmaxpool_nhwc_f64: float=double tp_pool_at_cf=tp_pool_at_cl tp_pool_step_cf=tp_pool_step_cl
 * GlobalMaxPool over NC planes of S > 0 elements, from the first element
 * on: a larger element or any NaN replaces the maximum (so the last NaN
 * wins, unlike the windowed MaxPool). */
TP_KERNEL void tp_globalmaxpool_f32(const float *x, float *y, int32_t NC, int32_t C,
    int32_t S) {
  const int32_t E = tp_pool_step_cf(C);
  int32_t nc, i;
  for (nc = 0; nc < NC; ++nc) {
    const float *xc = x + tp_pool_at_cf(nc, 0, S, C);
    float acc = xc[0];
    for (i = 1; i < S; ++i) {
      const float v = xc[i * E];
      if (v > acc || v != v)
        acc = v;
    }
    y[nc] = acc;
  }
}
