//===- FuseQdq.cpp - Turn QDQ groups into integer ops ---------------------===//
//
// A QDQ model computes in float between DequantizeLinear (DQ) and
// QuantizeLinear (Q) nodes: DQ -> Conv -> Q means "dequantize, convolve in
// float, quantize". ONNX Runtime, the reference users compare against,
// rewrites each such group into one integer op before it runs the model,
// and the integer op rounds once where the float chain rounds several
// times, so the two can differ by one step of the output's scale. This pass
// makes the same rewrites under the same conditions, so tinyplan computes
// what ONNX Runtime computes and keeps 8-bit tensors in the arena:
//
//  1. A Relu or Clip just before a Q whose range it cannot narrow goes (ORT's
//     ReluQuantFusion: Relu when the zero point is the type's minimum;
//     ClipQuantFusion: Clip bounds within float epsilon of the Q range).
//  2. Groups, each around a target node whose op declares a QdqFusion:
//     every operand that needs one comes from a DQ, the target's only
//     result has exactly one use, a Q, and is no graph output:
//     - Move (Reshape, Transpose, MaxPool, ...): when the DQ and the Q have
//       the same scale and zero point, the target runs on the integers;
//     - Conv, MatMul, Unary, Binary: one integer op (QLinearConv,
//       QLinearMatMul, com.microsoft QLinearAveragePool, QLinearAdd, ...)
//       takes the DQ inputs, their scales and zero points, and the Q's.
//       A Conv's float constant bias is quantized to int32 with scale
//       x_scale * w_scale[c], rounded half to even in float (ORT's
//       WeightBiasQuantization). The activations and the output must have
//       the same element type.
//     A group whose integer op refuses it (a case tinyplan's kernel does
//     not handle) stays in float; its target is marked with the attribute
//     "qdq_unfused", which --report lists.
//  3. DQs left without users go; the remaining DQs of constants are folded
//     into float constants by fold-constants, which runs after this pass.
//
//===----------------------------------------------------------------------===//
#include "TransformUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Transforms/Passes.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>

