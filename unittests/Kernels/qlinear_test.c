/* The kernels of kernels/qlinear.c: the cvtps2dq-style rounding at its
 * edges (ties, saturation, NaN and values past the int32 range); QLinearAdd
 * on cases where ONNX Runtime 1.30's results (recorded on an x86-64 CPU
 * with AVX2/FMA and AVX-512 VNNI) differ from the same formula without
 * fused multiply-adds, so the order of operations is pinned; QLinearMul on
 * hand-computed ties and saturation; the broadcast loop against the element
 * function; QLinearSoftmax's stores and a row with a hand-made table;
 * QLinearGlobalAveragePool channels first and last against a hand sum;
 * QGemm with transposes, a broadcast C and a float result against a
 * reference loop; the lookup and concat copies.
 * KERNELS: tp_qlinear_round tp_qlinear_add_params tp_qlinear_add_op
 *   tp_qlinear_mul_params tp_qlinear_mul_op
 *   tp_qlinear_binary_add_u8=tp_qlinear_binary_u8:tp_qlinear_binary_op=tp_qlinear_add_op
 *   tp_qlinear_binary_mul_i8=tp_qlinear_binary_i8:tp_qlinear_binary_op=tp_qlinear_mul_op
 *   tp_qlinear_lookup tp_qlinear_concat_part tp_qsoftmax_store_u8 tp_qsoftmax_store_i8
 *   tp_qlinear_softmax_u8 tp_qlinear_softmax_i8 tp_qlinear_gavgpool_u8 tp_qlinear_gavgpool_i8
 *   tp_qgemm_u8_i8 tp_qgemm_i8_i8 tp_qgemm_f32_u8_i8 */
#include "kernels.h"
#include "tp_check.h"

static void test_round(void) {
  TP_CHECK_INT(tp_qlinear_round(2.5f, -128, 127), 2);
  TP_CHECK_INT(tp_qlinear_round(3.5f, -128, 127), 4);
  TP_CHECK_INT(tp_qlinear_round(-2.5f, -128, 127), -2);
  TP_CHECK_INT(tp_qlinear_round(126.5f, -128, 127), 126);
  TP_CHECK_INT(tp_qlinear_round(127.5f, -128, 127), 127);
  TP_CHECK_INT(tp_qlinear_round(-128.5f, -128, 127), -128);
  TP_CHECK_INT(tp_qlinear_round(254.5f, 0, 255), 254);
  TP_CHECK_INT(tp_qlinear_round(1e9f, 0, 255), 255);
  TP_CHECK_INT(tp_qlinear_round(2147483520.0f, 0, 255), 255);
  /* cvtps2dq gives INT32_MIN from 2^31 on, for -inf and for NaN. */
  TP_CHECK_INT(tp_qlinear_round(2147483648.0f, 0, 255), 0);
  TP_CHECK_INT(tp_qlinear_round(1e30f, -128, 127), -128);
  TP_CHECK_INT(tp_qlinear_round(-1e30f, 0, 255), 0);
  TP_CHECK_INT(tp_qlinear_round(tp_f32_from_bits(0x7fc00000u), 0, 255), 0);
}

/* One QLinearAdd or QLinearMul element (params and op: the kernels of
   either): scales and zero points of a, b and y. */
typedef void (*params_fn)(float, int32_t, float, int32_t, float, int32_t, float *);
typedef float (*op_fn)(int32_t, int32_t, const float *);
static int32_t qbin1(params_fn params, op_fn op, float as, int32_t az, float bs, int32_t bz,
                     float ys, int32_t yz, int32_t a, int32_t b, int32_t lo, int32_t hi) {
  float p[4];
  params(as, az, bs, bz, ys, yz, p);
  return tp_qlinear_round(op(a, b, p), lo, hi);
}
#define add1(...) qbin1(tp_qlinear_add_params, tp_qlinear_add_op, __VA_ARGS__)
#define mul1(...) qbin1(tp_qlinear_mul_params, tp_qlinear_mul_op, __VA_ARGS__)

