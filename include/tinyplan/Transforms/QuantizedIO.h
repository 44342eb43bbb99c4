//===- QuantizedIO.h - Integer inputs and outputs for quantized models -*- C++ -*-===//
//
// A quantized model usually takes float inputs and quantizes them first
// (a QuantizeLinear), and dequantizes its results last (a DequantizeLinear).
// On a microcontroller the caller mostly has integers already (camera
// pixels, a microphone's samples) and wants integers back, as TFLM's int8
// models and ST Edge AI's --input-data-type give them: the float input
// would cost 4 bytes per element of RAM and a conversion pass.
//
// `--quantized-io` moves those conversions to the caller: such an input
// takes the integers the QuantizeLinear would have made, and such an
// output gives the integers the DequantizeLinear would have read. model.h
// gives the scale and zero point of each (real = (q - zero_point) * scale).
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_TRANSFORMS_QUANTIZEDIO_H
#define TINYPLAN_TRANSFORMS_QUANTIZEDIO_H

#include "tinyplan/IR/Graph.h"
#include "absl/status/statusor.h"
#include <string>
#include <vector>

namespace tinyplan {

/// One graph input or output that now carries integers.
struct QuantizedIO {
  /// The input's or output's name (unchanged).
  std::string name;
  bool isInput = true;
  float scale = 1;
  int64_t zeroPoint = 0;
};

/// Makes integer inputs of the float inputs that only per-tensor
/// QuantizeLinear nodes with one scale and zero point read, and integer
/// outputs of the float outputs that a per-tensor DequantizeLinear makes
/// from an 8- or 16-bit tensor of a node's (not a graph input or output of
/// its own) and that nothing else reads. The rest keep their float type.
/// An error when no input or output qualifies.
absl::StatusOr<std::vector<QuantizedIO>> quantizeGraphIO(Graph &graph);

} // namespace tinyplan

#endif
