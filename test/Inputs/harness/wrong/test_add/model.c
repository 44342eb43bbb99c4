/* Right on the first call, but remembers that it was called. */
#include "model.h"

static float calls;

int m_run(const float *input0, const float *input1, float *output0) {
  int i;
  for (i = 0; i < 60; i++)
    output0[i] = input0[i] + input1[i] + calls;
  calls += 1.0f;
  return 0;
}