namespace tinyplan {
namespace {

bool hasRole(const Node *node, QdqRole role) {
  if (!node)
    return false;
  const OpDef *op = lookupOp(*node);
  return op && op->qdqRole() == role;
}

/// The DequantizeLinear producing \p value, or null.
Node *dequantizeOf(const Value *value) {
  if (!value)
    return nullptr;
  Node *producer = value->producer();
  return hasRole(producer, QdqRole::Dequantize) ? producer : nullptr;
}

/// The zero point of a Q or DQ node as an integer (0 when omitted);
/// nullopt when it is not one constant element.
std::optional<int64_t> singleZeroPoint(const Node &node) {
  const Value *zeroPoint = node.operand(2);
  if (!zeroPoint)
    return 0;
  const Tensor *values = singleConstant(zeroPoint);
  if (!values)
    return std::nullopt;
  return values->intAt(0);
}

/// The integer type of a DQ's input or a Q's result.
DType quantizedTypeOf(const Node &qdq, QdqRole role) {
  return role == QdqRole::Dequantize ? qdq.operand(0)->type().dtype : qdq.result(0)->type().dtype;
}

bool isEightBit(DType type) { return type == DType::I8 || type == DType::U8; }

/// Whether a DQ and a Q use the same per-tensor scale and zero point, so
/// Q(DQ(q)) == q and an op that only moves elements can skip both.
bool sameQuantization(const Node &dq, const Node &q) {
  const Tensor *dqScale = singleConstant(dq.operand(1));
  const Tensor *qScale = singleConstant(q.operand(1));
  if (!dqScale || !qScale || dqScale->dtype() != DType::F32 || qScale->dtype() != DType::F32)
    return false;
  float a = float(dqScale->doubleAt(0)), b = float(qScale->doubleAt(0));
  if (std::memcmp(&a, &b, sizeof a) != 0)
    return false;
  std::optional<int64_t> dqZero = singleZeroPoint(dq), qZero = singleZeroPoint(q);
  return dqZero && qZero && *dqZero == *qZero &&
         quantizedTypeOf(dq, QdqRole::Dequantize) == quantizedTypeOf(q, QdqRole::Quantize);
}

/// The range [lower, upper] of float values a per-tensor Q with a rank-0
/// scale and zero point represents, as ONNX Runtime computes it.
std::optional<std::pair<float, float>> quantizeRange(const Node &q) {
  const Value *scale = q.operand(1), *zeroPoint = q.operand(2);
  if (!scale || !zeroPoint || !scale->constant() || !zeroPoint->constant() ||
      scale->type().rank() != 0 || zeroPoint->type().rank() != 0 ||
      scale->type().dtype != DType::F32)
    return std::nullopt;
  float s = float(scale->constant()->doubleAt(0));
  int64_t zp = zeroPoint->constant()->intAt(0);
  int64_t qmin = zeroPoint->type().dtype == DType::I8 ? -128 : 0;
  int64_t qmax = zeroPoint->type().dtype == DType::I8 ? 127 : 255;
  if (!isEightBit(zeroPoint->type().dtype))
    return std::nullopt;
  return std::make_pair(s * float(qmin - zp), s * float(qmax - zp));
}

/// Whether activation \p act (Relu or Clip with constant bounds) before
/// \p q changes nothing Q does not do anyway.
bool activationRedundantBefore(const FusedActivation &act, const Node &q) {
  if (act.kind == "Relu") {
    std::optional<int64_t> zp = singleZeroPoint(q);
    if (!zp || !q.operand(2))
      return false;
    int64_t qmin = q.result(0)->type().dtype == DType::I8 ? -128 : 0;
    return isEightBit(q.result(0)->type().dtype) && *zp == qmin;
  }
  if (act.kind != "Clip")
    return false;
  std::optional<std::pair<float, float>> range = quantizeRange(q);
  if (!range)
    return false;
  float lo = std::numeric_limits<float>::lowest(), hi = std::numeric_limits<float>::max();
  for (const auto &[param, value] : act.params) {
    if (param == "fused_min")
      lo = value;
    else if (param == "fused_max")
      hi = value;
  }
  constexpr float epsilon = std::numeric_limits<float>::epsilon();
  return !(epsilon < lo - range->first || epsilon < range->second - hi);
}

/// The last node using each value (by id): its only user when it has one
/// use that is not a graph output.
std::vector<Node *> lastUsers(const Graph &graph) {
  std::vector<Node *> users(graph.numValues(), nullptr);
  for (const auto &node : graph.nodes())
    for (Value *operand : node->operands())
      if (operand)
        users[operand->id()] = node.get();
  return users;
}

/// Step 1: drops Relu / Clip nodes whose only use is a Q they cannot
/// narrow. Returns whether any went.
bool removeRedundantActivations(Graph &graph) {
  std::vector<unsigned> uses = graph.countUses();
  std::vector<bool> isOutput = graphOutputMask(graph);
  std::vector<Node *> onlyUser = lastUsers(graph);
  std::set<const Node *> removed;
  for (const auto &node : graph.nodes()) {
    const OpDef *op = lookupOp(*node);
    if (!op || node->numResults() != 1 || !node->operand(0))
      continue;
    std::optional<FusedActivation> act = op->fusableActivation(*node);
    const Value *result = node->result(0);
    if (!act || uses[result->id()] != 1 || isOutput[result->id()])
      continue;
    Node *q = onlyUser[result->id()];
    if (!hasRole(q, QdqRole::Quantize) || q->operand(0) != result ||
        node->operand(0)->type() != result->type() ||
        !activationRedundantBefore(*act, *q))
      continue;
    q->setOperand(0, node->operand(0));
    removed.insert(node.get());
  }
  if (removed.empty())
    return false;
  graph.eraseNodes([&](const Node &node) { return removed.count(&node) != 0; });
  return true;
}

/// A group found around a target: the DQ of each operand (null where the
/// operand is not dequantized) and the Q of its result.
struct QdqGroup {
  llvm::SmallVector<Node *, 3> dq;
  Node *q = nullptr;
};

class FuseQdqPass final : public Pass {
public:
  llvm::StringRef name() const override { return "fuse-qdq"; }
  llvm::StringRef description() const override {
    return "turn DequantizeLinear -> op -> QuantizeLinear groups into integer ops";
  }

