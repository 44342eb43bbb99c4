//===- Elementwise.cpp - Unary activations and broadcasting arithmetic ----===//
//
// Three tables of elementwise ops: unary (Relu, Sigmoid, Erf, ...; result type =
// input type), binary with numpy broadcasting (Add, Sub, Mul, Div, Pow) and
// variadic with numpy broadcasting (Sum, Mean, Max, Min). Clip and PRelu have
// operands with their own rules and get their own classes.
//
// Folding exists because exporters compute Reshape targets with int64
// arithmetic (Mul of a Gather'd dim by a constant, Div by the batch size).
// Integer arithmetic wraps like two's complement; integer Div truncates
// toward zero as C and ONNX Runtime do (ONNX only says "integer division");
// division by zero is an error, not undefined behaviour. Float folding is
// done only where it is exact (one correctly rounded IEEE operation per
// element, computed in double and rounded once to the element type), so a
// folded value is bit-identical to what the target would compute; ops that
// would need libm (Exp, Tanh, Sigmoid, Pow, ...) are never folded. Mean
// folds as the target computes it: the sum rounded after every addition,
// then one division by the count.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/Activations.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

#include <cfloat>
#include <cmath>

namespace tinyplan {
namespace {

/// Element types an op accepts.
enum class TypeClass {
  Float,         ///< f16, bf16, f32, f64
  SignedNumeric, ///< floats and signed integers
  Numeric,       ///< floats and all integers (never bool)
};

bool accepts(TypeClass typeClass, DType type) {
  switch (typeClass) {
  case TypeClass::Float:
    return isFloat(type);
  case TypeClass::SignedNumeric:
    return isFloat(type) || isSignedInteger(type);
  case TypeClass::Numeric:
    return isFloat(type) || isInteger(type);
  }
  return false;
}

llvm::StringRef typeClassName(TypeClass typeClass) {
  switch (typeClass) {
  case TypeClass::Float:
    return "a float";
  case TypeClass::SignedNumeric:
    return "a float or signed integer";
  case TypeClass::Numeric:
    return "a numeric";
  }
  return "";
}

absl::Status requireTypeClass(const Node &node, unsigned index,
                              TypeClass typeClass) {
  const TensorType &type = node.operand(index)->type();
  if (!accepts(typeClass, type.dtype))
    return modelError("input ", index, " must be ", typeClassName(typeClass).str(),
                      " tensor, got ", type.str());
  return absl::OkStatus();
}

/// Reads an element for comparisons and integer arithmetic; u64 is compared
/// through its bit pattern's unsigned value.
bool lessThan(DType type, const Tensor &a, int64_t i, const Tensor &b, int64_t j) {
  if (isFloat(type))
    return a.doubleAt(i) < b.doubleAt(j);
  if (type == DType::U64)
    return uint64_t(a.intAt(i)) < uint64_t(b.intAt(j));
  return a.intAt(i) < b.intAt(j);
}

/// Builds the result of an elementwise op over broadcast operands, as a
/// splat when every operand is one. \p element computes one output element
/// from the operand element indices; it may fail (integer division by zero).
absl::StatusOr<Tensor> foldBroadcast(
    const TensorType &resultType, llvm::ArrayRef<const Tensor *> operands,
    llvm::function_ref<absl::Status(llvm::ArrayRef<int64_t>, uint8_t *)> element) {
  bool allSplat = true;
  for (const Tensor *operand : operands)
    allSplat &= operand->isSplat();
  if (allSplat) {
    llvm::SmallVector<int64_t, 4> zeros(operands.size(), 0);
    std::vector<uint8_t> bytes(size_t(dtypeSize(resultType.dtype)));
    TP_RETURN_IF_ERROR(element(zeros, bytes.data()));
    return Tensor::splat(resultType, bytes);
  }
  llvm::SmallVector<llvm::ArrayRef<int64_t>, 4> shapes;
  for (const Tensor *operand : operands)
    shapes.push_back(operand->shape());
  int64_t size = dtypeSize(resultType.dtype);
  std::vector<uint8_t> bytes(size_t(resultType.numBytes()));
  absl::Status status;
  forEachBroadcast(resultType.shape, shapes,
                   [&](int64_t out, llvm::ArrayRef<int64_t> in) {
                     if (status.ok())
                       status = element(in, bytes.data() + out * size);
                   });
  TP_RETURN_IF_ERROR(status);
  return Tensor(resultType, std::move(bytes));
}

/// The operands of an elementwise node that the result may overwrite: those
/// with exactly the result's type. Output element i then sits where that
/// operand's element i was, and a broadcasting kernel reads it (and the
/// broadcast elements of the others, which live elsewhere) before writing.
llvm::SmallVector<unsigned, 2> fullShapeOperands(const Node &node) {
  llvm::SmallVector<unsigned, 2> result;
  const TensorType &type = node.result(0)->type();
  for (unsigned i = 0; i < node.numOperands(); ++i)
    if (const Value *operand = node.operand(i))
      if (operand->type() == type)
        result.push_back(i);
  return result;
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

struct UnaryInfo {
  const char *opType;
  TypeClass types;
  /// Exact element functions for folding; both null when the op is not folded.
  int64_t (*foldInt)(int64_t);
  double (*foldFloat)(double);
  /// The com.microsoft op a QDQ group around it becomes (qdqFusion).
  const char *qlinearOp = nullptr;
};

/// The activations among them (Relu ... HardSwish) take their float
/// attributes and fusability from the activation table (Ops/Activations.h).
const UnaryInfo kUnaryOps[] = {
    // Integer Relu exists since opset 14; earlier opsets never see it.
    {"Relu", TypeClass::SignedNumeric,
     [](int64_t x) { return x < 0 ? int64_t(0) : x; },
     // -0 becomes +0 (as "x > 0 ? x : 0" in C); NaN stays NaN.
     [](double x) { return x > 0 || std::isnan(x) ? x : 0.0; }},
    {"LeakyRelu", TypeClass::Float, nullptr, nullptr, "QLinearLeakyRelu"},
    {"Sigmoid", TypeClass::Float, nullptr, nullptr, "QLinearSigmoid"},
    {"Tanh", TypeClass::Float, nullptr, nullptr},
    {"HardSigmoid", TypeClass::Float, nullptr, nullptr},
    {"HardSwish", TypeClass::Float, nullptr, nullptr},
    // Two's complement: Abs and Neg of the minimum value are the minimum.
    {"Abs", TypeClass::Numeric,
     [](int64_t x) { return x < 0 ? int64_t(0 - uint64_t(x)) : x; },
     [](double x) { return std::fabs(x); }},
    {"Neg", TypeClass::SignedNumeric,
     [](int64_t x) { return int64_t(0 - uint64_t(x)); },
     [](double x) { return -x; }},
    {"Exp", TypeClass::Float, nullptr, nullptr},
    {"Sqrt", TypeClass::Float, nullptr, nullptr},
    {"Elu", TypeClass::Float, nullptr, nullptr},
    {"Selu", TypeClass::Float, nullptr, nullptr},
    {"Celu", TypeClass::Float, nullptr, nullptr},
    {"ThresholdedRelu", TypeClass::Float, nullptr, nullptr},
    {"Softplus", TypeClass::Float, nullptr, nullptr},
    {"Softsign", TypeClass::Float, nullptr, nullptr},
    {"Mish", TypeClass::Float, nullptr, nullptr},
    {"Log", TypeClass::Float, nullptr, nullptr},
    {"Erf", TypeClass::Float, nullptr, nullptr},
    {"Reciprocal", TypeClass::Float, nullptr, nullptr},
    {"Floor", TypeClass::Float, nullptr, nullptr},
    {"Ceil", TypeClass::Float, nullptr, nullptr},
    {"Round", TypeClass::Float, nullptr, nullptr},
    // Opset 20; attribute approximate = "none" (erf) or "tanh".
    {"Gelu", TypeClass::Float, nullptr, nullptr},
};

/// The float attributes of a unary op: an activation's parameters.
llvm::ArrayRef<ActivationParam> floatAttrs(llvm::StringRef opType) {
  const ActivationInfo *activation = findActivation(opType);
  return activation ? activation->params : llvm::ArrayRef<ActivationParam>();
}

} // namespace

absl::StatusOr<std::array<double, 2>> unaryFloatAttrs(const Node &node,
                                                      llvm::StringRef opType) {
  std::array<double, 2> values = {0, 0};
  llvm::ArrayRef<ActivationParam> params =
      floatAttrs(opType.empty() ? llvm::StringRef(node.opType()) : opType);
  for (size_t k = 0; k < params.size() && k < 2; ++k) {
    TP_ASSIGN_OR_RETURN(float value, node.getFloat(params[k].attr, params[k].dflt));
    values[k] = value;
  }
  return values;
}

namespace {

class UnaryOp final : public OpDef {
public:
  explicit UnaryOp(const UnaryInfo &info) : OpDef(info.opType, 1, 1), info_(info) {}

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    return elementwisePatch(node, {0});
  }

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_RETURN_IF_ERROR(requireTypeClass(node, 0, info_.types));
    // Reading the attributes checks their kinds.
    for (const ActivationParam &param : floatAttrs(info_.opType))
      TP_RETURN_IF_ERROR(node.getFloat(param.attr, param.dflt).status());
    if (info_.opType == llvm::StringRef("Gelu")) {
      TP_ASSIGN_OR_RETURN(std::string approximate, node.getString("approximate", "none"));
      if (approximate != "none" && approximate != "tanh")
        return modelError("approximate must be 'none' or 'tanh', got '", approximate, "'");
    }
    return TypeList{node.operand(0)->type()};
  }

