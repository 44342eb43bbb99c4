//===- Driver.cpp - The tinyplan pipeline behind the command line ---------===//
//
// Import, the transform pipeline, then whatever --emit asks for: the IR, the cost summary, the
// liveness analysis, the arena plan (which runs the scheduler, the liveness
// analysis over the order it chose, then the packers) or the C; and the
// reports (lib/Report) over the same plan.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Driver/Driver.h"
#include "tinyplan/Analysis/Cost.h"
#include "tinyplan/CodeGen/CodeSize.h"
#include "tinyplan/Import/Importer.h"
#include "tinyplan/Planning/PlanSearch.h"
#include "tinyplan/Support/FileOutput.h"
#include "tinyplan/Support/Status.h"
#include "tinyplan/Transforms/Passes.h"
#include "tinyplan/Transforms/Patches.h"
#include "tinyplan/Transforms/QuantizedIO.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <deque>

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
      "greedy-breadth, greedy-overlap or linear, got '", name, "'"));
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

absl::StatusOr<std::optional<MemoryBudget>>
parseBudgetOptions(const std::string &target, const std::string &ramBudget,
                   const std::string &flashBudget) {
  if (target.empty() && ramBudget.empty() && flashBudget.empty())
    return std::optional<MemoryBudget>();
  MemoryBudget budget;
  if (!target.empty()) {
    budget.target = findMcuTarget(target);
    if (!budget.target) {
      std::vector<std::string> names;
      for (const McuTarget &known : mcuTargets())
        names.push_back(known.name.str());
      return absl::InvalidArgumentError(absl::StrCat("--target: unknown target '", target,
                                                     "' (known: ", absl::StrJoin(names, ", "),
                                                     "; --list-targets shows them)"));
    }
    budget.ramBytes = budget.target->ramBytes;
    budget.flashBytes = budget.target->flashBytes;
    budget.largestRamBlock = budget.target->largestRamBlock;
  }
  for (auto [flag, text, field] :
       {std::make_tuple("--ram-budget", &ramBudget, &budget.ramBytes),
        std::make_tuple("--flash-budget", &flashBudget, &budget.flashBytes)}) {
    if (text->empty())
      continue;
    absl::StatusOr<int64_t> bytes = parseByteSize(*text);
    if (!bytes.ok())
      return absl::InvalidArgumentError(absl::StrCat(flag, ": ", bytes.status().message()));
    *field = *bytes;
  }
  // A RAM budget of one's own has no known block structure.
  if (!ramBudget.empty())
    budget.largestRamBlock.reset();
  return std::optional<MemoryBudget>(budget);
}

absl::StatusOr<Cpu> resolveCpuOption(std::optional<Cpu> cpu, const McuTarget *target) {
  if (!target)
    return cpu.value_or(Cpu::Generic);
  // Every listed target maps (TargetsTest); generic is the safe reading.
  Cpu implied = mcuTargetCpu(*target).value_or(Cpu::Generic);
  if (!cpu || *cpu == implied || *cpu == Cpu::Generic)
    return cpu.value_or(implied);
  llvm::StringRef core = mcuCoreName(*target);
  bool vowel = !core.empty() && llvm::StringRef("AEIOUX").contains(llvm::toUpper(core[0]));
  return absl::InvalidArgumentError(absl::StrCat("--cpu=", cpuName(*cpu).str(),
                                                 " contradicts --target ", target->name.str(),
                                                 " (", vowel ? "an " : "a ", core.str(), ")"));
}

void printTargets(llvm::raw_ostream &os) {
  os << llvm::left_justify("target", 12) << llvm::left_justify("part", 32)
     << llvm::left_justify("core", 24) << llvm::right_justify("RAM", 9)
     << llvm::right_justify("block", 9) << llvm::right_justify("flash", 9) << '\n';
  for (const McuTarget &t : mcuTargets()) {
    os << llvm::left_justify(t.name, 12) << llvm::left_justify(t.part, 32)
       << llvm::left_justify(t.core, 24) << llvm::right_justify(formatByteSize(t.ramBytes), 9)
       << llvm::right_justify(formatByteSize(t.largestRamBlock), 9)
       << llvm::right_justify(formatByteSize(t.flashBytes), 9);
    if (!t.flashNote.empty())
      os << "  (" << t.flashNote << ")";
    os << '\n';
  }
}

bool isDoesNotFit(const absl::Status &status) {
  return status.code() == absl::StatusCode::kResourceExhausted;
}

