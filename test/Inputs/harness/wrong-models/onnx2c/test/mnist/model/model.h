/* Deliberately wrong stand-in for tinyplan's output for onnx2c/test/mnist/model.onnx
   (f32[1,1,28,28] -> f32[1,10]): all-zero logits. The harness must report a
   mismatch against the shipped test_data_set_0. */
#ifndef M_MODEL_H
#define M_MODEL_H
#define M_ARENA_SIZE 0
#define M_NUM_INPUTS 1
#define M_NUM_OUTPUTS 1
#define M_INPUT_0_SIZE 784
#define M_INPUT_0_RANK 4
#define M_INPUT_0_SHAPE {1, 1, 28, 28}
#define M_INPUT_0_DTYPE "f32"
#define M_OUTPUT_0_SIZE 10
#define M_OUTPUT_0_RANK 2
#define M_OUTPUT_0_SHAPE {1, 10}
#define M_OUTPUT_0_DTYPE "f32"
int m_run(const float *input0, float *output0);
#endif
