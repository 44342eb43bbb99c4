/* Hand-written stand-in for tinyplan's output for test_relu; see model.h. */
#include "model.h"

int m_run(const float *input0, float *output0) {
  int i;
  for (i = 0; i < M_INPUT_0_SIZE; i++)
    output0[i] = input0[i] > 0.0f ? input0[i] : 0.0f;
  return 0;
}
