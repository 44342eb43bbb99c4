//===- tinyplan.cpp - Command-line driver ---------------------------------===//
//
// Parses options and calls the driver library. Exit status: 0 success,
// 1 the model cannot be compiled, 2 usage error.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Driver/Driver.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

using namespace tinyplan;
namespace cl = llvm::cl;

static cl::OptionCategory category("tinyplan options");

static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx|model.onnxtxt>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Output file ('-' for standard output, the default)"),
                                       cl::value_desc("file"), cl::init("-"), cl::cat(category));
static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to write"), cl::init(EmitKind::IR),
    cl::values(clEnumValN(EmitKind::IR, "ir", "the IR after import and shape inference"),
               clEnumValN(EmitKind::Summary, "summary",
                          "per-node output shape, parameters, MACs and bytes, with totals")),
    cl::cat(category));
static cl::list<std::string> dimOptions(
    "dim", cl::desc("Fix a symbolic input dimension, e.g. --dim batch=1 (repeatable)"),
    cl::value_desc("NAME=VALUE"), cl::cat(category));

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](llvm::raw_ostream &os) { os << "tinyplan 0.1.0\n"; });
  std::string parseErrors;
  llvm::raw_string_ostream errs(parseErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "tinyplan: compile an ONNX model into C for microcontrollers, with the "
          "smallest\nfeature-map arena it can prove.\n\n"
          "  tinyplan model.onnx --emit=ir       print the imported, typed graph\n"
          "  tinyplan model.onnx --emit=summary  per-layer parameters and MACs\n\n"
          "Exit status: 0 success, 1 the model cannot be compiled, 2 usage error.\n",
          &errs)) {
    llvm::errs() << parseErrors;
    return 2;
  }

  DriverOptions options;
  options.inputPath = inputPath;
  options.outputPath = outputPath;
  options.emit = emitKind;
  for (const std::string &text : dimOptions) {
    auto dim = parseDimOption(text);
    if (!dim.ok()) {
      llvm::errs() << "tinyplan: error: " << std::string(dim.status().message()) << '\n';
      return 2;
    }
    options.dims[dim->first] = dim->second;
  }
  options.warn = [&](const std::string &message) {
    llvm::errs() << "tinyplan: warning: " << inputPath << ": " << message << '\n';
  };

  absl::Status status = runDriver(options);
  if (!status.ok()) {
    llvm::errs() << "tinyplan: error: " << inputPath << ": " << std::string(status.message()) << '\n';
    return 1;
  }
  return 0;
}
