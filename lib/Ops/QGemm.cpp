//===- QGemm.cpp - com.microsoft QGemm ------------------------------------===//
//
// QGemm(A, a_scale, a_zero_point, B, b_scale, b_zero_point, C?, y_scale?,
// y_zero_point?) {alpha, transA, transB} (ONNX Runtime's contrib domain):
// Gemm of quantized matrices, int32 accumulation of (A - a_zero_point) x
// (B - b_zero_point) plus C (int32, broadcast onto [M, N]), scaled by alpha
// * a_scale * b_scale; with y_scale and y_zero_point the result is
// quantized (A's type), without both it is float. A and its parameters are
// per tensor; B's may be per column ([N]). uint8 A with uint8 or int8 B,
// int8 A with int8 B, as ONNX Runtime registers it.
//
//===----------------------------------------------------------------------===//
#include "QuantUtils.h"

namespace tinyplan {
namespace {

class QGemmOp final : public OpDef {
public:
  QGemmOp() : OpDef("QGemm", 6, 9, 1, 1, "com.microsoft") {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    const TensorType &a = node.operand(0)->type(), &b = node.operand(3)->type();
    TP_RETURN_IF_ERROR(checkQuantizedType(a.dtype, "input A"));
    TP_RETURN_IF_ERROR(checkQuantizedType(b.dtype, "input B"));
    if (a.dtype == DType::I8 && b.dtype == DType::U8)
      return quantUnsupported("int8 A with uint8 B is not supported (ONNX Runtime has no such "
                              "kernel)");
    if (a.rank() != 2 || b.rank() != 2)
      return modelError("A and B must be matrices, got A ", a.str(), ", B ", b.str());
    TP_ASSIGN_OR_RETURN(int64_t transA, node.getInt("transA", 0));
    TP_ASSIGN_OR_RETURN(int64_t transB, node.getInt("transB", 0));
    TP_ASSIGN_OR_RETURN(float alpha, node.getFloat("alpha", 1.0f));
    (void)alpha;
    int64_t m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1];
    int64_t kB = transB ? b.shape[1] : b.shape[0], n = transB ? b.shape[0] : b.shape[1];
    if (k != kB)
      return modelError("inner dimensions differ: A ", a.str(), " (transA ", transA,
                        ") has K = ", k, ", B ", b.str(), " (transB ", transB, ") has K = ", kB);
    if (!node.operand(2) || !node.operand(5))
      return modelError("a_zero_point and b_zero_point are required");
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 1, "a", a.dtype));
    TP_RETURN_IF_ERROR(checkScaleOperand(node, 4, "b_scale", n));
    TP_RETURN_IF_ERROR(checkZeroPointOperand(node, 5, "b_zero_point", b.dtype, 4));
    if (const Value *c = node.operand(6)) {
      const TensorType &ct = c->type();
      if (ct.dtype != DType::I32)
        return modelError("C must be int32, got ", ct.str());
      bool ok = ct.rank() <= 2 && (ct.rank() < 1 || ct.shape.back() == 1 || ct.shape.back() == n) &&
                (ct.rank() < 2 || ct.shape[0] == 1 || ct.shape[0] == m);
      if (!ok)
        return modelError("C ", ct.str(), " does not broadcast onto [", m, ", ", n, "]");
    }
    IntegerProduct product{0, 2, 3, 5, 6};
    product.reducedAxes = {transB ? 1 : 0};
    product.zeroPointAxis = transB ? 0 : 1;
    TP_RETURN_IF_ERROR(checkAccumulatorFits(node, product));
    const Value *yScale = node.operand(7), *yZeroPoint = node.operand(8);
    if (!yScale && !yZeroPoint)
      return TypeList{TensorType(DType::F32, {m, n})};
    if (!yScale || !yZeroPoint)
      return quantUnsupported("y_scale without y_zero_point (or the reverse) is not supported");
    TP_RETURN_IF_ERROR(checkPerTensorParams(node, 7, "y", a.dtype));
    return TypeList{TensorType(a.dtype, {m, n})};
  }

  OpCost cost(const Node &node) const override {
    const TensorType &a = node.operand(0)->type();
    return integerProductCost(node, node.getInt("transA", 0).value_or(0) ? a.shape[0] : a.shape[1]);
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<QGemmOp>()); }

} // namespace tinyplan
