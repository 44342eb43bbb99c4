//===- Elementwise.cpp - C for the unary and broadcasting elementwise ops -===//
//
// The C of the elementwise families of lib/Ops/Elementwise.cpp: a table of
// element expressions for the unary ops and one for the broadcasting ops,
// each row registered as that op's kernel, and Clip and PRelu. f16 and bf16
// compute in float, converted on load and rounded on store (ElementC).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/CMath.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/Activations.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// C element expressions of the unary ops: of `v` (the input element),
/// `alpha` and `beta` (the op's float attributes, unaryFloatAttrs); $0 / $1
/// are 0 and 1 in the element type, $F the libm suffix ("f" for float), $EXP
/// the exp function (requireCMath). Integer forms compute in uint64_t where
/// C's signed arithmetic could overflow.
struct UnaryC {
  const char *opType;
  /// Null for an activation: its function in kernels/activations.c, the
  /// same the fused form calls (activationC).
  const char *floatExpr;
  /// Null when the op has no integer form.
  const char *intExpr;
  /// The form for unsigned types where intExpr would compare them with 0.
  const char *unsignedExpr = nullptr;
};

const UnaryC kUnaryC[] = {
    {"Relu", nullptr, "(v < 0 ? 0 : v)", "v"},
    {"LeakyRelu", nullptr, nullptr},
    {"Sigmoid", nullptr, nullptr},
    {"Tanh", nullptr, nullptr},
    {"HardSigmoid", nullptr, nullptr},
    {"HardSwish", nullptr, nullptr},
    {"Abs", "fabs$F(v)", "($T)(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v)", "v"},
    {"Neg", "-v", "($T)((uint64_t)0 - (uint64_t)v)"},
    {"Exp", "$EXP(v)", nullptr},
    {"Sqrt", "sqrt$F(v)", nullptr},
};

constexpr const char *kUnaryKernel = R"(static void $NAME(const $S *x, $S *y, int32_t n, $T alpha, $T beta) {
  int32_t i;
  (void)alpha;
  (void)beta;
  for (i = 0; i < n; ++i) {
    const $T v = $LOAD(x[i]);
    y[i] = $STORE($EXPR);
  }
}
)";

/// How kernels compute on elements of a dtype: in the type itself, or for
/// f16 / bf16 in float, each element converted on load and rounded on
/// store. One IEEE operation (+, -, *, /, sqrt) in float rounded once to
/// f16 or bf16 is exactly that operation in the narrow type.
struct ElementC {
  DType compute;
  /// Functions wrapped around loads and stores; empty for plain types.
  std::string load, store;
};

DType computeType(DType type) {
  return type == DType::F16 || type == DType::BF16 ? DType::F32 : type;
}

/// Requires the conversions \p text uses: $LOAD (or $A, $B) and $STORE.
ElementC elementC(CEmitContext &ctx, DType type, llvm::StringRef text) {
  ElementC element{computeType(type), "", ""};
  if (element.compute == type)
    return element;
  if (text.contains("$LOAD") || text.contains("$A") || text.contains("$B"))
    element.load = requireNarrowToFloatC(ctx, type);
  if (text.contains("$STORE"))
    element.store = requireToNarrowFloatC(ctx, DType::F32, type);
  return element;
}

/// A broadcast kernel's element expression for \p type: \p expr with $A /
/// $B standing for the operand elements `a` / `b` in the type the kernel
/// computes in, and $STORE for the conversion of a result back.
std::string broadcastExpr(CEmitContext &ctx, DType type, llvm::StringRef expr) {
  ElementC element = elementC(ctx, type, expr);
  auto loaded = [&](const char *v) {
    return element.load.empty() ? std::string(v) : absl::StrCat(element.load, "(", v, ")");
  };
  return absl::StrReplaceAll(absl::string_view(expr.data(), expr.size()),
                             {{"$A", loaded("a")}, {"$B", loaded("b")}, {"$STORE", element.store}});
}

