/* Runs a loop of exactly three instructions ITERATIONS times: builds with
   different ITERATIONS have the same code (one mov.w immediate differs; on
   the Cortex-M0 one literal, if neither value is a shifted 8-bit constant
   that gcc builds in two instructions), so their instruction counts differ
   by exactly 3 per iteration. The loop is
   in unified syntax, which gcc does not assume in Thumb-1 (Cortex-M0)
   inline assembly. */
int main(void) {
  unsigned n = ITERATIONS;
  __asm__ volatile(".syntax unified\n1:\n\tsubs %0, %0, #1\n\tnop\n\tbne 1b" : "+r"(n) : : "cc");
  return 0;
}