namespace {

using OutputFile = DriverOutput;

/// Writes the files all or none, then what goes to standard output.
absl::Status writeOutputs(const std::vector<OutputFile> &outputs) {
  std::vector<const OutputFile *> written;
  for (const OutputFile &file : outputs) {
    if (file.path == "-")
      continue;
    absl::Status status = writeFileAtomically(file.path, file.contents);
    if (!status.ok()) {
      // All or nothing: take back the files already written.
      for (const OutputFile *done : written)
        llvm::sys::fs::remove(done->path);
      return status;
    }
    written.push_back(&file);
  }
  for (const OutputFile &file : outputs)
    if (file.path == "-")
      TP_RETURN_IF_ERROR(writeFileAtomically("-", file.contents));
  return absl::OkStatus();
}

} // namespace

absl::StatusOr<std::vector<RamRegion>>
parseRamRegionsOption(const std::string &text, const std::optional<MemoryBudget> &budget) {
  if (text != "target")
    return parseRamRegions(text);
  if (!budget || !budget->target)
    return absl::InvalidArgumentError("--ram-regions=target needs --target");
  return budget->target->regions;
}

/// What the planner needs of \p regions (GraphPlan::placeInRegions).
static std::vector<ArenaRegion> arenaRegions(llvm::ArrayRef<RamRegion> regions) {
  std::vector<ArenaRegion> result;
  for (const RamRegion &region : regions)
    result.push_back({region.name, region.size, region.fast});
  return result;
}

/// Puts \p plan's arena in the RAM regions: those of --ram-regions, or the
/// target's when the arena is larger than its largest block. A plan that
/// fits no region whole and cannot be split stays one arena, and the
/// verdict says it does not fit.
static absl::Status placeInRegions(GraphPlan &plan, const DriverOptions &options) {
  const std::vector<RamRegion> *regions = nullptr;
  if (options.ramRegions)
    regions = &*options.ramRegions;
  else if (options.budget && options.budget->target && options.budget->largestRamBlock &&
           plan.arena() > *options.budget->largestRamBlock &&
           options.budget->target->regions.size() > 1)
    regions = &options.budget->target->regions;
  if (!regions)
    return absl::OkStatus();
  TP_ASSIGN_OR_RETURN(bool placed, plan.placeInRegions(arenaRegions(*regions)));
  if (!placed) {
    if (options.ramRegions)
      return modelError("the arena (", plan.arena(),
                        " B) fits none of the --ram-regions, whole or split");
    return absl::OkStatus();
  }
  if (options.warn && !options.ramRegions && options.emit == EmitKind::C &&
      options.writeMainOutput) {
    std::vector<std::string> sections;
    for (const RegionUse &use : plan.regions())
      sections.push_back(absl::StrCat(".", use.region.name, "_arena"));
    options.warn(absl::StrCat("the arena (", plan.wholeArena(), " B) fits only split across ",
                              options.budget->target->name.str(),
                              "'s RAM regions: the linker script must place the sections ",
                              absl::StrJoin(sections, ", "), " (docs/cmake.md)"));
  }
  return absl::OkStatus();
}

/// Chooses the operator order and the aliasing, and packs the arena, with
/// \p liveness (the options' plus the kernels' scratch).
static absl::StatusOr<PlannedGraph> planWith(const Graph &graph, const DriverOptions &options,
                                             const LivenessOptions &liveness) {
  ScheduleOptions scheduleOptions = options.schedule;
  scheduleOptions.pack = options.pack;
  return planGraph(graph, liveness, scheduleOptions);
}

/// The kernel options of \p options (everything but file names).
static CEmitOptions kernelOptions(const DriverOptions &options) {
  CEmitOptions emitOptions;
  emitOptions.conv = options.conv;
  emitOptions.requant = options.requant;
  emitOptions.qconvWeights = options.qconvWeights;
  emitOptions.checkArena = options.checkArena;
  emitOptions.checkWriters = options.checkWriters;
  return emitOptions;
}