  bool canFold() const override { return info_.foldInt != nullptr; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const Tensor &input = *operands[0];
    const TensorType &type = node.result(0)->type();
    bool isFloatType = isFloat(type.dtype);
    // Abs of a u64 above INT64_MAX must not see it as negative.
    bool isUnsigned = isInteger(type.dtype) && !isSignedInteger(type.dtype);
    TP_ASSIGN_OR_RETURN(
        Tensor result,
        foldBroadcast(type, {&input},
                      [&](llvm::ArrayRef<int64_t> in, uint8_t *out) {
                        if (isFloatType)
                          storeDoubleElement(type.dtype, out,
                                             info_.foldFloat(input.doubleAt(in[0])));
                        else if (isUnsigned && info_.opType == llvm::StringRef("Abs"))
                          storeIntElement(type.dtype, out, input.intAt(in[0]));
                        else
                          storeIntElement(type.dtype, out,
                                          info_.foldInt(input.intAt(in[0])));
                        return absl::OkStatus();
                      }));
    return TensorList{std::move(result)};
  }

  /// y[i] depends on x[i] only.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &,
                                                 unsigned) const override {
    return {0};
  }

  /// Float activations only: an integer Relu stays a node of its own.
  std::optional<FusedActivation> fusableActivation(const Node &node) const override {
    if (!findActivation(info_.opType) || !isFloat(node.operand(0)->type().dtype))
      return std::nullopt;
    FusedActivation activation{info_.opType, {}};
    // Attribute "alpha" becomes "fused_alpha", with the ONNX default
    // written out so the kernel never needs to know it.
    for (const ActivationParam &param : floatAttrs(info_.opType)) {
      absl::StatusOr<float> value = node.getFloat(param.attr, param.dflt);
      if (!value.ok())
        return std::nullopt;
      activation.params.emplace_back(param.fused, *value);
    }
    return activation;
  }

