/* The binary loops of kernels/binary.c with every element function they are
 * made with (as tinyplan makes them, one instance per op and type): the
 * broadcast loop over the calls tinyplan makes for a scalar, a row, a
 * column, a middle axis, both operands broadcast, output dims of 1, 8 dims
 * and backward steps, against a reference that walks the operands by their
 * shapes; in place over either operand; the IEEE edge cases (signed zeros,
 * infinities, NaN from either side, a tie to even); f16 and bf16 rounded
 * once; integers wrapping around at every width, the minimum over -1, and
 * unsigned comparisons. Pow: C99's special cases and values against the
 * correctly rounded powers (x87 powl rounded to float, which these match);
 * Mean's division by the count.
 * KERNELS:
 *   tp_binary_add_f32=tp_binary_f32:tp_binary_op_f32=tp_add_f32
 *   tp_binary_same_add_f32=tp_binary_same_f32:tp_binary_op_f32=tp_add_f32
 *   tp_binary_sub_f32=tp_binary_f32:tp_binary_op_f32=tp_sub_f32
 *   tp_binary_same_sub_f32=tp_binary_same_f32:tp_binary_op_f32=tp_sub_f32
 *   tp_binary_mul_f32=tp_binary_f32:tp_binary_op_f32=tp_mul_f32
 *   tp_binary_same_mul_f32=tp_binary_same_f32:tp_binary_op_f32=tp_mul_f32
 *   tp_binary_div_f32=tp_binary_f32:tp_binary_op_f32=tp_div_f32
 *   tp_binary_same_div_f32=tp_binary_same_f32:tp_binary_op_f32=tp_div_f32
 *   tp_binary_max_f32=tp_binary_f32:tp_binary_op_f32=tp_max_f32
 *   tp_binary_same_max_f32=tp_binary_same_f32:tp_binary_op_f32=tp_max_f32
 *   tp_binary_min_f32=tp_binary_f32:tp_binary_op_f32=tp_min_f32
 *   tp_binary_same_min_f32=tp_binary_same_f32:tp_binary_op_f32=tp_min_f32
 *   tp_binary_prelu_f32=tp_binary_f32:tp_binary_op_f32=tp_prelu_f32
 *   tp_binary_same_prelu_f32=tp_binary_same_f32:tp_binary_op_f32=tp_prelu_f32
 *   tp_binary_same_add_f64=tp_binary_same_f64:tp_binary_op_f64=tp_add_f64
 *   tp_binary_same_sub_f64=tp_binary_same_f64:tp_binary_op_f64=tp_sub_f64
 *   tp_binary_same_mul_f64=tp_binary_same_f64:tp_binary_op_f64=tp_mul_f64
 *   tp_binary_same_div_f64=tp_binary_same_f64:tp_binary_op_f64=tp_div_f64
 *   tp_binary_same_max_f64=tp_binary_same_f64:tp_binary_op_f64=tp_max_f64
 *   tp_binary_same_min_f64=tp_binary_same_f64:tp_binary_op_f64=tp_min_f64
 *   tp_binary_same_prelu_f64=tp_binary_same_f64:tp_binary_op_f64=tp_prelu_f64
 *   tp_binary_same_add_f16=tp_binary_same_f16:tp_binary_op_f16=tp_add_f16
 *   tp_binary_same_sub_f16=tp_binary_same_f16:tp_binary_op_f16=tp_sub_f16
 *   tp_binary_same_mul_f16=tp_binary_same_f16:tp_binary_op_f16=tp_mul_f16
 *   tp_binary_same_div_f16=tp_binary_same_f16:tp_binary_op_f16=tp_div_f16
 *   tp_binary_same_max_f16=tp_binary_same_f16:tp_binary_op_f16=tp_max_f16
 *   tp_binary_same_min_f16=tp_binary_same_f16:tp_binary_op_f16=tp_min_f16
 *   tp_binary_same_prelu_f16=tp_binary_same_f16:tp_binary_op_f16=tp_prelu_f16
 *   tp_binary_same_add_bf16=tp_binary_same_bf16:tp_binary_op_bf16=tp_add_bf16
 *   tp_binary_same_sub_bf16=tp_binary_same_bf16:tp_binary_op_bf16=tp_sub_bf16
 *   tp_binary_same_mul_bf16=tp_binary_same_bf16:tp_binary_op_bf16=tp_mul_bf16
 *   tp_binary_same_div_bf16=tp_binary_same_bf16:tp_binary_op_bf16=tp_div_bf16
 *   tp_binary_same_max_bf16=tp_binary_same_bf16:tp_binary_op_bf16=tp_max_bf16
 *   tp_binary_same_min_bf16=tp_binary_same_bf16:tp_binary_op_bf16=tp_min_bf16
 *   tp_binary_same_prelu_bf16=tp_binary_same_bf16:tp_binary_op_bf16=tp_prelu_bf16
 *   tp_binary_add_f64=tp_binary_f64:tp_binary_op_f64=tp_add_f64
 *   tp_binary_add_f16=tp_binary_f16:tp_binary_op_f16=tp_add_f16
 *   tp_binary_prelu_f16=tp_binary_f16:tp_binary_op_f16=tp_prelu_f16
 *   tp_binary_mul_bf16=tp_binary_bf16:tp_binary_op_bf16=tp_mul_bf16
 *   tp_binary_same_add_i8=tp_binary_same_i8:tp_binary_op_i8=tp_add_i8
 *   tp_binary_same_sub_i8=tp_binary_same_i8:tp_binary_op_i8=tp_sub_i8
 *   tp_binary_same_mul_i8=tp_binary_same_i8:tp_binary_op_i8=tp_mul_i8
 *   tp_binary_same_div_i8=tp_binary_same_i8:tp_binary_op_i8=tp_div_i8
 *   tp_binary_same_max_i8=tp_binary_same_i8:tp_binary_op_i8=tp_max_i8
 *   tp_binary_same_min_i8=tp_binary_same_i8:tp_binary_op_i8=tp_min_i8
 *   tp_binary_same_prelu_i8=tp_binary_same_i8:tp_binary_op_i8=tp_prelu_i8
 *   tp_binary_same_add_u8=tp_binary_same_u8:tp_binary_op_u8=tp_add_u8
 *   tp_binary_same_sub_u8=tp_binary_same_u8:tp_binary_op_u8=tp_sub_u8
 *   tp_binary_same_mul_u8=tp_binary_same_u8:tp_binary_op_u8=tp_mul_u8
 *   tp_binary_same_div_u8=tp_binary_same_u8:tp_binary_op_u8=tp_div_u8
 *   tp_binary_same_max_u8=tp_binary_same_u8:tp_binary_op_u8=tp_max_u8
 *   tp_binary_same_min_u8=tp_binary_same_u8:tp_binary_op_u8=tp_min_u8
 *   tp_binary_same_add_i16=tp_binary_same_i16:tp_binary_op_i16=tp_add_i16
 *   tp_binary_same_sub_i16=tp_binary_same_i16:tp_binary_op_i16=tp_sub_i16
 *   tp_binary_same_mul_i16=tp_binary_same_i16:tp_binary_op_i16=tp_mul_i16
 *   tp_binary_same_div_i16=tp_binary_same_i16:tp_binary_op_i16=tp_div_i16
 *   tp_binary_same_max_i16=tp_binary_same_i16:tp_binary_op_i16=tp_max_i16
 *   tp_binary_same_min_i16=tp_binary_same_i16:tp_binary_op_i16=tp_min_i16
 *   tp_binary_same_prelu_i16=tp_binary_same_i16:tp_binary_op_i16=tp_prelu_i16
 *   tp_binary_same_add_u16=tp_binary_same_u16:tp_binary_op_u16=tp_add_u16
 *   tp_binary_same_sub_u16=tp_binary_same_u16:tp_binary_op_u16=tp_sub_u16
 *   tp_binary_same_mul_u16=tp_binary_same_u16:tp_binary_op_u16=tp_mul_u16
 *   tp_binary_same_div_u16=tp_binary_same_u16:tp_binary_op_u16=tp_div_u16
 *   tp_binary_same_max_u16=tp_binary_same_u16:tp_binary_op_u16=tp_max_u16
 *   tp_binary_same_min_u16=tp_binary_same_u16:tp_binary_op_u16=tp_min_u16
 *   tp_binary_same_add_i32=tp_binary_same_i32:tp_binary_op_i32=tp_add_i32
 *   tp_binary_same_sub_i32=tp_binary_same_i32:tp_binary_op_i32=tp_sub_i32
 *   tp_binary_same_mul_i32=tp_binary_same_i32:tp_binary_op_i32=tp_mul_i32
 *   tp_binary_same_div_i32=tp_binary_same_i32:tp_binary_op_i32=tp_div_i32
 *   tp_binary_same_max_i32=tp_binary_same_i32:tp_binary_op_i32=tp_max_i32
 *   tp_binary_same_min_i32=tp_binary_same_i32:tp_binary_op_i32=tp_min_i32
 *   tp_binary_same_prelu_i32=tp_binary_same_i32:tp_binary_op_i32=tp_prelu_i32
 *   tp_binary_same_add_u32=tp_binary_same_u32:tp_binary_op_u32=tp_add_u32
 *   tp_binary_same_sub_u32=tp_binary_same_u32:tp_binary_op_u32=tp_sub_u32
 *   tp_binary_same_mul_u32=tp_binary_same_u32:tp_binary_op_u32=tp_mul_u32
 *   tp_binary_same_div_u32=tp_binary_same_u32:tp_binary_op_u32=tp_div_u32
 *   tp_binary_same_max_u32=tp_binary_same_u32:tp_binary_op_u32=tp_max_u32
 *   tp_binary_same_min_u32=tp_binary_same_u32:tp_binary_op_u32=tp_min_u32
 *   tp_binary_same_add_i64=tp_binary_same_i64:tp_binary_op_i64=tp_add_i64
 *   tp_binary_same_sub_i64=tp_binary_same_i64:tp_binary_op_i64=tp_sub_i64
 *   tp_binary_same_mul_i64=tp_binary_same_i64:tp_binary_op_i64=tp_mul_i64
 *   tp_binary_same_div_i64=tp_binary_same_i64:tp_binary_op_i64=tp_div_i64
 *   tp_binary_same_max_i64=tp_binary_same_i64:tp_binary_op_i64=tp_max_i64
 *   tp_binary_same_min_i64=tp_binary_same_i64:tp_binary_op_i64=tp_min_i64
 *   tp_binary_same_prelu_i64=tp_binary_same_i64:tp_binary_op_i64=tp_prelu_i64
 *   tp_binary_same_add_u64=tp_binary_same_u64:tp_binary_op_u64=tp_add_u64
 *   tp_binary_same_sub_u64=tp_binary_same_u64:tp_binary_op_u64=tp_sub_u64
 *   tp_binary_same_mul_u64=tp_binary_same_u64:tp_binary_op_u64=tp_mul_u64
 *   tp_binary_same_div_u64=tp_binary_same_u64:tp_binary_op_u64=tp_div_u64
 *   tp_binary_same_max_u64=tp_binary_same_u64:tp_binary_op_u64=tp_max_u64
 *   tp_binary_same_min_u64=tp_binary_same_u64:tp_binary_op_u64=tp_min_u64
 *   tp_binary_add_i8=tp_binary_i8:tp_binary_op_i8=tp_add_i8
 *   tp_binary_max_u64=tp_binary_u64:tp_binary_op_u64=tp_max_u64
 *   tp_binary_prelu_i32=tp_binary_i32:tp_binary_op_i32=tp_prelu_i32
 *   tp_binary_sub_u16=tp_binary_u16:tp_binary_op_u16=tp_sub_u16
 *   tp_binary_div_i64=tp_binary_i64:tp_binary_op_i64=tp_div_i64
 *   tp_binary_min_u32=tp_binary_u32:tp_binary_op_u32=tp_min_u32
 *   tp_binary_mul_i16=tp_binary_i16:tp_binary_op_i16=tp_mul_i16
 *   tp_binary_same_pow_f32=tp_binary_same_f32:tp_binary_op_f32=tp_pow_f32
 *   tp_binary_pow_f32=tp_binary_f32:tp_binary_op_f32=tp_pow_f32
 *   tp_binary_same_pow_f64=tp_binary_same_f64:tp_binary_op_f64=tp_pow_f64
 *   tp_mean_div_f32 tp_mean_div_f64
 */