  absl::Status run(Graph &graph) override {
    removeRedundantActivations(graph);
    fuseGroups(graph);
    removeUnusedDequantize(graph);
    return absl::OkStatus();
  }

private:
  void fuseGroups(Graph &graph) {
    ValueReplacements replacements(graph);
    std::vector<unsigned> uses = graph.countUses();
    std::vector<bool> isOutput = graphOutputMask(graph);
    std::vector<Node *> onlyUser = lastUsers(graph);
    // Values a QuantizeLinear reads (a QGemm with a float result fuses only
    // when none does).
    std::vector<bool> quantized(graph.numValues(), false);
    for (const auto &node : graph.nodes())
      if (hasRole(node.get(), QdqRole::Quantize) && node->operand(0))
        quantized[node->operand(0)->id()] = true;
    NameTable names(graph);
    zeroPoints_ = std::make_unique<ZeroPoints>(graph, names);
    std::set<const Node *> removed;
    // New node id -> the target it replaces, to put it in the target's place.
    std::vector<std::pair<unsigned, unsigned>> placed;
    unsigned originalNodes = graph.numNodes();

    for (unsigned n = 0; n < originalNodes; ++n) {
      Node &target = *graph.node(n);
      if (removed.count(&target))
        continue;
      replacements.remapOperands(target);
      const OpDef *op = lookupOp(target);
      if (!op || target.numResults() != 1)
        continue;
      std::optional<QdqFusion> fusion = op->qdqFusion(target, graph.opsetVersion());
      if (!fusion)
        continue;
      Value *result = target.result(0);
      QdqGroup group;
      if (uses[result->id()] == 1 && !isOutput[result->id()] &&
          hasRole(onlyUser[result->id()], QdqRole::Quantize))
        group.q = onlyUser[result->id()];
      // Only QGemm has a float form; ONNX Runtime fuses it whatever reads it.
      bool floatResult =
          !group.q && fusion->kind == QdqFusion::Kind::Gemm && !quantized[result->id()];
      if (!group.q && !floatResult)
        continue;
      for (unsigned i = 0; i < target.numOperands(); ++i)
        group.dq.push_back(dequantizeOf(target.operand(i)));
      if (!operandsMatch(target, *fusion, group))
        continue;

      if (fusion->kind == QdqFusion::Kind::Move) {
        Node &dq = *group.dq[0];
        target.setOperand(0, dq.operand(0));
        if (fusion->zeroPointOperand) {
          DType type = quantizedTypeOf(*group.q, QdqRole::Quantize);
          uint8_t zero = uint8_t(singleZeroPoint(*group.q).value_or(0));
          target.setOperand(*fusion->zeroPointOperand,
                            graph.addConstant(names.unique(target.name() + ".zero_point"),
                                              Tensor::splat(TensorType(type, {}), {zero})));
        }
        result->setType(
            TensorType(quantizedTypeOf(*group.q, QdqRole::Quantize), result->type().shape));
        result->setName(group.q->result(0)->name());
        group.q->result(0)->setName(names.unique(group.q->result(0)->name() + ".float"));
        replacements.replace(group.q->result(0), result);
        removed.insert(group.q);
        continue;
      }

      std::optional<std::vector<Value *>> operands =
          integerOperands(graph, names, target, *fusion, group);
      if (!operands)
        continue;
      // The value the fused node stands for: the Q's result, or the
      // target's own float one.
      Value *replaced = group.q ? group.q->result(0) : result;
      std::string resultName = replaced->name();
      replaced->setName(names.unique(resultName + ".replaced"));
      Node *fused = graph.addNode(target.name(), fusion->opType, fusion->domain, *operands,
                                  {resultName});
      for (const auto &[attrName, value] : target.attributes())
        if (!llvm::is_contained(fusion->droppedAttributes, attrName))
          fused->setAttr(attrName, value);
      for (const auto &[attrName, value] : fusion->extraAttributes)
        fused->setAttr(attrName, value);
      const OpDef *fusedOp = lookupOp(*fused);
      absl::StatusOr<TypeList> types =
          fusedOp ? fusedOp->inferTypes(*fused, graph.opsetVersion())
                  : absl::StatusOr<TypeList>(absl::UnimplementedError("not supported"));
      if (!types.ok() || types->size() != 1 || (*types)[0] != replaced->type()) {
        replaced->setName(resultName);
        fused->result(0)->setName(names.unique(resultName + ".unused"));
        removed.insert(fused);
        target.setAttr("qdq_unfused",
                       Attribute(absl::StrCat(
                           fusion->domain.empty() ? "" : fusion->domain + ".", fusion->opType,
                           types.ok() ? " gives another type"
                                      : ": " + std::string(types.status().message()))));
        continue;
      }
      fused->result(0)->setType((*types)[0]);
      replacements.replace(replaced, fused->result(0));
      removed.insert(&target);
      if (group.q)
        removed.insert(group.q);
      placed.emplace_back(fused->id(), n);
    }
    if (removed.empty())
      return;

    // Each fused node takes its target's place in the schedule.
    std::vector<std::vector<unsigned>> after(originalNodes);
    for (const auto &[fusedId, targetId] : placed)
      after[targetId].push_back(fusedId);
    std::vector<bool> isPlaced(graph.numNodes(), false);
    for (const auto &entry : placed)
      isPlaced[entry.first] = true;
    std::vector<unsigned> order;
    for (unsigned n = 0; n < originalNodes; ++n) {
      order.push_back(n);
      order.insert(order.end(), after[n].begin(), after[n].end());
    }
    for (unsigned n = originalNodes; n < graph.numNodes(); ++n)
      if (!isPlaced[n])
        order.push_back(n);
    // Nodes after the last target still need their operands remapped.
    for (unsigned n = 0; n < originalNodes; ++n)
      replacements.remapOperands(*graph.node(n));
    replacements.remapOutputs(graph);
    graph.reorderNodes(order);
    graph.eraseNodes([&](const Node &node) { return removed.count(&node) != 0; });
  }