/// The plans made while the kernels and layouts of one graph are chosen,
/// by what decides them: the kernels' scratch and overlaps, and the
/// schedule method. A choice reached twice (the faster kernels that fit at
/// once, the layouts a trial keeps) is planned once, and the final plan is
/// the one already made.
class PlanCache {
public:
  /// The plan of \p graph with the kernels \p kernels choose.
  absl::StatusOr<PlannedGraph *> plan(const Graph &graph, const DriverOptions &options,
                                      const CEmitOptions &kernels) {
    Entry entry;
    entry.method = options.schedule.method;
    LivenessOptions livenessOptions = options.liveness;
    setKernelMemory(livenessOptions, graph, kernels);
    entry.scratch = livenessOptions.kernelScratch;
    entry.overlap = livenessOptions.kernelOverlap;
    for (Entry &known : entries_)
      if (sameKey(known, entry))
        return &known.planned;
    TP_ASSIGN_OR_RETURN(entry.planned, planWith(graph, options, livenessOptions));
    entries_.push_back(std::move(entry));
    return &entries_.back().planned;
  }
  /// plan, moved out of the cache.
  absl::StatusOr<PlannedGraph> take(const Graph &graph, const DriverOptions &options,
                                    const CEmitOptions &kernels) {
    TP_ASSIGN_OR_RETURN(PlannedGraph *planned, plan(graph, options, kernels));
    return std::move(*planned);
  }

private:
  struct Entry {
    ScheduleMethod method;
    std::vector<int64_t> scratch;
    std::vector<std::optional<KernelOverlap>> overlap;
    PlannedGraph planned;
  };
  static bool sameKey(const Entry &a, const Entry &b) {
    auto sameOverlap = [](const std::optional<KernelOverlap> &x,
                          const std::optional<KernelOverlap> &y) {
      return x.has_value() == y.has_value() &&
             (!x || (x->operand == y->operand && x->distance == y->distance &&
                     x->exact == y->exact));
    };
    return a.method == b.method && a.scratch == b.scratch &&
           std::equal(a.overlap.begin(), a.overlap.end(), b.overlap.begin(), b.overlap.end(),
                      sameOverlap);
  }
  // A deque keeps the plans handed out in place as more are added.
  std::deque<Entry> entries_;
};

/// The arena of \p graph planned with the kernels \p kernels choose.
static absl::StatusOr<int64_t> plannedArena(PlanCache &cache, const Graph &graph,
                                            const DriverOptions &options,
                                            const CEmitOptions &kernels) {
  TP_ASSIGN_OR_RETURN(PlannedGraph *planned, cache.plan(graph, options, kernels));
  return planned->plan->arena();
}

/// For --conv=auto: keeps on the default kernel (\p choice.keepDefault)
/// the nodes whose faster kernel would take the arena past the limit: the
/// budget minus the stack (and the largest RAM block) when there is a
/// budget, else the arena with default kernels everywhere. Nodes are given
/// up largest scratch first, replanning after each (at most 8 plans; then
/// all the rest at once).
static absl::Status fitAutoKernels(PlanCache &cache, const Graph &graph,
                                   const DriverOptions &options, CEmitOptions &choice) {
  std::vector<int64_t> scratch = kernelScratchBytes(graph, choice);
  std::vector<unsigned> candidates;
  for (unsigned id = 0; id < scratch.size(); ++id)
    if (scratch[id] > 0)
      candidates.push_back(id);
  if (candidates.empty())
    return absl::OkStatus();
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](unsigned a, unsigned b) { return scratch[a] > scratch[b]; });
  CEmitOptions direct = choice;
  direct.conv = ConvMethod::Direct;
  std::optional<int64_t> limit;
  if (options.budget && options.budget->ramBytes)
    limit = *options.budget->ramBytes - options.stackBytes;
  if (options.budget && options.budget->largestRamBlock)
    limit = std::min(limit.value_or(*options.budget->largestRamBlock),
                     *options.budget->largestRamBlock);
  if (!limit) {
    TP_ASSIGN_OR_RETURN(int64_t base,
                        plannedArena(cache, graph, options, direct));
    limit = base;
  }
  choice.keepDefault.assign(graph.numNodes(), false);
  // Each try plans the whole graph: past a few, every remaining candidate
  // is given up at once.
  constexpr size_t kMaxTries = 8;
  for (size_t dropped = 0;; ++dropped) {
    if (dropped == kMaxTries) {
      for (size_t i = dropped; i < candidates.size(); ++i)
        choice.keepDefault[candidates[i]] = true;
      return absl::OkStatus();
    }
    TP_ASSIGN_OR_RETURN(int64_t arena,
                        plannedArena(cache, graph, options, choice));
    if (arena <= *limit || dropped == candidates.size())
      return absl::OkStatus();
    choice.keepDefault[candidates[dropped]] = true;
  }
}

/// Takes the pixels-outermost kernels (CEmitOptions::pixelsOuter) when some
/// node has one and the arena planned with them is smaller: their results
/// overlap their inputs, but they need scratch.
static absl::Status choosePixelsOuter(PlanCache &cache, const Graph &graph,
                                      const DriverOptions &options, CEmitOptions &kernels) {
  CEmitOptions pixels = kernels;
  pixels.pixelsOuter = true;
  bool differs = false;
  for (const auto &node : graph.nodes())
    differs |= chooseKernel(*node, pixels) != chooseKernel(*node, kernels);
  if (!differs)
    return absl::OkStatus();
  TP_ASSIGN_OR_RETURN(int64_t without, plannedArena(cache, graph, options, kernels));
  TP_ASSIGN_OR_RETURN(int64_t with, plannedArena(cache, graph, options, pixels));
  if (with < without)
    kernels.pixelsOuter = true;
  return absl::OkStatus();
}

