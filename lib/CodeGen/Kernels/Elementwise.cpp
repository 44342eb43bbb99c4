//===- Elementwise.cpp - C for the unary and broadcasting elementwise ops -===//
//
// The C of the elementwise families of lib/Ops/Elementwise.cpp: the unary
// loops of kernels/unary.c, each made for one op by putting the op's element
// function (kernels/unary.c, activations.c) in place of the loop's
// placeholder, and Clip's own loops; a table of element expressions for the
// broadcasting ops, each row registered as that op's kernel, and PRelu.
// f16 and bf16 compute in float, converted on load and rounded on store.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/Activations.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
namespace {

/// The unary ops: op type Foo has the element functions tp_foo_<type> of
/// kernels/ for the types it computes on.
const char *const kUnaryOps[] = {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid",
                                 "HardSwish", "Abs", "Neg", "Exp", "Sqrt"};

DType computeType(DType type) {
  return type == DType::F16 || type == DType::BF16 ? DType::F32 : type;
}

/// The element function tp_<op>_<type's suffix> of kernels/, or the
/// "unsupported" error when \p node's op has none for \p type.
absl::StatusOr<std::string> elementFunction(const Node &node, llvm::StringRef op,
                                            DType type) {
  std::string name = absl::StrCat("tp_", op.str(), "_", cTypeSuffix(type));
  if (!KernelLibrary::builtin().find(name))
    return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str()));
  return name;
}

/// The loop tp_unary{A}_<dtype> (A the number of float parameters, an
/// activation's, passed as alpha and beta) calling the op's element
/// function, in the type the loop computes in.
absl::Status emitUnary(const Node &node, CEmitContext &ctx, llvm::StringRef opType) {
  DType type = node.operand(0)->type().dtype;
  DType compute = computeType(type);
  std::string op = opType.lower();
  TP_ASSIGN_OR_RETURN(std::string element, elementFunction(node, op, compute));
  const ActivationInfo *activation = findActivation(opType);
  std::string arity = activation && !activation->params.empty()
                          ? absl::StrCat(activation->params.size())
                          : std::string();
  std::string name = requireKernelInstance(
      ctx, absl::StrCat("tp_unary", arity, "_", cTypeSuffix(type)),
      absl::StrCat("tp_unary_", op, "_", cTypeSuffix(type)),
      {{absl::StrCat("tp_unary", arity, "_op_", cTypeSuffix(compute)), element}});
  TP_ASSIGN_OR_RETURN(auto params, unaryFloatAttrs(node));
  int64_t n = node.result(0)->type().numElements();
  if (n == 0)
    return absl::OkStatus();
  auto param = [&](double value) {
    return isFloat(type) ? cFloatLiteral(value, compute) : std::string("0");
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
  std::string name =
      requireLibraryKernel(ctx, absl::StrCat("tp_unary_clip_", cTypeSuffix(type)));
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

/// How kernels compute on elements of a dtype: in the type itself, or for
/// f16 / bf16 in float, each element converted on load and rounded on
/// store. One IEEE operation (+, -, *, /, sqrt) in float rounded once to
/// f16 or bf16 is exactly that operation in the narrow type.
struct ElementC {
  DType compute;
  /// Functions wrapped around loads and stores; empty for plain types.
  std::string load, store;
};

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
  for (const char *opType : kUnaryOps)
    registry.addPortable(opType, [opType](const Node &node, CEmitContext &ctx) {
      return emitUnary(node, ctx, opType);
    });
  for (const BroadcastC &entry : kBroadcastC)
    registry.addPortable(entry.opType, [&entry](const Node &node, CEmitContext &ctx) {
      return emitBroadcast(node, ctx, entry);
    });
  registry.addPortable("Clip", emitClip);
  registry.addPortable("PRelu", emitPRelu);
}

} // namespace tinyplan
