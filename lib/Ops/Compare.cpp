//===- Compare.cpp - ONNX comparisons and logical ops -----------------------===//
//
// One table of the broadcasting ops whose result is bool: the comparisons
// Equal, Less, Greater, LessOrEqual and GreaterOrEqual of two operands of one
// element type, and And, Or and Xor of bools; plus Not. Operands broadcast
// numpy-style (opset 7 on; before it, as numpy too, a legacy `axis` being
// refused as for the arithmetic ops).
//
// Element types, as ONNX allows them: Equal of bool, i32 and i64 before
// opset 11, of every numeric type and bool since; Less and Greater of f16,
// f32 and f64 before opset 9, of every numeric type since; LessOrEqual and
// GreaterOrEqual exist from opset 12 on, of every numeric type. Floats
// compare as IEEE says (NaN equal to nothing, -0 == +0).
//
// All of them fold exactly: exporters compute masks of shapes with Equal
// and Where.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {
namespace {

enum class CompareKind { Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Xor };

struct CompareRow {
  const char *opType;
  CompareKind kind;
  /// The first opset that has the op.
  int64_t since;
  /// The opset from which every numeric type is allowed; before it, only
  /// the types of \p earlyTypes.
  int64_t allNumericSince;
  bool (*earlyTypes)(DType);
  /// Whether bool operands are allowed (from allNumericSince on for Equal).
  bool acceptsBool;
};

bool boolOnly(DType type) { return type == DType::Bool; }
bool equalEarly(DType type) {
  return type == DType::Bool || type == DType::I32 || type == DType::I64;
}
bool floatEarly(DType type) {
  return type == DType::F16 || type == DType::F32 || type == DType::F64;
}

constexpr CompareRow kCompareOps[] = {
    {"Equal", CompareKind::Equal, 1, 11, equalEarly, true},
    {"Less", CompareKind::Less, 1, 9, floatEarly, false},
    {"Greater", CompareKind::Greater, 1, 9, floatEarly, false},
    {"LessOrEqual", CompareKind::LessOrEqual, 12, 12, nullptr, false},
    {"GreaterOrEqual", CompareKind::GreaterOrEqual, 12, 12, nullptr, false},
    // Logical ops: bool only, in every opset.
    {"And", CompareKind::And, 1, INT64_MAX, boolOnly, true},
    {"Or", CompareKind::Or, 1, INT64_MAX, boolOnly, true},
    {"Xor", CompareKind::Xor, 1, INT64_MAX, boolOnly, true},
};

bool typeAllowed(const CompareRow &row, DType type, int64_t opset) {
  if (opset < row.allNumericSince)
    return row.earlyTypes(type);
  return isFloat(type) || isInteger(type) || (row.acceptsBool && type == DType::Bool);
}

/// Element a[i] op b[j] of two tensors of \p type.
bool compareElements(CompareKind kind, DType type, const Tensor &a, int64_t i, const Tensor &b,
                     int64_t j) {
  if (isFloat(type)) {
    double x = a.doubleAt(i), y = b.doubleAt(j);
    switch (kind) {
    case CompareKind::Equal:
      return x == y;
    case CompareKind::Less:
      return x < y;
    case CompareKind::Greater:
      return x > y;
    case CompareKind::LessOrEqual:
      return x <= y;
    case CompareKind::GreaterOrEqual:
      return x >= y;
    default:
      llvm_unreachable("a logical op of floats");
    }
  }
  int64_t x = a.intAt(i), y = b.intAt(j);
  // u64 above INT64_MAX reads as negative: compare the bit patterns unsigned.
  bool isU64 = type == DType::U64;
  bool less = isU64 ? uint64_t(x) < uint64_t(y) : x < y;
  bool greater = isU64 ? uint64_t(x) > uint64_t(y) : x > y;
  switch (kind) {
  case CompareKind::Equal:
    return x == y;
  case CompareKind::Less:
    return less;
  case CompareKind::Greater:
    return greater;
  case CompareKind::LessOrEqual:
    return !greater;
  case CompareKind::GreaterOrEqual:
    return !less;
  case CompareKind::And:
    return x != 0 && y != 0;
  case CompareKind::Or:
    return x != 0 || y != 0;
  case CompareKind::Xor:
    return (x != 0) != (y != 0);
  }
  llvm_unreachable("unknown comparison");
}

/// The operands the bool result may overwrite: those of its shape with
/// one-byte elements (bool, i8, u8). The kernels read element i of both
/// operands before they write element i.
llvm::SmallVector<unsigned, 2> byteOperandsOfResultShape(const Node &node) {
  llvm::SmallVector<unsigned, 2> result;
  const TensorType &type = node.result(0)->type();
  for (unsigned i = 0; i < node.numOperands(); ++i) {
    const TensorType &operand = node.operand(i)->type();
    if (operand.shape == type.shape && dtypeSize(operand.dtype) == 1)
      result.push_back(i);
  }
  return result;
}

class CompareOp final : public OpDef {
public:
  explicit CompareOp(const CompareRow &row) : OpDef(row.opType, 2, 2), row_(row) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    if (opset < row_.since)
      return modelError(row_.opType, " is an ONNX op from opset ", row_.since,
                        " on, the model has ", opset);
    if (opset < 7 && node.hasAttr("axis"))
      return modelError("legacy broadcasting with 'axis' (opset < 7) is not supported");
    const TensorType &a = node.operand(0)->type(), &b = node.operand(1)->type();
    if (!typeAllowed(row_, a.dtype, opset))
      return modelError("input A has type ", a.str(), ", which ", row_.opType,
                        " does not take in opset ", opset);
    if (b.dtype != a.dtype)
      return modelError("input B has type ", b.str(), ", A has ", a.str());
    TP_ASSIGN_OR_RETURN(Shape shape, broadcastShapes(a.shape, b.shape));
    return TypeList{TensorType(DType::Bool, shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const TensorType &type = node.result(0)->type();
    DType dtype = node.operand(0)->type().dtype;
    const Tensor &a = *operands[0], &b = *operands[1];
    std::vector<uint8_t> bytes(size_t(type.numElements()));
    forEachBroadcast(type.shape, {a.shape(), b.shape()},
                     [&](int64_t out, llvm::ArrayRef<int64_t> in) {
                       bytes[size_t(out)] = compareElements(row_.kind, dtype, a, in[0], b, in[1]);
                     });
    return TensorList{Tensor(type, std::move(bytes))};
  }

  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &node, unsigned) const override {
    return byteOperandsOfResultShape(node);
  }

private:
  const CompareRow &row_;
};

/// Not(X): X a bool tensor.
class NotOp final : public OpDef {
public:
  NotOp() : OpDef("Not", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &x = node.operand(0)->type();
    if (x.dtype != DType::Bool)
      return modelError("input X must be a bool tensor, got ", x.str());
    return TypeList{x};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const Tensor &x = *operands[0];
    return TensorList{buildTensor(node.result(0)->type(), [&](int64_t i, uint8_t *out) {
      *out = x.intAt(i) == 0;
    })};
  }

  /// y[i] depends on x[i] only.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &, unsigned) const override {
    return {0};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const CompareRow &row : kCompareOps)
    registry.add(std::make_unique<CompareOp>(row));
  registry.add(std::make_unique<NotOp>());
}

} // namespace tinyplan
