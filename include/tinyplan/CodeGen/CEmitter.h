//===- CEmitter.h - model.c and model.h from a planned graph ----*- C++ -*-===//
//
// Turns a graph and its arena plan into C99: a header with the model's
// macros, run function and I/O accessors, a source file with the arena, the
// weights as exact static const arrays, the kernels the model uses and one
// commented kernel call per node (each written by the implementation the
// kernel registry, KernelRegistry.h, chooses for the node and the CPU).
// docs/generated-c.md is the contract.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_CEMITTER_H
#define TINYPLAN_CODEGEN_CEMITTER_H

#include "tinyplan/CodeGen/Cpu.h"
#include "tinyplan/Planning/GraphPlanner.h"
#include "absl/status/statusor.h"
#include <string>
#include <vector>

namespace tinyplan {

/// Where the arena lives.
enum class ArenaMode {
  /// A static array inside model.c.
  Static,
  /// The caller passes it to NAME_run and the accessors.
  User,
};

struct CEmitOptions {
  /// Prefix of every exported symbol; its upper-case form prefixes macros.
  std::string name = "model";
  /// How model.c includes the header: `#include "<headerInclude>"`.
  std::string headerInclude = "model.h";
  ArenaMode arena = ArenaMode::Static;
  /// Put the weights in their own translation unit (CFiles::weights).
  bool separateWeights = false;
  /// Named in the banner comment of every file.
  std::string sourceName;
  /// False: the weights are declared `extern`, never written out (and not
  /// limited in size), for looking at the code alone (CodeSize.h).
  bool defineWeights = true;
  /// The core the C is for: the kernel registry's choice of implementation.
  Cpu cpu = Cpu::Generic;
};

struct CFiles {
  std::string header;
  std::string source;
  /// Empty unless separateWeights.
  std::string weights;
  /// Pieces of `source`: each kernel definition once, and the statements of
  /// NAME_run (comments included).
  std::vector<std::string> kernels;
  std::string runBody;
  /// Bytes of the weights the C stores (NAME_WEIGHTS_SIZE): the constants a
  /// kernel call or output copy reads.
  int64_t weightsBytes = 0;
};

/// Writes the C for \p plan's graph. Errors name the node whose op has no
/// kernel (or an unsupported variant of it).
absl::StatusOr<CFiles> emitCFiles(const GraphPlan &plan, const CEmitOptions &options);

/// A C identifier from a file stem: characters other than letters, digits
/// and '_' become '_', and a leading digit gets a "m_" prefix.
std::string sanitizeCIdentifier(llvm::StringRef text);

/// Whether \p text is usable as --name: a C identifier.
bool isCIdentifier(llvm::StringRef text);

} // namespace tinyplan

#endif
