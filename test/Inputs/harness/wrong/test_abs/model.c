/* Computes Relu where Abs is wanted: wrong values. */
#include "model.h"

int m_run(const float *input0, float *output0) {
  int i;
  for (i = 0; i < 60; i++)
    output0[i] = input0[i] > 0.0f ? input0[i] : 0.0f;
  return 0;
}