  /// Whether the DQs and the Q of \p group fit \p fusion of \p target.
  static bool operandsMatch(const Node &target, const QdqFusion &fusion, const QdqGroup &group) {
    std::optional<DType> outType;
    if (group.q) {
      outType = quantizedTypeOf(*group.q, QdqRole::Quantize);
      if (!isEightBit(*outType))
        return false;
    }
    auto dqType = [&](unsigned i) { return quantizedTypeOf(*group.dq[i], QdqRole::Dequantize); };
    unsigned present = 0, dequantized = 0;
    for (unsigned i = 0; i < target.numOperands(); ++i) {
      present += target.operand(i) != nullptr;
      dequantized += group.dq[i] != nullptr;
    }
    // The leading operands that must be 8-bit DQs.
    unsigned needed = fusion.kind == QdqFusion::Kind::Move || fusion.kind == QdqFusion::Kind::Unary
                          ? 1
                          : fusion.kind == QdqFusion::Kind::Variadic ? present : 2;
    if (group.dq.size() < needed)
      return false;
    for (unsigned i = 0; i < needed; ++i)
      if (!group.dq[i] || !isEightBit(dqType(i)))
        return false;
    switch (fusion.kind) {
    case QdqFusion::Kind::Move:
      if (fusion.zeroPointOperand)
        if (const Value *zero = target.operand(*fusion.zeroPointOperand)) {
          const Tensor *value = singleConstant(zero);
          if (!value || !isFloat(value->dtype()) || value->doubleAt(0) != 0)
            return false;
        }
      return dequantized == 1 && sameQuantization(*group.dq[0], *group.q) &&
             (!fusion.needsPositiveScale || group.q->operand(1)->constant()->doubleAt(0) > 0);
    case QdqFusion::Kind::Unary:
      return dequantized == 1 && dqType(0) == outType;
    case QdqFusion::Kind::Binary:
      return dequantized == 2 && group.dq.size() == 2 && dqType(0) == outType &&
             dqType(1) == outType;
    case QdqFusion::Kind::Variadic:
      for (unsigned i = 0; i < present; ++i)
        if (dqType(i) != outType)
          return false;
      return true;
    case QdqFusion::Kind::MatMul:
      return dequantized == 2 && group.dq.size() == 2 && dqType(0) == outType &&
             perAxisAlong(*group.dq[1], target.operand(1)->type().rank() - 1);
    case QdqFusion::Kind::Conv:
    case QdqFusion::Kind::Gemm: {
      if ((outType && dqType(0) != outType) ||
          !perAxisAlong(*group.dq[1], fusion.weightChannelAxis))
        return false;
      // ONNX Runtime has no int8 x uint8 QGemm.
      if (fusion.kind == QdqFusion::Kind::Gemm && dqType(0) == DType::I8 && dqType(1) != DType::I8)
        return false;
      const Value *bias = target.numOperands() > 2 ? target.operand(2) : nullptr;
      if (!bias)
        return dequantized == 2;
      if (fusion.kind == QdqFusion::Kind::Gemm) {
        absl::StatusOr<float> beta = target.getFloat("beta", 1.0f);
        if (!beta.ok() || *beta != 1.0f)
          return false;
      }
      if (group.dq[2])
        return dequantized == 3 && quantizedTypeOf(*group.dq[2], QdqRole::Dequantize) == DType::I32;
      // A float constant bias is quantized, before a Q only; the input scale
      // must be one value.
      return group.q && dequantized == 2 && bias->isConstant() &&
             bias->type().dtype == DType::F32 && bias->type().rank() == 1 &&
             singleConstant(group.dq[0]->operand(1));
    }
    }
    return false;
  }

