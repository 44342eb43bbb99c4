//===- GraphTestUtils.h - Building graphs from ONNX text in unit tests ----===//
//
// Shared by the unit tests that start from a small model written in ONNX
// text syntax rather than from hand-built IR.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_UNITTESTS_GRAPHTESTUTILS_H
#define TINYPLAN_UNITTESTS_GRAPHTESTUTILS_H

#include "tinyplan/Import/Importer.h"

#include "gtest/gtest.h"

namespace tinyplan {

/// x 16 B -> p 32 B -> r (over p) -> q 64 B -> y (over q). Buffers x [0,0],
/// p [0,2], q [2,3]; live bytes 48, 32, 96, 64: the bound is 96.
inline const char *const kPadChain = R"(
<ir_version: 8, opset_import: ["" : 17]>
chain (float[1,4] x) => (float[] y)
<int64[4] grow4 = {0, 0, 0, 4}, int64[4] grow8 = {0, 0, 0, 8}>
{
  p = Pad(x, grow4)
  r = Relu(p)
  q = Pad(r, grow8)
  y = Sigmoid(q)
}
)";

/// Imports \p text (ONNX text syntax); a failure is a test failure and null.
inline std::unique_ptr<Graph> parse(const std::string &text) {
  auto graph = importModelBuffer(text, /*isText=*/true, ".", ImportOptions());
  EXPECT_TRUE(graph.ok()) << graph.status();
  return graph.ok() ? std::move(*graph) : nullptr;
}

/// The value named \p name, or null.
inline const Value *findValue(const Graph &graph, llvm::StringRef name) {
  for (const auto &value : graph.values())
    if (value->name() == name)
      return value.get();
  return nullptr;
}

/// The id of the value named \p name (a test failure if there is none).
inline unsigned idOf(const Graph &graph, llvm::StringRef name) {
  if (const Value *value = findValue(graph, name))
    return value->id();
  ADD_FAILURE() << "no value " << name.str();
  return 0;
}

} // namespace tinyplan

#endif