static void test_add(void) {
  /* ONNX Runtime's results; without fused multiply-adds (SSE2's kernel, or
     the fixed part computed with two roundings) each is one more or less. */
  TP_CHECK_INT(add1(0x1.08bc4cp-1f, 200, 0x1.b9799ap-1f, 151, 0x1.c14726p-2f, 124, 31, 247, 0, 255), 113);
  TP_CHECK_INT(add1(0x1.08bc4cp-1f, 200, 0x1.b9799ap-1f, 151, 0x1.c14726p-2f, 124, 75, 214, 0, 255), 100);
  TP_CHECK_INT(add1(0x1.08bc4cp-1f, 200, 0x1.b9799ap-1f, 151, 0x1.c14726p-2f, 124, 119, 181, 0, 255), 87);
  TP_CHECK_INT(add1(0x1.5bd6bep-2f, 196, 0x1.bc6e4p-3f, 133, 0x1.a02a5cp-4f, 128, 249, 69, 0, 255), 168);
  TP_CHECK_INT(add1(0x1.8054b2p-1f, 14, 0x1.3c3d42p-1f, 147, 0x1.039b64p-1f, 140, 88, 78, 0, 255), 165);
  TP_CHECK_INT(add1(0x1.af773cp-3f, 196, 0x1.3645eap-2f, 112, 0x1.3a38c4p-1f, 0, 208, 131, 0, 255), 13);
  TP_CHECK_INT(add1(0x1.ef85b8p-1f, -98, 0x1.e34fap-1f, 34, 0x1.4843a4p-1f, -66, -18, -83, -128, 127), -117);
  TP_CHECK_INT(add1(0x1.ef85b8p-1f, -98, 0x1.e34fap-1f, 34, 0x1.4843a4p-1f, -66, 69, -35, -128, 127), 85);
  /* Power-of-two ratios: 0.5 * (a - 255) + 0.25 * (b - 1) + 128 on ties. */
  TP_CHECK_INT(add1(0.0625f, 255, 0.03125f, 1, 0.125f, 128, 0, 1, 0, 255), 0);   /* 0.5 */
  TP_CHECK_INT(add1(0.0625f, 255, 0.03125f, 1, 0.125f, 128, 1, 1, 0, 255), 1);   /* 1 */
  TP_CHECK_INT(add1(0.0625f, 255, 0.03125f, 1, 0.125f, 128, 2, 1, 0, 255), 2);   /* 1.5 */
  TP_CHECK_INT(add1(0.0625f, 255, 0.03125f, 1, 0.125f, 128, 255, 255, 0, 255), 192); /* 191.5 */
}

static void test_mul(void) {
  /* ratio 0.25 * 0.125 / 2 = 2^-6 */
  TP_CHECK_INT(mul1(0.25f, 128, 0.125f, 3, 2.0f, 0, 160, 35, 0, 255), 16);
  TP_CHECK_INT(mul1(0.25f, 128, 0.125f, 3, 2.0f, 0, 136, 7, 0, 255), 0);    /* 0.5 */
  TP_CHECK_INT(mul1(0.25f, 128, 0.125f, 3, 2.0f, 0, 136, 15, 0, 255), 2);   /* 1.5 */
  TP_CHECK_INT(mul1(0.25f, 128, 0.125f, 3, 2.0f, 7, 136, 11, 0, 255), 8);   /* 1 + 7 */
  TP_CHECK_INT(mul1(0.25f, 128, 0.125f, 3, 2.0f, 0, 255, 255, 0, 255), 255); /* 500 */
  TP_CHECK_INT(mul1(0.25f, 128, 0.125f, 3, 2.0f, 0, 0, 255, 0, 255), 0);    /* -504 */
  TP_CHECK_INT(mul1(0.25f, -128, 0.125f, 127, 2.0f, -128, -127, -128, -128, 127), -128);
  TP_CHECK_INT(mul1(0.25f, -128, 0.125f, 127, 2.0f, 0, 127, -128, -128, 127), -128);
}

