/* concat.c - Concat: each input's chunks into the result.
 *
 * Along the axis, the result is the inputs' runs one after another: for
 * each index before the axis (outer), input i contributes a chunk of its
 * axis dim times the dims after the axis. tinyplan calls the copy once per
 * input, at the byte offset of that input's first chunk in the result,
 * except for an input the planner already placed as its slice of the
 * result. Bytes, so one kernel serves every element type.
 */
#include "tinyplan_kernels.h"

/* @kernel tp_concat_copy
 * dst[o * stride, + chunk) = src[o * chunk, + chunk) for o in [0, outer):
 * chunk is the input's bytes per outer index, stride the result's. */
TP_KERNEL void tp_concat_copy(uint8_t *dst, const uint8_t *src, int32_t outer,
    int32_t chunk, int32_t stride) {
  int32_t o;
  for (o = 0; o < outer; ++o)
    memcpy(dst + o * stride, src + o * chunk, (size_t)chunk);
}