/// model.c, model.h and the weights file for \p plan.
static absl::StatusOr<std::vector<OutputFile>> emitC(const GraphPlan &plan,
                                                     const DriverOptions &options,
                                                     const CEmitOptions &kernels) {
  if (options.outputPath == "-" || options.outputPath.empty())
    return absl::InvalidArgumentError("C output needs a file: -o model.c");
  llvm::StringRef source = options.outputPath;
  std::string header = options.headerPath;
  if (header.empty()) {
    llvm::SmallString<128> path(source);
    llvm::sys::path::replace_extension(path, ".h");
    header = std::string(path);
  }
  CEmitOptions emitOptions = kernels;
  emitOptions.name = options.cName.empty()
                         ? sanitizeCIdentifier(llvm::sys::path::stem(source))
                         : options.cName;
  emitOptions.headerInclude = std::string(llvm::sys::path::filename(header));
  emitOptions.arena = options.arena;
  emitOptions.cpu = options.cpu;
  emitOptions.separateWeights = !options.weightsPath.empty();
  emitOptions.weightsBlob = !options.weightsBlobPath.empty();
  emitOptions.sourceName = std::string(llvm::sys::path::filename(options.inputPath));

  TP_ASSIGN_OR_RETURN(CFiles files, emitCFiles(plan, emitOptions));
  std::vector<OutputFile> outputs = {{header, std::move(files.header)},
                                     {std::string(source), std::move(files.source)}};
  if (emitOptions.separateWeights)
    outputs.push_back({options.weightsPath, std::move(files.weights)});
  if (emitOptions.weightsBlob)
    outputs.push_back({options.weightsBlobPath, std::move(files.blob)});
  return outputs;
}

/// The kernels for \p kernels' layouts: --conv=auto's faster ones where
/// they fit, and the pixels-outermost ones where they make the arena smaller.
static absl::Status chooseKernels(PlanCache &cache, const Graph &graph,
                                  const DriverOptions &options, CEmitOptions &kernels) {
  if (kernels.conv == ConvMethod::Auto)
    TP_RETURN_IF_ERROR(fitAutoKernels(cache, graph, options, kernels));
  if (options.liveness.overlap)
    TP_RETURN_IF_ERROR(choosePixelsOuter(cache, graph, options, kernels));
  return absl::OkStatus();
}

/// Whether \p trial's layouts give \p graph a smaller arena than
/// \p kernels' do, when some result of the trial overlaps its input more.
/// Screened in the model's order first: the search over orders takes most
/// of the planning time.
static absl::StatusOr<bool> smallerWith(PlanCache &cache, const Graph &graph,
                                        const DriverOptions &options,
                                        const CEmitOptions &kernels, const CEmitOptions &trial) {
  std::vector<std::optional<KernelOverlap>> before = kernelOverlaps(graph, kernels);
  std::vector<std::optional<KernelOverlap>> after = kernelOverlaps(graph, trial);
  bool gains = false;
  for (size_t id = 0; id < after.size(); ++id)
    gains |= after[id] && (!before[id] || after[id]->distance < before[id]->distance);
  if (!gains)
    return false;
  DriverOptions screen = options;
  screen.schedule.method = ScheduleMethod::File;
  TP_ASSIGN_OR_RETURN(int64_t screenBefore, plannedArena(cache, graph, screen, kernels));
  absl::StatusOr<int64_t> screenAfter = plannedArena(cache, graph, screen, trial);
  if (!screenAfter.ok() || *screenAfter >= screenBefore)
    return false;
  TP_ASSIGN_OR_RETURN(int64_t arenaBefore, plannedArena(cache, graph, options, kernels));
  absl::StatusOr<int64_t> arenaAfter = plannedArena(cache, graph, options, trial);
  return arenaAfter.ok() && *arenaAfter < arenaBefore;
}

/// Whether a grouped (depthwise) convolution of \p graph writes its result
/// channels-last under \p layouts (or, with \p orReads, reads its input so):
/// that kernel runs its groups one output row at a time, about 20 % more
/// instructions on a Cortex-M4 (the Alibaba VWW: 2.86 -> 3.47 per MAC).
static bool groupedChannelsLast(const Graph &graph, const LayoutPlan &layouts, bool orReads) {
  for (const auto &node : graph.nodes())
    if (node->opType() == "Conv" && node->getInt("group", 1).value_or(1) > 1 &&
        (layouts.channelsLast(*node->result(0)) ||
         (orReads && layouts.channelsLast(*node->operand(0)))))
      return true;
  return false;
}

