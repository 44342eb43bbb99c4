//===- Driver.cpp - The tinyplan pipeline behind the command line ---------===//
#include "tinyplan/Driver/Driver.h"
#include "tinyplan/Analysis/Cost.h"
#include "tinyplan/Import/Importer.h"
#include "tinyplan/Support/FileOutput.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/numbers.h"

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

absl::Status runDriver(const DriverOptions &options) {
  ImportOptions importOptions;
  importOptions.dims = options.dims;
  importOptions.warn = options.warn;
  TP_ASSIGN_OR_RETURN(std::unique_ptr<Graph> graph,
                      importModelFile(options.inputPath, importOptions));

  std::string output;
  llvm::raw_string_ostream os(output);
  switch (options.emit) {
  case EmitKind::IR:
    graph->print(os);
    break;
  case EmitKind::Summary:
    CostAnalysis(*graph).print(os);
    break;
  }
  return writeFileAtomically(options.outputPath, output);
}

} // namespace tinyplan