static void test_binary_loop(void) {
  /* a [2, 3] + b [3] (b's steps 0, 1) against the element function. */
  static const uint8_t a[6] = {0, 17, 100, 200, 254, 255};
  static const uint8_t b[3] = {1, 128, 255};
  static const int32_t dims[2] = {2, 3}, as[2] = {3, 1}, bs[2] = {0, 1};
  uint8_t y[6];
  float p[4];
  int32_t i;
  tp_qlinear_add_params(0.37f, 131, 0.11f, 0, 0.23f, 255, p);
  tp_qlinear_binary_add_u8(a, b, y, 6, 2, dims, as, bs, p, 0, 255);
  for (i = 0; i < 6; ++i)
    TP_CHECK_INT(y[i], tp_qlinear_round(tp_qlinear_add_op(a[i], b[i % 3], p), 0, 255));
  {
    /* int8 a [2, 1] * b [1, 3]: a column and a row. */
    static const int8_t ai[2] = {-128, 127}, bi[3] = {-128, 0, 127};
    static const int32_t ai_s[2] = {1, 0}, bi_s[2] = {0, 1};
    int8_t yi[6];
    tp_qlinear_mul_params(0.5f, -3, 0.25f, 5, 1.0f, 1, p);
    tp_qlinear_binary_mul_i8(ai, bi, yi, 6, 2, dims, ai_s, bi_s, p, -128, 127);
    for (i = 0; i < 6; ++i)
      TP_CHECK_INT(yi[i], tp_qlinear_round(tp_qlinear_mul_op(ai[i / 3], bi[i % 3], p), -128, 127));
  }
  {
    /* Rank 3, both broadcasting: a [2, 1, 3] + b [2, 2, 1] -> [2, 2, 3];
       and rank 0, one element. */
    static const uint8_t a3[6] = {3, 250, 77, 0, 128, 9}, b3[4] = {255, 1, 60, 200};
    static const int32_t dims3[3] = {2, 2, 3}, as3[3] = {3, 0, 1}, bs3[3] = {2, 1, 0};
    uint8_t y3[12];
    int32_t n, h, w;
    tp_qlinear_add_params(0.05f, 7, 0.3f, 250, 0.2f, 3, p);
    tp_qlinear_binary_add_u8(a3, b3, y3, 12, 3, dims3, as3, bs3, p, 0, 255);
    for (n = 0; n < 2; ++n)
      for (h = 0; h < 2; ++h)
        for (w = 0; w < 3; ++w)
          TP_CHECK_INT(y3[(n * 2 + h) * 3 + w],
                       tp_qlinear_round(tp_qlinear_add_op(a3[n * 3 + w], b3[n * 2 + h], p), 0, 255));
    tp_qlinear_binary_add_u8(a3 + 1, b3 + 2, y3, 1, 0, dims3, as3, bs3, p, 0, 255);
    TP_CHECK_INT(y3[0], tp_qlinear_round(tp_qlinear_add_op(a3[1], b3[2], p), 0, 255));
  }
}