/// For --layout=auto with overlaps: channels-last wherever the kernels allow
/// it, instead of where they prefer it, when some result then overlaps its
/// input and the arena planned so is smaller. Standard convolutions and
/// pools write channels-last results row by row, which lets them overlap
/// the input rows they have read (rowsOverlap). Failing that (models with
/// depthwise convolutions, kept channels-first), channels-last only for the
/// results of the convolutions that read a graph input: the first layer's
/// result overlaps the image, the peak of many such models, and the layers
/// after it read it channels-last.
/// \p base holds the options' kernel options before any choice.
static absl::Status chooseOverlapLayouts(PlanCache &cache, Graph &graph,
                                         const DriverOptions &options, const CEmitOptions &base,
                                         CEmitOptions &kernels) {
  if (options.layout != LayoutMode::Auto || !options.liveness.overlap || options.ioChannelsLast)
    return absl::OkStatus();
  // ioChannelsLast is false: the pass adds no nodes to the graph. A trial
  // that fails (here or when planned) keeps the layouts chosen.
  CEmitOptions last = base;
  absl::StatusOr<LayoutPlan> lastLayouts =
      assignLayouts(graph, last, LayoutMode::ChannelsLast, false);
  if (lastLayouts.ok() && !groupedChannelsLast(graph, *lastLayouts, /*orReads=*/true)) {
    last.layouts = std::move(*lastLayouts);
    // The kernels chosen for the first layouts, planned once more each way
    // (choosing them again for the second would plan the graph up to ten
    // times more).
    last.keepDefault = kernels.keepDefault;
    last.pixelsOuter = kernels.pixelsOuter;
    TP_ASSIGN_OR_RETURN(bool smaller, smallerWith(cache, graph, options, kernels, last));
    if (smaller) {
      kernels = std::move(last);
      return absl::OkStatus();
    }
  }
  std::vector<unsigned> stem;
  for (const auto &node : graph.nodes())
    if (node->opType() == "Conv" && node->operand(0) &&
        llvm::is_contained(graph.inputs(), node->operand(0)))
      stem.push_back(node->result(0)->id());
  std::optional<LayoutPlan> stemLayouts = withChannelsLast(graph, kernels, stem);
  if (!stemLayouts || groupedChannelsLast(graph, *stemLayouts, /*orReads=*/false))
    return absl::OkStatus();
  CEmitOptions trial = kernels;
  trial.layouts = std::move(*stemLayouts);
  TP_ASSIGN_OR_RETURN(bool smaller, smallerWith(cache, graph, options, kernels, trial));
  if (smaller)
    kernels = std::move(trial);
  return absl::OkStatus();
}

/// Chooses \p graph's layouts and kernels (into \p kernels, which hold the
/// options') and plans it.
static absl::StatusOr<PlannedGraph> planModel(Graph &graph, const DriverOptions &options,
                                              CEmitOptions &kernels) {
  // Layouts first: channels-last graph inputs and outputs may need
  // transposes, which are nodes to plan.
  const CEmitOptions base = kernels;
  TP_ASSIGN_OR_RETURN(kernels.layouts,
                      assignLayouts(graph, kernels, options.layout, options.ioChannelsLast));
  PlanCache cache;
  TP_RETURN_IF_ERROR(chooseKernels(cache, graph, options, kernels));
  TP_RETURN_IF_ERROR(chooseOverlapLayouts(cache, graph, options, base, kernels));
  return cache.take(graph, options, kernels);
}

/// The arena compileGraph would plan for \p graph, planned on a copy (the
/// layout pass may add nodes).
static absl::StatusOr<int64_t> trialArena(const Graph &graph, const DriverOptions &options) {
  std::unique_ptr<Graph> copy = graph.clone();
  CEmitOptions kernels = kernelOptions(options);
  TP_ASSIGN_OR_RETURN(PlannedGraph planned, planModel(*copy, options, kernels));
  return planned.plan->arena();
}

/// How patch trials are planned, patched or not, so that they compare:
/// in the model's order, which the rewrite makes patch after patch (the
/// search over orders would cost seconds per trial on n^2 copies of the
/// stage), and with the direct convolution (no im2col scratch to fit).
/// The final plan still searches both.
static DriverOptions trialOptions(const DriverOptions &options) {
  DriverOptions trial = options;
  trial.schedule.method = ScheduleMethod::File;
  trial.conv = ConvMethod::Direct;
  return trial;
}

/// A split of \p graph as \p spec says, made and planned on a copy.
struct PatchTrial {
  PatchStage stage;
  int64_t arena = 0;
};
static absl::StatusOr<PatchTrial> tryPatches(const Graph &graph, const DriverOptions &options,
                                             const PatchSpec &spec) {
  PatchTrial trial;
  std::unique_ptr<Graph> copy = graph.clone();
  TP_ASSIGN_OR_RETURN(trial.stage, splitIntoPatches(*copy, spec));
  TP_ASSIGN_OR_RETURN(trial.arena, trialArena(*copy, trialOptions(options)));
  return trial;
}

