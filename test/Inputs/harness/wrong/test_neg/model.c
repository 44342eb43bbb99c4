/* Right values, but model.h says the shape is {60}, not {3, 4, 5}. */
#include "model.h"

int m_run(const float *input0, float *output0) {
  int i;
  for (i = 0; i < 60; i++)
    output0[i] = -input0[i];
  return 0;
}
