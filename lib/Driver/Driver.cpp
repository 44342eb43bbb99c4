//===- Driver.cpp - The tinyplan pipeline behind the command line ---------===//
//
// Import, the transform pipeline, then whatever --emit asks for: the IR, the cost summary, the
// liveness analysis or the arena plan (which runs the scheduler, the liveness
// analysis over the order it chose, then the packers).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Driver/Driver.h"
#include "tinyplan/Analysis/Cost.h"
#include "tinyplan/Import/Importer.h"
#include "tinyplan/Planning/GraphPlanner.h"
#include "tinyplan/Support/FileOutput.h"
#include "tinyplan/Support/Status.h"
#include "tinyplan/Transforms/Passes.h"

#include "absl/strings/numbers.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace tinyplan {

absl::StatusOr<std::pair<std::string, int64_t>> parseDimOption(const std::string &text) {
  size_t equals = text.find('=');
  int64_t value;
  if (equals == std::string::npos || equals == 0 ||
      !absl::SimpleAtoi(text.substr(equals + 1), &value) || value <= 0)
    return absl::InvalidArgumentError(
        absl::StrCat("--dim expects NAME=VALUE with a positive integer VALUE, got '",
                     text, "'"));
  return std::make_pair(text.substr(0, equals), value);
}

absl::StatusOr<PackStrategy> parsePackerOption(const std::string &name) {
  if (std::optional<PackStrategy> strategy = parsePackStrategy(name))
    return *strategy;
  return absl::InvalidArgumentError(absl::StrCat(
      "--packer expects auto, exact, greedy-size, best-fit, greedy-conflicts, "
      "greedy-breadth or linear, got '", name, "'"));
}

absl::StatusOr<ScheduleMethod> parseScheduleOption(const std::string &name) {
  if (std::optional<ScheduleMethod> method = parseScheduleMethod(name))
    return *method;
  return absl::InvalidArgumentError(absl::StrCat(
      "--schedule expects auto, exact, heuristic, file or rpo, got '", name, "'"));
}

absl::Status checkScheduleBudgetOption(int64_t budget) {
  if (budget < 0)
    return absl::InvalidArgumentError(
        absl::StrCat("--schedule-budget expects a count of search states >= 0, got ",
                     budget));
  return absl::OkStatus();
}

absl::Status checkAlignOption(int64_t align) {
  if (align < 1 || (align & (align - 1)) != 0)
    return absl::InvalidArgumentError(
        absl::StrCat("--align expects a power of two, got ", align));
  return absl::OkStatus();
}

absl::Status checkSearchBudgetOption(int64_t budget) {
  if (budget < 0)
    return absl::InvalidArgumentError(
        absl::StrCat("--search-budget expects a count of search nodes >= 0, got ",
                     budget));
  return absl::OkStatus();
}

absl::Status checkPassesOption(const std::string &passes) {
  absl::StatusOr<PassPipeline> pipeline = buildPipeline(passes);
  if (!pipeline.ok())
    return absl::InvalidArgumentError(
        absl::StrCat("--passes: ", pipeline.status().message()));
  return absl::OkStatus();
}

/// Chooses the operator order the options ask for into \p schedule and
/// analyses the liveness over it.
static absl::StatusOr<Liveness> scheduleAndAnalyse(const Graph &graph,
                                                   const DriverOptions &options,
                                                   Schedule &schedule) {
  ScheduleOptions scheduleOptions = options.schedule;
  scheduleOptions.pack = options.pack;
  TP_ASSIGN_OR_RETURN(schedule, scheduleGraph(graph, options.liveness, scheduleOptions));
  return Liveness::compute(graph, schedule.order, options.liveness, schedule.method);
}

/// Plans \p graph and writes model.c, model.h and the weights file, all or
/// none of them.
static absl::Status writeC(const Graph &graph, const DriverOptions &options) {
  if (options.outputPath == "-" || options.outputPath.empty())
    return absl::InvalidArgumentError("C output needs a file: -o model.c");
  llvm::StringRef source = options.outputPath;
  std::string header = options.headerPath;
  if (header.empty()) {
    llvm::SmallString<128> path(source);
    llvm::sys::path::replace_extension(path, ".h");
    header = std::string(path);
  }
  CEmitOptions emitOptions;
  emitOptions.name = options.cName.empty()
                         ? sanitizeCIdentifier(llvm::sys::path::stem(source))
                         : options.cName;
  emitOptions.headerInclude = std::string(llvm::sys::path::filename(header));
  emitOptions.arena = options.arena;
  emitOptions.separateWeights = !options.weightsPath.empty();
  emitOptions.sourceName = std::string(llvm::sys::path::filename(options.inputPath));

  Schedule schedule;
  TP_ASSIGN_OR_RETURN(Liveness liveness, scheduleAndAnalyse(graph, options, schedule));
  TP_ASSIGN_OR_RETURN(GraphPlan plan, GraphPlan::build(liveness, options.pack));
  TP_ASSIGN_OR_RETURN(CFiles files, emitCFiles(plan, emitOptions));

  std::vector<std::pair<std::string, const std::string *>> writes = {
      {header, &files.header}, {std::string(source), &files.source}};
  if (emitOptions.separateWeights)
    writes.push_back({options.weightsPath, &files.weights});
  for (size_t i = 0; i < writes.size(); ++i) {
    absl::Status status = writeFileAtomically(writes[i].first, *writes[i].second);
    if (!status.ok()) {
      // All or nothing: take back the files already written.
      for (size_t j = 0; j < i; ++j)
        llvm::sys::fs::remove(writes[j].first);
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status runDriver(const DriverOptions &options) {
  ImportOptions importOptions;
  importOptions.dims = options.dims;
  importOptions.warn = options.warn;
  TP_ASSIGN_OR_RETURN(std::unique_ptr<Graph> graph,
                      importModelFile(options.inputPath, importOptions));
  TP_ASSIGN_OR_RETURN(PassPipeline pipeline,
                      options.passes ? buildPipeline(*options.passes)
                                     : absl::StatusOr<PassPipeline>(buildDefaultPipeline()));
  PipelineOptions pipelineOptions;
  pipelineOptions.printAfterAll = options.printAfterAll;
  TP_RETURN_IF_ERROR(pipeline.run(*graph, pipelineOptions));

  if (options.emit == EmitKind::C)
    return writeC(*graph, options);

  std::string output;
  llvm::raw_string_ostream os(output);
  switch (options.emit) {
  case EmitKind::C:
    break;
  case EmitKind::IR:
    graph->print(os);
    break;
  case EmitKind::Summary:
    CostAnalysis(*graph).print(os);
    break;
  case EmitKind::Liveness:
  case EmitKind::Plan:
  case EmitKind::PlanAscii: {
    Schedule schedule;
    TP_ASSIGN_OR_RETURN(Liveness liveness, scheduleAndAnalyse(*graph, options, schedule));
    if (options.emit == EmitKind::Liveness) {
      liveness.print(os);
      break;
    }
    TP_ASSIGN_OR_RETURN(GraphPlan plan, GraphPlan::build(liveness, options.pack));
    plan.setSchedule(std::move(schedule));
    if (options.emit == EmitKind::Plan)
      plan.print(os);
    else
      plan.printAscii(os);
    break;
  }
  }
  return writeFileAtomically(options.outputPath, output);
}

} // namespace tinyplan
