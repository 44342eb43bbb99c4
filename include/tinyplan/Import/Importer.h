//===- Importer.h - ONNX model -> tinyplan IR -------------------*- C++ -*-===//
//
// The only part of tinyplan that sees protobuf. Reads binary .onnx or ONNX
// text (.onnxtxt), checks everything a hostile file could get wrong, resolves
// symbolic dims, converts initializers and Constant nodes to constants, and
// runs type inference so the graph it returns is fully typed and verified.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_IMPORT_IMPORTER_H
#define TINYPLAN_IMPORT_IMPORTER_H

#include "tinyplan/IR/Graph.h"
#include <functional>
#include <map>
#include <memory>

namespace tinyplan {

struct ImportOptions {
  /// Values for symbolic dims (--dim NAME=VALUE).
  std::map<std::string, int64_t> dims;
  /// Receives warnings (e.g. a symbolic batch dim defaulted to 1).
  std::function<void(const std::string &)> warn;
};

/// Imports the model at \p path. Errors do not repeat the path; the caller
/// prefixes it.
absl::StatusOr<std::unique_ptr<Graph>> importModelFile(llvm::StringRef path,
                                                       const ImportOptions &options);

/// Imports a model held in memory: \p isText selects ONNX text syntax;
/// external data is resolved (and confined) relative to \p baseDir.
absl::StatusOr<std::unique_ptr<Graph>>
importModelBuffer(llvm::StringRef bytes, bool isText, llvm::StringRef baseDir,
                  const ImportOptions &options);

/// The earliest and latest default-domain opset and IR versions accepted.
constexpr int64_t kMinOpset = 1, kMaxOpset = 25;
constexpr int64_t kMinIrVersion = 3, kMaxIrVersion = 13;

} // namespace tinyplan

#endif
