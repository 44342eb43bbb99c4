/* Executes sdiv r0, r0, r1, a 32-bit Thumb-2 instruction that ARMv7-M has
   and ARMv6-M (the Cortex-M0) lacks: an undefined instruction there. */
int main(void) {
  int q;
  __asm__ volatile("movs r0, #7\n\tmovs r1, #2\n\t.inst.w 0xfb90f0f1\n\tmov %0, r0"
                   : "=r"(q) : : "r0", "r1");
  return q != 3;
}
