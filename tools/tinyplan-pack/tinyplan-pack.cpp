//===- tinyplan-pack.cpp - Pack a MiniMalloc CSV problem ------------------===//
//
// Reads `id,lower,upper,size[,alignment]` rows, packs them with the chosen
// strategy, writes the rows back with an `offset` column, and prints the
// arena, the lower bound and the time taken.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/PackCsv.h"
#include "tinyplan/Planning/Packers.h"
#include "tinyplan/Support/FileOutput.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace tinyplan;
namespace cl = llvm::cl;

static cl::OptionCategory category("tinyplan-pack options");
static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<problem.csv>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Write the solution CSV here ('-' for standard output)"),
                                       cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> strategyName(
    "strategy",
    cl::desc("linear | greedy-size | best-fit | greedy-conflicts | greedy-breadth | greedy-overlap | exact | auto"),
    cl::init("auto"), cl::cat(category));
static cl::opt<int64_t> budget("budget",
                               cl::desc("Placements the exact search may try (deterministic)"),
                               cl::init(20'000'000), cl::cat(category));
static cl::opt<double> timeLimit(
    "time-limit",
    cl::desc("Stop the exact search after this many seconds (0: no limit; results then "
             "depend on the machine)"),
    cl::init(0), cl::cat(category));

static cl::opt<int64_t> capacity(
    "capacity",
    cl::desc("Decide first whether the buffers fit in this many bytes, then minimise "
             "below it (0: minimise from the start)"),
    cl::init(0), cl::cat(category));

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  std::string parseErrors;
  llvm::raw_string_ostream errs(parseErrors);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "tinyplan-pack: solve a static memory allocation problem\n",
                                   &errs)) {
    llvm::errs() << parseErrors;
    return 2;
  }
  std::optional<PackStrategy> strategy = parsePackStrategy(strategyName);
  if (!strategy) {
    llvm::errs() << "tinyplan-pack: error: unknown strategy '" << strategyName << "'\n";
    return 2;
  }
  if (budget < 0 || timeLimit < 0 || capacity < 0) {
    llvm::errs()
        << "tinyplan-pack: error: --budget, --time-limit and --capacity must not be negative\n";
    return 2;
  }
  auto buffer = llvm::MemoryBuffer::getFile(inputPath);
  if (!buffer) {
    llvm::errs() << "tinyplan-pack: error: " << inputPath << ": "
                 << buffer.getError().message() << '\n';
    return 1;
  }
  absl::StatusOr<PackCsvProblem> problem = parsePackCsv((*buffer)->getBuffer());
  if (!problem.ok()) {
    llvm::errs() << "tinyplan-pack: error: " << inputPath << ": "
                 << std::string(problem.status().message()) << '\n';
    return 1;
  }
  PackOptions options;
  options.strategy = *strategy;
  options.searchNodeBudget = budget;
  options.searchTimeLimit = timeLimit;
  options.searchTarget = capacity;
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<MemoryPlan> plan = packBuffers(problem->requests, options);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!plan.ok()) {
    llvm::errs() << "tinyplan-pack: error: " << std::string(plan.status().message()) << '\n';
    return 1;
  }
  // The summary goes to stderr when the solution CSV takes stdout.
  llvm::raw_ostream &summary = outputPath == "-" ? llvm::errs() : llvm::outs();
  summary << llvm::sys::path::filename(inputPath) << ": buffers=" << problem->requests.size()
               << " lower_bound=" << plan->lowerBound << " arena=" << plan->arena
               << " gap=" << plan->arena - plan->lowerBound
               << " optimal=" << (plan->provenOptimal ? "yes" : "no")
               << " strategy=" << plan->strategy << " nodes=" << plan->searchNodes
               << " time=" << llvm::format("%.3f", seconds)
               << "s\n";
  if (!outputPath.empty()) {
    absl::Status written = writeFileAtomically(outputPath, writePackCsv(*problem, plan->offsets));
    if (!written.ok()) {
      llvm::errs() << "tinyplan-pack: error: " << std::string(written.message()) << '\n';
      return 1;
    }
  }
  return 0;
}