  // ONNX Runtime's com.microsoft op where it has one; otherwise tinyplan's
  // QLinearUnary, the three nodes' arithmetic per element (ONNX Runtime
  // runs such a group in float, with the same result).
  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    if (info_.qlinearOp)
      return QdqFusion{QdqFusion::Kind::Unary, info_.qlinearOp, "com.microsoft"};
    QdqFusion fusion(QdqFusion::Kind::Unary, "QLinearUnary", "tinyplan");
    fusion.extraAttributes.emplace_back("op", Attribute(std::string(info_.opType)));
    return fusion;
  }

private:
  const UnaryInfo &info_;
};

//===----------------------------------------------------------------------===//
// Clip
//===----------------------------------------------------------------------===//

} // namespace

absl::StatusOr<Tensor> clipAttributeBound(const Node &node, bool upper) {
  DType dtype = node.operand(0)->type().dtype;
  TP_ASSIGN_OR_RETURN(float value,
                      node.getFloat(upper ? "max" : "min", upper ? FLT_MAX : -FLT_MAX));
  uint8_t bytes[8];
  storeDoubleElement(dtype, bytes, value);
  return Tensor::splat(TensorType(dtype, {}),
                       llvm::ArrayRef<uint8_t>(bytes, size_t(dtypeSize(dtype))));
}

