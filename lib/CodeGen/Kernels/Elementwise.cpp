//===- Elementwise.cpp - C for the unary and broadcasting elementwise ops -===//
//
// The C of the elementwise families of lib/Ops/Elementwise.cpp: the loops of
// kernels/unary.c and kernels/binary.c, each made for one op by putting the
// op's element function (kernels/unary.c, binary.c, activations.c) in place
// of the loop's placeholder, and Clip's own loops. A table of op types for
// each family registers them; PRelu is a binary op. f16 and bf16 compute in
// float: the unary loops widen, call the f32 element function and round back,
// the binary element functions of f16 and bf16 do that themselves.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/Activations.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// The unary ops: op type Foo has the element functions tp_foo_<type> of
/// kernels/ for the types it computes on.
const char *const kUnaryOps[] = {
    "Relu",     "LeakyRelu", "Sigmoid", "Tanh",  "HardSigmoid", "HardSwish",  "Abs",
    "Neg",      "Exp",       "Sqrt",    "Elu",   "Selu",        "Celu",       "ThresholdedRelu",
    "Softplus", "Softsign",  "Mish",    "Log",   "Erf",         "Reciprocal", "Floor",
    "Ceil",     "Round",     "Gelu"};

DType computeType(DType type) {
  return type == DType::F16 || type == DType::BF16 ? DType::F32 : type;
}

/// What a unary loop applies: the element function in the type the loop
/// computes in, the loop's arity suffix (the number of float parameters,
/// an activation's, passed as alpha and beta: "", "1" or "2") and their
/// values. Gelu's element function follows its attribute approximate:
/// tp_gelu_* (erf) or tp_gelu_tanh_*.
struct UnaryElement {
  std::string op, function, arity;
  std::array<double, 2> params;
};

absl::StatusOr<UnaryElement> unaryElement(const Node &node, llvm::StringRef opType,
                                          DType compute) {
  std::string op = opType.lower();
  if (node.hasAttr("approximate")) {
    TP_ASSIGN_OR_RETURN(std::string approximate, node.getString("approximate", "none"));
    if (approximate == "tanh")
      op += "_tanh";
  }
  UnaryElement element;
  element.op = op;
  TP_ASSIGN_OR_RETURN(element.function, typedKernelName(node, op, compute));
  const ActivationInfo *activation = findActivation(opType);
  if (activation && !activation->params.empty())
    element.arity = absl::StrCat(activation->params.size());
  TP_ASSIGN_OR_RETURN(element.params, unaryFloatAttrs(node, opType));
  return element;
}

/// The loop tp_unary{A}_<dtype> calling the op's element function.
absl::Status emitUnary(const Node &node, CEmitContext &ctx, llvm::StringRef opType) {
  DType type = node.operand(0)->type().dtype;
  DType compute = computeType(type);
  TP_ASSIGN_OR_RETURN(UnaryElement element, unaryElement(node, opType, compute));
  std::string name = requireKernelInstance(
      ctx, absl::StrCat("tp_unary", element.arity, "_", cTypeSuffix(type)),
      absl::StrCat("tp_unary_", element.op, "_", cTypeSuffix(type)),
      {{absl::StrCat("tp_unary", element.arity, "_op_", cTypeSuffix(compute)),
        element.function}});
  int64_t n = node.result(0)->type().numElements();
  if (n == 0)
    return absl::OkStatus();
  auto param = [&](double value) {
    return isFloat(type) ? cFloatLiteral(value, compute) : std::string("0");
  };
  ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.result(0)), ", ", n, ", ", param(element.params[0]),
                        ", ", param(element.params[1]), ");"));
  return absl::OkStatus();
}

/// Scratch of a tinyplan QLinearUnary: a 256-entry table when the tensor has
/// more than 512 elements (filling it costs 256 element functions).
int64_t qdqUnaryScratch(const Node &node) {
  return node.result(0)->type().numElements() > 512 ? 256 : 0;
}

