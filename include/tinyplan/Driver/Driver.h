//===- Driver.h - The tinyplan pipeline behind the command line -*- C++ -*-===//
//
// Everything `tinyplan` does between parsing its options and exiting, as a
// library call the tests can make too.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_DRIVER_DRIVER_H
#define TINYPLAN_DRIVER_DRIVER_H

#include "tinyplan/Analysis/Liveness.h"
#include "tinyplan/CodeGen/CEmitter.h"
#include "tinyplan/Planning/Packers.h"
#include "tinyplan/Planning/Scheduler.h"
#include "absl/status/statusor.h"
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace tinyplan {

enum class EmitKind {
  /// The IR after import, inference and the transform pipeline.
  IR,
  /// Per-node parameters, MACs and output bytes, with totals.
  Summary,
  /// Every value's bytes, lifetime and placement; the buffers.
  Liveness,
  /// The arena plan: offsets, lifetimes and placement of every value.
  Plan,
  /// The arena plan as a timeline picture.
  PlanAscii,
  /// model.c and model.h (docs/generated-c.md).
  C,
};

struct DriverOptions {
  std::string inputPath;
  /// "-" writes to standard output.
  std::string outputPath = "-";
  EmitKind emit = EmitKind::IR;
  std::map<std::string, int64_t> dims;
  /// The passes run between import and everything else, comma-separated
  /// (see Transforms/Passes.h); nullopt runs the default pipeline, ""
  /// none (the IR exactly as imported).
  std::optional<std::string> passes;
  /// Where to print the IR after each pass (`--print-after-all`), or null.
  llvm::raw_ostream *printAfterAll = nullptr;
  /// Views, in-place reuse, concat slices, I/O in the arena, alignment.
  LivenessOptions liveness;
  /// Packing strategy and search budget.
  PackOptions pack;
  /// How the operator order is chosen (its `pack` is taken from above).
  ScheduleOptions schedule;
  std::function<void(const std::string &)> warn;
  /// For EmitKind::C: the header's path ("" = outputPath with .h), the
  /// weights file ("" = inside outputPath), the symbol prefix ("" = the
  /// output's stem) and where the arena lives.
  std::string headerPath;
  std::string weightsPath;
  std::string cName;
  ArenaMode arena = ArenaMode::Static;
};

/// Parses one `--dim NAME=VALUE` argument (a usage error when malformed).
absl::StatusOr<std::pair<std::string, int64_t>> parseDimOption(const std::string &text);

/// Parses `--packer NAME` (a usage error when unknown).
absl::StatusOr<PackStrategy> parsePackerOption(const std::string &name);

/// Parses `--schedule NAME` (a usage error when unknown).
absl::StatusOr<ScheduleMethod> parseScheduleOption(const std::string &name);

/// Checks `--schedule-budget N`: not negative (a usage error otherwise).
absl::Status checkScheduleBudgetOption(int64_t budget);

/// Checks `--align N`: a power of two (a usage error otherwise).
absl::Status checkAlignOption(int64_t align);

/// Checks `--search-budget N`: not negative (a usage error otherwise).
absl::Status checkSearchBudgetOption(int64_t budget);

/// Checks `--passes LIST`: every name is a pass (a usage error otherwise).
absl::Status checkPassesOption(const std::string &passes);

/// Imports, verifies, runs the passes and writes the requested output. On error nothing is
/// written; the message does not yet name the input file.
absl::Status runDriver(const DriverOptions &options);

} // namespace tinyplan

#endif
