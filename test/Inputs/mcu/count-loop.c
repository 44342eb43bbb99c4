/* Runs a loop of exactly three instructions ITERATIONS times: builds with
   different ITERATIONS have the same code (one mov.w immediate differs), so
   their instruction counts differ by exactly 3 per iteration. */
int main(void) {
  unsigned n = ITERATIONS;
  __asm__ volatile("1:\n\tsubs %0, %0, #1\n\tnop\n\tbne 1b" : "+r"(n) : : "cc");
  return 0;
}
