//===- ImportFuzzer.cpp - libFuzzer targets: binary ONNX or text -> IR ----===//
//
// Bytes -> importModelBuffer (protobuf parse, or the nesting bound and
// libonnx's text parser; opset checks, binding, type inference) -> the
// verifier and the IR printer. Built twice (fuzz/CMakeLists.txt):
// fuzz-import-onnx reads binary protobuf, fuzz-import-text (IMPORT_TEXT=1)
// the ONNX text syntax. A model the importer accepts must verify: anything
// else is a bug in the importer or an op's inference, so it aborts and
// libFuzzer keeps the input.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/IR/Verifier.h"
#include "tinyplan/Import/Importer.h"

#include "llvm/Support/raw_ostream.h"
#include <cstdio>
#include <cstdlib>

using namespace tinyplan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ImportOptions options;
  options.warn = [](const std::string &) {};
  // External data resolves against a directory that does not exist, so a
  // model can name files but never read one.
  absl::StatusOr<std::unique_ptr<Graph>> graph =
      importModelBuffer(llvm::StringRef(reinterpret_cast<const char *>(data), size),
                        /*isText=*/IMPORT_TEXT != 0, "/nonexistent/tinyplan-fuzz", options);
  if (!graph.ok())
    return 0;
  absl::Status verified = verifyGraph(**graph);
  if (!verified.ok()) {
    std::fprintf(stderr, "imported graph fails the verifier: %s\n",
                 std::string(verified.message()).c_str());
    std::abort();
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  (*graph)->print(os);
  return 0;
}
