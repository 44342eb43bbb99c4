//===- FoldBatchNorm.cpp - Fold BatchNormalization into Conv / Gemm -------===//
//
// At inference a BatchNormalization is a per-channel affine map
// y[c] = scale[c] * x[c] + shift[c]. After a linear op it folds into that
// op's constants: output channel c of a Conv is W[c] . x + B[c], so
//   W'[c] = scale[c] * W[c],   B'[c] = scale[c] * B[c] + shift[c]
// (B = 0 when the Conv had no bias; one is created). Gemm is the same with
// output column n: row n of B when transB, column n otherwise, and C
// broadcast onto [M, N]. MatMul has no bias operand: the pattern is
// MatMul -> Add(constant) -> BatchNormalization, and the Add's constant
// becomes scale * C + shift.
//
// Numerics: scale and shift come from the op (channelAffine) in double,
// every new element is computed in double from the stored values and
// rounded once to the element type. The folded model therefore differs
// from the unfused one by at most the rounding of the unfused evaluation,
// which rounds after each of its several float operations.
//
// Conditions: the BatchNormalization's input is used by it alone (not a
// graph output, no other reader: otherwise the unscaled value is still
// needed), weights and bias are constants of type f32, and the channel
// counts agree. The fused result takes the BatchNormalization's name.
//
//===----------------------------------------------------------------------===//
#include "TransformUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Transforms/Passes.h"

#include "llvm/ADT/STLExtras.h"
#include <cstring>

namespace tinyplan {
namespace {

/// Element \p flat of a tensor of shape \p outShape reads which element of
/// \p inShape under numpy broadcasting.
int64_t broadcastSourceIndex(llvm::ArrayRef<int64_t> outShape,
                             llvm::ArrayRef<int64_t> inShape, int64_t flat) {
  int64_t source = 0, stride = 1;
  size_t offset = outShape.size() - inShape.size();
  for (size_t axis = outShape.size(); axis-- > 0;) {
    int64_t index = flat % outShape[axis];
    flat /= outShape[axis];
    if (axis < offset)
      continue;
    int64_t dim = inShape[axis - offset];
    if (dim != 1)
      source += index * stride;
    stride *= dim;
  }
  return source;
}

/// \p weight with every slice along \p axis multiplied by scale[c].
Tensor scaleWeight(const Tensor &weight, int64_t axis, const ChannelAffine &affine) {
  llvm::ArrayRef<int64_t> shape = weight.shape();
  // A splat weight with one scale for every channel stays a splat: models
  // whose weights are made by ConstantOfShape are never materialised.
  if (weight.isSplat() && !affine.scale.empty() && llvm::all_equal(affine.scale)) {
    float value = float(weight.doubleAt(0) * affine.scale.front());
    uint8_t element[sizeof(float)];
    std::memcpy(element, &value, sizeof(float));
    return Tensor::splat(weight.type(), element);
  }
  int64_t inner = 1;
  for (size_t i = size_t(axis) + 1; i < shape.size(); ++i)
    inner *= shape[i];
  int64_t channels = shape[size_t(axis)];
  std::vector<float> values(size_t(weight.numElements()));
  for (int64_t i = 0; i < weight.numElements(); ++i) {
    int64_t channel = (i / inner) % channels;
    values[size_t(i)] = float(weight.doubleAt(i) * affine.scale[size_t(channel)]);
  }
  return Tensor::fromFloats(values, shape);
}

/// scale * bias + shift per channel. With \p broadcasts the bias (of shape
/// \p biasShape, null meaning zero) broadcasts onto a result whose last axis
/// is the channel and the new bias has the broadcast of its shape and
/// [channels]; otherwise bias and new bias are [channels].
Tensor foldBias(const Tensor *bias, bool broadcasts, const ChannelAffine &affine) {
  int64_t channels = int64_t(affine.scale.size());
  Shape shape = {channels};
  if (broadcasts && bias) {
    absl::StatusOr<Shape> joined = broadcastShapes(bias->shape(), shape);
    assert(joined.ok() && "bias checked to broadcast onto the channels");
    shape = *joined;
  }
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  std::vector<float> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    size_t channel = size_t(i % channels);
    double old = 0.0;
    if (bias)
      old = bias->doubleAt(broadcasts ? broadcastSourceIndex(shape, bias->shape(), i) : i);
    values[size_t(i)] = float(affine.scale[channel] * old + affine.shift[channel]);
  }
  return Tensor::fromFloats(values, shape);
}

/// Whether \p value is an f32 constant (folding writes f32 only).
bool isF32Constant(const Value *value) {
  return value && value->constant() && value->type().dtype == DType::F32;
}

class FoldBatchNormPass final : public Pass {
public:
  llvm::StringRef name() const override { return "fold-batchnorm"; }
  llvm::StringRef description() const override {
    return "fold BatchNormalization into a preceding Conv, Gemm or MatMul + Add";
  }

