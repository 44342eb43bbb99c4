//===- ModelReport.h - What a model costs and whether it fits ---*- C++ -*-===//
//
// A view of what the pipeline already computed: the per-node cost
// (Analysis/Cost), the arena plan (Planning) and the code-size estimate
// (CodeGen/CodeSize), with a verdict against a memory budget. Built once,
// then printed as text (`--report`), JSON (`--report-json`, schema in
// docs/report.md), an SVG picture of the plan (`--plan-svg`) or one HTML
// page with all of them (`--report-html`).
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_REPORT_MODELREPORT_H
#define TINYPLAN_REPORT_MODELREPORT_H

#include "tinyplan/Analysis/Cost.h"
#include "tinyplan/CodeGen/CodeSize.h"
#include "tinyplan/Planning/GraphPlanner.h"
#include "tinyplan/Report/Targets.h"
#include "absl/status/statusor.h"
#include <optional>
#include <string>
#include <vector>

namespace tinyplan {

/// RAM and flash to check against: a target's, or budgets given directly
/// (which override the target's).
struct MemoryBudget {
  /// Null when only budgets were given.
  const McuTarget *target = nullptr;
  std::optional<int64_t> ramBytes;
  std::optional<int64_t> flashBytes;
  /// The largest contiguous RAM block (the target's), when known.
  std::optional<int64_t> largestRamBlock;
};

/// A first stage computed patch by patch (--patches).
struct PatchSummary {
  /// The node that ends the stage, n (n x n patches), the stage's nodes.
  std::string until;
  int64_t patches = 0;
  int64_t stageNodes = 0;
  /// The model's MACs without and with patches.
  int64_t macsBefore = 0, macsAfter = 0;
  /// The arena planned without patches.
  int64_t arenaWithout = 0;
  /// The nodes of each patch, patch by patch (the plan picture's loop).
  std::vector<std::vector<std::string>> patchNodes;
};

/// One line on \p patches: the stage, n, the arena with and without, the
/// MACs the halos add.
std::string patchSummaryText(const PatchSummary &patches);

struct ReportOptions {
  /// The model file as the user named it.
  std::string modelFile;
  std::optional<MemoryBudget> budget;
  /// Stack the RAM verdict counts (kEstimatedStackBytes unless overridden).
  int64_t stackBytes = kEstimatedStackBytes;
  /// When the model does not fit: what would make it fit, each measured
  /// (the driver plans them; printed under the verdict).
  std::vector<std::string> fitSuggestions;
  /// The patches the plan has, when it has them.
  std::optional<PatchSummary> patches;
};

/// One row of the per-layer table: a graph input or a node, in schedule order.
struct LayerRow {
  /// -1 for a graph input.
  int64_t step = -1;
  std::string name;
  /// The op type, "+Activation" when one is fused ("Conv+Relu"); "Input".
  std::string op;
  /// Result types, space-separated ("f32[1,6,28,28]").
  std::string output;
  int64_t params = 0;
  int64_t macs = 0;
  /// Bytes of the distinct constant operands that are not int64 (shape and
  /// axis operands are int64 and become kernel arguments, not arrays).
  int64_t weightBytes = 0;
  /// Bytes of the results (the feature map).
  int64_t activationBytes = 0;
  /// [arenaBegin, arenaEnd) of result 0; nullopt outside the arena.
  std::optional<int64_t> arenaBegin, arenaEnd;
  /// How result 0 got its bytes, as the plan prints it ("view of %x",
  /// "in place of %x", "slice of %c +64"); "" for its own bytes,
  /// "caller-owned" outside the arena.
  std::string placement;
  /// Why the QDQ group around this float op stays in float (the fuse-qdq
  /// pass's qdq_unfused attribute); "" otherwise.
  std::string qdqUnfused;
};

struct ReportTotals {
  int64_t params = 0;
  int64_t macs = 0;
  /// Bytes of weights in flash: what the C stores (NAME_WEIGHTS_SIZE), or
  /// every constant when there is no C estimate.
  int64_t weightBytes = 0;
  int64_t arena = 0;
  /// No plan, in any order and with any aliasing, is smaller (anyPlanBound);
  /// provenOptimal: the arena reaches it.
  int64_t lowerBound = 0;
  bool provenOptimal = false;
  /// The bound for this plan's order and aliasing (the most bytes live at
  /// one step), and whether the packing reaches it.
  int64_t packingBound = 0;
  bool packingOptimal = false;
  /// Every non-constant value in a buffer of its own, aligned: the arena
  /// without any reuse (no views, in-place or slices either).
  int64_t noReuse = 0;
  int64_t inputBytes = 0;
  int64_t outputBytes = 0;
  bool ioInArena = true;
  /// The first step with the most live bytes, its node and bytes, and the
  /// buffers live then (ids into the liveness buffers, by offset).
  int64_t peakStep = 0;
  int64_t peakBytes = 0;
  std::vector<unsigned> peakBuffers;
};

struct Verdict {
  MemoryBudget budget;
  int64_t stackBytes = 0;
  int64_t arenaBytes = 0;
  /// Arena + stack (+ inputs and outputs when they are outside the arena).
  int64_t ramNeeded = 0;
  /// Weights + code (the code only when it could be estimated).
  int64_t flashNeeded = 0;
  bool codeEstimated = false;
  /// RAM if the weights had to be held in RAM too.
  int64_t ramWithWeights = 0;
  bool fitsRam = true;
  bool fitsBlock = true;
  bool fitsFlash = true;
  bool fits() const { return fitsRam && fitsBlock && fitsFlash; }
  /// "STM32F469 (384 KB RAM, 2 MB flash)" or "256 KB RAM".
  std::string budgetName() const;
  /// Why it does not fit, with how far over: the `--fail-if-over` error.
  std::string overMessage() const;
};

class ModelReport {
public:
  /// \p plan and \p cost must outlive the report. \p code is the estimate or
  /// why there is none.
  static ModelReport build(const GraphPlan &plan, const CostAnalysis &cost,
                           absl::StatusOr<CodeSizeEstimate> code, ReportOptions options);