namespace {

/// Clip(input, min?, max?). Before opset 11 the bounds are float attributes;
/// since then they are optional scalar inputs, which must be constants here
/// because the generated kernel takes them as literals.
class ClipOp final : public OpDef {
public:
  ClipOp() : OpDef("Clip", 1, 3) {}

  /// The bounds are constants (inferTypes).
  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    return elementwisePatch(node, {0});
  }

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    // Integer Clip exists since opset 12.
    TP_RETURN_IF_ERROR(requireTypeClass(
        node, 0, opset >= 12 ? TypeClass::Numeric : TypeClass::Float));
    const TensorType &type = node.operand(0)->type();
    if (opset < 11) {
      if (node.operand(1) || node.operand(2))
        return modelError("min and max are attributes before opset 11, not inputs");
      TP_RETURN_IF_ERROR(node.getFloat("min", -FLT_MAX).status());
      TP_RETURN_IF_ERROR(node.getFloat("max", FLT_MAX).status());
      return TypeList{type};
    }
    static const char *const kRoles[] = {"", "min", "max"};
    for (unsigned i = 1; i <= 2; ++i) {
      const Value *bound = node.operand(i);
      if (!bound)
        continue;
      // ONNX says scalar; exporters sometimes write shape [1].
      if (bound->type().numElements() != 1 || bound->type().rank() > 1)
        return modelError("input '", kRoles[i], "' must be a scalar, got ",
                          bound->type().str());
      if (bound->type().dtype != type.dtype)
        return modelError("input '", kRoles[i], "' has type ",
                          dtypeName(bound->type().dtype).str(), ", input has ",
                          dtypeName(type.dtype).str());
    }
    return TypeList{type};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t opset) const override {
    const Tensor &input = *operands[0];
    const TensorType &type = node.result(0)->type();
    DType dtype = type.dtype;
    // Bounds as one-element tensors of the input's dtype, or null.
    std::optional<Tensor> attrBounds[2];
    const Tensor *bounds[2] = {nullptr, nullptr};
    if (opset < 11) {
      for (int k = 0; k < 2; ++k) {
        TP_ASSIGN_OR_RETURN(attrBounds[k], clipAttributeBound(node, k == 1));
        bounds[k] = &*attrBounds[k];
      }
    } else {
      bounds[0] = operands.size() > 1 ? operands[1] : nullptr;
      bounds[1] = operands.size() > 2 ? operands[2] : nullptr;
    }
    int64_t size = dtypeSize(dtype);
    TP_ASSIGN_OR_RETURN(
        Tensor result,
        foldBroadcast(type, {&input}, [&](llvm::ArrayRef<int64_t> in, uint8_t *out) {
          // max(x, min) then min(., max): with min > max every element
          // becomes max, as ONNX specifies. NaN stays NaN.
          const Tensor *source = &input;
          int64_t index = in[0];
          if (bounds[0] && lessThan(dtype, *source, index, *bounds[0], 0)) {
            source = bounds[0];
            index = 0;
          }
          if (bounds[1] && lessThan(dtype, *bounds[1], 0, *source, index)) {
            source = bounds[1];
            index = 0;
          }
          const uint8_t *bytes =
              source->rawBytes().data() + (source->isSplat() ? 0 : index * size);
          std::memcpy(out, bytes, size_t(size));
          return absl::OkStatus();
        }));
    return TensorList{std::move(result)};
  }

  /// The bounds are not learned parameters.
  OpCost cost(const Node &node) const override { return dataOperandCost(node, {0}); }

  /// A float Clip whose bounds are constants that a float attribute holds
  /// exactly (Relu6 and the like); an absent bound stays absent.
  std::optional<FusedActivation> fusableActivation(const Node &node) const override {
    const TensorType &type = node.operand(0)->type();
    if (!isFloat(type.dtype))
      return std::nullopt;
    FusedActivation activation{"Clip", {}};
    llvm::ArrayRef<ActivationParam> params = findActivation("Clip")->params;
    for (unsigned k = 0; k < 2; ++k) {
      double bound;
      if (node.hasAttr(k == 0 ? "min" : "max")) {
        // Before opset 11: float attributes (inference checked the kind).
        absl::StatusOr<float> value = node.getFloat(k == 0 ? "min" : "max", 0.0f);
        if (!value.ok())
          return std::nullopt;
        bound = *value;
      } else if (const Value *operand = node.operand(k + 1)) {
        if (!operand->constant())
          return std::nullopt;
        bound = operand->constant()->doubleAt(0);
      } else {
        continue;
      }
      if (double(float(bound)) != bound && !std::isnan(bound))
        return std::nullopt;
      activation.params.emplace_back(params[k].fused, float(bound));
    }
    return activation;
  }

  /// y[i] depends on x[i] and the constant bounds only.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &,
                                                 unsigned) const override {
    return {0};
  }
};