/// Instantiates a kernel template for element type \p type: $T is the C
/// type it computes in, $S the one it is stored as, $LOAD / $STORE the
/// conversions between them, $F the libm suffix, $0 / $1 zero and one
/// literals.
std::string instantiateForType(CEmitContext &ctx, llvm::StringRef text, DType type,
                               llvm::ArrayRef<std::pair<std::string, std::string>> more) {
  std::vector<std::pair<std::string, std::string>> subs(more.begin(), more.end());
  ElementC element = elementC(ctx, type, text);
  subs.push_back({"$LOAD", element.load});
  subs.push_back({"$STORE", element.store});
  subs.push_back({"$S", cStorageType(type).str()});
  type = element.compute;
  std::string cname = cType(type).value_or("uint8_t").str();
  bool f = isFloat(type);
  subs.push_back({"$T", cname});
  subs.push_back({"$F", type == DType::F32 ? "f" : ""});
  subs.push_back({"$0", f ? cFloatLiteral(0, type) : "0"});
  subs.push_back({"$1", f ? cFloatLiteral(1, type) : "1"});
  std::string result(text);
  // Longer placeholders first ("$NAME" before "$N..."): replace in order given.
  for (const auto &[from, to] : subs)
    result = absl::StrReplaceAll(result, {{from, to}});
  return result;
}

absl::Status emitUnary(const Node &node, CEmitContext &ctx, const UnaryC &entry) {
  DType type = node.operand(0)->type().dtype;
  bool floatKernel = isFloat(type);
  DType compute = computeType(type);
  std::optional<std::string> expr;
  if (floatKernel)
    expr = entry.floatExpr
               ? std::optional<std::string>(entry.floatExpr)
               : activationC(ctx, entry.opType, "v", compute,
                             llvm::ArrayRef<std::string>{"alpha", "beta"}.take_front(
                                 findActivation(entry.opType)->params.size()));
  else if (entry.intExpr && cType(type))
    expr = !isSignedInteger(type) && entry.unsignedExpr ? entry.unsignedExpr : entry.intExpr;
  if (!expr)
    return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
  if (absl::StrContains(*expr, "$EXP"))
    *expr = absl::StrReplaceAll(*expr, {{"$EXP", requireCMath(ctx, CMathFunction::Exp, compute)}});
  // tp_<op>_<dtype> is the op's element function (kernels/activations.c).
  std::string name = absl::StrCat("tp_unary_", llvm::StringRef(entry.opType).lower(), "_",
                                  cTypeSuffix(type));
  ctx.requireKernel(name, instantiateForType(ctx, kUnaryKernel, type,
                                             {{"$NAME", name}, {"$EXPR", *expr}}));
  TP_ASSIGN_OR_RETURN(auto params, unaryFloatAttrs(node));
  int64_t n = node.result(0)->type().numElements();
  if (n == 0)
    return absl::OkStatus();
  auto param = [&](double value) {
    return floatKernel ? cFloatLiteral(value, computeType(type)) : std::string("0");
  };
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.result(0)), ", ", n, ", ", param(params[0]), ", ",
                        param(params[1]), ");"));
  return absl::OkStatus();
}

/// The bounds are pointers (null when absent): operands, or compound
/// literals for the attributes of opset < 11.
absl::Status emitClip(const Node &node, CEmitContext &ctx) {
  DType type = node.operand(0)->type().dtype;
  std::string storage = cStorageType(type).str();
  std::string name = absl::StrCat("tp_clip_", cTypeSuffix(type));
  ctx.requireKernel(name, instantiateForType(ctx, R"(static void $NAME(const $S *x, $S *y, int32_t n, const $S *lo, const $S *hi) {
  int32_t i;
  const $T l = lo ? $LOAD(*lo) : ($T)0, h = hi ? $LOAD(*hi) : ($T)0;
  for (i = 0; i < n; ++i) {
    $T v = $LOAD(x[i]);
    if (lo && v < l)
      v = l;
    if (hi && v > h)
      v = h;
    y[i] = $STORE(v);
  }
}
)", type, {{"$NAME", name}}));
  std::string bounds[2];
  for (unsigned k = 0; k < 2; ++k) {
    if (ctx.opset() < 11) {
      // The attribute in the stored type (f16 bits for an f16 Clip).
      TP_ASSIGN_OR_RETURN(Tensor literal, clipAttributeBound(node, k == 1));
      bounds[k] = absl::StrCat("&(const ", storage, "){", cElementLiteral(literal, 0), "}");
    } else if (const Value *bound = node.operand(k + 1)) {
      bounds[k] = ctx.pointer(*bound);
    } else {
      bounds[k] = "0";
    }
  }
  int64_t n = node.result(0)->type().numElements();
  if (n > 0)
    ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                          ctx.pointer(*node.result(0)), ", ", n, ", ", bounds[0], ", ",
                          bounds[1], ");"));
  return absl::OkStatus();
}