#include "kernels.h"
#include "tp_check.h"

#define COUNT(a) ((int32_t)(sizeof(a) / sizeof((a)[0])))

static int is_nan_f32(float x) { return x != x; }
static int is_nan_f64(double x) { return x != x; }

/* Exactly these bits, or both NaN: the sign of a NaN that an invalid
 * operation makes (inf - inf, 0 / 0) depends on the core, and on the
 * compiler when it folds the reference. */
#define CHECK_F32(got, want)                                                   \
  do {                                                                         \
    const float g_ = (got), w_ = (want);                                       \
    if (is_nan_f32(w_)) {                                                      \
      tp_digest_f32(g_);                                                       \
      TP_CHECK(is_nan_f32(g_));                                                \
    } else {                                                                   \
      TP_CHECK_F32(g_, w_);                                                    \
    }                                                                          \
  } while (0)

#define CHECK_F64(got, want)                                                   \
  do {                                                                         \
    const double g_ = (got), w_ = (want);                                      \
    if (is_nan_f64(w_)) {                                                      \
      tp_digest_f64(g_);                                                       \
      TP_CHECK(is_nan_f64(g_));                                                \
    } else {                                                                   \
      TP_CHECK_F64(g_, w_);                                                    \
    }                                                                          \
  } while (0)

/* A 16-bit float result: these bits, or any NaN where NaN is expected
 * (digested as one value). */
static int is_nan_16(uint16_t h, uint16_t inf) { return (h & 0x7fffu) > inf; }
#define CHECK_16(got, want, inf)                                               \
  do {                                                                         \
    const uint16_t g_ = (got), w_ = (want);                                    \
    if (is_nan_16(w_, inf)) {                                                  \
      const uint16_t q_ = inf;                                                 \
      tp_digest(&q_, 2);                                                       \
      TP_CHECK(is_nan_16(g_, inf));                                            \
    } else {                                                                   \
      TP_CHECK_INT(g_, w_);                                                    \
    }                                                                          \
  } while (0)

/*===--- Shapes: the calls tinyplan makes, and a reference walk ----------===*/

/* out = broadcast(a, b), numpy's rules: shapes aligned on the right. */
typedef struct {
  int32_t rank, out[8];
  int32_t arank, a[8];
  int32_t brank, b[8];
} Shapes;

static int32_t elements(const int32_t *shape, int32_t rank) {
  int32_t d, n = 1;
  for (d = 0; d < rank; ++d)
    n *= shape[d];
  return n;
}

/* What tinyplan passes the broadcast loop: each operand's step along each
 * output dim (0 where it broadcasts), the output dims of 1 left out. */
