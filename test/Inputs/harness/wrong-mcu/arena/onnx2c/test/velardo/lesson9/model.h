/* Hand-written stand-in for tinyplan's output for onnx2c/test/velardo/lesson9.onnx
   (MatMul, Add, Sigmoid twice: f32[1,2] -> f32[1,1]), following the model.h
   contract, so the real-model path of the harness can be tested without the
   emitter. */
#ifndef M_MODEL_H
#define M_MODEL_H

#define M_ARENA_SIZE 32
#define M_NUM_INPUTS 1
#define M_NUM_OUTPUTS 1
#define M_INPUT_0_SIZE 2
#define M_INPUT_0_RANK 2
#define M_INPUT_0_SHAPE {1, 2}
#define M_INPUT_0_DTYPE "f32"
#define M_OUTPUT_0_SIZE 1
#define M_OUTPUT_0_RANK 2
#define M_OUTPUT_0_SHAPE {1, 1}
#define M_OUTPUT_0_DTYPE "f32"

int m_run(const float *input0, float *output0);

#endif