//===----------------------------------------------------------------------===//
// Binary and variadic broadcasting ops
//===----------------------------------------------------------------------===//

/// Integer element function on values read with Tensor::intAt; returns false
/// when the result is undefined (division by zero).
using IntFn = bool (*)(DType, int64_t, int64_t, int64_t &);
using FloatFn = double (*)(double, double);

uint64_t asUnsigned(int64_t v) { return uint64_t(v); }

struct BroadcastInfo {
  const char *opType;
  TypeClass types;
  /// Operand count: binary ops take exactly two, variadic ones 1..kMaxVariadic.
  bool variadic;
  IntFn intFn;
  FloatFn floatFn;
  /// Whether a constant operand is a bias (Add): see biasAddOperand.
  bool isBiasAdd = false;
  /// The com.microsoft op a QDQ group around it becomes (qdqFusion).
  const char *qlinearOp = nullptr;
  /// Mean: the folded sum divided by the operand count.
  bool divideByCount = false;
  /// Pow since opset 12: operand 1 (the exponent) may have another numeric
  /// type than operand 0, whose type the result has.
  bool ownExponentType = false;
};

constexpr unsigned kMaxVariadic = 1 << 16;

const BroadcastInfo kBroadcastOps[] = {
    {"Add", TypeClass::Numeric, false,
     [](DType, int64_t a, int64_t b, int64_t &r) {
       r = int64_t(asUnsigned(a) + asUnsigned(b));
       return true;
     },
     [](double a, double b) { return a + b; }, true, "QLinearAdd"},
    {"Sub", TypeClass::Numeric, false,
     [](DType, int64_t a, int64_t b, int64_t &r) {
       r = int64_t(asUnsigned(a) - asUnsigned(b));
       return true;
     },
     [](double a, double b) { return a - b; }},
    {"Mul", TypeClass::Numeric, false,
     [](DType, int64_t a, int64_t b, int64_t &r) {
       r = int64_t(asUnsigned(a) * asUnsigned(b));
       return true;
     },
     [](double a, double b) { return a * b; }, false, "QLinearMul"},
    {"Div", TypeClass::Numeric, false,
     [](DType type, int64_t a, int64_t b, int64_t &r) {
       if (b == 0)
         return false;
       if (type == DType::U64)
         r = int64_t(asUnsigned(a) / asUnsigned(b));
       else if (a == INT64_MIN && b == -1)
         r = INT64_MIN; // wraps, as the other ops do
       else
         r = a / b; // C++ truncates toward zero
       return true;
     },
     [](double a, double b) { return a / b; }},
    // Sum and Mean are float-only in ONNX.
    {"Sum", TypeClass::Float, true, nullptr,
     [](double a, double b) { return a + b; }},
    {"Mean", TypeClass::Float, true, nullptr,
     [](double a, double b) { return a + b; }, false, nullptr, /*divideByCount=*/true},
    // Integer bases since opset 12. Not folded: powf is not one exactly
    // rounded operation.
    {"Pow", TypeClass::Numeric, false, nullptr, nullptr, false, nullptr, false,
     /*ownExponentType=*/true},
    {"Max", TypeClass::Numeric, true,
     [](DType type, int64_t a, int64_t b, int64_t &r) {
       r = (type == DType::U64 ? asUnsigned(a) < asUnsigned(b) : a < b) ? b : a;
       return true;
     },
     [](double a, double b) { return std::isnan(a) || a >= b ? a : b; }},
    {"Min", TypeClass::Numeric, true,
     [](DType type, int64_t a, int64_t b, int64_t &r) {
       r = (type == DType::U64 ? asUnsigned(b) < asUnsigned(a) : b < a) ? b : a;
       return true;
     },
     [](double a, double b) { return std::isnan(a) || a <= b ? a : b; }},
};