static int32_t plan(const Shapes *s, int32_t *dims, int32_t *as, int32_t *bs) {
  int32_t sa[8] = {0}, sb[8] = {0}, d, o, stride, rank = 0;
  for (d = s->arank - 1, o = s->rank - 1, stride = 1; d >= 0; --d, --o) {
    if (s->a[d] != 1)
      sa[o] = stride;
    stride *= s->a[d];
  }
  for (d = s->brank - 1, o = s->rank - 1, stride = 1; d >= 0; --d, --o) {
    if (s->b[d] != 1)
      sb[o] = stride;
    stride *= s->b[d];
  }
  for (o = 0; o < s->rank; ++o)
    if (s->out[o] != 1) {
      dims[rank] = s->out[o];
      as[rank] = sa[o];
      bs[rank] = sb[o];
      ++rank;
    }
  return rank;
}

/* The element of an operand that output element i reads: i's coordinates,
 * 0 along the operand's dims of 1, in the operand's row-major order. */
static int32_t source(const Shapes *s, const int32_t *shape, int32_t rank, int32_t i) {
  int32_t coord[8], o, d, at = 0;
  for (o = s->rank - 1; o >= 0; --o) {
    coord[o] = i % s->out[o];
    i /= s->out[o];
  }
  for (d = 0; d < rank; ++d)
    at = at * shape[d] + (shape[d] == 1 ? 0 : coord[s->rank - rank + d]);
  return at;
}

static const Shapes kShapes[] = {
    {2, {2, 3}, 2, {2, 3}, 2, {2, 3}},                 /* same shape, broadcast loop */
    {2, {2, 3}, 2, {2, 3}, 0, {0}},                    /* b a scalar (rank 0) */
    {2, {2, 3}, 2, {2, 3}, 1, {1}},                    /* b a one-element tensor */
    {2, {2, 3}, 2, {2, 3}, 1, {3}},                    /* b a row */
    {2, {2, 3}, 2, {2, 3}, 2, {2, 1}},                 /* b a column */
    {3, {2, 3, 4}, 3, {2, 3, 4}, 2, {3, 1}},           /* b along the middle axis */
    {3, {2, 3, 4}, 3, {2, 1, 4}, 2, {3, 1}},           /* both broadcast */
    {2, {2, 3}, 1, {1}, 2, {2, 3}},                    /* a a scalar */
    {4, {2, 1, 3, 5}, 4, {2, 1, 3, 5}, 4, {1, 1, 1, 5}}, /* an output dim of 1 */
    {4, {2, 3, 4, 5}, 1, {5}, 4, {2, 3, 4, 1}},        /* rank 4, neither whole */
    {8, {2, 2, 2, 2, 2, 2, 2, 3}, 8, {2, 2, 2, 2, 2, 2, 2, 3}, 8, {2, 1, 2, 1, 2, 1, 2, 1}},
};

/*===--- f32: every op, every shape ---------------------------------------===*/

static float ref_max(float a, float b) {
  if (is_nan_f32(a))
    return a;
  if (is_nan_f32(b))
    return b;
  return a < b ? b : a;
}
static float ref_min(float a, float b) {
  if (is_nan_f32(a))
    return a;
  if (is_nan_f32(b))
    return b;
  return b < a ? b : a;
}
static float ref_prelu(float x, float slope) { return x < 0 ? x * slope : x; }

enum { ADD, SUB, MUL, DIV, MAX, MIN, PRELU, NUM_OPS };

static float ref_f32(int op, float a, float b) {
  switch (op) {
  case ADD:
    return a + b;
  case SUB:
    return a - b;
  case MUL:
    return a * b;
  case DIV:
    return a / b;
  case MAX:
    return ref_max(a, b);
  case MIN:
    return ref_min(a, b);
  default:
    return ref_prelu(a, b);
  }
}

typedef void (*BroadcastF32)(const float *, const float *, float *, int32_t, int32_t,
                             const int32_t *, const int32_t *, const int32_t *);
typedef void (*SameF32)(const float *, const float *, float *, int32_t);

static const BroadcastF32 kBroadcastF32[NUM_OPS] = {
    tp_binary_add_f32, tp_binary_sub_f32, tp_binary_mul_f32, tp_binary_div_f32,
    tp_binary_max_f32, tp_binary_min_f32, tp_binary_prelu_f32};
static const SameF32 kSameF32[NUM_OPS] = {
    tp_binary_same_add_f32, tp_binary_same_sub_f32, tp_binary_same_mul_f32,
    tp_binary_same_div_f32, tp_binary_same_max_f32, tp_binary_same_min_f32,
    tp_binary_same_prelu_f32};

/* Operand values: mixed signs, zeros (so Div makes infinities and NaN). */
static float value_a(int32_t k) { return (float)(k % 7 - 3) * 0.75f; }
static float value_b(int32_t k) { return (float)(k % 5 - 2) * 1.25f; }

static void check_shapes_f32(void) {
  float a[768], b[768], y[768], w[768];
  int32_t dims[8], as[8], bs[8], c, op, i, k;
  for (c = 0; c < COUNT(kShapes); ++c) {
    const Shapes *s = &kShapes[c];
    const int32_t n = elements(s->out, s->rank), na = elements(s->a, s->arank);
    const int32_t nb = elements(s->b, s->brank), rank = plan(s, dims, as, bs);
    for (k = 0; k < na; ++k)
      a[k] = value_a(k);
    for (k = 0; k < nb; ++k)
      b[k] = value_b(k);
    for (op = 0; op < NUM_OPS; ++op) {
      kBroadcastF32[op](a, b, y, n, rank, dims, as, bs);
      for (i = 0; i < n; ++i)
        CHECK_F32(y[i], ref_f32(op, a[source(s, s->a, s->arank, i)],
                                b[source(s, s->b, s->brank, i)]));
      /* In place: the result over the operand with its shape. */
      if (na == n) {
        for (k = 0; k < na; ++k)
          w[k] = a[k];
        kBroadcastF32[op](w, b, w, n, rank, dims, as, bs);
        for (i = 0; i < n; ++i)
          TP_CHECK(tp_f32_bits(w[i]) == tp_f32_bits(y[i]));
      } else if (nb == n) {
        for (k = 0; k < nb; ++k)
          w[k] = b[k];
        kBroadcastF32[op](a, w, w, n, rank, dims, as, bs);
        for (i = 0; i < n; ++i)
          TP_CHECK(tp_f32_bits(w[i]) == tp_f32_bits(y[i]));
      }
    }
  }
  /* Hand-computed: a [2, 3] + b [3] and a [2, 3] - b [2, 1]. */
  {
    static const float x[] = {1, 2, 3, 4, 5, 6}, row[] = {10, 20, 30}, col[] = {1, 2};
    static const int32_t d2[] = {2, 3}, s23[] = {3, 1}, srow[] = {0, 1}, scol[] = {1, 0};
    float z[6];
    tp_binary_add_f32(x, row, z, 6, 2, d2, s23, srow);
    TP_CHECK_F32(z[0], 11.0f);
    TP_CHECK_F32(z[2], 33.0f);
    TP_CHECK_F32(z[5], 36.0f);
    tp_binary_sub_f32(x, col, z, 6, 2, d2, s23, scol);
    TP_CHECK_F32(z[0], 0.0f);
    TP_CHECK_F32(z[2], 2.0f);
    TP_CHECK_F32(z[3], 2.0f);
    TP_CHECK_F32(z[5], 4.0f);
  }
  /* Sum(a [2, 3], b [3], c [2, 1]) as tinyplan emits it: a + b, then the
     result + c in place, rounding after each step. */
  {
    static const float x[] = {1e8f, 1, 2, 3, 4, 5}, row[] = {1, 2, 3}, col[] = {-1e8f, 0.5f};
    static const int32_t d2[] = {2, 3}, s23[] = {3, 1}, srow[] = {0, 1}, scol[] = {1, 0};
    float z[6];
    tp_binary_add_f32(x, row, z, 6, 2, d2, s23, srow);
    tp_binary_add_f32(z, col, z, 6, 2, d2, s23, scol);
    TP_CHECK_F32(z[0], 0.0f); /* 1e8 + 1 rounds to 1e8 */
    TP_CHECK_F32(z[1], 3.0f - 1e8f);
    TP_CHECK_F32(z[3], 4.5f);
    TP_CHECK_F32(z[5], 8.5f);
  }
  /* Any steps work, negative ones too: a read backwards. */
  {
    static const float x[] = {1, 2, 3, 4, 5, 6}, one[] = {100};
    static const int32_t d6[] = {6}, back[] = {-1}, zero[] = {0};
    float z[6];
    tp_binary_add_f32(x + 5, one, z, 6, 1, d6, back, zero);
    for (i = 0; i < 6; ++i)
      TP_CHECK_F32(z[i], 106.0f - (float)i);
  }
  /* n = 0 writes nothing. */
  {
    static const float x[] = {1}, v[] = {2};
    static const int32_t d1[] = {1}, s1[] = {1};
    float z[1] = {-9.0f};
    tp_binary_mul_f32(x, v, z, 0, 1, d1, s1, s1);
    tp_binary_same_mul_f32(x, v, z, 0);
    TP_CHECK_F32(z[0], -9.0f);
  }
}