  absl::Status run(Graph &graph) override {
    ValueReplacements replacements(graph);
    NameTable names(graph);
    std::vector<unsigned> uses = graph.countUses();
    std::vector<bool> removed(graph.numNodes(), false);
    bool any = false;
    for (unsigned n = 0, e = graph.numNodes(); n < e; ++n) {
      Node &node = *graph.node(n);
      replacements.remapOperands(node);
      if (!foldInto(graph, node, uses, names))
        continue;
      Value *input = node.operand(0);
      input->setName(node.result(0)->name());
      replacements.replace(node.result(0), input);
      // The readers of the folded result now read the input: a second
      // BatchNormalization after this one must see them.
      uses[input->id()] = uses[node.result(0)->id()];
      removed[n] = true;
      any = true;
    }
    if (!any)
      return absl::OkStatus();
    replacements.remapOutputs(graph);
    graph.eraseNodes([&](const Node &node) { return removed[node.id()]; });
    return absl::OkStatus();
  }

private:
  /// Folds \p node into the producer of its operand if \p node is a channel
  /// affine map and the pattern allows it; whether it did.
  bool foldInto(Graph &graph, Node &node, llvm::ArrayRef<unsigned> uses,
                NameTable &names) {
    const OpDef *op = lookupOp(node);
    if (!op || node.numResults() != 1)
      return false;
    std::optional<ChannelAffine> affine = op->channelAffine(node);
    if (!affine)
      return false;
    Value *input = node.operand(0);
    Node *producer = input->producer();
    if (!producer || uses[input->id()] != 1 || input->type().dtype != DType::F32 ||
        input->type().rank() < 2 ||
        input->type().shape[1] != int64_t(affine->scale.size()))
      return false;

    const OpDef *producerOp = lookupOp(*producer);
    std::optional<ChannelLinearity> linearity =
        producerOp ? producerOp->channelLinearity(*producer) : std::nullopt;
    if (linearity && linearity->biasOperand) {
      // Conv or Gemm: weights and bias both on the producer.
      if (!canScaleWeight(*producer, *linearity, *affine))
        return false;
      Value *bias = producer->operand(*linearity->biasOperand);
      if (bias && !canFoldBias(bias, *linearity, input->type(), *affine))
        return false;
      scaleWeightOperand(graph, *producer, *linearity, *affine, names);
      Tensor newBias = foldBias(bias ? bias->constant() : nullptr,
                                linearity->biasBroadcasts, *affine);
      std::string biasName = bias ? bias->name() + ".bn"
                                  : producer->name() + ".bias.bn";
      producer->setOperand(*linearity->biasOperand,
                           graph.addConstant(names.unique(biasName), std::move(newBias)));
      return true;
    }

    // MatMul -> Add(bias) -> here: the weights on the MatMul, the bias on
    // the Add, whose result must be [M, channels] like the MatMul's.
    std::optional<unsigned> biasIndex =
        producerOp ? producerOp->biasAddOperand(*producer) : std::nullopt;
    if (!biasIndex || input->type().rank() != 2)
      return false;
    Value *data = producer->operand(1 - *biasIndex);
    Node *linear = data->producer();
    if (!linear || uses[data->id()] != 1)
      return false;
    const OpDef *linearOp = lookupOp(*linear);
    std::optional<ChannelLinearity> matmul =
        linearOp ? linearOp->channelLinearity(*linear) : std::nullopt;
    // A linear op with a bias of its own would need it scaled too; Gemm
    // followed by Add is rare enough to leave alone.
    if (!matmul || (matmul->biasOperand && linear->operand(*matmul->biasOperand)))
      return false;
    ChannelLinearity addBias;
    addBias.biasOperand = *biasIndex;
    addBias.biasBroadcasts = true;
    Value *bias = producer->operand(*biasIndex);
    if (!canScaleWeight(*linear, *matmul, *affine) ||
        !canFoldBias(bias, addBias, input->type(), *affine))
      return false;
    scaleWeightOperand(graph, *linear, *matmul, *affine, names);
    producer->setOperand(*biasIndex,
                         graph.addConstant(names.unique(bias->name() + ".bn"),
                                           foldBias(bias->constant(), true, *affine)));
    return true;
  }

  static bool canScaleWeight(const Node &linear, const ChannelLinearity &linearity,
                             const ChannelAffine &affine) {
    const Value *weight = linear.operand(linearity.weightOperand);
    return isF32Constant(weight) && linearity.weightAxis < weight->type().rank() &&
           weight->type().shape[size_t(linearity.weightAxis)] ==
               int64_t(affine.scale.size());
  }

  /// A Conv bias is [channels]; a broadcasting one must broadcast onto the
  /// [M, channels] result, channels last.
  static bool canFoldBias(const Value *bias, const ChannelLinearity &linearity,
                          const TensorType &resultType, const ChannelAffine &affine) {
    if (!isF32Constant(bias))
      return false;
    int64_t channels = int64_t(affine.scale.size());
    if (!linearity.biasBroadcasts)
      return bias->type().rank() == 1 && bias->type().shape[0] == channels;
    return resultType.rank() == 2 && resultType.shape[1] == channels &&
           broadcastShapes(bias->type().shape, resultType.shape).ok() &&
           bias->type().rank() <= 2;
  }

  static void scaleWeightOperand(Graph &graph, Node &linear,
                                 const ChannelLinearity &linearity,
                                 const ChannelAffine &affine, NameTable &names) {
    const Value *weight = linear.operand(linearity.weightOperand);
    linear.setOperand(linearity.weightOperand,
                      graph.addConstant(names.unique(weight->name() + ".bn"),
                                        scaleWeight(*weight->constant(),
                                                    linearity.weightAxis, affine)));
  }
};

} // namespace

std::unique_ptr<Pass> createFoldBatchNormPass() {
  return std::make_unique<FoldBatchNormPass>();
}

} // namespace tinyplan