static void test_softmax(void) {
  float table[256];
  uint8_t x[8] = {3, 3, 3, 3, 10, 2, 2, 0}, y[8];
  int8_t xi[4] = {-128, 127, 127, 0}, yi[4];
  int32_t i;
  TP_CHECK_INT(tp_qsoftmax_store_u8(255.5f, 0), 255);
  TP_CHECK_INT(tp_qsoftmax_store_u8(254.5f, 0), 254);
  TP_CHECK_INT(tp_qsoftmax_store_u8(3.5f, 250), 254);
  TP_CHECK_INT(tp_qsoftmax_store_u8(1e30f, 0), 255);
  TP_CHECK_INT(tp_qsoftmax_store_i8(255.5f, -128), 127);
  TP_CHECK_INT(tp_qsoftmax_store_i8(254.5f, -128), 126);
  TP_CHECK_INT(tp_qsoftmax_store_i8(2.5f, -128), -126);
  TP_CHECK_INT(tp_qsoftmax_store_i8(300.0f, 0), 127);
  /* table[i] = 2^-((255 - i) / 8), no subnormals: the row's maximum maps
     to 1, 8 less to 0.5. */
  for (i = 0; i < 256; ++i)
    table[i] = (float)ldexp(1.0, -((255 - i) / 8));
  /* Two rows of 4 along d (inner 1): [3 3 3 3] and [10 9 9 0]. */
  tp_qlinear_softmax_u8(x, y, table, 256.0f, 0, 2, 4, 1);
  for (i = 0; i < 4; ++i)
    TP_CHECK_INT(y[i], 64);
  /* sum = 1 + 0.5 + 0.5 + 0.5: 256 / 2.5 = 102.4, 128 / 2.5 = 51.2 */
  TP_CHECK_INT(y[4], 102);
  TP_CHECK_INT(y[5], 51);
  TP_CHECK_INT(y[6], 51);
  TP_CHECK_INT(y[7], 51);
  /* The same rows along a strided axis: outer 1, d 4, inner 2. */
  {
    uint8_t xt[8], yt[8];
    for (i = 0; i < 4; ++i) {
      xt[2 * i] = x[i];
      xt[2 * i + 1] = x[4 + i];
    }
    tp_qlinear_softmax_u8(xt, yt, table, 256.0f, 0, 1, 4, 2);
    for (i = 0; i < 4; ++i) {
      TP_CHECK_INT(yt[2 * i], y[i]);
      TP_CHECK_INT(yt[2 * i + 1], y[4 + i]);
    }
  }
  /* int8 [-128 127 127 0]: 2^-31, 1, 1, 2^-15 summed in float to 2 + 2^-15;
     the maxima 127.998 (128 - 128 = 0), the others below 0.5. */
  tp_qlinear_softmax_i8(xi, yi, table, 256.0f, -128, 1, 4, 1);
  TP_CHECK_INT(yi[0], -128);
  TP_CHECK_INT(yi[1], 0);
  TP_CHECK_INT(yi[2], 0);
  TP_CHECK_INT(yi[3], -128);
}

static void test_gavgpool(void) {
  /* 2 images x 3 channels x 4 pixels, channels first; the same data
     channels last must give the same bytes. */
  uint8_t x[24], xl[24], y[6], yl[6];
  int8_t xi[6] = {-128, -128, -128, 127, 127, 127}, yi[2];
  int32_t b, c, p;
  for (b = 0; b < 2; ++b)
    for (c = 0; c < 3; ++c)
      for (p = 0; p < 4; ++p) {
        const uint8_t v = (uint8_t)(b * 100 + c * 40 + p * 13);
        x[(b * 3 + c) * 4 + p] = v;
        xl[(b * 4 + p) * 3 + c] = v;
      }
  tp_qlinear_gavgpool_u8(x, 0.5f, 100, y, 0.25f, 3, 2, 3, 4, 0);
  tp_qlinear_gavgpool_u8(xl, 0.5f, 100, yl, 0.25f, 3, 2, 3, 4, 1);
  for (c = 0; c < 6; ++c) {
    /* scale 0.5 / (0.25 * 4) = 0.5 times the (even) sum less 4 * 100. */
    const int32_t sum = (c / 3) * 400 + (c % 3) * 160 + 78 - 400;
    const int32_t want = sum / 2 + 3 < 0 ? 0 : sum / 2 + 3 > 255 ? 255 : sum / 2 + 3;
    TP_CHECK_INT(y[c], want);
    TP_CHECK_INT(yl[c], y[c]);
  }
  /* int8, one channel of 3 pixels each: (-384 - 3 * 1) * (1 / 3) and 381 - 3. */
  tp_qlinear_gavgpool_i8(xi, 1.0f, 1, yi, 1.0f, 0, 2, 1, 3, 0);
  TP_CHECK_INT(yi[0], -128);
  TP_CHECK_INT(yi[1], 126);
}