/* Same shape: the IEEE edge cases, each op, in place over a and over b. */
static const float kEdgeA[] = {1.0f,      -0.0f, -0.0f,     0.0f, HUGE_VALF, HUGE_VALF, 1.0f,
                               -1.0f,     0.0f,  NAN,       1.0f, 3.0f,      0.1f,      1e38f,
                               -2.0f,     1e-45f, -HUGE_VALF, -3.0f};
static const float kEdgeB[] = {2.0f,      -0.0f, 0.0f,      -0.0f, -HUGE_VALF, HUGE_VALF, 0.0f,
                               0.0f,      0.0f,  1.0f,      NAN,   -4.0f,      0.2f,      1e38f,
                               0.5f,      0.5f,  0.5f,      NAN};
#define NE COUNT(kEdgeA)

static void check_edges_f32(void) {
  float y[NE], w[NE];
  int32_t op, i;
  for (op = 0; op < NUM_OPS; ++op) {
    kSameF32[op](kEdgeA, kEdgeB, y, NE);
    for (i = 0; i < NE; ++i)
      CHECK_F32(y[i], ref_f32(op, kEdgeA[i], kEdgeB[i]));
    for (i = 0; i < NE; ++i)
      w[i] = kEdgeA[i];
    kSameF32[op](w, kEdgeB, w, NE);
    for (i = 0; i < NE; ++i)
      TP_CHECK(tp_f32_bits(w[i]) == tp_f32_bits(y[i]) || (is_nan_f32(w[i]) && is_nan_f32(y[i])));
    for (i = 0; i < NE; ++i)
      w[i] = kEdgeB[i];
    kSameF32[op](kEdgeA, w, w, NE);
    for (i = 0; i < NE; ++i)
      TP_CHECK(tp_f32_bits(w[i]) == tp_f32_bits(y[i]) || (is_nan_f32(w[i]) && is_nan_f32(y[i])));
  }
  tp_binary_same_add_f32(kEdgeA, kEdgeB, y, NE);
  TP_CHECK_F32(y[1], -0.0f); /* -0 + -0 */
  TP_CHECK_F32(y[2], 0.0f);  /* -0 + 0 */
  TP_CHECK(is_nan_f32(y[4])); /* inf - inf */
  TP_CHECK_F32(y[12], 0.1f + 0.2f);
  TP_CHECK_F32(y[12], 0x1.33333400p-2f); /* 0.3f's neighbour above */
  tp_binary_same_mul_f32(kEdgeA, kEdgeB, y, NE);
  TP_CHECK_F32(y[13], HUGE_VALF); /* overflows */
  TP_CHECK_F32(y[15], 0.0f);      /* the smallest subnormal halved: a tie, to even */
  tp_binary_same_div_f32(kEdgeA, kEdgeB, y, NE);
  TP_CHECK_F32(y[6], HUGE_VALF);   /* 1 / 0 */
  TP_CHECK_F32(y[7], -HUGE_VALF);  /* -1 / 0 */
  TP_CHECK(is_nan_f32(y[8]));      /* 0 / 0 */
  TP_CHECK(is_nan_f32(y[3]));     /* 0 / -0 */
  TP_CHECK_F32(y[15], 0x1p-148f);
  tp_binary_same_max_f32(kEdgeA, kEdgeB, y, NE);
  TP_CHECK_F32(y[2], -0.0f); /* max(-0, +0) is the first: -0 */
  TP_CHECK_F32(y[3], 0.0f);  /* max(+0, -0): +0 */
  TP_CHECK_F32(y[9], NAN);   /* max(NaN, 1): a's bits */
  TP_CHECK_F32(y[10], NAN);  /* max(1, NaN): b's bits */
  TP_CHECK_F32(y[16], 0.5f);
  tp_binary_same_min_f32(kEdgeA, kEdgeB, y, NE);
  TP_CHECK_F32(y[2], -0.0f);
  TP_CHECK_F32(y[3], 0.0f); /* min(+0, -0) is the first: +0 */
  TP_CHECK_F32(y[11], -4.0f);
  TP_CHECK_F32(y[16], -HUGE_VALF);
  tp_binary_same_prelu_f32(kEdgeA, kEdgeB, y, NE);
  TP_CHECK_F32(y[1], -0.0f); /* -0 is not below 0: stays */
  TP_CHECK_F32(y[14], -1.0f);
  TP_CHECK_F32(y[16], -HUGE_VALF);
  TP_CHECK_F32(y[9], NAN);
  TP_CHECK(is_nan_f32(y[17])); /* -3 with a NaN slope */
}

/*===--- f64 ----------------------------------------------------------------===*/

static double ref_f64(int op, double a, double b) {
  if (op == MAX || op == MIN) {
    if (is_nan_f64(a))
      return a;
    if (is_nan_f64(b))
      return b;
    return (op == MAX ? a < b : b < a) ? b : a;
  }
  switch (op) {
  case ADD:
    return a + b;
  case SUB:
    return a - b;
  case MUL:
    return a * b;
  case DIV:
    return a / b;
  default:
    return a < 0 ? a * b : a;
  }
}

static void check_f64(void) {
  typedef void (*Same)(const double *, const double *, double *, int32_t);
  static const Same same[NUM_OPS] = {tp_binary_same_add_f64, tp_binary_same_sub_f64,
                                     tp_binary_same_mul_f64, tp_binary_same_div_f64,
                                     tp_binary_same_max_f64, tp_binary_same_min_f64,
                                     tp_binary_same_prelu_f64};
  double a[NE], b[NE], y[NE];
  int32_t op, i;
  for (i = 0; i < NE; ++i) {
    a[i] = kEdgeA[i];
    b[i] = kEdgeB[i];
  }
  a[12] = 0.1;
  b[12] = 0.2;
  a[13] = 1e300;
  b[13] = 1e300;
  for (op = 0; op < NUM_OPS; ++op) {
    same[op](a, b, y, NE);
    for (i = 0; i < NE; ++i)
      CHECK_F64(y[i], ref_f64(op, a[i], b[i]));
  }
  tp_binary_same_add_f64(a, b, y, NE);
  TP_CHECK_F64(y[12], 0x1.3333333333334p-2); /* 0.1 + 0.2 in double */
  TP_CHECK_F64(y[1], -0.0);
  tp_binary_same_mul_f64(a, b, y, NE);
  TP_CHECK_F64(y[13], HUGE_VAL);
  tp_binary_same_max_f64(a, b, y, NE);
  TP_CHECK_F64(y[2], -0.0);
  {
    /* a [2, 2] + b [2] (a row). */
    static const double x[] = {1, 2, 3, 4}, row[] = {0.5, -0.5};
    static const int32_t d2[] = {2, 2}, s22[] = {2, 1}, srow[] = {0, 1};
    double z[4];
    tp_binary_add_f64(x, row, z, 4, 2, d2, s22, srow);
    TP_CHECK_F64(z[0], 1.5);
    TP_CHECK_F64(z[1], 1.5);
    TP_CHECK_F64(z[2], 3.5);
    TP_CHECK_F64(z[3], 3.5);
  }
}

