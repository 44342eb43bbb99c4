//===- CodeSize.cpp - Flash and stack the generated C will need -----------===//
//
// 1. Emit the C without weight data (the same text `-o model.c` writes, so
//    the estimate follows the kernels as they change).
// 2. Count the tokens of each distinct kernel definition and of NAME_run's
//    statements; bytes = kKernelBytesPerToken * kernel tokens +
//    kCallBytesPerToken * call tokens.
// 3. Add each C library function the code calls once, at its measured size
//    (not the small constant-size memory copies gcc expands inline).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CodeSize.h"
#include "tinyplan/CodeGen/CEmitter.h"

#include "llvm/ADT/StringExtras.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace tinyplan {
namespace {

// Thumb-2 bytes per C token, fitted by bench/codesize.py fit (least squares,
// no intercept) over the LeNet-5, the small real models of the shared
// corpus and the ONNX node tests tinyplan compiles: arm-none-eabi-gcc 12.2
// -Os -mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16, .text of model.o.
constexpr double kKernelBytesPerToken = 0.29;
constexpr double kCallBytesPerToken = 1.0;

/// Bytes a Cortex-M4F image grows by when it calls the function, the
/// functions it calls included (bench/codesize.py libm: arm-none-eabi-gcc
/// 12.2 -Os, newlib-nano 4.3, --gc-sections). The double ones are software
/// floating point on this FPU. Zero: inlined as one instruction.
constexpr std::pair<const char *, int64_t> kLibraryBytes[] = {
    {"acos", 4064},   {"acosf", 728},      {"acosh", 5724},     {"acoshf", 1468},
    {"asin", 3984},   {"asinf", 648},      {"asinh", 5652},     {"asinhf", 1424},
    {"atan", 3096},   {"atan2", 3584},     {"atan2f", 828},     {"atanf", 456},
    {"atanh", 4300},  {"atanhf", 992},     {"ceil", 1400},      {"ceilf", 124},
    {"cos", 7208},    {"cosf", 4128},      {"cosh", 5420},      {"coshf", 1572},
    {"erf", 7256},    {"erff", 2520},      {"exp", 3452},       {"expf", 640},
    {"expm1", 3940},  {"expm1f", 744},     {"fabs", 0},         {"fabsf", 0},
    {"floor", 1408},  {"floorf", 132},     {"fma", 1520},       {"fmaf", 4},
    {"fmax", 428},    {"fmaxf", 112},      {"fmin", 428},       {"fminf", 112},
    {"fmod", 2272},   {"fmodf", 456},      {"log", 3488},       {"log1p", 3804},
    {"log1pf", 684},  {"logf", 628},       {"memcpy", 328},     {"memmove", 328},
    {"memset", 16},   {"nearbyint", 1196}, {"nearbyintf", 180}, {"pow", 6696},
    {"powf", 2416},   {"rint", 1192},      {"rintf", 176},      {"round", 1032},
    {"roundf", 60},   {"sin", 7216},       {"sinf", 4132},      {"sinh", 5532},
    {"sinhf", 1632},  {"sqrt", 2784},      {"sqrtf", 84},       {"tan", 7592},
    {"tanf", 4144},   {"tanh", 4252},      {"tanhf", 944},      {"trunc", 984},
    {"truncf", 28},
};

bool isIdentStart(char c) { return llvm::isAlpha(c) || c == '_'; }
bool isIdentChar(char c) { return llvm::isAlnum(c) || c == '_'; }

struct Token {
  llvm::StringRef text;
  bool identifier = false;
};

/// The C tokens of \p text, comments left out.
std::vector<Token> lex(llvm::StringRef text) {
  std::vector<Token> tokens;
  size_t i = 0, n = text.size();
  while (i < n) {
    char c = text[i];
    if (llvm::isSpace(c)) {
      ++i;
      continue;
    }
    if (text.substr(i).starts_with("/*")) {
      size_t end = text.find("*/", i + 2);
      i = end == llvm::StringRef::npos ? n : end + 2;
      continue;
    }
    if (text.substr(i).starts_with("//")) {
      size_t end = text.find('\n', i);
      i = end == llvm::StringRef::npos ? n : end + 1;
      continue;
    }
    size_t start = i;
    bool identifier = false;
    if (c == '"' || c == '\'') {
      for (++i; i < n && text[i] != c; ++i)
        if (text[i] == '\\')
          ++i;
      i = std::min(n, i + 1);
    } else if (isIdentStart(c)) {
      identifier = true;
      while (i < n && isIdentChar(text[i]))
        ++i;
    } else if (llvm::isDigit(c) || (c == '.' && i + 1 < n && llvm::isDigit(text[i + 1]))) {
      // A preprocessing number: 12, 0x1.8p+1f, 1e-3.
      ++i;
      while (i < n && (isIdentChar(text[i]) || text[i] == '.' ||
                       ((text[i] == '+' || text[i] == '-') &&
                        llvm::StringRef("eEpP").contains(text[i - 1]))))
        ++i;
    } else {
      ++i;
    }
    tokens.push_back({text.slice(start, i), identifier});
  }
  return tokens;
}

/// arm-none-eabi-gcc -Os expands a memcpy, memmove or memset of a constant
/// size up to this many bytes inline (measured: 64 inline, 68 a call).
constexpr uint64_t kInlineMemBytes = 64;

/// Adds to \p called the library functions \p tokens call, except the
/// memory copies the compiler expands inline.
void noteLibraryCalls(llvm::ArrayRef<Token> tokens,
                      const std::map<llvm::StringRef, int64_t> &library,
                      std::map<std::string, int64_t> &called) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!tokens[i].identifier || tokens[i + 1].text != "(")
      continue;
    auto it = library.find(tokens[i].text);
    if (it == library.end())
      continue;
    if (llvm::is_contained({"memcpy", "memmove", "memset"}, tokens[i].text)) {
      // The size is the last argument: the tokens after the last comma at
      // depth 1, up to the closing parenthesis.
      size_t depth = 0, lastArg = i + 2, j = i + 1;
      for (; j < tokens.size(); ++j) {
        llvm::StringRef t = tokens[j].text;
        if (t == "(")
          ++depth;
        else if (t == ")" && --depth == 0)
          break;
        else if (t == "," && depth == 1)
          lastArg = j + 1;
      }
      uint64_t size;
      if (j == lastArg + 1 && !tokens[lastArg].text.getAsInteger(10, size) &&
          size <= kInlineMemBytes)
        continue;
    }
    called.emplace(tokens[i].text.str(), it->second);
  }
}

} // namespace

