//===- Pass.h - Graph passes and the pass pipeline --------------*- C++ -*-===//
//
// A pass rewrites a Graph in place and reports errors as absl::Status. A
// PassPipeline runs passes in order and checks the graph after each one:
// the structural verifier, then every node's type inference again, which
// must accept what the pass wrote (fused attributes, folded weights) and
// agree with the types the pass left. Optionally it prints the IR after
// each pass, the way `mlir-opt --mlir-print-ir-after-all` does.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_TRANSFORMS_PASS_H
#define TINYPLAN_TRANSFORMS_PASS_H

#include "tinyplan/IR/Graph.h"
#include "absl/status/status.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <vector>

namespace tinyplan {

class Pass {
public:
  virtual ~Pass() = default;
  /// Short kebab-case name, as `--passes` and the IR banners spell it.
  virtual llvm::StringRef name() const = 0;
  /// One line for `--help`-style listings.
  virtual llvm::StringRef description() const = 0;
  /// Rewrites \p graph. Errors name the node they are about.
  virtual absl::Status run(Graph &graph) = 0;
};

struct PipelineOptions {
  /// When set, the IR after each pass is printed here under a banner
  /// `// -----// IR after <pass> //----- //`.
  llvm::raw_ostream *printAfterAll = nullptr;
};

class PassPipeline {
public:
  void add(std::unique_ptr<Pass> pass) { passes_.push_back(std::move(pass)); }
  size_t size() const { return passes_.size(); }
  bool empty() const { return passes_.empty(); }
  /// The passes' names, in order.
  std::vector<std::string> names() const;

  /// Runs every pass in order, verifying after each; the first error stops
  /// the pipeline, prefixed with the pass that failed ("fold-batchnorm: ").
  absl::Status run(Graph &graph, const PipelineOptions &options = {}) const;

private:
  std::vector<std::unique_ptr<Pass>> passes_;
};

/// The checks the pipeline runs after each pass: verifyGraph, then
/// inference of every node again, which must reproduce the result types.
absl::Status verifyAfterPass(Graph &graph);

} // namespace tinyplan

#endif