/// The percent of a model's MACs the halos add.
static double recomputePercent(int64_t macsBefore, int64_t macsAfter) {
  if (macsBefore == 0)
    return 0;
  return 100.0 * double(macsAfter - macsBefore) / double(macsBefore);
}

/// The finest split --patches=auto tries: beyond it, patches of a few rows
/// save little and the node count (n^2 copies of the stage) grows fast.
constexpr int64_t kMaxPatchesPerSide = 8;

/// Runs \p graph's first stage patch by patch as --patches asks: the given
/// split, or with Auto every stage end (or the given one) and n from 2 up
/// while the extra MACs stay within the cap, keeping the smallest arena
/// (then the fewest MACs), when it is smaller than without patches.
static absl::StatusOr<std::optional<PatchSummary>> applyPatches(Graph &graph,
                                                                const DriverOptions &options) {
  const PatchOptions &patches = options.patches;
  if (patches.mode == PatchOptions::Mode::Off)
    return std::nullopt;
  PatchSummary report;
  TP_ASSIGN_OR_RETURN(report.arenaWithout, trialArena(graph, options));
  std::optional<PatchTrial> best;
  if (patches.mode == PatchOptions::Mode::Manual) {
    absl::StatusOr<PatchTrial> trial =
        tryPatches(graph, options, {patches.patches, patches.until});
    if (!trial.ok())
      return withContext(trial.status(), absl::StrCat("--patch-until=", patches.until, ": "));
    best = std::move(*trial);
  } else {
    TP_ASSIGN_OR_RETURN(int64_t baseline, trialArena(graph, trialOptions(options)));
    std::vector<std::string> ends =
        patches.until.empty() ? patchStageEnds(graph) : std::vector<std::string>{patches.until};
    for (const std::string &end : ends)
      for (int64_t n = 2; n <= kMaxPatchesPerSide; ++n) {
        absl::StatusOr<PatchTrial> trial = tryPatches(graph, options, {n, end});
        if (!trial.ok()) {
          // A given end that cannot be split is the user's error; a
          // found one only runs out of rows.
          if (!patches.until.empty() && n == 2)
            return withContext(trial.status(),
                               absl::StrCat("--patch-until=", patches.until, ": "));
          break;
        }
        if (recomputePercent(trial->stage.macsBefore, trial->stage.macsAfter) >
            patches.maxRecompute)
          break;
        if (!best || trial->arena < best->arena ||
            (trial->arena == best->arena &&
             trial->stage.macsAfter < best->stage.macsAfter))
          best = std::move(*trial);
      }
    if (!best || best->arena >= baseline)
      return std::nullopt;
  }
  // The chosen split again on the graph itself (the trial's copy served
  // only to measure it).
  TP_ASSIGN_OR_RETURN(PatchStage stage, splitIntoPatches(graph, best->stage.spec));
  report.until = stage.spec.until;
  report.patches = stage.spec.patches;
  report.stageNodes = stage.stageNodes;
  report.macsBefore = stage.macsBefore;
  report.macsAfter = stage.macsAfter;
  report.patchNodes = stage.patchNodes;
  return report;
}

/// Whether an arena of \p arena bytes, with \p others bytes of RAM beside
/// it, fits \p verdict's RAM budget and its largest block.
static bool fitsRam(int64_t arena, int64_t others, const Verdict &verdict) {
  return (!verdict.budget.ramBytes || arena + others <= *verdict.budget.ramBytes) &&
         (!verdict.budget.largestRamBlock || arena <= *verdict.budget.largestRamBlock);
}