/*===--- f16 and bf16: in float, rounded once -------------------------------===*/

static void check_f16(void) {
  /* 1 + 2^-10, 300, -0, NaN, 3, -2.5, f16(1/3), 65504 */
  static const uint16_t a[] = {0x3c01, 0x5cb0, 0x8000, 0x7e00, 0x4200, 0xc100, 0x3555, 0x7bff};
  /* 1 + 2^-10, 300, 0, 1, -1.5, 2, 3, 1 */
  static const uint16_t b[] = {0x3c01, 0x5cb0, 0x0000, 0x3c00, 0xbe00, 0x4000, 0x4200, 0x3c00};
  static const uint16_t add[] = {0x4001, 0x60b0, 0x0000, 0x7e00, 0x3e00, 0xb800, 0x42ab, 0x7bff};
  static const uint16_t sub[] = {0x0000, 0x0000, 0x8000, 0x7e00, 0x4480, 0xc480, 0xc155, 0x7bff};
  /* (1 + 2^-10)^2 rounds to 1 + 2^-9; 300^2 overflows; f16(1/3) * 3 is
     1 - 2^-12, a tie, to even: 1; 65504 + 1 and 65504 * 1 stay. */
  static const uint16_t mul[] = {0x3c02, 0x7c00, 0x8000, 0x7e00, 0xc480, 0xc500, 0x3c00, 0x7bff};
  static const uint16_t div[] = {0x3c00, 0x3c00, 0x7e00, 0x7e00, 0xc000, 0xbd00, 0x2f1c, 0x7bff};
  static const uint16_t max[] = {0x3c01, 0x5cb0, 0x8000, 0x7e00, 0x4200, 0x4000, 0x4200, 0x7bff};
  static const uint16_t min[] = {0x3c01, 0x5cb0, 0x8000, 0x7e00, 0xbe00, 0xc100, 0x3555, 0x3c00};
  static const uint16_t prelu[] = {0x3c01, 0x5cb0, 0x8000, 0x7e00, 0x4200, 0xc500, 0x3555, 0x7bff};
  const int32_t n = COUNT(a);
  uint16_t y[COUNT(a)], w[COUNT(a)];
  int32_t i;
  tp_binary_same_add_f16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], add[i], 0x7c00);
  tp_binary_same_sub_f16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], sub[i], 0x7c00);
  tp_binary_same_mul_f16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], mul[i], 0x7c00);
  tp_binary_same_div_f16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], div[i], 0x7c00);
  tp_binary_same_max_f16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], max[i], 0x7c00);
  tp_binary_same_min_f16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], min[i], 0x7c00);
  tp_binary_same_prelu_f16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], prelu[i], 0x7c00);
  /* Max, Min and PRelu of a non-negative x move bits, NaN payloads too;
     arithmetic quiets a signalling NaN. */
  {
    static const uint16_t p[] = {0x7d01, 0x3c00, 0x7d01}, q[] = {0x3c00, 0x7d01, 0x3c00};
    uint16_t z[3];
    tp_binary_same_max_f16(p, q, z, 3);
    TP_CHECK_INT(z[0], 0x7d01);
    TP_CHECK_INT(z[1], 0x7d01);
    tp_binary_same_min_f16(q, p, z, 3);
    TP_CHECK_INT(z[0], 0x7d01);
    TP_CHECK_INT(z[1], 0x7d01);
    tp_binary_same_prelu_f16(p, q, z, 3);
    TP_CHECK_INT(z[0], 0x7d01);
    tp_binary_same_add_f16(p, q, z, 3);
    TP_CHECK_INT(z[0], 0x7f01);
  }
  /* In place. */
  for (i = 0; i < n; ++i)
    w[i] = a[i];
  tp_binary_same_mul_f16(w, b, w, n);
  for (i = 0; i < n; ++i)
    CHECK_16(w[i], mul[i], 0x7c00);
  /* Broadcast: x [2, 2] + a bias per row [2, 1]; PRelu of x with a slope
     per row, in place. */
  {
    static const uint16_t x[] = {0x3c00, 0xc000, 0x4200, 0xbc00}; /* 1, -2, 3, -1 */
    static const uint16_t bias[] = {0x3800, 0xb800};              /* 0.5, -0.5 */
    static const uint16_t slope[] = {0x3400, 0x4000};             /* 0.25, 2 */
    static const int32_t d2[] = {2, 2}, s22[] = {2, 1}, scol[] = {1, 0};
    uint16_t z[4];
    tp_binary_add_f16(x, bias, z, 4, 2, d2, s22, scol);
    TP_CHECK_INT(z[0], 0x3e00); /* 1.5 */
    TP_CHECK_INT(z[1], 0xbe00); /* -1.5 */
    TP_CHECK_INT(z[2], 0x4100); /* 2.5 */
    TP_CHECK_INT(z[3], 0xbe00); /* -1.5 */
    for (i = 0; i < 4; ++i)
      z[i] = x[i];
    tp_binary_prelu_f16(z, slope, z, 4, 2, d2, s22, scol);
    TP_CHECK_INT(z[0], 0x3c00);
    TP_CHECK_INT(z[1], 0xb800); /* -2 * 0.25 */
    TP_CHECK_INT(z[2], 0x4200);
    TP_CHECK_INT(z[3], 0xc000); /* -1 * 2 */
  }
}

static void check_bf16(void) {
  /* 1, -2.5, 3, bf16(1/3), the largest finite */
  static const uint16_t a[] = {0x3f80, 0xc020, 0x4040, 0x3eab, 0x7f7f};
  /* 2, 2, -4, 3, the largest finite */
  static const uint16_t b[] = {0x4000, 0x4000, 0xc080, 0x4040, 0x7f7f};
  static const uint16_t add[] = {0x4040, 0xbf00, 0xbf80, 0x4055, 0x7f80};
  static const uint16_t sub[] = {0xbf80, 0xc090, 0x40e0, 0xc02b, 0x0000};
  static const uint16_t mul[] = {0x4000, 0xc0a0, 0xc140, 0x3f80, 0x7f80};
  static const uint16_t div[] = {0x3f00, 0xbfa0, 0xbf40, 0x3de4, 0x3f80};
  static const uint16_t max[] = {0x4000, 0x4000, 0x4040, 0x4040, 0x7f7f};
  static const uint16_t min[] = {0x3f80, 0xc020, 0xc080, 0x3eab, 0x7f7f};
  static const uint16_t prelu[] = {0x3f80, 0xc0a0, 0x4040, 0x3eab, 0x7f7f};
  const int32_t n = COUNT(a);
  uint16_t y[COUNT(a)];
  int32_t i;
  tp_binary_same_add_bf16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], add[i], 0x7f80);
  tp_binary_same_sub_bf16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], sub[i], 0x7f80);
  tp_binary_same_mul_bf16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], mul[i], 0x7f80);
  tp_binary_same_div_bf16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], div[i], 0x7f80);
  tp_binary_same_max_bf16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], max[i], 0x7f80);
  tp_binary_same_min_bf16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], min[i], 0x7f80);
  tp_binary_same_prelu_bf16(a, b, y, n);
  for (i = 0; i < n; ++i)
    CHECK_16(y[i], prelu[i], 0x7f80);
  {
    /* a [2, 2] * b (a one-element tensor). */
    static const uint16_t x[] = {0x3f80, 0xc020, 0x4040, 0x3eab}, two[] = {0x4000};
    static const int32_t d2[] = {2, 2}, s22[] = {2, 1}, s0[] = {0, 0};
    uint16_t z[4];
    tp_binary_mul_bf16(x, two, z, 4, 2, d2, s22, s0);
    TP_CHECK_INT(z[0], 0x4000);
    TP_CHECK_INT(z[1], 0xc0a0);
    TP_CHECK_INT(z[2], 0x40c0);
    TP_CHECK_INT(z[3], 0x3f2b);
  }
}

