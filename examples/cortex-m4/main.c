/* The firmware's main: runs the LeNet-5 that tinyplan_add_model compiled
   into lenet.c / lenet.h on the fixed test pattern of the host example and
   prints the predicted class through semihosting (startup.c). The host
   program prints the same line. */
#include <stdio.h>

#include "lenet.h"

int main(void) {
  static float input[LENET_INPUT_0_SIZE];
  float probs[LENET_OUTPUT_0_SIZE];
  int i, best = 0;
  for (i = 0; i < LENET_INPUT_0_SIZE; ++i)
    input[i] = (float)((i * 37) % 101) / 100.0f - 0.5f;
  if (lenet_run(input, probs) != 0)
    return 1;
  for (i = 1; i < LENET_OUTPUT_0_SIZE; ++i)
    if (probs[i] > probs[best])
      best = i;
  printf("predicted class %d (p = 0.%06ld), arena %d bytes, weights %d bytes\n", best,
         (long)(probs[best] * 1000000.0f + 0.5f), LENET_ARENA_SIZE, LENET_WEIGHTS_SIZE);
  return 0;
}
