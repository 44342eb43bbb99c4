//===- tinyplan.cpp - Command-line driver ---------------------------------===//
//
// Parses options and calls the driver library. Exit status: 0 success,
// 1 the model cannot be compiled, 2 usage error, 3 the model does not fit
// its budget (--fail-if-over).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Driver/Driver.h"

#include "absl/strings/str_cat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/PrintPasses.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

using namespace tinyplan;
namespace cl = llvm::cl;

static cl::OptionCategory category("tinyplan options");

// Optional only so that --list-targets works without a model; main()
// reports a missing one.
static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx|model.onnxtxt>"),
                                      cl::Optional, cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Output file ('-' for standard output, the default)"),
                                       cl::value_desc("file"), cl::init("-"), cl::cat(category));
static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write"), cl::init(EmitKind::IR),
    cl::values(clEnumValN(EmitKind::IR, "ir", "the IR after import, shape inference and the passes"),
               clEnumValN(EmitKind::Summary, "summary",
                          "per-node output shape, parameters, MACs and bytes, with totals"),
               clEnumValN(EmitKind::Liveness, "liveness",
                          "every value's bytes, steps [first, last] and placement"),
               clEnumValN(EmitKind::Plan, "plan",
                          "the arena plan: every value's [offset, end) and steps"),
               clEnumValN(EmitKind::PlanAscii, "plan-ascii",
                          "the arena plan as a timeline, a row per step"),
               clEnumValN(EmitKind::C, "c",
                          "model.c and model.h (the default when -o names a .c file)")),
    cl::cat(category));