/*===--- Integers: two's complement, every type ----------------------------===*/

/* Operand pairs, each converted to every type (its low bits): overflow at
 * every width, the minimum over -1, truncation toward zero. No divisor is
 * 0 in any width. */
static const int64_t kIntA[] = {100,  -128, INT64_MIN, -7, 7,    200,        0,   -2147483647 - 1,
                                32767, -1,  INT64_MAX, 3,  -100, 300,        255, 65535,
                                -32768, 4294967295ll, 123456789012345ll, -5};
static const int64_t kIntB[] = {100, -1, -1, 2, -2, 100, 5, -1, 1, 1, 1, 3, 3, 300, 1,
                                1,   -1, 3,  -3, 7};
#define NI COUNT(kIntA)

/* PRelu multiplies in C's int (or wider) arithmetic: for 32 and 64 bits
 * the product must fit; for 8 and 16 bits it wraps when stored. */
static const int64_t kPreluA[] = {-7, 7, -100, 0, -1, 100, -128, 127, -3};
static const int64_t kPreluB[] = {2, -3, 3, 5, -1, 4, 2, 9, 300};
#define NP COUNT(kPreluA)

/* The result's bits: the mathematical result modulo 2^64, then the low
 * `bits` bits of it; a and b are the operands' values (sign- or
 * zero-extended). */
static uint64_t ref_int(int op, int64_t a, int64_t b, int is_signed, int bits) {
  const uint64_t mask = UINT64_MAX >> (64 - bits);
  const uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  uint64_t r;
  switch (op) {
  case ADD:
    r = ua + ub;
    break;
  case SUB:
    r = ua - ub;
    break;
  case MUL:
    r = ua * ub;
    break;
  case DIV:
    if (!is_signed)
      r = (ua & mask) / (ub & mask);
    else if (b == -1)
      r = 0 - ua; /* the minimum wraps onto itself */
    else
      r = (uint64_t)(a / b);
    break;
  case MAX:
    r = (is_signed ? a < b : ua < ub) ? ub : ua;
    break;
  case MIN:
    r = (is_signed ? b < a : ub < ua) ? ub : ua;
    break;
  default:
    r = a < 0 ? ua * ub : ua;
    break;
  }
  return r & mask;
}

#define CHECK_INT_TYPE(T, SFX, BITS, SIGNED)                                                  \
  static void check_##SFX(void) {                                                           \
    typedef void (*Same)(const T *, const T *, T *, int32_t);                               \
    static const Same same[NUM_OPS] = {tp_binary_same_add_##SFX, tp_binary_same_sub_##SFX,  \
                                       tp_binary_same_mul_##SFX, tp_binary_same_div_##SFX,  \
                                       tp_binary_same_max_##SFX, tp_binary_same_min_##SFX,  \
                                       PRELU_##SFX};                                        \
    const uint64_t mask = UINT64_MAX >> (64 - BITS);                                        \
    T a[NI], b[NI], y[NI];                                                                  \
    int32_t op, i;                                                                          \
    for (i = 0; i < NI; ++i) {                                                              \
      a[i] = (T)(uint64_t)kIntA[i];                                                         \
      b[i] = (T)(uint64_t)kIntB[i];                                                         \
    }                                                                                       \
    for (op = 0; op < NUM_OPS; ++op) {                                                      \
      if (!same[op])                                                                        \
        continue;                                                                           \
      if (op == PRELU)                                                                      \
        for (i = 0; i < NI; ++i) { /* products that fit 32 bits: C multiplies */            \
          a[i] = (T)(uint64_t)kPreluA[i % NP];                                              \
          b[i] = (T)(uint64_t)kPreluB[i % NP];                                              \
        }                                                                                   \
      same[op](a, b, y, NI);                                                                \
      for (i = 0; i < NI; ++i) {                                                            \
        const int64_t va = SIGNED ? (int64_t)a[i] : (int64_t)(uint64_t)a[i];                \
        const int64_t vb = SIGNED ? (int64_t)b[i] : (int64_t)(uint64_t)b[i];                \
        TP_CHECK_INT((uint64_t)y[i] & mask, ref_int(op, va, vb, SIGNED, BITS));             \
      }                                                                                     \
    }                                                                                       \
    /* In place over a. */                                                                  \
    for (i = 0; i < NI; ++i) {                                                              \
      a[i] = (T)(uint64_t)kIntA[i];                                                         \
      b[i] = (T)(uint64_t)kIntB[i];                                                         \
    }                                                                                       \
    same[SUB](a, b, a, NI);                                                                 \
    for (i = 0; i < NI; ++i)                                                                \
      TP_CHECK_INT((uint64_t)a[i] & mask,                                                   \
                   ((uint64_t)kIntA[i] - (uint64_t)kIntB[i]) & mask);                       \
  }

#define PRELU_i8 tp_binary_same_prelu_i8
#define PRELU_i16 tp_binary_same_prelu_i16
#define PRELU_i32 tp_binary_same_prelu_i32
#define PRELU_i64 tp_binary_same_prelu_i64
#define PRELU_u8 0
#define PRELU_u16 0
#define PRELU_u32 0
#define PRELU_u64 0

CHECK_INT_TYPE(int8_t, i8, 8, 1)
CHECK_INT_TYPE(uint8_t, u8, 8, 0)
CHECK_INT_TYPE(int16_t, i16, 16, 1)
CHECK_INT_TYPE(uint16_t, u16, 16, 0)
CHECK_INT_TYPE(int32_t, i32, 32, 1)
CHECK_INT_TYPE(uint32_t, u32, 32, 0)
CHECK_INT_TYPE(int64_t, i64, 64, 1)
CHECK_INT_TYPE(uint64_t, u64, 64, 0)

