/* Hand-written stand-in for tinyplan's output for test_reshape_reduced_dims
   once its 'shape' input is bound as a constant: reshaped = Reshape(data,
   [2, 12]), f32[2,3,4] -> f32[2,12]. */
#ifndef M_MODEL_H
#define M_MODEL_H

#define M_ARENA_SIZE 0
#define M_NUM_INPUTS 1
#define M_NUM_OUTPUTS 1
#define M_INPUT_0_SIZE 24
#define M_INPUT_0_RANK 3
#define M_INPUT_0_SHAPE {2, 3, 4}
#define M_INPUT_0_DTYPE "f32"
#define M_OUTPUT_0_SIZE 24
#define M_OUTPUT_0_RANK 2
#define M_OUTPUT_0_SHAPE {2, 12}
#define M_OUTPUT_0_DTYPE "f32"

int m_run(const float *input0, float *output0);

#endif