/// tinyplan QLinearUnary: the loop tp_qdq_unary{A}_<i8|u8> calling the
/// float op's f32 element function between dequantizing and quantizing.
absl::Status emitQLinearUnary(const Node &node, CEmitContext &ctx) {
  DType type = node.operand(0)->type().dtype;
  TP_ASSIGN_OR_RETURN(std::string opType, node.getString("op", ""));
  TP_ASSIGN_OR_RETURN(UnaryElement element, unaryElement(node, opType, DType::F32));
  std::string name = requireKernelInstance(
      ctx, absl::StrCat("tp_qdq_unary", element.arity, "_", cTypeSuffix(type)),
      absl::StrCat("tp_qdq_unary_", element.op, "_", cTypeSuffix(type)),
      {{absl::StrCat("tp_unary", element.arity, "_op_f32"), element.function}});
  int64_t n = node.result(0)->type().numElements();
  if (n == 0)
    return absl::OkStatus();
  auto zeroPoint = [&](unsigned i) {
    return absl::StrCat("(int32_t)", ctx.pointer(*node.operand(i)), "[0]");
  };
  auto call = [&](const std::string &x, const std::string &y, int64_t count) {
    return absl::StrCat(name, "(", x, ", ", y, ", ", count, ", ", ctx.pointer(*node.operand(1)),
                        "[0], ", zeroPoint(2), ", ", ctx.pointer(*node.operand(3)), "[0], ",
                        zeroPoint(4), ", ", cFloatLiteral(element.params[0], DType::F32), ", ",
                        cFloatLiteral(element.params[1], DType::F32), ");");
  };
  if (qdqUnaryScratch(node) == 0) {
    ctx.emit(call(ctx.pointer(*node.operand(0)), ctx.pointer(*node.result(0)), n));
    return absl::OkStatus();
  }
  // More elements than values: the loop fills a table of all 256, then a
  // lookup per element.
  std::string lookup = requireLibraryKernel(ctx, absl::StrCat("tp_qdq_lookup_", cTypeSuffix(type)));
  std::string table = ctx.scratchPointer(node, std::string(cStorageType(type)));
  ctx.emit(absl::StrCat("{\n  ", lookup, "(0, 0, 0, ", table, ", 1);\n  ", call(table, table, 256),
                        "\n  ", lookup, "(", ctx.pointer(*node.operand(0)), ", ",
                        ctx.pointer(*node.result(0)), ", ", n, ", ", table, ", 0);\n}"));
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

/// The broadcasting ops and the element functions tp_<op>_<dtype> of
/// kernels/binary.c they apply.
struct BroadcastC {
  const char *opType;
  const char *op;
  /// Mean: the sum of the operands divided by their count.
  bool divideByCount = false;
};

const BroadcastC kBroadcastC[] = {
    {"Add", "add"}, {"Sub", "sub"}, {"Mul", "mul"}, {"Div", "div"}, {"Pow", "pow"},
    {"Sum", "add"}, {"Mean", "add", true}, {"Max", "max"}, {"Min", "min"},
};

/// Binary ops are one broadcast kernel; a variadic op folds its operands
/// into the result one at a time, starting with the one the result may
/// overwrite so that no operand is clobbered before it is read. Mean then
/// divides the sum by the operand count in place (kernels/binary.c).
absl::Status emitBroadcast(const Node &node, CEmitContext &ctx, const BroadcastC &entry) {
  DType type = node.result(0)->type().dtype;
  const Value &result = *node.result(0);
  // Pow's exponent may have its own type (opset 12); the kernels take one.
  for (const Value *operand : node.operands())
    if (operand->type().dtype != type)
      return unsupportedKernel(node, absl::StrCat("an operand of type ",
                                                  dtypeName(operand->type().dtype).str(),
                                                  " and a result of type ",
                                                  dtypeName(type).str()));
  std::optional<std::string> divide;
  if (entry.divideByCount && node.numOperands() > 1) {
    TP_ASSIGN_OR_RETURN(divide, typedKernelName(node, "mean_div", type));
  }
  if (node.numOperands() == 1) {
    emitCopy(ctx, result, *node.operand(0));
    return absl::OkStatus();
  }
  TP_ASSIGN_OR_RETURN(std::string element, typedKernelName(node, entry.op, type));
  llvm::SmallVector<const Value *, 4> order(node.operands().begin(), node.operands().end());
  std::optional<int64_t> resultOffset = ctx.arenaOffset(result);
  for (size_t k = 2; k < order.size(); ++k)
    if (resultOffset && ctx.arenaOffset(*order[k]) == resultOffset)
      std::swap(order[0], order[k]);
  TP_RETURN_IF_ERROR(emitBroadcastBinary(ctx, node, element, type, *order[0], *order[1], result));
  for (size_t k = 2; k < order.size(); ++k)
    TP_RETURN_IF_ERROR(emitBroadcastBinary(ctx, node, element, type, result, *order[k], result));
  int64_t n = result.type().numElements();
  if (divide && n > 0)
    ctx.emit(absl::StrCat(requireLibraryKernel(ctx, *divide), "(", ctx.pointer(result), ", ",
                          n, ", ", node.numOperands(), ");"));
  return absl::OkStatus();
}

absl::Status emitPRelu(const Node &node, CEmitContext &ctx) {
  DType type = node.result(0)->type().dtype;
  TP_ASSIGN_OR_RETURN(std::string element, typedKernelName(node, "prelu", type));
  Shape slope = preluSlopeShape(node, ctx.opset());
  return emitBroadcastBinary(ctx, node, element, type, *node.operand(0), *node.operand(1),
                             *node.result(0), &slope);
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  for (const char *opType : kUnaryOps)
    registry.addPortable(
        opType,
        [opType](const Node &node, CEmitContext &ctx) { return emitUnary(node, ctx, opType); },
        sameLayoutRule);
  // The broadcasting loops address every operand through the node's layout.
  for (const BroadcastC &entry : kBroadcastC)
    registry.addPortable(
        entry.opType,
        [&entry](const Node &node, CEmitContext &ctx) { return emitBroadcast(node, ctx, entry); },
        sameLayoutRule);
  registry.addPortable("Clip", emitClip, sameLayoutRule);
  KernelImpl qdqUnary;
  qdqUnary.domain = "tinyplan";
  qdqUnary.opType = "QLinearUnary";
  qdqUnary.name = "portable";
  qdqUnary.emit = emitQLinearUnary;
  qdqUnary.layouts = sameLayoutRule;
  qdqUnary.scratchBytes = qdqUnaryScratch;
  registry.add(std::move(qdqUnary));
  registry.addPortable("PRelu", emitPRelu, sameLayoutRule);
}

} // namespace tinyplan
