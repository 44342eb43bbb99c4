/* qlinear.c - The integer kernels of ONNX Runtime's com.microsoft quantized
 * operators: QLinearAdd, QLinearMul, QLinearSigmoid, QLinearLeakyRelu,
 * QLinearSoftmax, QLinearGlobalAveragePool, QLinearConcat and QGemm.
 *
 * Each computes what ONNX Runtime's CPU kernels compute on an x86-64 CPU
 * with AVX2 and FMA, bit for bit (docs/generated-c.md, "Integer kernels",
 * cites the ONNX Runtime sources):
 *   - QLinearAdd: the scale ratios ra = a_scale / c_scale and rb = b_scale
 *     / c_scale, a fixed part c_zp - fma(ra, a_zp, rb * b_zp), then
 *     fma(a, ra, fma(b, rb, fixed)) on the raw elements, converted as
 *     cvtps2dq converts (round to nearest even; beyond the int32 range or
 *     NaN, INT32_MIN) and saturated: MLAS's AVX2 kernel, whose FMAs and
 *     compiler-fused multiply-adds decide the bits. The operand that ONNX
 *     Runtime broadcasts as a scalar is the inner fma's (the emitter swaps
 *     the operands when it is A);
 *   - QLinearMul: (float)((a - a_zp) * (b - b_zp)) * (a_scale * b_scale /
 *     c_scale) + c_zp, converted as cvtps2dq and saturated (MLAS's SSE2
 *     kernel, no fused multiply-add);
 *   - QLinearSigmoid, QLinearLeakyRelu and QLinearConcat are lookup tables
 *     of 256 bytes that lib/CodeGen computes (tp_qlinear_lookup,
 *     tp_qlinear_concat_part);
 *   - QLinearSoftmax: a table of 256 floats exp(...) that lib/CodeGen
 *     computes, summed in float per row, each element (t * y) / sum
 *     rounded to even, plus the zero point (tp_qlinear_softmax_u8);
 *   - QLinearGlobalAveragePool: the int32 sum of (x - x_zp) requantized
 *     with x_scale / (y_scale * (float)image), MlasRequantizeOutput's
 *     rounding;
 *   - QGemm: QLinearMatMul's accumulation with transposes, an int32 bias C
 *     and alpha, requantized or scaled to float.
 * No libm function whose bits could differ between an FPU and soft float
 * is called: fmaf is exactly rounded by definition.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_qlinear_round uses tp_quant_round
 * v rounded as SSE's cvtps2dq rounds it (nearest, ties to even; NaN and
 * values beyond the int32 range give INT32_MIN), then saturated to [lo,
 * hi] as packssdw and packuswb / packsswb saturate: the integer nearest v
 * clamped to [lo, hi], lo for NaN and for v >= 2^31. */
TP_KERNEL int32_t tp_qlinear_round(float v, int32_t lo, int32_t hi) {
  return v < 0x1p31f ? tp_quant_round(v, (float)lo, (float)hi) : lo;
}

/* @kernel tp_qlinear_add_params uses tp_fmaf
 * p[0] = as / ys, p[1] = bs / ys, p[2] = (float)yz - fma(p[0], (float)az,
 * p[1] * (float)bz): the ratios and fixed part of QLinearAdd, in MLAS's
 * order of operations. */
TP_KERNEL void tp_qlinear_add_params(float as, int32_t az, float bs, int32_t bz, float ys,
    int32_t yz, float *p) {
  p[0] = as / ys;
  p[1] = bs / ys;
  p[2] = (float)yz - tp_fmaf(p[0], (float)az, p[1] * (float)bz);
}

/* @kernel tp_qlinear_add_op uses tp_fmaf
 * QLinearAdd's element: fma(a, p[0], fma(b, p[1], p[2])), a and b the
 * raw quantized values (the zero points are in p[2]). */
TP_KERNEL float tp_qlinear_add_op(int32_t a, int32_t b, const float *p) {
  return tp_fmaf((float)a, p[0], tp_fmaf((float)b, p[1], p[2]));
}

/* @kernel tp_qlinear_mul_params
 * p[0] = as * bs / ys (two roundings, in that order); p[1], p[2], p[3]
 * the zero points of a, b and y. */
TP_KERNEL void tp_qlinear_mul_params(float as, int32_t az, float bs, int32_t bz, float ys,
    int32_t yz, float *p) {
  p[0] = as * bs / ys;
  p[1] = (float)az;
  p[2] = (float)bz;
  p[3] = (float)yz;
}

/* @kernel tp_qlinear_mul_op
 * QLinearMul's element: (float)((a - p[1]) * (b - p[2])) * p[0] + p[3];
 * the product is exact in int32 and in float (|product| <= 2^16). */
TP_KERNEL float tp_qlinear_mul_op(int32_t a, int32_t b, const float *p) {
  return (float)((a - (int32_t)p[1]) * (b - (int32_t)p[2])) * p[0] + p[3];
}