  const GraphPlan &plan() const { return *plan_; }
  const ReportOptions &options() const { return options_; }
  const ReportTotals &totals() const { return totals_; }
  /// The estimate, or why there is none.
  const absl::StatusOr<CodeSizeEstimate> &code() const { return code_; }
  /// Present when a budget was given.
  const std::optional<Verdict> &verdict() const { return verdict_; }
  /// Graph inputs, then nodes in schedule order.
  const std::vector<LayerRow> &layers() const { return layers_; }

  /// The per-layer table, the totals and the verdict.
  void printText(llvm::raw_ostream &os) const;
  /// The same as one JSON object (schema "tinyplan-report/1", docs/report.md).
  void printJson(llvm::raw_ostream &os) const;
  /// The plan as an SVG picture: x = step, y = arena offset, one rectangle
  /// per arena buffer, the lower bound and arena lines, the peak step.
  void printSvg(llvm::raw_ostream &os) const;
  /// One self-contained HTML page: verdict, totals, picture and table.
  void printHtml(llvm::raw_ostream &os) const;

  /// "%tanh1" plus " = %flatten" for the values sharing the buffer.
  std::string bufferLabel(unsigned bufferId) const;

private:
  ModelReport() = default;

  const GraphPlan *plan_ = nullptr;
  const CostAnalysis *cost_ = nullptr;
  absl::StatusOr<CodeSizeEstimate> code_ = absl::UnknownError("not estimated");
  ReportOptions options_;
  ReportTotals totals_;
  std::optional<Verdict> verdict_;
  std::vector<LayerRow> layers_;
};

} // namespace tinyplan

#endif
