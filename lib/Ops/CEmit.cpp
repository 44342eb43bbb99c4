//===- CEmit.cpp - Helpers for the ops' C emission hooks ------------------===//
//
// C types and exact literals per dtype, the fused-activation expression, and
// OpDef::emitC's default (no kernel: unsupported).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/CEmit.h"
#include "tinyplan/Ops/OpDef.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include <cmath>
#include <cstring>

namespace tinyplan {

absl::Status OpDef::emitC(const Node &, CEmitContext &) const {
  return modelError("no C kernel for ", opType_, " (not supported by the C emitter)");
}

std::optional<llvm::StringRef> cType(DType type) {
  switch (type) {
  case DType::F32:
    return llvm::StringRef("float");
  case DType::F64:
    return llvm::StringRef("double");
  case DType::I8:
    return llvm::StringRef("int8_t");
  case DType::U8:
  case DType::Bool:
    return llvm::StringRef("uint8_t");
  case DType::I16:
    return llvm::StringRef("int16_t");
  case DType::U16:
    return llvm::StringRef("uint16_t");
  case DType::I32:
    return llvm::StringRef("int32_t");
  case DType::U32:
    return llvm::StringRef("uint32_t");
  case DType::I64:
    return llvm::StringRef("int64_t");
  case DType::U64:
    return llvm::StringRef("uint64_t");
  case DType::F16:
  case DType::BF16:
    return std::nullopt;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> requireCType(const Node &node, DType type) {
  if (std::optional<llvm::StringRef> name = cType(type))
    return name->str();
  return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
}

std::string cTypeSuffix(DType type) { return dtypeName(type).str(); }

std::string cFloatLiteral(double value, DType type) {
  bool isF32 = type != DType::F64;
  const char *suffix = isF32 ? "f" : "";
  if (std::isnan(value))
    return std::signbit(value) ? "(-NAN)" : "NAN";
  if (std::isinf(value))
    return absl::StrCat(value < 0 ? "(-" : "(", isF32 ? "HUGE_VALF" : "HUGE_VAL", ")");
  if (value == 0)
    return absl::StrCat(std::signbit(value) ? "-0.0" : "0.0", suffix);
  // %a is exact; a negative literal is a unary minus applied to it, which
  // needs parentheses only where it could touch another minus.
  std::string text = absl::StrFormat("%a", isF32 ? double(float(value)) : value);
  return absl::StrCat(value < 0 ? "(" : "", text, suffix, value < 0 ? ")" : "");
}

static std::string signedLiteral(int64_t value, int bits) {
  if (bits == 64) {
    if (value == INT64_MIN)
      return "(-INT64_C(9223372036854775807) - 1)";
    return absl::StrCat("INT64_C(", value, ")");
  }
  if (bits == 32 && value == INT32_MIN)
    return "(-2147483647 - 1)";
  return absl::StrCat(value);
}

std::string cElementLiteral(const Tensor &tensor, int64_t index) {
  DType type = tensor.dtype();
  int64_t at = tensor.isSplat() ? 0 : index;
  switch (type) {
  case DType::F32:
  case DType::F64:
    return cFloatLiteral(tensor.doubleAt(at), type);
  case DType::I8:
    return signedLiteral(tensor.intAt(at), 8);
  case DType::I16:
    return signedLiteral(tensor.intAt(at), 16);
  case DType::I32:
    return signedLiteral(tensor.intAt(at), 32);
  case DType::I64:
    return signedLiteral(tensor.intAt(at), 64);
  case DType::U64:
    return absl::StrCat("UINT64_C(", uint64_t(tensor.intAt(at)), ")");
  case DType::U32:
    return absl::StrCat(uint64_t(tensor.intAt(at)), "u");
  case DType::U8:
  case DType::U16:
  case DType::Bool:
    return absl::StrCat(tensor.intAt(at));
  case DType::F16:
  case DType::BF16: {
    // Raw bit patterns; no kernel computes on them.
    uint16_t bits;
    std::memcpy(&bits, tensor.rawBytes().data() + at * 2, 2);
    return absl::StrFormat("0x%04x", bits);
  }
  }
  return "0";
}

std::string cIntList(llvm::ArrayRef<int64_t> values) {
  return absl::StrJoin(values, ", ");
}

std::optional<std::string> activationC(llvm::StringRef kind, llvm::StringRef v,
                                       DType type, std::optional<double> alpha,
                                       std::optional<double> beta) {
  bool isF32 = type != DType::F64;
  auto lit = [&](double x) { return cFloatLiteral(x, type); };
  std::string f = isF32 ? "f" : "";
  std::string x = absl::StrCat("(", v.str(), ")");
  std::string zero = lit(0.0), one = lit(1.0);
  if (kind == "Relu")
    // -0 becomes +0, NaN stays NaN (as ONNX Runtime's max(x, 0)).
    return absl::StrCat("(", x, " > ", zero, " || ", x, " != ", x, " ? ", x, " : ", zero, ")");
  if (kind == "Tanh")
    return absl::StrCat("tanh", f, x);
  if (kind == "Sigmoid")
    return absl::StrCat("(", one, " / (", one, " + exp", f, "(-", x, ")))");
  if (kind == "LeakyRelu")
    return absl::StrCat("(", x, " < ", zero, " ? ", lit(alpha.value_or(0.01)), " * ", x,
                        " : ", x, ")");
  if (kind == "HardSigmoid" || kind == "HardSwish") {
    double a = kind == "HardSwish" ? 1.0 / 6.0 : alpha.value_or(0.2);
    double b = kind == "HardSwish" ? 0.5 : beta.value_or(0.5);
    std::string t = absl::StrCat("fmax", f, "(", zero, ", fmin", f, "(", one, ", ",
                                 lit(a), " * ", x, " + ", lit(b), "))");
    if (kind == "HardSigmoid")
      return t;
    return absl::StrCat("(", x, " * ", t, ")");
  }
  if (kind == "Clip") {
    // max(x, min) then min(., max): with min > max everything becomes max;
    // NaN stays NaN.
    std::string t = x;
    if (alpha)
      t = absl::StrCat("(", t, " < ", lit(*alpha), " ? ", lit(*alpha), " : ", t, ")");
    if (beta)
      t = absl::StrCat("(", t, " > ", lit(*beta), " ? ", lit(*beta), " : ", t, ")");
    return t;
  }
  return std::nullopt;
}

/// A stable 32-bit digest (FNV-1a): the same on every host and run.
static uint32_t fnv1a(llvm::StringRef text) {
  uint32_t hash = 2166136261u;
  for (char c : text)
    hash = (hash ^ uint8_t(c)) * 16777619u;
  return hash;
}

absl::StatusOr<FusedActivationC> fusedActivationC(const Node &node, DType type) {
  FusedActivationC result;
  TP_ASSIGN_OR_RETURN(std::string kind, node.getString("fused_activation", ""));
  if (kind.empty()) {
    result.expression = "v";
    return result;
  }
  std::optional<double> alpha, beta;
  const char *first = kind == "Clip" ? "fused_min" : "fused_alpha";
  const char *second = kind == "Clip" ? "fused_max" : "fused_beta";
  if (node.hasAttr(first)) {
    TP_ASSIGN_OR_RETURN(float value, node.getFloat(first, 0.0f));
    alpha = value;
  }
  if (node.hasAttr(second)) {
    TP_ASSIGN_OR_RETURN(float value, node.getFloat(second, 0.0f));
    beta = value;
  }
  std::optional<std::string> expression = activationC(kind, "v", type, alpha, beta);
  if (!expression)
    return unsupportedKernel(node, absl::StrCat("fused_activation '", kind, "'"));
  // The parameters are baked into the expression, so the kernel variant is
  // named by a digest of it.
  result.suffix = absl::StrCat("_", llvm::StringRef(kind).lower(), "_",
                               absl::StrFormat("%08x", fnv1a(*expression)));
  result.expression = *expression;
  return result;
}

void emitCopy(CEmitContext &ctx, const Value &dst, const Value &src) {
  std::optional<int64_t> d = ctx.arenaOffset(dst), s = ctx.arenaOffset(src);
  if (d && s && *d == *s)
    return;
  int64_t bytes = dst.type().numBytes();
  if (bytes == 0)
    return;
  ctx.emit(absl::StrCat("memmove(", ctx.pointer(dst), ", ", ctx.pointer(src), ", ",
                        bytes, ");"));
}

absl::Status unsupportedKernel(const Node &node, llvm::StringRef what) {
  return modelError(node.opType(), " with ", what.str(),
                    " is not supported by the C emitter");
}

} // namespace tinyplan
