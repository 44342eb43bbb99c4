/* All-zero logits; see model.h. */
#include "model.h"

int m_run(const float *input0, float *output0) {
  int i;
  (void)input0;
  for (i = 0; i < 10; i++)
    output0[i] = 0.0f;
  return 0;
}
