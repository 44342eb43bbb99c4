/* Deliberately wrong stand-in for tinyplan's output: test_identity writing one element too many.
   The verification harness must report it as a failure. */
#ifndef M_MODEL_H
#define M_MODEL_H
#define M_ARENA_SIZE 0
#define M_NUM_INPUTS 1
#define M_NUM_OUTPUTS 1
#define M_INPUT_0_SIZE 4
#define M_INPUT_0_RANK 4
#define M_INPUT_0_SHAPE {1, 1, 2, 2}
#define M_INPUT_0_DTYPE "f32"
#define M_OUTPUT_0_SIZE 4
#define M_OUTPUT_0_RANK 4
#define M_OUTPUT_0_SHAPE {1, 1, 2, 2}
#define M_OUTPUT_0_DTYPE "f32"
int m_run(const float *input0, float *output0);
#endif