/// The C of the broadcasting ops, element expressions of `a` and `b`: the
/// float form through broadcastExpr ($A / $B the operands in the type the
/// kernel computes in, $STORE the rounding back), the integer form with $T
/// the element type, and the unsigned one where it differs.
struct BroadcastC {
  const char *opType;
  const char *floatExpr;
  /// Unsigned arithmetic wraps where signed would overflow.
  const char *intExpr;
  const char *unsignedExpr = nullptr;
};

const BroadcastC kBroadcastC[] = {
    {"Add", "$STORE($A + $B)", "($T)((uint64_t)a + (uint64_t)b)"},
    {"Sub", "$STORE($A - $B)", "($T)((uint64_t)a - (uint64_t)b)"},
    {"Mul", "$STORE($A * $B)", "($T)((uint64_t)a * (uint64_t)b)"},
    // INT_MIN / -1 overflows in C; ONNX Runtime wraps.
    {"Div", "$STORE($A / $B)", "($T)(b == -1 ? (uint64_t)0 - (uint64_t)a : (uint64_t)(a / b))",
     "($T)(a / b)"},
    {"Sum", "$STORE($A + $B)", "($T)((uint64_t)a + (uint64_t)b)"},
    // Max and Min pick an operand's bits: no rounding even for f16.
    {"Max", "($A != $A || $A >= $B ? a : b)", "(a >= b ? a : b)"},
    {"Min", "($A != $A || $A <= $B ? a : b)", "(a <= b ? a : b)"},
};

/// Binary ops are one broadcast kernel; a variadic op folds its operands
/// into the result one at a time, starting with the one the result may
/// overwrite so that no operand is clobbered before it is read.
absl::Status emitBroadcast(const Node &node, CEmitContext &ctx, const BroadcastC &entry) {
  DType type = node.result(0)->type().dtype;
  std::string ctype = cStorageType(type).str();
  std::string expr;
  if (isFloat(type))
    expr = broadcastExpr(ctx, type, entry.floatExpr);
  else
    expr = !isSignedInteger(type) && entry.unsignedExpr ? entry.unsignedExpr : entry.intExpr;
  expr = absl::StrReplaceAll(expr, {{"$T", ctype}});
  // tp_<op>_<dtype> is the op's element function (kernels/activations.c).
  std::string name = absl::StrCat("tp_unary_", llvm::StringRef(entry.opType).lower(), "_",
                                  cTypeSuffix(type));
  const Value &result = *node.result(0);
  if (node.numOperands() == 1) {
    emitCopy(ctx, result, *node.operand(0));
    return absl::OkStatus();
  }
  llvm::SmallVector<const Value *, 4> order(node.operands().begin(), node.operands().end());
  std::optional<int64_t> resultOffset = ctx.arenaOffset(result);
  for (size_t k = 2; k < order.size(); ++k)
    if (resultOffset && ctx.arenaOffset(*order[k]) == resultOffset)
      std::swap(order[0], order[k]);
  TP_RETURN_IF_ERROR(
      emitBroadcastBinary(ctx, node, name, ctype, ctype, expr, *order[0], *order[1], result));
  for (size_t k = 2; k < order.size(); ++k)
    TP_RETURN_IF_ERROR(
        emitBroadcastBinary(ctx, node, name, ctype, ctype, expr, result, *order[k], result));
  return absl::OkStatus();
}

absl::Status emitPRelu(const Node &node, CEmitContext &ctx) {
  DType type = node.result(0)->type().dtype;
  std::string ctype = cStorageType(type).str();
  std::string name = absl::StrCat("tp_prelu_", cTypeSuffix(type));
  return emitBroadcastBinary(ctx, node, name, ctype, ctype,
                             broadcastExpr(ctx, type, "($A < 0 ? $STORE($B * $A) : a)"),
                             *node.operand(0), *node.operand(1), *node.result(0));
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  for (const UnaryC &entry : kUnaryC)
    registry.addPortable(entry.opType, [&entry](const Node &node, CEmitContext &ctx) {
      return emitUnary(node, ctx, entry);
    });
  for (const BroadcastC &entry : kBroadcastC)
    registry.addPortable(entry.opType, [&entry](const Node &node, CEmitContext &ctx) {
      return emitBroadcast(node, ctx, entry);
    });
  registry.addPortable("Clip", emitClip);
  registry.addPortable("PRelu", emitPRelu);
}

} // namespace tinyplan