/// Rounds \p value to the nearest value of float type \p dtype, so a chain
/// of operations (variadic Sum) rounds after every step as the target does.
double roundTo(DType dtype, double value) {
  uint8_t bytes[8];
  storeDoubleElement(dtype, bytes, value);
  return Tensor::splat(TensorType(dtype, {}),
                       llvm::ArrayRef<uint8_t>(bytes, size_t(dtypeSize(dtype))))
      .doubleAt(0);
}

/// Wraps \p value into integer type \p dtype and reads it back as intAt would.
int64_t wrapTo(DType dtype, int64_t value) {
  uint8_t bytes[8];
  storeIntElement(dtype, bytes, value);
  return Tensor::splat(TensorType(dtype, {}),
                       llvm::ArrayRef<uint8_t>(bytes, size_t(dtypeSize(dtype))))
      .intAt(0);
}

class BroadcastOp final : public OpDef {
public:
  explicit BroadcastOp(const BroadcastInfo &info)
      : OpDef(info.opType, info.variadic ? 1 : 2, info.variadic ? kMaxVariadic : 2),
        info_(info) {}

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t) const override {
    llvm::SmallVector<unsigned, 4> operands;
    for (unsigned i = 0; i < node.numOperands(); ++i)
      operands.push_back(i);
    return elementwisePatch(node, operands);
  }

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &first = node.operand(0)->type();
    TP_RETURN_IF_ERROR(requireTypeClass(node, 0, info_.types));
    // Before opset 7 broadcasting was opt-in and could be anchored at an
    // axis; without 'axis' it matches numpy's right alignment.
    if (opset < 7 && node.hasAttr("axis"))
      return modelError("legacy broadcasting with 'axis' (opset < 7) is not "
                        "supported");
    Shape shape(first.shape.begin(), first.shape.end());
    for (unsigned i = 1; i < node.numOperands(); ++i) {
      const Value *operand = node.operand(i);
      if (!operand)
        return modelError("input ", i, " is missing");
      if (info_.ownExponentType && opset >= 12)
        TP_RETURN_IF_ERROR(requireTypeClass(node, i, TypeClass::Numeric));
      else if (operand->type().dtype != first.dtype)
        return modelError("input ", i, " has type ", operand->type().str(),
                          ", input 0 has ", first.str());
      TP_ASSIGN_OR_RETURN(shape, broadcastShapes(shape, operand->type().shape));
    }
    return TypeList{TensorType(first.dtype, shape)};
  }

  bool canFold() const override { return info_.intFn || info_.floatFn; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const TensorType &type = node.result(0)->type();
    DType dtype = type.dtype;
    bool floatType = isFloat(dtype);
    if (!floatType && !info_.intFn)
      return modelError(info_.opType, " of ", dtypeName(dtype).str(),
                        " cannot be evaluated at compile time");
    TP_ASSIGN_OR_RETURN(
        Tensor result,
        foldBroadcast(type, operands, [&](llvm::ArrayRef<int64_t> in, uint8_t *out) {
          if (floatType) {
            double acc = operands[0]->doubleAt(in[0]);
            for (size_t k = 1; k < operands.size(); ++k)
              acc = roundTo(dtype, info_.floatFn(acc, operands[k]->doubleAt(in[k])));
            if (info_.divideByCount)
              acc /= double(operands.size());
            storeDoubleElement(dtype, out, acc);
            return absl::OkStatus();
          }
          int64_t acc = operands[0]->intAt(in[0]);
          for (size_t k = 1; k < operands.size(); ++k) {
            int64_t next;
            if (!info_.intFn(dtype, acc, operands[k]->intAt(in[k]), next))
              return modelError("integer division by zero");
            // Narrow types wrap after every step, as on the target.
            acc = wrapTo(dtype, next);
          }
          storeIntElement(dtype, out, acc);
          return absl::OkStatus();
        }));
    return TensorList{std::move(result)};
  }

  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &node,
                                                 unsigned) const override {
    return fullShapeOperands(node);
  }

  /// Add(x, c) or Add(c, x) with c constant and the result of x's type: a
  /// bias, which BatchNormalization folding may rewrite.
  std::optional<unsigned> biasAddOperand(const Node &node) const override {
    if (!info_.isBiasAdd || node.numOperands() != 2)
      return std::nullopt;
    for (unsigned k = 0; k < 2; ++k) {
      const Value *bias = node.operand(k), *data = node.operand(1 - k);
      if (bias->isConstant() && !data->isConstant() &&
          data->type() == node.result(0)->type())
        return k;
    }
    return std::nullopt;
  }

  std::optional<QdqFusion> qdqFusion(const Node &, int64_t) const override {
    if (!info_.qlinearOp)
      return std::nullopt;
    return QdqFusion{QdqFusion::Kind::Binary, info_.qlinearOp, "com.microsoft"};
  }

