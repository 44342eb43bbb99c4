//===- PipelineFuzzer.cpp - libFuzzer target: ONNX bytes -> C and reports -===//
//
// The whole of `tinyplan model.onnx -o model.c --report --report-json ...`
// in memory: import, the default passes, layouts, kernel choice, schedule,
// liveness, packing, C emission and every report (compileGraph, the
// library call behind the command line; no file is read or written).
// Inputs above kMaxInputBytes are skipped and every search has a small
// budget, so one execution takes milliseconds.
//
// What the model names (values, nodes, the doc strings) reaches the C's
// comments and string literals: checkCLexically aborts when the C could
// fail to compile under -std=c99 -Wall -Wextra -Werror -pedantic for such a
// reason (a comment ended or opened early, a trigraph, a control character,
// a line comment continued on the next line), and the JSON report must parse.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Driver/Driver.h"
#include "tinyplan/Import/Importer.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <cstdio>
#include <cstdlib>

using namespace tinyplan;

/// Larger inputs are skipped: the C of their weights alone would take longer
/// than an execution should.
constexpr size_t kMaxInputBytes = 64 * 1024;
/// So are models whose constants take more bytes than this once imported (a
/// few bytes of protobuf can declare a large splat, which the C spells out).
constexpr int64_t kMaxConstantBytes = 256 * 1024;

/// Why \p c is not safe C (lexically), or "" when it is.
static std::string cLexicalProblem(llvm::StringRef c) {
  auto isTrigraphEnd = [](char x) { return llvm::StringRef("=/'()!<>-").contains(x); };
  size_t i = 0, n = c.size();
  auto at = [&](size_t k) { return k < n ? c[k] : '\0'; };
  while (i < n) {
    char ch = c[i];
    if (ch == '?' && at(i + 1) == '?' && isTrigraphEnd(at(i + 2)))
      return "a trigraph at byte " + std::to_string(i);
    if (ch == '/' && at(i + 1) == '*') {
      size_t end = c.find("*/", i + 2);
      if (end == llvm::StringRef::npos)
        return "an unterminated comment at byte " + std::to_string(i);
      llvm::StringRef body = c.slice(i + 2, end);
      if (body.contains("/*"))
        return "'/*' inside a comment at byte " + std::to_string(i);
      for (unsigned char b : body)
        if (b < 0x20 && b != '\n' && b != '\t')
          return "a control character in a comment at byte " + std::to_string(i);
      if (body.contains("?" "?/"))
        return "a trigraph in a comment at byte " + std::to_string(i);
      i = end + 2;
      continue;
    }
    if (ch == '/' && at(i + 1) == '/') {
      size_t end = c.find('\n', i);
      llvm::StringRef body = c.slice(i, end);
      if (body.ends_with("\\") || body.contains("?" "?/"))
        return "a line comment continued at byte " + std::to_string(i);
      for (unsigned char b : body)
        if (b < 0x20 && b != '\t')
          return "a control character in a line comment at byte " + std::to_string(i);
      i = end == llvm::StringRef::npos ? n : end;
      continue;
    }
    if (ch == '"' || ch == '\'') {
      size_t k = i + 1;
      for (; k < n && c[k] != ch; ++k) {
        unsigned char b = c[k];
        if (b < 0x20 || b >= 0x7f)
          return "a raw control or non-ASCII byte in a literal at byte " + std::to_string(k);
        if (b == '?' && at(k + 1) == '?' && isTrigraphEnd(at(k + 2)))
          return "a trigraph in a literal at byte " + std::to_string(k);
        if (b == '\\') {
          char e = at(k + 1);
          if (e == 'x')
            return "a hexadecimal escape (it takes every hex digit after it) at byte " +
                   std::to_string(k);
          if (!llvm::StringRef("\\\"'?abfnrtv01234567").contains(e))
            return "an unknown escape at byte " + std::to_string(k);
          ++k;
        }
      }
      if (k >= n)
        return "an unterminated literal at byte " + std::to_string(i);
      i = k + 1;
      continue;
    }
    unsigned char b = ch;
    if ((b < 0x20 && b != '\n' && b != '\t') || b >= 0x7f || ch == '$' || ch == '@' ||
        ch == '`')
      return "a byte outside C's source characters at byte " + std::to_string(i);
    ++i;
  }
  return "";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxInputBytes)
    return 0;
  ImportOptions importOptions;
  importOptions.warn = [](const std::string &) {};
  absl::StatusOr<std::unique_ptr<Graph>> graph =
      importModelBuffer(llvm::StringRef(reinterpret_cast<const char *>(data), size),
                        /*isText=*/false, "/nonexistent/tinyplan-fuzz", importOptions);
  if (!graph.ok())
    return 0;
  int64_t constantBytes = 0;
  for (const std::unique_ptr<Value> &value : (*graph)->values())
    if (value->isConstant())
      constantBytes += value->type().numBytes();
  if (constantBytes > kMaxConstantBytes)
    return 0;

  DriverOptions options;
  options.inputPath = "fuzz.onnx";
  options.outputPath = "fuzz.c";
  options.emit = EmitKind::C;
  options.warn = [](const std::string &) {};
  options.reportText = true;
  options.reportJsonPath = "fuzz.json";
  options.planSvgPath = "fuzz.svg";
  options.reportHtmlPath = "fuzz.html";
  // Small budgets: the searches stop early but still run every step.
  options.pack.searchNodeBudget = 500;
  options.schedule.stateBudget = 500;
  options.schedule.beamWidth = 4;
  // Odd sizes take the Cortex-M4F kernels and the arena check, even ones
  // the portable kernels: both emitters are covered.
  if (size % 2) {
    options.cpu = Cpu::CortexM4F;
    options.checkArena = true;
  }
  absl::StatusOr<std::vector<DriverOutput>> outputs = compileGraph(**graph, options);
  if (!outputs.ok())
    return 0;
  for (const DriverOutput &output : *outputs) {
    llvm::StringRef path = output.path;
    std::string problem;
    if (path.ends_with(".c") || path.ends_with(".h"))
      problem = cLexicalProblem(output.contents);
    else if (path.ends_with(".json"))
      if (llvm::Expected<llvm::json::Value> json = llvm::json::parse(output.contents); !json)
        problem = llvm::toString(json.takeError());
    if (!problem.empty()) {
      std::fprintf(stderr, "%s: %s\n", output.path.c_str(), problem.c_str());
      std::abort();
    }
  }
  return 0;
}