static void test_qgemm(void) {
  /* A 2 x 3 stored transposed (3 x 2), B 3 x 2 stored transposed (2 x 3),
     C [2] broadcast over rows, per-column B parameters. */
  static const uint8_t at[6] = {0, 255, 129, 7, 200, 100};
  static const int8_t bt[6] = {-128, 0, 127, 5, -5, 64};
  static const int8_t bzp[2] = {-3, 4};
  static const float bs[2] = {0.5f, 0.25f};
  static const int32_t cb[2] = {1000, -70000};
  uint8_t y[4];
  int8_t yi[4];
  float yf[4];
  int32_t i, j, k;
  const float as = 0.5f * 0.125f; /* alpha * a_scale */
  tp_qgemm_u8_i8(at, 129, 1, 2, bt, bzp, 1, 1, 3, cb, 0, 1, y, as, bs, 1, 2.0f, 17, 2, 3, 2);
  tp_qgemm_f32_u8_i8(at, 129, 1, 2, bt, bzp, 1, 1, 3, cb, 0, 1, yf, as, bs, 1, 1.0f, 0, 2, 3, 2);
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 2; ++j) {
      int32_t acc = cb[j];
      for (k = 0; k < 3; ++k)
        acc += ((int32_t)at[k * 2 + i] - 129) * ((int32_t)bt[j * 3 + k] - bzp[j]);
      TP_CHECK_F32(yf[i * 2 + j], (float)acc * (as * bs[j]));
      TP_CHECK_INT(y[i * 2 + j], tp_qlinear_round((float)acc * (as * bs[j] / 2.0f) + 17.0f, 0, 255));
    }
  /* int8 x int8, no C, no transposes: A 2 x 3 is at read row-major. */
  tp_qgemm_i8_i8((const int8_t *)bt, -7, 3, 1, bt, bzp, 0, 2, 1, 0, 0, 0, yi, 1.0f, bs, 0, 64.0f,
                 -128, 2, 3, 2);
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 2; ++j) {
      int32_t acc = 0;
      for (k = 0; k < 3; ++k)
        acc += ((int32_t)bt[i * 3 + k] + 7) * ((int32_t)bt[k * 2 + j] + 3);
      TP_CHECK_INT(yi[i * 2 + j], tp_qlinear_round((float)acc * (0.5f / 64.0f) - 128.0f, -128, 127));
    }
}

static void test_lookup_concat(void) {
  uint8_t table[256], x[5] = {0, 1, 128, 254, 255}, y[5], out[2 * 5];
  static const uint8_t z[6] = {10, 11, 12, 13, 14, 15};
  int32_t i;
  for (i = 0; i < 256; ++i)
    table[i] = (uint8_t)(255 - i);
  tp_qlinear_lookup(x, table, y, 5);
  for (i = 0; i < 5; ++i)
    TP_CHECK_INT(y[i], 255 - x[i]);
  tp_qlinear_lookup(x, table, x, 5); /* in place */
  for (i = 0; i < 5; ++i)
    TP_CHECK_INT(x[i], y[i]);
  /* y's first 4 bytes as [2, 2] copied and z [2, 3] mapped into [2, 5]
     along the last axis. */
  tp_qlinear_concat_part(y, 0, out, 2, 2, 5);
  tp_qlinear_concat_part(z, table, out + 2, 2, 3, 5);
  for (i = 0; i < 2; ++i) {
    TP_CHECK_INT(out[i * 5], y[i * 2]);
    TP_CHECK_INT(out[i * 5 + 1], y[i * 2 + 1]);
    TP_CHECK_INT(out[i * 5 + 2], 255 - z[i * 3]);
    TP_CHECK_INT(out[i * 5 + 3], 255 - z[i * 3 + 1]);
    TP_CHECK_INT(out[i * 5 + 4], 255 - z[i * 3 + 2]);
  }
}

int main(void) {
  test_round();
  test_add();
  test_mul();
  test_binary_loop();
  test_softmax();
  test_gavgpool();
  test_qgemm();
  test_lookup_concat();
  return tp_finish("qlinear_test");
}
