/* Reads MODEL_INPUT_0_SIZE floats from standard input into the one f32 input
   of a model generated with --name model, runs it and prints output 0, one
   element a line with %.6f. */
#include <stdio.h>

#include "model.h"

int main(void) {
  static float input[MODEL_INPUT_0_SIZE];
  static float output[MODEL_OUTPUT_0_SIZE];
  int i;
  for (i = 0; i < MODEL_INPUT_0_SIZE; ++i)
    if (scanf("%f", &input[i]) != 1)
      return 2;
  if (model_run(input, output) != 0)
    return 1;
  for (i = 0; i < MODEL_OUTPUT_0_SIZE; ++i)
    printf("%d %.6f\n", i, output[i]);
  return 0;
}