int64_t countCTokens(llvm::StringRef text) { return int64_t(lex(text).size()); }

absl::StatusOr<CodeSizeEstimate> estimateCodeSize(const GraphPlan &plan,
                                                  const CEmitOptions &emitOptions) {
  CEmitOptions options;
  options.cpu = emitOptions.cpu;
  options.conv = emitOptions.conv;
  options.keepDefault = emitOptions.keepDefault;
  // The plan's overlaps hold for the kernels and layouts it was made with.
  options.pixelsOuter = emitOptions.pixelsOuter;
  options.layouts = emitOptions.layouts;
  // Both change the kernels and (int16 weights) the tables.
  options.requant = emitOptions.requant;
  options.qconvWeights = emitOptions.qconvWeights;
  options.name = "m";
  options.defineWeights = false;
  absl::StatusOr<CFiles> files = emitCFiles(plan, options);
  if (!files.ok())
    return files.status();

  static const std::map<llvm::StringRef, int64_t> library(std::begin(kLibraryBytes),
                                                          std::end(kLibraryBytes));
  std::map<std::string, int64_t> called;
  CodeSizeEstimate estimate;
  for (const std::string &kernel : files->kernels) {
    std::vector<Token> tokens = lex(kernel);
    estimate.kernelTokens += int64_t(tokens.size());
    noteLibraryCalls(tokens, library, called);
  }
  std::vector<Token> body = lex(files->runBody);
  estimate.callTokens = int64_t(body.size());
  noteLibraryCalls(body, library, called);
  estimate.kernels = int64_t(files->kernels.size());
  estimate.modelBytes = int64_t(std::lround(kKernelBytesPerToken * double(estimate.kernelTokens) +
                                            kCallBytesPerToken * double(estimate.callTokens)));
  for (const auto &[name, bytes] : called) {
    estimate.libraryFunctions.emplace_back(name, bytes);
    estimate.libraryBytes += bytes;
  }
  estimate.weightsBytes = files->weightsBytes;
  return estimate;
}

} // namespace tinyplan