  /// Whether DQ \p dq's scale is per tensor, or per axis along \p axis.
  static bool perAxisAlong(const Node &dq, int64_t axis) {
    // Blocked scales (opset 21) vary along more than one axis.
    absl::StatusOr<int64_t> blockSize = dq.getInt("block_size", 0);
    if (!blockSize.ok() || *blockSize != 0)
      return false;
    const Value *scale = dq.operand(1);
    if (scale->type().numElements() == 1 && scale->type().rank() <= 1)
      return true;
    absl::StatusOr<int64_t> dqAxis = dq.getInt("axis", 1);
    if (!dqAxis.ok())
      return false;
    int64_t rank = dq.operand(0)->type().rank();
    int64_t normalized = *dqAxis < 0 ? *dqAxis + rank : *dqAxis;
    return normalized == axis;
  }

  /// Zero points the integer ops read: an omitted one becomes a constant 0
  /// of the quantized type, as ONNX Runtime's rewrite supplies it.
  class ZeroPoints {
  public:
    ZeroPoints(Graph &graph, NameTable &names) : graph_(graph), names_(names) {}
    Value *of(const Node &qdq, QdqRole role) {
      if (Value *zeroPoint = qdq.operand(2))
        return zeroPoint;
      DType type = quantizedTypeOf(qdq, role);
      Value *&zero = zeros_[type];
      if (!zero) {
        uint8_t byte = 0;
        zero = graph_.addConstant(names_.unique(absl::StrCat("zero_point_", dtypeName(type).str())),
                                  Tensor::splat(TensorType(type, {}), {&byte, 1}));
      }
      return zero;
    }

  private:
    Graph &graph_;
    NameTable &names_;
    std::map<DType, Value *> zeros_;
  };

