/* Hand-written stand-in for tinyplan's output; see model.h. */
#include <string.h>

#include "model.h"

int m_run(const float *input0, float *output0) {
  memcpy(output0, input0, M_OUTPUT_0_SIZE * sizeof *output0);
  return 0;
}