/* @kernel tp_qlinear_binary_u8 uses tp_qlinear_round
 * @instance tp_qlinear_binary_i8: uint8_t=int8_t
 * y[i] = round(op(a, b, p)) saturated to [lo, hi] over the n elements of
 * the result, whose rank (<= 8) dims are walked as an odometer, the last
 * fastest (its run in a loop of its own); as[d] and bs[d] are the steps of
 * a and b along dim d, 0 where that operand broadcasts.
 * tp_qlinear_binary_op is a placeholder that
 * tinyplan replaces by tp_qlinear_add_op or tp_qlinear_mul_op. y may be an
 * operand with the result's shape: each element is read before it is
 * written. */
TP_KERNEL void tp_qlinear_binary_u8(const uint8_t *pa, const uint8_t *pb, uint8_t *y,
    int32_t n, int32_t rank, const int32_t *dims, const int32_t *as, const int32_t *bs,
    const float *p, int32_t lo, int32_t hi) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  /* The last dim's extent and steps: its run of elements is one loop. */
  const int32_t inner = rank > 0 ? dims[rank - 1] : 1, sa = rank > 0 ? as[rank - 1] : 0;
  const int32_t sb = rank > 0 ? bs[rank - 1] : 0;
  int32_t i = 0, k, d, ai = 0, bi = 0;
  while (i < n) {
    for (k = 0; k < inner; ++k, ++i, ai += sa, bi += sb)
      y[i] = (uint8_t)tp_qlinear_round(
          tp_qlinear_binary_op((int32_t)pa[ai], (int32_t)pb[bi], p), lo, hi);
    ai -= sa * inner;
    bi -= sb * inner;
    for (d = rank - 2; d >= 0; --d) {
      ai += as[d];
      bi += bs[d];
      if (++idx[d] < dims[d])
        break;
      ai -= as[d] * dims[d];
      bi -= bs[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/* @kernel tp_qlinear_lookup
 * y[i] = table[x[i]] over n bytes (int8 data is read and written as its
 * bytes): the 256-entry tables of QLinearSigmoid and QLinearLeakyRelu.
 * y may be x. */
TP_KERNEL void tp_qlinear_lookup(const uint8_t *x, const uint8_t *table, uint8_t *y,
    int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i)
    y[i] = table[x[i]];
}

/* @kernel tp_qlinear_concat_part
 * One input of QLinearConcat: outer blocks of inner bytes from x, block o
 * written at y + o * ystride, each byte through table (null: copied). */
TP_KERNEL void tp_qlinear_concat_part(const uint8_t *x, const uint8_t *table, uint8_t *y,
    int32_t outer, int32_t inner, int32_t ystride) {
  int32_t o, i;
  for (o = 0; o < outer; ++o) {
    const uint8_t *xo = x + o * inner;
    uint8_t *yo = y + o * ystride;
    for (i = 0; i < inner; ++i)
      yo[i] = table ? table[xo[i]] : xo[i];
  }
}

/* @kernel tp_qsoftmax_store_u8 uses tp_quant_round
 * QLinearSoftmax's uint8 result for v = (t * y_scale) / sum >= 0:
 * round_even(v) + zp, 255 where that exceeds 255 (ONNX Runtime casts to
 * uint32 and compares; v is clamped to 256 first, which changes nothing). */
TP_KERNEL uint8_t tp_qsoftmax_store_u8(float v, int32_t zp) {
  const int32_t q = tp_quant_round(v, (float)0, (float)256) + zp;
  return (uint8_t)(q > 255 ? 255 : q);
}

/* @kernel tp_qsoftmax_store_i8 uses tp_quant_round
 * QLinearSoftmax's int8 result: round_even(v) + zp saturated at 127 (v is
 * clamped to 256 first, which changes nothing). ONNX Runtime 1.30
 * saturates so; the qlinear_softmax.cc of earlier sources stores
 * (int8_t)q, which wraps 128..255 around to negative values. */
TP_KERNEL int8_t tp_qsoftmax_store_i8(float v, int32_t zp) {
  const int32_t q = tp_quant_round(v, (float)0, (float)256) + zp;
  return (int8_t)(q > 127 ? 127 : q);
}

/* @kernel tp_qlinear_softmax_u8 uses tp_qsoftmax_store_u8
 * @instance tp_qlinear_softmax_i8: uint8_t=int8_t tp_qsoftmax_store_u8=tp_qsoftmax_store_i8
 * QLinearSoftmax over outer x d x inner elements, the rows along d (stride
 * inner): xmax the row's maximum; t(x) = table[255 - xmax + x], table[i]
 * being exp((i - 255 + shift) * x_scale) as ONNX Runtime's
 * QlinearBuildLookupTableUint32 makes it; sum = the row's t summed in float
 * in order; each element stored from (t(x) * y_scale) / sum, y_scale being
 * floor(1 / scale) as ONNX Runtime takes it. y may be x. */
TP_KERNEL void tp_qlinear_softmax_u8(const uint8_t *x, uint8_t *y, const float *table,
    float y_scale, int32_t zp, int32_t outer, int32_t d, int32_t inner) {
  int32_t o, i, k;
  for (o = 0; o < outer; ++o)
    for (i = 0; i < inner; ++i) {
      const uint8_t *xr = x + o * d * inner + i;
      uint8_t *yr = y + o * d * inner + i;
      const float *t;
      int32_t xmax = xr[0];
      float sum = 0;
      for (k = 1; k < d; ++k)
        xmax = xr[k * inner] > xmax ? xr[k * inner] : xmax;
      t = table + 255 - xmax;
      for (k = 0; k < d; ++k)
        sum += t[xr[k * inner]];
      for (k = 0; k < d; ++k)
        yr[k * inner] = tp_qsoftmax_store_u8((t[xr[k * inner]] * y_scale) / sum, zp);
    }
}

/* @kernel tp_qlinear_gavgpool_u8 uses tp_saturate_round_u8
 * @instance tp_qlinear_gavgpool_i8: uint8_t=int8_t tp_saturate_round_u8=tp_saturate_round_i8
 * QLinearGlobalAveragePool of n images of c channels and `image` pixels,
 * channels first (channel stride image, pixel stride 1) or last (channel
 * stride 1, pixel stride c): acc = sum of x - xzp * image in int32, then
 * saturate(round_even((float)acc * (xs / (ys * (float)image))) + yzp), as
 * MLAS's MlasQLinearGlobalAveragePoolNchw and MlasRequantizeOutput. */
TP_KERNEL void tp_qlinear_gavgpool_u8(const uint8_t *x, float xs, int32_t xzp, uint8_t *y,
    float ys, int32_t yzp, int32_t n, int32_t c, int32_t image, int32_t channels_last) {
  const float scale = xs / (ys * (float)image);
  const int32_t cstep = channels_last ? 1 : image, pstep = channels_last ? c : 1;
  int32_t b, ch, p;
  for (b = 0; b < n; ++b)
    for (ch = 0; ch < c; ++ch) {
      const uint8_t *xc = x + b * c * image + ch * cstep;
      int32_t acc = -xzp * image;
      for (p = 0; p < image; ++p)
        acc += (int32_t)xc[p * pstep];
      y[b * c + ch] = tp_saturate_round_u8((float)acc * scale, yzp);
    }
}

/* @kernel tp_qstore_f32
 * Stores the accumulator scaled to float: (float)acc * multiplier (QGemm
 * without y_scale, whose multiplier is alpha * a_scale * b_scale). */
TP_KERNEL inline void tp_qstore_f32(void *y, int32_t i, int32_t acc, float multiplier,
    int32_t zp) {
  (void)zp;
  ((float *)y)[i] = (float)acc * multiplier;
}

/* @kernel tp_qgemm_u8_i8 uses tp_qstore_u8
 * @instance tp_qgemm_u8_u8: int8_t=uint8_t
 * @instance tp_qgemm_i8_i8: uint8_t=int8_t tp_qstore_u8=tp_qstore_i8
 * @instance tp_qgemm_f32_u8_i8: tp_qstore_u8=tp_qstore_f32
 * @instance tp_qgemm_f32_u8_u8: int8_t=uint8_t tp_qstore_u8=tp_qstore_f32
 * @instance tp_qgemm_f32_i8_i8: uint8_t=int8_t tp_qstore_u8=tp_qstore_f32
 * com.microsoft QGemm: y (M x N, dense) from A(i, k) = a[i * ars + k *
 * acs] and B(k, j) = b[k * brs + j * bcs] (strides express transA and
 * transB): acc = C(i, j) (c[i * crs + j * ccs], 0 when c is null) plus the
 * sum over k of (A(i, k) - azp) * (B(k, j) - bzp[j * bzp_step]) in int32,
 * stored through tp_qstore_u8 with the multiplier as * bs[j * bs_step] /
 * ys (as being alpha * a_scale, ys 1 for a float result) and the zero
 * point yzp. */
TP_KERNEL void tp_qgemm_u8_i8(const uint8_t *a, int32_t azp, int32_t ars, int32_t acs,
    const int8_t *b, const int8_t *bzp, int32_t bzp_step, int32_t brs, int32_t bcs,
    const int32_t *c, int32_t crs, int32_t ccs, void *y, float as, const float *bs,
    int32_t bs_step, float ys, int32_t yzp, int32_t M, int32_t K, int32_t N) {
  int32_t i, j, k;
  for (i = 0; i < M; ++i)
    for (j = 0; j < N; ++j) {
      const int32_t bz = (int32_t)bzp[j * bzp_step];
      const float multiplier = as * bs[j * bs_step] / ys;
      int32_t acc = c ? c[i * crs + j * ccs] : 0;
      for (k = 0; k < K; ++k)
        acc += ((int32_t)a[i * ars + k * acs] - azp) * ((int32_t)b[k * brs + j * bcs] - bz);
      tp_qstore_u8(y, i * N + j, acc, multiplier, yzp);
    }
}
