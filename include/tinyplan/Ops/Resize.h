//===- Resize.h - What a Resize or Upsample node computes --------*- C++ -*-===//
//
// Resize and Upsample resolved into per-axis tables: for every axis of the
// data and every output index along it, the input indices and weights that
// output reads (none: the extrapolation value). An output element is then
// the nested weighted sum over the axes, outermost last, as the ONNX
// reference nests its 1-D interpolations. lib/Ops/Resize.cpp computes the
// tables as the reference does (coordinates in double), folds with them and
// infers the shape; lib/CodeGen/Kernels/Resize.cpp writes them into model.c.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_OPS_RESIZE_H
#define TINYPLAN_OPS_RESIZE_H

#include "tinyplan/Ops/OpUtils.h"

namespace tinyplan {

/// One axis: output index o reads the taps [start[o], start[o + 1]); an
/// output without taps is the extrapolation value (tf_crop_and_resize
/// outside the input).
struct ResizeAxis {
  int64_t inDim = 0, outDim = 0;
  std::vector<int64_t> start;
  std::vector<int64_t> index;
  std::vector<double> weight;
};

struct ResizePlan {
  /// Mode nearest: every output has at most one tap, of weight 1, so the
  /// result is a gather (any element type).
  bool nearest = false;
  double extrapolation = 0;
  Shape outShape;
  std::vector<ResizeAxis> axes;
};

/// Whether every output index o of \p axis reads input index o alone with
/// weight 1 (the axis is not resized).
bool isIdentityAxis(const ResizeAxis &axis);

/// The tables of Resize (opsets 10 to 19) or Upsample (7 to 9) node \p node;
/// errors for what ONNX forbids and what tinyplan does not implement.
absl::StatusOr<ResizePlan> resolveResize(const Node &node, int64_t opset);

} // namespace tinyplan

#endif