/* The cases by hand, and a broadcast loop per integer kind. */
static void check_int_cases(void) {
  {
    static const int8_t a[] = {100, -128, -7, 7, -128, -100}, b[] = {100, -1, 2, -2, 2, 3};
    int8_t y[6];
    tp_binary_same_add_i8(a, b, y, 6);
    TP_CHECK_INT(y[0], -56); /* 200 wraps */
    tp_binary_same_div_i8(a, b, y, 6);
    TP_CHECK_INT(y[1], -128); /* -128 / -1 wraps */
    TP_CHECK_INT(y[2], -3);   /* toward zero */
    TP_CHECK_INT(y[3], -3);
    tp_binary_same_mul_i8(a, b, y, 6);
    TP_CHECK_INT(y[0], 16);   /* 10000 mod 256 */
    tp_binary_same_prelu_i8(a, b, y, 6);
    TP_CHECK_INT(y[4], 0);    /* -128 * 2 = -256 wraps to 0 */
    TP_CHECK_INT(y[5], -44);  /* -300 wraps */
    TP_CHECK_INT(y[0], 100);
  }
  {
    static const uint8_t a[] = {200, 0, 7}, b[] = {100, 1, 2};
    uint8_t y[3];
    tp_binary_same_add_u8(a, b, y, 3);
    TP_CHECK_INT(y[0], 44);
    tp_binary_same_sub_u8(a, b, y, 3);
    TP_CHECK_INT(y[1], 255);
    tp_binary_same_div_u8(a, b, y, 3);
    TP_CHECK_INT(y[0], 2);
    TP_CHECK_INT(y[2], 3);
  }
  {
    static const int16_t a[] = {300, -32768}, b[] = {300, -1};
    int16_t y[2];
    tp_binary_same_mul_i16(a, b, y, 2);
    TP_CHECK_INT(y[0], 24464); /* 90000 - 65536 */
    TP_CHECK_INT(y[1], -32768);
  }
  {
    static const int32_t a[] = {INT32_MAX, INT32_MIN, -7}, b[] = {1, -1, 2};
    int32_t y[3];
    tp_binary_same_add_i32(a, b, y, 3);
    TP_CHECK_INT(y[0], INT32_MIN);
    tp_binary_same_div_i32(a, b, y, 3);
    TP_CHECK_INT(y[1], INT32_MIN);
    TP_CHECK_INT(y[2], -3);
    tp_binary_same_prelu_i32(a + 2, b + 2, y, 1);
    TP_CHECK_INT(y[0], -14);
  }
  {
    static const uint32_t a[] = {0, 4294967295u}, b[] = {1, 2};
    uint32_t y[2];
    tp_binary_same_sub_u32(a, b, y, 2);
    TP_CHECK_INT(y[0], 4294967295u);
    tp_binary_same_mul_u32(a, b, y, 2);
    TP_CHECK_INT(y[1], 4294967294u);
  }
  {
    static const int64_t a[] = {INT64_MAX, INT64_MIN, INT64_MIN}, b[] = {1, -1, 2};
    int64_t y[3];
    tp_binary_same_add_i64(a, b, y, 3);
    TP_CHECK_INT(y[0], INT64_MIN);
    tp_binary_same_div_i64(a, b, y, 3);
    TP_CHECK_INT(y[1], INT64_MIN); /* INT64_MIN / -1 wraps */
    TP_CHECK_INT(y[2], INT64_MIN / 2);
    tp_binary_same_max_i64(a, b, y, 3);
    TP_CHECK_INT(y[0], INT64_MAX);
    TP_CHECK_INT(y[1], -1);
  }
  {
    static const uint64_t a[] = {0, UINT64_MAX, UINT64_MAX}, b[] = {1, 1, 3};
    uint64_t y[3];
    tp_binary_same_sub_u64(a, b, y, 3);
    TP_CHECK(y[0] == UINT64_MAX);
    tp_binary_same_max_u64(a, b, y, 3); /* compared as unsigned */
    TP_CHECK(y[1] == UINT64_MAX);
    tp_binary_same_min_u64(a, b, y, 3);
    TP_CHECK(y[1] == 1);
    tp_binary_same_div_u64(a, b, y, 3);
    TP_CHECK(y[2] == UINT64_C(6148914691236517205));
    TP_CHECK_INT(y[2], INT64_C(6148914691236517205));
  }
  /* Broadcasting, each against the reference walk. */
  {
    static const Shapes row = {2, {2, 3}, 2, {2, 3}, 1, {3}};
    static const Shapes col = {2, {2, 3}, 2, {2, 3}, 2, {2, 1}};
    static const Shapes both = {3, {2, 3, 4}, 3, {2, 1, 4}, 2, {3, 1}};
    static const Shapes channel = {4, {1, 3, 2, 2}, 4, {1, 3, 2, 2}, 3, {3, 1, 1}};
    static const Shapes scalar = {2, {3, 2}, 1, {1}, 2, {3, 2}};
    int32_t dims[8], as[8], bs[8], rank, i;
    {
      static const int8_t a[] = {100, -100, 5, 127, -128, 0}, b[] = {100, -100, 1};
      int8_t y[6];
      rank = plan(&row, dims, as, bs);
      tp_binary_add_i8(a, b, y, 6, rank, dims, as, bs);
      for (i = 0; i < 6; ++i)
        TP_CHECK_INT((uint64_t)y[i] & 0xffu,
                     ref_int(ADD, a[source(&row, row.a, row.arank, i)],
                             b[source(&row, row.b, row.brank, i)], 1, 8));
      TP_CHECK_INT(y[0], -56);
      TP_CHECK_INT(y[4], 28); /* -128 + -100 wraps */
    }
    {
      static const uint64_t a[] = {1, UINT64_MAX, 5, 6, 7, 0}, b[] = {6, UINT64_C(1) << 63};
      uint64_t y[6];
      rank = plan(&col, dims, as, bs);
      tp_binary_max_u64(a, b, y, 6, rank, dims, as, bs);
      TP_CHECK(y[0] == 6 && y[1] == UINT64_MAX && y[2] == 6);
      TP_CHECK(y[3] == (UINT64_C(1) << 63) && y[5] == (UINT64_C(1) << 63));
      TP_CHECK_INT(y[2], 6);
    }
    {
      static const int32_t a[] = {-4, 4, -1, 0, 7, -7, 3, -3, -5, 9, -9, 1};
      static const int32_t slope[] = {1, 2, -3};
      int32_t y[12];
      rank = plan(&channel, dims, as, bs);
      tp_binary_prelu_i32(a, slope, y, 12, rank, dims, as, bs);
      TP_CHECK_INT(y[0], -4);  /* channel 0, slope 1 */
      TP_CHECK_INT(y[1], 4);
      TP_CHECK_INT(y[5], -14); /* channel 1, slope 2 */
      TP_CHECK_INT(y[7], -6);
      TP_CHECK_INT(y[10], 27); /* channel 2, slope -3 */
      TP_CHECK_INT(y[8], 15);
      TP_CHECK_INT(y[9], 9);
    }
    {
      static const uint16_t a[] = {10}, b[] = {0, 1, 10, 11, 65535, 40000};
      uint16_t y[6];
      rank = plan(&scalar, dims, as, bs);
      tp_binary_sub_u16(a, b, y, 6, rank, dims, as, bs);
      TP_CHECK_INT(y[0], 10);
      TP_CHECK_INT(y[3], 65535);
      TP_CHECK_INT(y[4], 11);
      TP_CHECK_INT(y[5], 25546);
    }
    {
      int64_t a[8], b[3], y[24];
      for (i = 0; i < 8; ++i)
        a[i] = i % 2 ? INT64_MIN : (int64_t)(i * 1000 + 7);
      b[0] = -1;
      b[1] = 2;
      b[2] = -7;
      rank = plan(&both, dims, as, bs);
      tp_binary_div_i64(a, b, y, 24, rank, dims, as, bs);
      for (i = 0; i < 24; ++i)
        TP_CHECK_INT(y[i], (int64_t)ref_int(DIV, a[source(&both, both.a, both.arank, i)],
                                            b[source(&both, both.b, both.brank, i)], 1, 64));
      TP_CHECK_INT(y[1], INT64_MIN); /* INT64_MIN / -1 */
      TP_CHECK_INT(y[4], 3);         /* 7 / 2 */
      TP_CHECK_INT(y[8], -1);        /* 7 / -7 */
    }
    {
      static const uint32_t a[] = {5, 4000000000u, 7, 1}, b[] = {6, 3000000000u};
      static const Shapes rowu = {2, {2, 2}, 2, {2, 2}, 1, {2}};
      uint32_t y[4];
      rank = plan(&rowu, dims, as, bs);
      for (i = 0; i < 4; ++i)
        y[i] = a[i];
      tp_binary_min_u32(y, b, y, 4, rank, dims, as, bs); /* in place */
      TP_CHECK_INT(y[0], 5);
      TP_CHECK_INT(y[1], 3000000000u);
      TP_CHECK_INT(y[2], 6);
      TP_CHECK_INT(y[3], 1);
    }
    {
      static const int16_t a[] = {300, -2, 3, 4, 5, 6}, b[] = {300, -1};
      int16_t y[6];
      rank = plan(&col, dims, as, bs);
      tp_binary_mul_i16(a, b, y, 6, rank, dims, as, bs);
      TP_CHECK_INT(y[0], 24464);
      TP_CHECK_INT(y[1], -600);
      TP_CHECK_INT(y[3], -4);
    }
  }
}

