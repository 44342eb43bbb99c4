/* Puts 1000 bytes on the stack in a function called from main, then reports
   the stack depth startup.c measured below main. */
#include <string.h>

void mcu_after_runs(void);

__attribute__((noinline)) static int useStack(int seed) {
  volatile unsigned char buffer[1000];
  int i, sum = 0;
  for (i = 0; i < 1000; i++)
    buffer[i] = (unsigned char)(seed + i);
  for (i = 0; i < 1000; i++)
    sum += buffer[i];
  return sum;
}

int main(void) {
  int sum = useStack(1);
  mcu_after_runs();
  return sum == 0;
}
