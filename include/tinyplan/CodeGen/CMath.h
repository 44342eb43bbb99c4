//===- CMath.h - Elementary functions for the generated C -------*- C++ -*-===//
//
// IEEE 754 leaves the rounding of exp, log, tanh... to the C library, and
// glibc and newlib round differently: a model calling libm's expf gives other
// bits on a Cortex-M than on the host. The f32 kernels therefore call
// tinyplan's own static C99 functions, written with + - * /, fmaf, fabsf,
// comparisons and bit patterns (memcpy) only, all exactly rounded everywhere.
// f64 kernels call libm.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_CMATH_H
#define TINYPLAN_CODEGEN_CMATH_H

#include "tinyplan/IR/DType.h"
#include "tinyplan/CodeGen/CEmit.h"
#include <string>

namespace tinyplan {

enum class CMathFunction {
  Exp,
  Log,
  /// 1 / (1 + exp(-x))
  Sigmoid,
  Tanh,
};

/// The C function computing \p fn in float type \p type (F32 or F64), e.g.
/// `tp_expf`; requires its definition and those of the functions it calls
/// through \p ctx, keyed by their names, so a model gets one definition of
/// each, and only of those some kernel calls. F64 gets libm's exp, log and
/// tanh, and a `tp_sigmoid` built on exp.
std::string requireCMath(CEmitContext &ctx, CMathFunction fn, DType type);

} // namespace tinyplan

#endif
