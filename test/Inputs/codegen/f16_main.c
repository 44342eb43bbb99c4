/* Reads MODEL_INPUT_0_SIZE floats (hexadecimal allowed) from standard input
   into the f32 input of a model generated with --name model whose output 0
   is f16 and output 1 f32, runs it and prints, one element a line, the f16
   bit pattern in hex and the f32 value with %a (both exact). */
#include <stdint.h>
#include <stdio.h>

#include "model.h"

int main(void) {
  static float input[MODEL_INPUT_0_SIZE];
  static uint16_t half[MODEL_OUTPUT_0_SIZE];
  static float wide[MODEL_OUTPUT_1_SIZE];
  int i;
  for (i = 0; i < MODEL_INPUT_0_SIZE; ++i)
    if (scanf("%f", &input[i]) != 1)
      return 2;
  if (model_run(input, half, wide) != 0)
    return 1;
  for (i = 0; i < MODEL_OUTPUT_0_SIZE; ++i)
    printf("%d %04x %a\n", i, (unsigned)half[i], (double)wide[i]);
  return 0;
}