/// What would make a model that does not fit \p verdict fit, each measured:
/// a split across the target's RAM regions, the known parts it fits,
/// patches, a quantized model's integer inputs and outputs, and for
/// a float model an estimate of its int8 arena (the plan with every float
/// tensor one byte an element). The graph's types are changed for that plan
/// and restored.
static absl::StatusOr<std::vector<std::string>>
fitSuggestions(Graph &graph, const GraphPlan &plan, const DriverOptions &options,
               const Verdict &verdict) {
  std::vector<std::string> suggestions;
  const McuTarget *target = verdict.budget.target;
  int64_t others = verdict.ramNeeded - plan.arenaBytes();
  if (!verdict.fitsBlock && verdict.fitsRam && target && target->regions.size() > 1)
    suggestions.push_back(absl::StrCat("a split across ", target->name.str(), "'s ",
                                       target->regions.size(),
                                       " RAM regions: none keeps every buffer inside one region"));
  // The other parts, the arena whole in a block or split across regions.
  std::vector<std::string> parts;
  for (const McuTarget &part : mcuTargets()) {
    if (&part == target || verdict.flashNeeded > part.flashBytes)
      continue;
    int64_t arena = plan.wholeArena();
    bool split = false;
    if (arena > part.largestRamBlock) {
      if (part.regions.size() < 2)
        continue;
      GraphPlan copy = plan;
      TP_ASSIGN_OR_RETURN(bool placed, copy.placeInRegions(arenaRegions(part.regions)));
      if (!placed)
        continue;
      arena = copy.arenaBytes();
      split = true;
    }
    if (arena + others <= part.ramBytes)
      parts.push_back(absl::StrCat(part.name.str(), " (", withCommas(arena + others), " B of ",
                                   formatByteSize(part.ramBytes), " RAM",
                                   split ? ", split across its regions" : "", ")"));
  }
  if (!parts.empty())
    suggestions.push_back("a part with more memory: " + absl::StrJoin(parts, ", "));
  // The first stage patch by patch, as --patches=auto would choose it.
  if (options.patches.mode == PatchOptions::Mode::Off && !(verdict.fitsRam && verdict.fitsBlock)) {
    DriverOptions automatic = options;
    automatic.patches.mode = PatchOptions::Mode::Auto;
    std::unique_ptr<Graph> copy = graph.clone();
    TP_ASSIGN_OR_RETURN(std::optional<PatchSummary> patches, applyPatches(*copy, automatic));
    if (patches) {
      TP_ASSIGN_OR_RETURN(int64_t arena, trialArena(*copy, options));
      bool fits = fitsRam(arena, others, verdict);
      char percent[32];
      snprintf(percent, sizeof percent, "%.1f %%",
               recomputePercent(patches->macsBefore, patches->macsAfter));
      suggestions.push_back(absl::StrCat(
          "patches (--patches=auto: ", patches->patches, " x ", patches->patches, " up to ",
          patches->until, ", MACs +", percent, "): arena ", withCommas(arena), " B, RAM ",
          withCommas(arena + others), " B: the RAM ", fits ? "would fit" : "would not fit either"));
    }
  }
  // A quantized model's float inputs and outputs as the integers it
  // quantizes them to (--quantized-io); a float model has none to change.
  bool quantized = false;
  if (!options.quantizedIO && !(verdict.fitsRam && verdict.fitsBlock)) {
    std::unique_ptr<Graph> copy = graph.clone();
    if (quantizeGraphIO(*copy).ok()) {
      quantized = true;
      TP_ASSIGN_OR_RETURN(int64_t arena, trialArena(*copy, options));
      suggestions.push_back(absl::StrCat(
          "integer inputs and outputs (--quantized-io): arena ", withCommas(arena), " B, RAM ",
          withCommas(arena + others), " B: the RAM ",
          fitsRam(arena, others, verdict) ? "would fit" : "would not fit either"));
    }
  }
  // Float tensors as int8.
  std::vector<std::pair<Value *, TensorType>> floats;
  for (const auto &value : graph.values())
    if (!value->isConstant() && isFloat(value->type().dtype)) {
      floats.emplace_back(value.get(), value->type());
      TensorType narrow = value->type();
      narrow.dtype = DType::I8;
      value->setType(narrow);
    }
  if (!floats.empty() && !quantized && !(verdict.fitsRam && verdict.fitsBlock)) {
    absl::StatusOr<PlannedGraph> narrow = planWith(graph, options, options.liveness);
    for (auto &[value, type] : floats)
      value->setType(type);
    TP_RETURN_IF_ERROR(narrow.status());
    int64_t arena = narrow->plan->arena();
    bool fits = fitsRam(arena, others, verdict);
    suggestions.push_back(absl::StrCat(
        "int8 (an estimate: this plan with every float tensor 1 byte an element): arena ",
        withCommas(arena), " B, RAM ", withCommas(arena + others), " B: the RAM ",
        fits ? "would fit" : "would not fit either"));
  } else {
    for (auto &[value, type] : floats)
      value->setType(type);
  }
  return suggestions;
}

