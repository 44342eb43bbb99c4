/* Loads a 32-bit word from an odd address: the Cortex-M3 and M4 do it (LDR
   allows unaligned addresses) unless CCR.UNALIGN_TRP is set, the Cortex-M0
   raises a HardFault. */
#include <stdint.h>
#include <stdio.h>

static uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};

void mcu_before_runs(void);

int main(void) {
  volatile uintptr_t address = (uintptr_t)bytes + 1;
  mcu_before_runs(); /* with -DMCU_UNALIGN_TRP, the M3 and M4 fault too */
  uint32_t word = *(volatile const uint32_t *)address;
  printf("word %08lx\n", (unsigned long)word);
  return word != 0x05040302u;
}