/* Pow: {x, y, the correctly rounded x^y}; the last ones underflow to the
 * smallest subnormal and to 0. */
static const float kPowCases[][3] = {
    {0x1p+1f, 0x1.4p+3f, 0x1p+10f},
    {0x1.8p+1f, 0x1p+2f, 0x1.44p+6f},
    {0x1p-1f, -0x1p+1f, 0x1p+2f},
    {-0x1p+1f, 0x1.8p+1f, -0x1p+3f},
    {-0x1p+1f, 0x1p+2f, 0x1p+4f},
    {0x1p+2f, 0x1p-1f, 0x1p+1f},
    {0x1.cp+2f, 0x1p+1f, 0x1.88p+5f},
    {0x1.8p+0f, -0x1p+0f, 0x1.555556p-1f},
    {0x1.4p+1f, 0x1.b33334p+0f, 0x1.2fdcf6p+2f},
    {0x1.d8p+5f, 0x1.1ed596p+1f, 0x1.227ef8p+13f},
    {0x1.99999ap-4f, 0x1.333334p-2f, 0x1.009b9cp-1f},
    {0x1.0624dep-10f, -0x1.9p+3f, 0x1.7ca526p+124f},
    {0x1.edd2f2p+6f, -0x1.8p-1f, 0x1.ba5ecp-6f},
    {0x1.ff7ceep-1f, 0x1.f44p+9f, 0x1.78563p-2f},
    {0x1.8p+1f, -0x1.dp+2f, 0x1.6c4f4cp-12f},
    {0x1.00068ep+0f, 0x1.5b38p+16f, 0x1.c59c9ep+12f},
    {0x1.4p+3f, 0x1.34p+5f, 0x1.dbce82p+127f},
    {0x1p-149f, 0x1p-1f, 0x1.6a09e6p-75f},
    {0x1p+1f, -0x1.2ap+7f, 0x1p-149f},
    {0x1p+1f, -0x1.2dp+7f, 0.0f},
    {0x1p-140f, 0x1.2p+0f, 0.0f},
};

static void check_pow(void) {
  const float inf = HUGE_VALF, nan = 0.0f * HUGE_VALF;
  /* C99 F.9.4.4: {x, y, x^y}. */
  const float cases[][3] = {
      {nan, 0.0f, 1.0f},        {nan, -0.0f, 1.0f},     {1.0f, nan, 1.0f},
      {-1.0f, inf, 1.0f},       {-1.0f, -inf, 1.0f},    {nan, 2.0f, nan},
      {2.0f, nan, nan},         {-8.0f, 1.0f / 3, nan}, {-0.0f, -3.0f, -inf},
      {0.0f, -3.0f, inf},       {-0.0f, -2.0f, inf},    {-0.0f, -0.5f, inf},
      {-0.0f, 3.0f, -0.0f},     {-0.0f, 2.0f, 0.0f},    {-0.0f, 0.5f, 0.0f},
      {0.5f, inf, 0.0f},        {0.5f, -inf, inf},      {2.0f, inf, inf},
      {2.0f, -inf, 0.0f},       {-inf, -3.0f, -0.0f},   {-inf, -2.0f, 0.0f},
      {-inf, 3.0f, -inf},       {-inf, 2.5f, inf},      {inf, -0.5f, 0.0f},
      {inf, 0.5f, inf},         {-3.0f, 0x1p+25f, inf}, {-2.0f, -0x1p+25f, 0.0f},
      {1e20f, 2.0f, inf},       {-1e20f, 3.0f, -inf},   {-2.0f, -1.0f, -0.5f},
      {-4.0f, 0.5f, nan},       {0x1.000002p+0f, 1.0f, 0x1.000002p+0f},
  };
  float x[32], y[32], r[32];
  int32_t i, n = COUNT(cases);
  for (i = 0; i < n; ++i) {
    x[i] = cases[i][0];
    y[i] = cases[i][1];
  }
  tp_binary_same_pow_f32(x, y, r, n);
  for (i = 0; i < n; ++i)
    CHECK_F32(r[i], cases[i][2]);
  n = COUNT(kPowCases);
  for (i = 0; i < n; ++i) {
    x[i] = kPowCases[i][0];
    y[i] = kPowCases[i][1];
  }
  /* In place over the exponents. */
  tp_binary_same_pow_f32(x, y, y, n);
  for (i = 0; i < n; ++i)
    CHECK_F32(y[i], kPowCases[i][2]);
  {
    /* [2, 3] ^ [3]: the exponent broadcast along the rows. */
    static const int32_t dims[] = {2, 3}, as[] = {3, 1}, bs[] = {0, 1};
    const float base[6] = {1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f}, e[3] = {3.0f, 2.0f, -1.0f};
    const float want[6] = {1.0f, 4.0f, 1.0f / 3, 64.0f, 25.0f, 1.0f / 6};
    tp_binary_pow_f32(base, e, r, 6, 2, dims, as, bs);
    for (i = 0; i < 6; ++i)
      CHECK_F32(r[i], want[i]);
  }
  {
    const double a[3] = {2.0, 9.0, -2.0}, b[3] = {0.5, 0.5, 3.0};
    double d[3];
    tp_binary_same_pow_f64(a, b, d, 3);
    CHECK_F64(d[0], 0x1.6a09e667f3bcdp+0);
    CHECK_F64(d[1], 3.0);
    CHECK_F64(d[2], -8.0);
  }
}

/* Mean's last step: the sum divided by the count, one division. */
static void check_mean_div(void) {
  float y[4] = {6.0f, 1.0f, -0.0f, 0x1.fffffep+127f};
  double d[2] = {1.0, 10.0};
  tp_mean_div_f32(y, 4, 3);
  CHECK_F32(y[0], 2.0f);
  CHECK_F32(y[1], 1.0f / 3);
  CHECK_F32(y[2], -0.0f);
  CHECK_F32(y[3], 0x1.fffffep+127f / 3);
  tp_mean_div_f64(d, 2, 3);
  CHECK_F64(d[0], 1.0 / 3);
  CHECK_F64(d[1], 10.0 / 3);
}

int main(void) {
  check_shapes_f32();
  check_edges_f32();
  check_f64();
  check_f16();
  check_bf16();
  check_i8();
  check_u8();
  check_i16();
  check_u16();
  check_i32();
  check_u32();
  check_i64();
  check_u64();
  check_int_cases();
  check_pow();
  check_mean_div();
  return tp_finish("binary");
}
