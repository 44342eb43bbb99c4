/* Deliberately wrong stand-in for tinyplan's output: test_add that keeps state between calls.
   The verification harness must report it as a failure. */
#ifndef M_MODEL_H
#define M_MODEL_H
#define M_ARENA_SIZE 0
#define M_NUM_INPUTS 2
#define M_NUM_OUTPUTS 1
#define M_INPUT_0_SIZE 60
#define M_INPUT_0_RANK 3
#define M_INPUT_0_SHAPE {3, 4, 5}
#define M_INPUT_0_DTYPE "f32"
#define M_INPUT_1_SIZE 60
#define M_INPUT_1_RANK 3
#define M_INPUT_1_SHAPE {3, 4, 5}
#define M_INPUT_1_DTYPE "f32"
#define M_OUTPUT_0_SIZE 60
#define M_OUTPUT_0_RANK 3
#define M_OUTPUT_0_SHAPE {3, 4, 5}
#define M_OUTPUT_0_DTYPE "f32"
int m_run(const float *input0, const float *input1, float *output0);
#endif