/// The reports \p options asks for, appended to \p outputs; the
/// does-not-fit error when the verdict says so and failIfOver is set.
static absl::Status addReports(Graph &graph, const GraphPlan &plan,
                               const DriverOptions &options, const CEmitOptions &kernels,
                               const std::optional<PatchSummary> &patches,
                               std::vector<OutputFile> &outputs) {
  CostAnalysis cost(graph);
  ReportOptions reportOptions;
  reportOptions.modelFile = options.inputPath;
  reportOptions.budget = options.budget;
  reportOptions.stackBytes = options.stackBytes;
  reportOptions.patches = patches;
  ModelReport report = ModelReport::build(plan, cost, estimateCodeSize(plan, kernels), reportOptions);
  if (report.verdict() && !report.verdict()->fits()) {
    TP_ASSIGN_OR_RETURN(reportOptions.fitSuggestions,
                        fitSuggestions(graph, plan, options, *report.verdict()));
    report = ModelReport::build(plan, cost, estimateCodeSize(plan, kernels),
                                std::move(reportOptions));
  }
  auto render = [&](void (ModelReport::*print)(llvm::raw_ostream &) const) {
    std::string text;
    llvm::raw_string_ostream os(text);
    (report.*print)(os);
    return text;
  };
  if (options.failIfOver && report.verdict() && !report.verdict()->fits()) {
    // The build log shows why; no file is written.
    if (options.reportText)
      TP_RETURN_IF_ERROR(writeFileAtomically("-", render(&ModelReport::printText)));
    return absl::ResourceExhaustedError(report.verdict()->overMessage());
  }
  if (options.reportText)
    outputs.push_back({"-", render(&ModelReport::printText)});
  if (!options.reportJsonPath.empty())
    outputs.push_back({options.reportJsonPath, render(&ModelReport::printJson)});
  if (!options.planSvgPath.empty())
    outputs.push_back({options.planSvgPath, render(&ModelReport::printSvg)});
  if (!options.reportHtmlPath.empty())
    outputs.push_back({options.reportHtmlPath, render(&ModelReport::printHtml)});
  return absl::OkStatus();
}

/// Whether \p options asks for anything lib/Report makes.
static bool wantsReport(const DriverOptions &options) {
  return options.reportText || options.budget || !options.reportJsonPath.empty() ||
         !options.planSvgPath.empty() || !options.reportHtmlPath.empty();
}

absl::StatusOr<std::vector<DriverOutput>> compileGraph(Graph &graph,
                                                       const DriverOptions &options) {
  // Before the passes: the QDQ fusion then sees the integers as the
  // model's own inputs and outputs.
  std::vector<QuantizedIO> quantizedIO;
  if (options.quantizedIO) {
    TP_ASSIGN_OR_RETURN(quantizedIO, quantizeGraphIO(graph));
  }
  TP_ASSIGN_OR_RETURN(PassPipeline pipeline,
                      options.passes ? buildPipeline(*options.passes)
                                     : absl::StatusOr<PassPipeline>(buildDefaultPipeline()));
  PipelineOptions pipelineOptions;
  pipelineOptions.printAfterAll = options.printAfterAll;
  TP_RETURN_IF_ERROR(pipeline.run(graph, pipelineOptions));
  TP_ASSIGN_OR_RETURN(std::optional<PatchSummary> patches, applyPatches(graph, options));

  // One plan for the C, the plan dumps and the reports alike.
  EmitKind emit = options.emit;
  bool main = options.writeMainOutput;
  bool needsPlan = wantsReport(options) ||
                   (main && (emit == EmitKind::Plan || emit == EmitKind::PlanAscii ||
                             emit == EmitKind::C));
  PlannedGraph planned;
  // The kernels are chosen before planning: their scratch is in the plan.
  CEmitOptions kernels = kernelOptions(options);
  for (const QuantizedIO &io : quantizedIO)
    kernels.ioQuantization[io.name] = {io.scale, io.zeroPoint};
  if (needsPlan || (main && emit == EmitKind::Liveness)) {
    TP_ASSIGN_OR_RETURN(planned, planModel(graph, options, kernels));
    TP_RETURN_IF_ERROR(placeInRegions(*planned.plan, options));
  }
  const Liveness *liveness = planned.liveness.get();
  const GraphPlan *plan = planned.plan.get();

  std::vector<OutputFile> outputs;
  if (main && emit == EmitKind::C) {
    TP_ASSIGN_OR_RETURN(outputs, emitC(*plan, options, kernels));
  } else if (main) {
    std::string output;
    llvm::raw_string_ostream os(output);
    switch (emit) {
    case EmitKind::C:
      break;
    case EmitKind::IR:
      graph.print(os);
      break;
    case EmitKind::Summary:
      CostAnalysis(graph).print(os);
      break;
    case EmitKind::Liveness:
      liveness->print(os);
      break;
    case EmitKind::Plan:
      if (patches)
        os << "patches: " << patchSummaryText(*patches) << '\n';
      plan->print(os);
      break;
    case EmitKind::PlanAscii:
      plan->printAscii(os);
      break;
    }
    outputs.push_back({options.outputPath, std::move(output)});
  }
  if (wantsReport(options))
    TP_RETURN_IF_ERROR(addReports(graph, *plan, options, kernels, patches, outputs));
  return outputs;
}

absl::Status runDriver(const DriverOptions &options) {
  ImportOptions importOptions;
  importOptions.dims = options.dims;
  importOptions.warn = options.warn;
  TP_ASSIGN_OR_RETURN(std::unique_ptr<Graph> graph,
                      importModelFile(options.inputPath, importOptions));
  TP_ASSIGN_OR_RETURN(std::vector<DriverOutput> outputs, compileGraph(*graph, options));
  return writeOutputs(outputs);
}

} // namespace tinyplan
