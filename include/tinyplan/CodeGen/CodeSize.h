//===- CodeSize.h - Flash and stack the generated C will need ---*- C++ -*-===//
//
// An estimate, not a measurement: tinyplan has no cross compiler. The C the
// emitter would write (without its weights) is measured in tokens, and the
// tokens turned into Cortex-M4F bytes with coefficients fitted once against
// arm-none-eabi-gcc -Os (bench/codesize.py fit); the C library functions the
// code calls add what each measurably adds to a linked image (bench/codesize.py
// libm). The stack is a measured worst case with a margin. docs/report.md
// states the model and how well it predicts.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_CODESIZE_H
#define TINYPLAN_CODEGEN_CODESIZE_H

#include "tinyplan/CodeGen/CEmitter.h"
#include "tinyplan/Planning/GraphPlanner.h"
#include "absl/status/statusor.h"
#include <string>
#include <utility>
#include <vector>

namespace tinyplan {

struct CodeSizeEstimate {
  /// C tokens (identifiers, numbers, punctuation; comments excluded) of the
  /// distinct kernel definitions, and of the statements of NAME_run.
  int64_t kernelTokens = 0;
  int64_t callTokens = 0;
  /// Distinct kernel definitions.
  int64_t kernels = 0;
  /// Bytes of the model's own code: kernels, NAME_run and the accessors.
  int64_t modelBytes = 0;
  /// The C library functions the code calls and the bytes each adds, by name.
  std::vector<std::pair<std::string, int64_t>> libraryFunctions;
  int64_t libraryBytes = 0;
  /// Bytes of weights the C stores (NAME_WEIGHTS_SIZE).
  int64_t weightsBytes = 0;

  int64_t codeBytes() const { return modelBytes + libraryBytes; }
};

/// Bytes of stack NAME_run needs with its deepest kernel and C library call:
/// a constant (docs/report.md).
constexpr int64_t kEstimatedStackBytes = 512;

/// Estimates the code \p plan compiles to. Fails where the C emitter would
/// (an operator without a C kernel, inputs and outputs outside the arena),
/// with the emitter's message. \p emitOptions choose the kernels (their
/// name, weights and file options are not used).
absl::StatusOr<CodeSizeEstimate> estimateCodeSize(const GraphPlan &plan,
                                                  const CEmitOptions &emitOptions = {});

/// Tokens of C source \p text, comments excluded (exposed for tests).
int64_t countCTokens(llvm::StringRef text);

} // namespace tinyplan

#endif
