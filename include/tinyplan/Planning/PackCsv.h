//===- PackCsv.h - MiniMalloc's CSV problem format --------------*- C++ -*-===//
//
// `id,lower,upper,size[,alignment]` with a header row (columns in any
// order). Lifetimes there are half-open [lower, upper); ours are inclusive
// steps, so a buffer lives from `lower` to `upper - 1`.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_PLANNING_PACKCSV_H
#define TINYPLAN_PLANNING_PACKCSV_H

#include "tinyplan/Planning/MemoryPlan.h"
#include "absl/status/statusor.h"
#include "llvm/ADT/StringRef.h"

namespace tinyplan {

struct PackCsvProblem {
  /// Original column names and each row's cells, for writing back.
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<BufferRequest> requests;
};

/// Parses the CSV text; errors name the line.
absl::StatusOr<PackCsvProblem> parsePackCsv(llvm::StringRef text);

/// The input rows with an `offset` column set from \p offsets.
std::string writePackCsv(const PackCsvProblem &problem,
                         llvm::ArrayRef<int64_t> offsets);

} // namespace tinyplan

#endif