private:
  const BroadcastInfo &info_;
};

//===----------------------------------------------------------------------===//
// PRelu
//===----------------------------------------------------------------------===//

} // namespace

Shape preluSlopeShape(const Node &node, int64_t opset) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &slope = node.operand(1)->type();
  if (opset >= 7 || slope.rank() != 1 || slope.shape[0] == 1 || input.rank() < 2 ||
      slope.shape[0] != input.shape[1])
    return slope.shape;
  Shape shape(size_t(input.rank() - 1), 1);
  shape[0] = slope.shape[0];
  return shape;
}

namespace {

/// PRelu(X, slope): slope broadcasts to X in one direction only, so the
/// result always has X's shape. Before opset 7 a 1-D slope is per channel
/// (preluSlopeShape).
class PReluOp final : public OpDef {
public:
  PReluOp() : OpDef("PRelu", 2, 2) {}

  std::optional<PatchWindow> patchWindow(const Node &node, int64_t opset) const override {
    // Before opset 7 a 1-D slope is per channel, not right-aligned.
    if (opset < 7)
      return std::nullopt;
    return elementwisePatch(node, {0, 1});
  }

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    TP_RETURN_IF_ERROR(requireTypeClass(node, 0, TypeClass::SignedNumeric));
    const TensorType &input = node.operand(0)->type();
    const TensorType &slope = node.operand(1)->type();
    if (slope.dtype != input.dtype)
      return modelError("slope has type ", slope.str(), ", input has ", input.str());
    absl::StatusOr<Shape> shape = broadcastShapes(input.shape, preluSlopeShape(node, opset));
    if (!shape.ok() || *shape != input.shape)
      return modelError("slope ", slope.str(),
                        " does not broadcast to the input shape ", input.str());
    return TypeList{input};
  }

  /// X always has the result's shape; the slope never writable (it
  /// broadcasts, and is a constant in practice).
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &node,
                                                 unsigned) const override {
    return fullShapeOperands(node);
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const UnaryInfo &info : kUnaryOps)
    registry.add(std::make_unique<UnaryOp>(info));
  for (const BroadcastInfo &info : kBroadcastOps)
    registry.add(std::make_unique<BroadcastOp>(info));
  registry.add(std::make_unique<ClipOp>());
  registry.add(std::make_unique<PReluOp>());
}

} // namespace tinyplan
