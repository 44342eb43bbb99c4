/* pad.c - Pad: constant, edge and reflect modes; negative pads crop.
 *
 * Along one axis, output index o reads the kept run of the input, which
 * starts at input index first and has count elements (negative pads crop
 * its ends), at relative index j = o - offset. Inside the run that is the
 * element itself; outside it the mode decides: constant gives the value,
 * edge the nearest end of the run, reflect mirrors about the ends without
 * repeating them, period 2 (count - 1), so pads longer than the run keep
 * reflecting (numpy's "reflect"), and wrap (opset 19) repeats the run,
 * period count (numpy's "wrap"). lib/Ops/Pad.cpp folds constants with the
 * same rule (padSource).
 */
#include "tinyplan_kernels.h"

/* @kernel tp_pad_source
 * The index in the kept run that relative index j reads in mode (0
 * constant, 1 edge, 2 reflect, 3 wrap), or -1 for the constant value. */
TP_KERNEL int32_t tp_pad_source(int32_t j, int32_t count, int32_t mode) {
  int32_t period;
  if (j >= 0 && j < count)
    return j;
  if (mode == 0)
    return -1;
  if (mode == 3) {
    j %= count;
    return j < 0 ? j + count : j;
  }
  if (mode == 1 || count == 1)
    return j < 0 ? 0 : count - 1;
  period = 2 * (count - 1);
  j %= period;
  if (j < 0)
    j += period;
  return j < count ? j : period - j;
}

/* @kernel tp_pad_f32 uses tp_pad_source
 * @instance tp_pad_f64: float=double
 * @instance tp_pad_i8: float=int8_t
 * @instance tp_pad_u8: float=uint8_t
 * @instance tp_pad_i16: float=int16_t
 * @instance tp_pad_u16: float=uint16_t
 * @instance tp_pad_i32: float=int32_t
 * @instance tp_pad_u32: float=uint32_t
 * @instance tp_pad_i64: float=int64_t
 * @instance tp_pad_u64: float=uint64_t
 * y (rank 1 to 8) is x padded in mode (tp_pad_source) with value. g holds
 * five ints per axis: input dim, output dim, and the axis's offset, first
 * and count. One output row (innermost axis) at a time: a row whose outer
 * indices fall in constant padding is all value; otherwise the row's kept
 * run is a plain copy and only the padding on either side of it goes
 * through tp_pad_source. */
TP_KERNEL void tp_pad_f32(const float *x, float *y, int32_t rank, const int32_t *g, int32_t mode,
    float value) {
  int32_t idx[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const int32_t *gi = g + 5 * (rank - 1);
  const int32_t W = gi[1], offset = gi[2], first = gi[3], count = gi[4];
  const int32_t left = offset < 0 ? 0 : offset > W ? W : offset;
  const int32_t kept = offset + count > W ? W : offset + count;
  const int32_t right = kept < left ? left : kept;
  int32_t rows = 1, r, d, k, s;
  for (d = 0; d < rank - 1; ++d)
    rows *= g[5 * d + 1];
  for (r = 0; r < rows; ++r) {
    int32_t src = first, stride = gi[0], inside = 1;
    for (d = rank - 2; d >= 0 && inside; --d) {
      s = tp_pad_source(idx[d] - g[5 * d + 2], g[5 * d + 4], mode);
      inside = s >= 0;
      src += (g[5 * d + 3] + s) * stride;
      stride *= g[5 * d];
    }
    if (!inside) {
      for (k = 0; k < W; ++k)
        y[k] = value;
    } else {
      const float *xr = x + src;
      for (k = 0; k < left; ++k) {
        s = tp_pad_source(k - offset, count, mode);
        y[k] = s < 0 ? value : xr[s];
      }
      for (k = left; k < right; ++k)
        y[k] = xr[k - offset];
      for (k = right; k < W; ++k) {
        s = tp_pad_source(k - offset, count, mode);
        y[k] = s < 0 ? value : xr[s];
      }
    }
    y += W;
    for (d = rank - 2; d >= 0; --d) {
      if (++idx[d] < g[5 * d + 1])
        break;
      idx[d] = 0;
    }
  }
}