static cl::opt<std::string> headerPath(
    "header", cl::desc("C output: the header's path (default: the .c path with .h)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> cName(
    "name",
    cl::desc("C output: prefix of every exported symbol and (upper-cased) macro "
             "(default: the output file's stem)"),
    cl::value_desc("NAME"), cl::cat(category));
static cl::opt<std::string> weightsFile(
    "weights-file", cl::desc("C output: put the weights in this separate .c file"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> weightsBlob(
    "weights-blob",
    cl::desc("C output: write the weights to this binary file, which the C reaches through "
             "NAME_weights or NAME_WEIGHTS_ADDRESS, for external flash and for weights over "
             "256 MiB (docs/cmake.md)"),
    cl::value_desc("file"), cl::cat(category));
static cl::opt<ArenaMode> arenaMode(
    "arena", cl::desc("C output: where the arena lives"), cl::init(ArenaMode::Static),
    cl::values(clEnumValN(ArenaMode::Static, "static", "a static array in model.c (default)"),
               clEnumValN(ArenaMode::User, "user",
                          "passed by the caller to NAME_run and the accessors")),
    cl::cat(category));
static cl::opt<Cpu> cpu(
    "cpu",
    cl::desc("C output: the core the kernels are for (default: --target's core, else generic)"),
    cl::init(Cpu::Generic),
    cl::values(clEnumValN(Cpu::Generic, "generic", "portable C99 for any CPU"),
               clEnumValN(Cpu::CortexM0, "cortex-m0", "Arm Cortex-M0"),
               clEnumValN(Cpu::CortexM0Plus, "cortex-m0plus", "Arm Cortex-M0+"),
               clEnumValN(Cpu::CortexM3, "cortex-m3", "Arm Cortex-M3"),
               clEnumValN(Cpu::CortexM4, "cortex-m4", "Arm Cortex-M4 without FPU"),
               clEnumValN(Cpu::CortexM4F, "cortex-m4f", "Arm Cortex-M4 with single-precision FPU"),
               clEnumValN(Cpu::CortexM7, "cortex-m7", "Arm Cortex-M7")),
    cl::cat(category));
static cl::opt<ConvMethod> convMethod(
    "conv", cl::desc("Conv implementation"), cl::init(ConvMethod::Auto),
    cl::values(clEnumValN(ConvMethod::Direct, "direct", "the blocked direct convolution"),
               clEnumValN(ConvMethod::Im2col, "im2col",
                          "im2col into a small scratch block + a register-blocked matrix "
                          "product, where supported (2-D and 1-D, f32 and f64)"),
               clEnumValN(ConvMethod::Auto, "auto",
                          "im2col for the layers it is faster on, and the int8 depthwise "
                          "kernel's whole-plane scratch, while the arena stays within the "
                          "budget (or does not grow) (default)")),
    cl::cat(category));
static cl::opt<LayoutMode> layoutMode(
    "layout", cl::desc("Memory layout of the 3-D and 4-D feature maps inside the model"),
    cl::init(LayoutMode::Auto),
    cl::values(clEnumValN(LayoutMode::ChannelsFirst, "nchw",
                          "channels first, as ONNX defines the shapes"),
               clEnumValN(LayoutMode::ChannelsLast, "nhwc",
                          "channels last wherever the kernels reading and writing a tensor "
                          "allow it (results are bit-identical to nchw)"),
               clEnumValN(LayoutMode::Auto, "auto",
                          "channels last where a kernel is faster with it (none of the float "
                          "kernels is), or everywhere allowed (else for the results of the "
                          "convolutions reading the image) when results overlapping their "
                          "inputs row by row make the arena smaller (default)")),
    cl::cat(category));
static cl::opt<bool> checkArena(
    "check-arena",
    cl::desc("Write C that checks the plan while it runs, for host test builds (needs "
             "malloc and stdio): every operand still holds what its producer wrote, and every "
             "node gives the same bits in the arena as on private copies (docs/planning.md)"),
    cl::cat(category));
static cl::opt<bool> checkWriters(
    "check-writers",
    cl::desc("Write C that declares, around every node, the bytes it reads and writes, for "
             "a host test build that records which value last wrote each arena byte and "
             "fails when a kernel reads a byte that no longer holds the value it expects "
             "(compile with clang -fsanitize=thread -mllvm -tsan-instrument-read-before-write=1 "
             "and link scripts/writers_check.c; docs/planning.md)"),
    cl::cat(category));
static cl::opt<QconvWeights> qconvWeightsMode(
    "qconv-weights",
    cl::desc("How the blocked int8 convolution stores its weights in flash"),
    cl::init(QconvWeights::Auto),
    cl::values(clEnumValN(QconvWeights::Auto, "auto",
                          "int16 for a layer whose weights take at most 4 KiB as int8, "
                          "unless --cpu names a core without the DSP extension (default)"),
               clEnumValN(QconvWeights::Int8, "int8", "int8 everywhere: the least flash"),
               clEnumValN(QconvWeights::Int16, "int16",
                          "int16 everywhere: 2 instructions fewer per 16 multiply-"
                          "accumulates on a core with the DSP extension, twice the "
                          "weights' flash")),
    cl::cat(category));
static cl::opt<Requant> requantMode(
    "requant", cl::desc("How QLinearConv, QLinearMatMul and QGemm scale their int32 sums"),
    cl::init(Requant::Float),
    cl::values(clEnumValN(Requant::Float, "float",
                          "float32 multiply and round half to even: ONNX Runtime's bits, on "
                          "every core, FPU or not (default)"),
               clEnumValN(Requant::Fixed, "fixed",
                          "int32 multiplier and shift, as TFLM and CMSIS-NN: no float per "
                          "output; at most 1 LSB from float (docs/generated-c.md)")),
    cl::cat(category));
static cl::opt<LayoutMode> ioLayout(
    "io-layout", cl::desc("Layout of the caller's 4-D inputs and outputs"),
    cl::init(LayoutMode::ChannelsFirst),
    cl::values(clEnumValN(LayoutMode::ChannelsFirst, "nchw",
                          "as the model declares them (default)"),
               clEnumValN(LayoutMode::ChannelsLast, "nhwc",
                          "channels last: N, H, W, C in memory (model.h gives the shapes)")),
    cl::cat(category));
static cl::opt<bool> quantizedIO(
    "quantized-io",
    cl::desc("Inputs the model quantizes first (QuantizeLinear, per tensor) take the "
             "integers instead, and outputs it dequantizes last (DequantizeLinear, per "
             "tensor) give the integers; model.h gives each one's scale and zero point "
             "(docs/generated-c.md)"),
    cl::cat(category));
static cl::list<std::string> dimOptions(
    "dim", cl::desc("Fix a symbolic input dimension, e.g. --dim batch=1 (repeatable)"),
    cl::value_desc("NAME=VALUE"), cl::cat(category));

static cl::opt<bool> noTransforms(
    "no-transforms",
    cl::desc("Run no passes: plan and print the graph exactly as imported"),
    cl::cat(category));
static cl::opt<std::string> passes(
    "passes",
    cl::desc("Run these passes instead of the default pipeline (comma-separated: "
             "fuse-qdq, fold-constants, remove-identity, remove-dead-nodes, "
             "fold-batchnorm, fuse-activations)"),
    cl::value_desc("list"), cl::cat(category));
// --print-after-all is LLVM's own option (libLLVM registers it for its pass
// managers, and an option name can be registered once): main() moves it into
// our category and reads it through llvm::shouldPrintAfterAll().

static cl::opt<int64_t> align("align",
                              cl::desc("Buffer alignment in bytes, a power of two (default 16)"),
                              cl::value_desc("N"), cl::init(16), cl::cat(category));
static cl::opt<std::string> packer(
    "packer",
    cl::desc("Packing strategy: auto (default), exact, greedy-size, best-fit, "
             "greedy-conflicts, greedy-breadth, greedy-overlap, linear (no reuse)"),
    cl::value_desc("name"), cl::init("auto"), cl::cat(category));
static cl::opt<int64_t> searchBudget(
    "search-budget", cl::desc("Placements the exact packer may try (deterministic)"),
    cl::value_desc("N"), cl::init(PackOptions().searchNodeBudget), cl::cat(category));
static cl::opt<std::string> scheduleMethod(
    "schedule",
    cl::desc("Operator order: auto (default: least peak memory, searched exactly "
             "within the budget, ties by arena), exact, heuristic, file (the "
             "model's order), rpo (depth-first)"),
    cl::value_desc("name"), cl::init("auto"), cl::cat(category));
static cl::opt<int64_t> scheduleBudget(
    "schedule-budget",
    cl::desc("States the exact scheduler may store (deterministic)"),
    cl::value_desc("N"), cl::init(ScheduleOptions().stateBudget), cl::cat(category));
static cl::opt<double> scheduleTimeLimit(
    "schedule-time-limit",
    cl::desc("Seconds the exact scheduler may take on top of its budget (0: no "
             "limit, the default; when it strikes the order depends on the machine)"),
    cl::value_desc("seconds"), cl::init(0), cl::cat(category));
static cl::opt<bool> noInPlace("no-inplace",
                               cl::desc("Never let an op overwrite a dying operand"),
                               cl::cat(category));
enum class OverlapMode { On, Off };
static cl::opt<OverlapMode> overlapMode(
    "overlap",
    cl::desc("Whether a kernel may write its result over the part of a dying operand it "
             "has finished reading (channels-first grouped and pointwise convolutions, pools, "
             "QuantizeLinear: docs/planning.md, \"Overlaps\")"),
    cl::values(clEnumValN(OverlapMode::On, "on", "where the kernel's loop order allows (default)"),
               clEnumValN(OverlapMode::Off, "off", "never: every result its own bytes")),
    cl::init(OverlapMode::On), cl::cat(category));
static cl::opt<bool> noViews("no-views",
                             cl::desc("Give Reshape-like ops buffers of their own"),
                             cl::cat(category));
static cl::opt<bool> noConcatSlices(
    "no-concat-slices", cl::desc("Never write Concat operands straight into the result"),
    cl::cat(category));
static cl::opt<std::string> patchesOption(
    "patches",
    cl::desc("Compute the first stage patch by patch, so that only a patch of its feature maps "
             "is in memory at a time (docs/planning.md, \"Patches\"): off (default), auto (the "
             "stage and n x n with the smallest arena within --max-recompute), or N (N x N "
             "patches, with --patch-until)"),
    cl::value_desc("off|auto|N"), cl::init("off"), cl::cat(category));
static cl::opt<std::string> patchUntil(
    "patch-until",
    cl::desc("The node whose result ends the patched stage (--patches=N; with auto, the only "
             "stage tried)"),
    cl::value_desc("NODE"), cl::cat(category));
static cl::opt<double> maxRecompute(
    "max-recompute",
    cl::desc("With --patches=auto: the most multiply-accumulates the patches' halos may add, in "
             "percent of the model's (default 10)"),
    cl::value_desc("PCT"), cl::init(10), cl::cat(category));
static cl::opt<bool> ioOutsideArena(
    "io-outside-arena",
    cl::desc("Graph inputs and outputs are caller-owned, not in the arena"),
    cl::cat(category));

static cl::OptionCategory reportCategory("report options");
static cl::opt<bool> reportText(
    "report",
    cl::desc("Print the per-layer report, the totals and the verdict to standard output"),
    cl::cat(reportCategory));
static cl::opt<std::string> reportJson("report-json",
                                       cl::desc("Write the report as JSON (docs/report.md)"),
                                       cl::value_desc("file"), cl::cat(reportCategory));
static cl::opt<std::string> planSvg("plan-svg",
                                    cl::desc("Draw the arena plan as an SVG picture"),
                                    cl::value_desc("file"), cl::cat(reportCategory));
static cl::opt<std::string> reportHtml(
    "report-html", cl::desc("Write the report and the plan picture as one HTML page"),
    cl::value_desc("file"), cl::cat(reportCategory));
static cl::opt<std::string> target(
    "target", cl::desc("Check RAM and flash against this microcontroller (--list-targets)"),
    cl::value_desc("name"), cl::cat(reportCategory));
static cl::opt<std::string> ramRegions(
    "ram-regions",
    cl::desc("Place the arena in these RAM regions, whole in the first it fits (fast ones "
             "first) or split across them, each part a C array in section .NAME_arena: "
             "name:address:size[:fast][:dma],... (e.g. ccm:0x10000000:64K:fast,"
             "sram:0x20000000:320K:dma), or 'target' for --target's. Without it, --target's "
             "regions are used only when the arena fits none of them whole"),
    cl::value_desc("list"), cl::cat(reportCategory));
static cl::opt<bool> listTargets("list-targets",
                                 cl::desc("List the --target microcontrollers and exit"),
                                 cl::cat(reportCategory));
static cl::opt<std::string> ramBudget(
    "ram-budget", cl::desc("RAM to check against, e.g. 262144, 256K, 1MB (K = 1024)"),
    cl::value_desc("size"), cl::cat(reportCategory));
static cl::opt<std::string> flashBudget("flash-budget",
                                        cl::desc("Flash to check against, e.g. 2M"),
                                        cl::value_desc("size"), cl::cat(reportCategory));
static cl::opt<bool> failIfOver(
    "fail-if-over",
    cl::desc("Exit with status 3, writing no file, when the model does not fit the budget"),
    cl::cat(reportCategory));
static cl::opt<int64_t> stackBytes(
    "stack-bytes", cl::desc("Stack the RAM verdict counts (default: an estimate, 512)"),
    cl::value_desc("N"), cl::init(kEstimatedStackBytes), cl::cat(reportCategory));

int main(int argc, char **argv) {
  if (cl::Option *option = cl::getRegisteredOptions().lookup("print-after-all")) {
    option->addCategory(category);
    option->setDescription("Print the IR after each pass to standard error");
    option->setHiddenFlag(cl::NotHidden);
  }
  cl::HideUnrelatedOptions({&category, &reportCategory});
  cl::SetVersionPrinter([](llvm::raw_ostream &os) { os << "tinyplan 0.1.0\n"; });
  std::string parseErrors;
  llvm::raw_string_ostream errs(parseErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "tinyplan: compile an ONNX model into C for microcontrollers, with the "
          "smallest\nfeature-map arena it can prove.\n\n"
          "  tinyplan model.onnx --emit=ir       print the typed graph after the passes\n"
          "  tinyplan model.onnx --emit=summary  per-layer parameters and MACs\n"
          "  tinyplan model.onnx --emit=plan     the feature-map arena, offset by offset\n"
          "  tinyplan model.onnx -o model.c      model.c and model.h (kernels for --cpu)\n"
          "  tinyplan model.onnx --report --target STM32F469\n"
          "                                      what it costs and whether it fits\n\n"
          "Exit status: 0 success, 1 the model cannot be compiled, 2 usage error,\n"
          "3 the model does not fit (with --fail-if-over).\n",
          &errs)) {
    llvm::errs() << parseErrors;
    return 2;
  }

  if (listTargets) {
    printTargets(llvm::outs());
    return 0;
  }
  if (inputPath.empty()) {
    llvm::errs() << "tinyplan: error: no model given (tinyplan model.onnx [options]; see --help)\n";
    return 2;
  }

  DriverOptions options;
  options.inputPath = inputPath;
  options.outputPath = outputPath;
  options.emit = emitKind;
  auto usageError = [](const absl::Status &status) {
    llvm::errs() << "tinyplan: error: " << std::string(status.message()) << '\n';
    return 2;
  };
  if (!emitKind.getNumOccurrences() && llvm::StringRef(outputPath).ends_with(".c"))
    options.emit = EmitKind::C;
  if (cName.getNumOccurrences() && !isCIdentifier(cName))
    return usageError(absl::InvalidArgumentError(
        "--name expects a C identifier, got '" + cName + "'"));
  options.headerPath = headerPath;
  options.weightsPath = weightsFile;
  options.weightsBlobPath = weightsBlob;
  options.cName = cName;
  options.arena = arenaMode;
  options.conv = convMethod;
  options.layout = layoutMode;
  options.requant = requantMode;
  options.qconvWeights = qconvWeightsMode;
  options.checkArena = checkArena;
  options.checkWriters = checkWriters;
  options.ioChannelsLast = ioLayout == LayoutMode::ChannelsLast;
  options.quantizedIO = quantizedIO;

  if (noTransforms && passes.getNumOccurrences())
    return usageError(
        absl::InvalidArgumentError("--no-transforms and --passes exclude each other"));
  if (noTransforms)
    options.passes = "";
  else if (passes.getNumOccurrences()) {
    if (absl::Status status = checkPassesOption(passes); !status.ok())
      return usageError(status);
    options.passes = passes;
  }
  if (llvm::shouldPrintAfterAll())
    options.printAfterAll = &llvm::errs();
  if (absl::Status status = checkAlignOption(align); !status.ok())
    return usageError(status);
  if (absl::Status status = checkSearchBudgetOption(searchBudget); !status.ok())
    return usageError(status);
  absl::StatusOr<PackStrategy> strategy = parsePackerOption(packer);
  if (!strategy.ok())
    return usageError(strategy.status());
  absl::StatusOr<ScheduleMethod> method = parseScheduleOption(scheduleMethod);
  if (!method.ok())
    return usageError(method.status());
  if (absl::Status status = checkScheduleBudgetOption(scheduleBudget); !status.ok())
    return usageError(status);
  options.schedule.method = *method;
  options.schedule.stateBudget = scheduleBudget;
  if (scheduleTimeLimit < 0)
    return usageError(absl::InvalidArgumentError(
        absl::StrCat("--schedule-time-limit expects seconds >= 0, got ",
                     double(scheduleTimeLimit))));
  options.schedule.timeLimit = scheduleTimeLimit;
  options.liveness.align = align;
  options.liveness.views = !noViews;
  options.liveness.inPlace = !noInPlace;
  options.liveness.overlap = overlapMode == OverlapMode::On;
  options.liveness.concatSlices = !noConcatSlices;
  options.liveness.ioInArena = !ioOutsideArena;
  if (patchesOption == "auto") {
    options.patches.mode = PatchOptions::Mode::Auto;
  } else if (patchesOption != "off") {
    int64_t n = 0;
    if (!llvm::to_integer(patchesOption.getValue(), n, 10) || n < 1)
      return usageError(absl::InvalidArgumentError(absl::StrCat(
          "--patches expects off, auto or a count of patches per side >= 1, got '",
          patchesOption.getValue(), "'")));
    if (patchUntil.empty())
      return usageError(absl::InvalidArgumentError(
          "--patches=N needs --patch-until=NODE, the node that ends the patched stage"));
    options.patches.mode = PatchOptions::Mode::Manual;
    options.patches.patches = n;
  }
  if (!patchUntil.empty() && options.patches.mode == PatchOptions::Mode::Off)
    return usageError(absl::InvalidArgumentError("--patch-until needs --patches=N or auto"));
  if (maxRecompute < 0)
    return usageError(absl::InvalidArgumentError(absl::StrCat(
        "--max-recompute expects a percent >= 0, got ", double(maxRecompute))));
  options.patches.until = patchUntil;
  options.patches.maxRecompute = maxRecompute;
  options.pack.strategy = *strategy;
  options.pack.searchNodeBudget = searchBudget;
  for (const std::string &text : dimOptions) {
    auto dim = parseDimOption(text);
    if (!dim.ok()) {
      llvm::errs() << "tinyplan: error: " << std::string(dim.status().message()) << '\n';
      return 2;
    }
    options.dims[dim->first] = dim->second;
  }
  absl::StatusOr<std::optional<MemoryBudget>> budget =
      parseBudgetOptions(target, ramBudget, flashBudget);
  if (!budget.ok())
    return usageError(budget.status());
  if (!ramRegions.empty()) {
    absl::StatusOr<std::vector<RamRegion>> regions = parseRamRegionsOption(ramRegions, *budget);
    if (!regions.ok())
      return usageError(regions.status());
    // Regions of one's own make a RAM budget (their total) and blocks.
    if (!*budget)
      *budget = MemoryBudget();
    int64_t total = 0, largest = 0;
    for (const RamRegion &region : *regions)
      total += region.size, largest = std::max(largest, region.size);
    if (!(*budget)->ramBytes)
      (*budget)->ramBytes = total;
    (*budget)->largestRamBlock = largest;
    options.ramRegions = std::move(*regions);
  }
  if (failIfOver && !*budget)
    return usageError(absl::InvalidArgumentError(
        "--fail-if-over needs a budget: --target, --ram-budget or --flash-budget"));
  if (!weightsFile.empty() && !weightsBlob.empty())
    return usageError(absl::InvalidArgumentError(
        "--weights-file and --weights-blob both say where the weights go: give one"));
  if (weightsBlob == "-")
    return usageError(absl::InvalidArgumentError(
        "--weights-blob needs a file: the blob is binary, not for standard output"));
  if (stackBytes < 0)
    return usageError(absl::InvalidArgumentError(
        absl::StrCat("--stack-bytes expects a byte count >= 0, got ", int64_t(stackBytes))));
  absl::StatusOr<Cpu> resolvedCpu =
      resolveCpuOption(cpu.getNumOccurrences() ? std::optional<Cpu>(cpu) : std::nullopt,
                       *budget ? (*budget)->target : nullptr);
  if (!resolvedCpu.ok())
    return usageError(resolvedCpu.status());
  options.cpu = *resolvedCpu;
  options.budget = *budget;
  options.failIfOver = failIfOver;
  options.stackBytes = stackBytes;
  options.reportJsonPath = reportJson;
  options.planSvgPath = planSvg;
  options.reportHtmlPath = reportHtml;
  // Without -o or --emit, asking for a report (or a verdict) replaces the
  // default output, the IR; a budget alone prints the text report.
  bool explicitMain = emitKind.getNumOccurrences() || outputPath.getNumOccurrences();
  bool reportFiles = !reportJson.empty() || !planSvg.empty() || !reportHtml.empty();
  options.writeMainOutput = explicitMain || !(reportText || reportFiles || *budget);
  options.reportText = reportText || (!explicitMain && !reportFiles && *budget);
  options.warn = [&](const std::string &message) {
    llvm::errs() << "tinyplan: warning: " << inputPath << ": " << message << '\n';
  };

  absl::Status status = runDriver(options);
  if (isDoesNotFit(status)) {
    llvm::errs() << "tinyplan: error: " << inputPath << ": " << std::string(status.message()) << '\n';
    return 3;
  }
  if (!status.ok()) {
    llvm::errs() << "tinyplan: error: " << inputPath << ": " << std::string(status.message()) << '\n';
    return 1;
  }
  return 0;
}
