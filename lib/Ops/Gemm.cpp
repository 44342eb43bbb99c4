//===- Gemm.cpp - ONNX Gemm: Y = alpha * op(A) * op(B) + beta * C ---------===//
//
// A and B are matrices (op() transposes when transA / transB is set); C is
// optional from opset 11 and broadcasts one way onto [M, N]. Before opset 7
// C broadcast only when the `broadcast` attribute said so.
//
// Passes may record an activation applied to every output element as it is
// stored: `fused_activation` with `fused_alpha`, `fused_beta`, `fused_min`,
// `fused_max` (see checkFusedActivation in OpUtils.h). They change no shape
// or cost.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/Checked.h"

#include <limits>

namespace tinyplan {
namespace {

/// Whether \p shape broadcasts one way onto \p target (numpy rules with
/// \p target's dims fixed).
bool broadcastsTo(llvm::ArrayRef<int64_t> shape,
                  llvm::ArrayRef<int64_t> target) {
  if (shape.size() > target.size())
    return false;
  size_t offset = target.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1 && shape[i] != target[offset + i])
      return false;
  return true;
}

std::string shapeStr(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printShape(os, shape);
  return text;
}

class GemmOp final : public OpDef {
public:
  GemmOp() : OpDef("Gemm", 2, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    const TensorType &a = node.operand(0)->type();
    const TensorType &b = node.operand(1)->type();
    TP_RETURN_IF_ERROR(checkMatrixProductTypes(a, b));
    if (a.rank() != 2)
      return modelError("A must be 2-D, got ", a.str());
    if (b.rank() != 2)
      return modelError("B must be 2-D, got ", b.str());

    TP_ASSIGN_OR_RETURN(int64_t transA, node.getInt("transA", 0));
    TP_ASSIGN_OR_RETURN(int64_t transB, node.getInt("transB", 0));
    // Read so that a mistyped attribute is reported; the values do not
    // affect the shape.
    TP_RETURN_IF_ERROR(node.getFloat("alpha", 1.0f).status());
    TP_RETURN_IF_ERROR(node.getFloat("beta", 1.0f).status());

    int64_t m = transA ? a.shape[1] : a.shape[0];
    int64_t k = transA ? a.shape[0] : a.shape[1];
    int64_t kB = transB ? b.shape[1] : b.shape[0];
    int64_t n = transB ? b.shape[0] : b.shape[1];
    if (k != kB)
      return modelError("inner dimensions differ: A ", a.str(), " (transA ",
                        transA, ") has K = ", k, ", B ", b.str(), " (transB ",
                        transB, ") has K = ", kB);

    const Value *c = node.operand(2);
    if (!c && opset < 11)
      return modelError("input C is required before opset 11");
    if (c) {
      const TensorType &cType = c->type();
      if (cType.dtype != a.dtype)
        return modelError("C has type ", dtypeName(cType.dtype).str(),
                          ", A has ", dtypeName(a.dtype).str());
      int64_t target[] = {m, n};
      bool mayBroadcast = true;
      if (opset < 7) {
        TP_ASSIGN_OR_RETURN(int64_t broadcast, node.getInt("broadcast", 0));
        mayBroadcast = broadcast != 0;
      }
      bool fits = mayBroadcast
                      ? broadcastsTo(cType.shape, target)
                      : llvm::ArrayRef<int64_t>(cType.shape) ==
                            llvm::ArrayRef<int64_t>(target);
      if (!fits)
        return modelError("C ", cType.str(), " does not ",
                          mayBroadcast ? "broadcast to" : "match",
                          " the result shape ", shapeStr(target),
                          mayBroadcast ? "" : " (broadcast is 0)");
    }
    TP_RETURN_IF_ERROR(checkFusedActivation(node, a.dtype));
    return TypeList{TensorType(a.dtype, {m, n})};
  }

  OpCost cost(const Node &node) const override {
    OpCost cost;
    for (const Value *operand : node.operands())
      if (operand && operand->isConstant())
        cost.params += operand->type().numElements();
    if (!node.result()->hasType())
      return cost;
    const TensorType &a = node.operand(0)->type();
    int64_t transA = 0;
    if (auto value = node.getInt("transA", 0); value.ok())
      transA = *value;
    int64_t k = a.rank() == 2 ? a.shape[transA ? 0 : 1] : 0;
    // M * N output elements, each a K-term dot product.
    std::optional<int64_t> macs =
        checkedMul(node.result()->type().numElements(), k);
    cost.macs = macs ? *macs : std::numeric_limits<int64_t>::max();
    return cost;
  }

  bool acceptsFusedActivation(const Node &) const override { return true; }

  // com.microsoft QGemm: output channel n is row n of B when transB, else
  // column n. It has no beta (a fused bias must have beta 1).
  std::optional<QdqFusion> qdqFusion(const Node &node, int64_t) const override {
    absl::StatusOr<int64_t> transB = node.getInt("transB", 0);
    if (!transB.ok())
      return std::nullopt;
    QdqFusion fusion(QdqFusion::Kind::Gemm, "QGemm", "com.microsoft");
    fusion.weightChannelAxis = *transB ? 0 : 1;
    fusion.droppedAttributes = {"beta"};
    return fusion;
  }

  /// Output column n is row n of B (transB) or column n, and column n of C.
  /// Only with beta = 1, so that the folded C is simply the new bias (alpha
  /// scales A * B alone, which scaling B's columns commutes with).
  std::optional<ChannelLinearity> channelLinearity(const Node &node) const override {
    absl::StatusOr<float> beta = node.getFloat("beta", 1.0f);
    absl::StatusOr<int64_t> transB = node.getInt("transB", 0);
    if (!beta.ok() || !transB.ok() || *beta != 1.0f)
      return std::nullopt;
    ChannelLinearity linearity;
    linearity.weightOperand = 1;
    linearity.weightAxis = *transB ? 0 : 1;
    linearity.biasOperand = 2;
    linearity.biasBroadcasts = true;
    return linearity;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<GemmOp>()); }

} // namespace tinyplan