  /// The operands of the integer op replacing \p group, or nullopt when a
  /// float bias cannot be quantized.
  std::optional<std::vector<Value *>> integerOperands(Graph &graph, NameTable &names,
                                                     const Node &target, const QdqFusion &fusion,
                                                     const QdqGroup &group) {
    std::vector<Value *> operands;
    auto addDequantized = [&](unsigned i) {
      const Node &dq = *group.dq[i];
      operands.push_back(dq.operand(0));
      operands.push_back(dq.operand(1));
      operands.push_back(zeroPoints_->of(dq, QdqRole::Dequantize));
    };
    auto addQuantize = [&] {
      if (!group.q)
        return;
      operands.push_back(group.q->operand(1));
      operands.push_back(zeroPoints_->of(*group.q, QdqRole::Quantize));
    };
    // The int32 bias: a DQ's input as it is (ONNX Runtime's QLinearConv and
    // QGemm do not read the bias DQ's scale, nominally x_scale * w_scale),
    // or a float constant quantized.
    auto bias = [&]() -> std::optional<Value *> {
      const Value *value = target.numOperands() > 2 ? target.operand(2) : nullptr;
      if (!value)
        return nullptr;
      if (group.dq.size() > 2 && group.dq[2])
        return group.dq[2]->operand(0);
      Value *quantized = quantizeBias(graph, names, *value, *group.dq[0], *group.dq[1]);
      if (!quantized)
        return std::nullopt;
      return quantized;
    };
    switch (fusion.kind) {
    case QdqFusion::Kind::Move:
      return std::nullopt;
    case QdqFusion::Kind::Unary:
      addDequantized(0);
      addQuantize();
      return operands;
    case QdqFusion::Kind::MatMul:
    case QdqFusion::Kind::Binary:
      addDequantized(0);
      addDequantized(1);
      addQuantize();
      return operands;
    case QdqFusion::Kind::Variadic:
      addQuantize();
      for (unsigned i = 0; i < target.numOperands(); ++i)
        addDequantized(i);
      return operands;
    case QdqFusion::Kind::Conv: {
      addDequantized(0);
      addDequantized(1);
      addQuantize();
      std::optional<Value *> b = bias();
      if (!b)
        return std::nullopt;
      if (*b)
        operands.push_back(*b);
      return operands;
    }
    case QdqFusion::Kind::Gemm: {
      addDequantized(0);
      addDequantized(1);
      std::optional<Value *> b = bias();
      if (!b)
        return std::nullopt;
      operands.push_back(*b);
      addQuantize();
      if (!group.q && !*b)
        operands.pop_back();
      return operands;
    }
    }
    return std::nullopt;
  }

  /// int32 round_half_even(b[c] / (x_scale * w_scale[c])), each step in
  /// float as ONNX Runtime's WeightBiasQuantization computes it (Mul, Div,
  /// Round, Cast); null when a value does not fit int32.
  static Value *quantizeBias(Graph &graph, NameTable &names, const Value &bias,
                             const Node &inputDq, const Node &weightDq) {
    const Tensor &values = *bias.constant();
    const Tensor *weightScale = weightDq.operand(1)->constant();
    if (!weightScale)
      return nullptr;
    int64_t channels = values.numElements();
    if (weightScale->numElements() != 1 && weightScale->numElements() != channels)
      return nullptr;
    float inputScale = float(singleConstant(inputDq.operand(1))->doubleAt(0));
    std::vector<uint8_t> bytes(size_t(channels) * sizeof(int32_t));
    for (int64_t c = 0; c < channels; ++c) {
      float scale =
          inputScale * float(weightScale->doubleAt(weightScale->numElements() == 1 ? 0 : c));
      float rounded = std::nearbyint(float(values.doubleAt(c)) / scale);
      if (!(rounded >= -2147483648.0f && rounded < 2147483648.0f))
        return nullptr;
      int32_t element = int32_t(rounded);
      std::memcpy(bytes.data() + sizeof(int32_t) * c, &element, sizeof element);
    }
    return graph.addConstant(names.unique(bias.name() + "_quantized"),
                             Tensor(TensorType(DType::I32, {channels}), std::move(bytes)));
  }

  std::unique_ptr<ZeroPoints> zeroPoints_;

  /// Step 3: DQ nodes whose result nothing uses any more.
  static void removeUnusedDequantize(Graph &graph) {
    std::vector<unsigned> uses = graph.countUses();
    graph.eraseNodes([&](const Node &node) {
      return hasRole(&node, QdqRole::Dequantize) && uses[node.result(0)->id()] == 0;
    });
  }
};

} // namespace

std::unique_ptr<Pass> createFuseQdqPass() { return std::make_unique<FuseQdqPass>(); }

} // namespace tinyplan
