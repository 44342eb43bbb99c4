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
#include "tinyplan/Report/ModelReport.h"
#include "tinyplan/Planning/Scheduler.h"
#include "absl/status/statusor.h"
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

/// `--patches`, `--patch-until`, `--max-recompute`: whether the first stage
/// runs patch by patch (Transforms/Patches.h).
struct PatchOptions {
  enum class Mode {
    Off,
    /// The stage end and n with the smallest arena, the extra MACs within
    /// maxRecompute (and the stage ending at `until` when given); none
    /// when no split makes the arena smaller.
    Auto,
    /// n x n patches up to `until`.
    Manual,
  };
  Mode mode = Mode::Off;
  int64_t patches = 0;
  std::string until;
  /// Percent of the model's MACs Auto may add.
  double maxRecompute = 10;
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
  /// `--weights-blob`: the weights as a binary file ("" = in C arrays).
  std::string weightsBlobPath;
  std::string cName;
  ArenaMode arena = ArenaMode::Static;
  /// The core the kernels are for (`--cpu`, or the core of `--target`).
  Cpu cpu = Cpu::Generic;
  /// `--conv`: the Conv implementation. Auto takes im2col for a layer where
  /// its rule says it is faster, and only while the arena (its scratch
  /// included) stays within the budget minus the stack, or without a
  /// budget, does not grow.
  ConvMethod conv = ConvMethod::Auto;
  /// `--layout`: channels-first or channels-last tensors (Layout.h).
  LayoutMode layout = LayoutMode::Auto;
  /// `--requant`: float (ONNX Runtime's bits) or fixed-point requantization.
  Requant requant = Requant::Float;
  /// `--qconv-weights`: int8 or int16 weights of the blocked QLinearConv.
  QconvWeights qconvWeights = QconvWeights::Auto;
  /// `--check-arena`: C that checks the plan at run time (CEmitOptions).
  bool checkArena = false;
  /// `--check-writers`: C that declares every node's bytes to a
  /// last-writer record (CEmitOptions).
  bool checkWriters = false;
  PatchOptions patches;
  /// `--io-layout=nhwc`: the caller's 4-D inputs and outputs are
  /// channels-last.
  bool ioChannelsLast = false;
  /// `--quantized-io`: integer inputs and outputs where the model
  /// quantizes and dequantizes them (Transforms/QuantizedIO.h).
  bool quantizedIO = false;

  /// False when only reports were asked for: no `emit` output then.
  bool writeMainOutput = true;
  /// The text report to standard output (`--report`), after the main output.
  bool reportText = false;
  /// Report files ("" = none): JSON, the plan picture, the HTML page.
  std::string reportJsonPath;
  std::string planSvgPath;
  std::string reportHtmlPath;
  /// What the verdict checks against (`--target`, `--ram-budget`, ...).
  std::optional<MemoryBudget> budget;
  /// `--ram-regions`: the RAM regions the arena goes in, whole or split
  /// (GraphPlan::placeInRegions), each part its own C array. Without it, the
  /// target's regions are used only when the arena fits none of them whole.
  std::optional<std::vector<RamRegion>> ramRegions;
  /// A verdict of "does not fit" is an error (isDoesNotFit) and no file is
  /// written; the text report is still printed.
  bool failIfOver = false;
  int64_t stackBytes = kEstimatedStackBytes;
};

/// Parses one `--dim NAME=VALUE` argument (a usage error when malformed).
absl::StatusOr<std::pair<std::string, int64_t>> parseDimOption(const std::string &text);

/// Parses `--ram-regions`: a list (parseRamRegions) or `target`, the
/// regions of \p budget's target; a usage error when malformed or when
/// `target` names no target.
absl::StatusOr<std::vector<RamRegion>>
parseRamRegionsOption(const std::string &text, const std::optional<MemoryBudget> &budget);

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

/// The budget of `--target NAME` (null: none) with `--ram-budget` and
/// `--flash-budget` (empty: none) overriding its figures; nullopt when none
/// of them is given. A usage error for an unknown target or a bad size.
absl::StatusOr<std::optional<MemoryBudget>>
parseBudgetOptions(const std::string &target, const std::string &ramBudget,
                   const std::string &flashBudget);

/// The CPU the C is for: \p cpu (`--cpu`; nullopt when not given), else
/// the core of \p target (`--target`; null when not given), else generic.
/// A usage error when \p cpu names another core than the target's; generic,
/// the portable C, goes with any target.
absl::StatusOr<Cpu> resolveCpuOption(std::optional<Cpu> cpu, const McuTarget *target);

/// The `--target` table: name, part, core, RAM, largest block, flash.
void printTargets(llvm::raw_ostream &os);

/// One output of a run: the file it goes to ("-": standard output) and its
/// bytes.
struct DriverOutput {
  std::string path;
  std::string contents;
};

/// Everything runDriver does after the import, in memory: runs the passes
/// on \p graph, plans it and returns the requested output and reports
/// without writing any file (options.inputPath only names the model in the
/// C and the reports). The fuzzer drives the whole pipeline through this.
absl::StatusOr<std::vector<DriverOutput>> compileGraph(Graph &graph,
                                                       const DriverOptions &options);

/// Imports, verifies, runs the passes and writes the requested output and
/// reports. On error nothing is written; the message does not yet name the
/// input file. A model over its budget with failIfOver gives an error for
/// which isDoesNotFit holds.
absl::Status runDriver(const DriverOptions &options);

/// Whether \p status is runDriver's "does not fit the budget" error (exit 3).
bool isDoesNotFit(const absl::Status &status);

} // namespace tinyplan

#endif
