//===- Activations.h - The activations, one row each ------------*- C++ -*-===//
//
// The activations a Conv, Gemm or MatMul kernel can apply as it stores each
// result (the fuse-activations pass) and that are ops of their own too: one
// row each, with the float parameters in the order their C function takes
// them (kernels/activations.c has tp_<op>_f32 / _f64 for every row), the
// ONNX attribute, the attribute that carries the parameter on a kernel it
// is fused into, and the ONNX default. The op files, the fusion check and
// lib/CodeGen all read this table, and the fused and standalone forms call
// the same C function, so they give the same bits.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_OPS_ACTIVATIONS_H
#define TINYPLAN_OPS_ACTIVATIONS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace tinyplan {

struct ActivationParam {
  /// The op's attribute ("alpha"); Clip's bounds are inputs from opset 11
  /// on and attributes before.
  const char *attr;
  /// The attribute recording it on the kernel it is fused into.
  const char *fused;
  /// The ONNX default; for Clip, the absent bound (-inf, +inf).
  float dflt;
};

struct ActivationInfo {
  const char *opType;
  llvm::ArrayRef<ActivationParam> params;
};

/// Relu, LeakyRelu, Sigmoid, Tanh, HardSigmoid, HardSwish, Clip, Elu, Selu,
/// Celu, ThresholdedRelu, Softplus, Softsign, Mish.
llvm::ArrayRef<ActivationInfo> activations();

/// The row of \p opType, or null for an op that is not an activation.
const ActivationInfo *findActivation(llvm::StringRef opType);

} // namespace tinyplan

#endif
