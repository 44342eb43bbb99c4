//===- PackCsvFuzzer.cpp - libFuzzer target: tinyplan-pack's CSV ----------===//
//
// CSV text -> parsePackCsv -> packBuffers (the heuristics, then the exact
// search with a small budget; and the linear baseline) -> writePackCsv. A
// problem the parser accepts must pack: packBuffers verifies every plan, so
// an error there is a bug and aborts.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/PackCsv.h"
#include "tinyplan/Planning/Packers.h"

#include <cstdio>
#include <cstdlib>

using namespace tinyplan;

/// More buffers than this are skipped: each execution must take
/// milliseconds, and the heuristics are quadratic in the buffers.
constexpr size_t kMaxBuffers = 64;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  absl::StatusOr<PackCsvProblem> problem =
      parsePackCsv(llvm::StringRef(reinterpret_cast<const char *>(data), size));
  if (!problem.ok() || problem->requests.size() > kMaxBuffers)
    return 0;
  for (PackStrategy strategy : {PackStrategy::Auto, PackStrategy::Linear}) {
    PackOptions options;
    options.strategy = strategy;
    options.searchNodeBudget = 200;
    absl::StatusOr<MemoryPlan> plan = packBuffers(problem->requests, options);
    if (!plan.ok()) {
      std::fprintf(stderr, "a parsed problem does not pack: %s\n",
                   std::string(plan.status().message()).c_str());
      std::abort();
    }
    writePackCsv(*problem, plan->offsets);
  }
  return 0;
}
