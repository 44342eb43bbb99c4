//===- CMath.cpp - Elementary functions for the generated C ---------------===//
//
// The f32 functions are tinyplan's own, in kernels/cmath.c (see CMath.h for
// why, and that file for their accuracy); f64 kernels call libm's, but the
// f64 sigmoid, like the f32 one, is cmath.c's formula.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CMath.h"

namespace tinyplan {

std::string requireCMath(CEmitContext &ctx, CMathFunction fn, DType type) {
  bool isF32 = type != DType::F64;
  switch (fn) {
  case CMathFunction::Exp:
    return isF32 ? requireLibraryKernel(ctx, "tp_expf") : "exp";
  case CMathFunction::Log:
    return isF32 ? requireLibraryKernel(ctx, "tp_logf") : "log";
  case CMathFunction::Tanh:
    return isF32 ? requireLibraryKernel(ctx, "tp_tanhf") : "tanh";
  case CMathFunction::Sigmoid:
    return requireLibraryKernel(ctx, isF32 ? "tp_sigmoidf" : "tp_sigmoid");
  }
  return "";
}

} // namespace tinyplan
