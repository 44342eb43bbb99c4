/* Executes an undefined instruction: a UsageFault, escalated to HardFault
   (exception 3) because the fault is not enabled on its own. */
int main(void) {
  __builtin_trap();
}
