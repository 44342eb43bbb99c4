/* fmaf(w, r, w) with w = 0.5 + 2^-24 and r = -2^-24 + 2^-47 (the last step
   of tinyplan's tp_sigmoidf at x = 1.5 * 2^-24): the exact result is
   0.5 + 2^-25 + 2^-71, just above the tie between 0.5 and 0.5 + 2^-24, so a
   fused multiply-add gives 0x3f000001. newlib's fmaf computes
   (float)((double)w * r + w): the double sum drops the 2^-71, lands on the
   tie, and rounds to even, 0x3f000000. Volatile, so that gcc does not fold
   the call itself. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  volatile float w = 0x1.000002p-1f, r = -0x1.fffffcp-25f;
  float y = fmaf(w, r, w);
  uint32_t bits;
  memcpy(&bits, &y, sizeof bits);
  printf("fmaf %08lx\n", (unsigned long)bits);
  return 0;
}
