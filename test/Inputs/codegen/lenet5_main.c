/* Runs the generated LeNet-5 (--name lenet) on a fixed input pattern and
   prints the 10 class probabilities, their sum, and whether the zero-copy
   path (passing the arena's own pointers) gives the same bits. */
#include <stdio.h>
#include <string.h>

#include "lenet.h"

int main(void) {
  static float input[LENET_INPUT_0_SIZE];
  float probs[LENET_OUTPUT_0_SIZE], again[LENET_OUTPUT_0_SIZE];
  float sum = 0.0f;
  int i;
  for (i = 0; i < LENET_INPUT_0_SIZE; ++i)
    input[i] = (float)((i * 37) % 101) / 100.0f - 0.5f;
  if (lenet_run(input, probs) != 0)
    return 1;
  for (i = 0; i < LENET_OUTPUT_0_SIZE; ++i) {
    printf("prob %d %.6f\n", i, probs[i]);
    sum += probs[i];
  }
  printf("sum %.5f\n", sum);
  memcpy(lenet_input_0(), input, sizeof input);
  if (lenet_run(lenet_input_0(), lenet_output_0()) != 0)
    return 1;
  memcpy(again, lenet_output_0(), sizeof again);
  printf("zero-copy %s\n", memcmp(again, probs, sizeof probs) == 0 ? "same" : "DIFFERENT");
  return 0;
}
