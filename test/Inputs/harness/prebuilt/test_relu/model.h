/* Hand-written stand-in for tinyplan's output for the ONNX node test test_relu
   (y = Relu(x), f32[3,4,5]), following the model.h contract. It lets the
   verification harness be tested without the emitter. */
#ifndef M_MODEL_H
#define M_MODEL_H

#define M_ARENA_SIZE 0
#define M_NUM_INPUTS 1
#define M_NUM_OUTPUTS 1
#define M_INPUT_0_SIZE 60
#define M_INPUT_0_RANK 3
#define M_INPUT_0_SHAPE {3, 4, 5}
#define M_INPUT_0_DTYPE "f32"
#define M_OUTPUT_0_SIZE 60
#define M_OUTPUT_0_RANK 3
#define M_OUTPUT_0_SHAPE {3, 4, 5}
#define M_OUTPUT_0_DTYPE "f32"

int m_run(const float *input0, float *output0);

#endif
