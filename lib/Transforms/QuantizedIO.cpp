//===- QuantizedIO.cpp - Integer inputs and outputs for quantized models --===//
//
// See QuantizedIO.h. An input keeps its value (and name) and takes the
// QuantizeLinear's integer type; the QuantizeLinear nodes go, their results'
// readers reading the input. An output's integer tensor takes the output's
// name and place; the DequantizeLinear goes.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Transforms/QuantizedIO.h"
#include "TransformUtils.h"
#include <cstring>
#include <set>

namespace tinyplan {
namespace {

bool isQuantizedType(DType type) {
  return type == DType::I8 || type == DType::U8 || type == DType::I16 || type == DType::U16;
}

/// A Q's or DQ's per-tensor float32 scale and zero point (0 when omitted),
/// or nullopt when they are not one constant element each.
std::optional<QuantizedIO> perTensorParams(const Node &node) {
  const Tensor *scale = singleConstant(node.operand(1));
  if (!scale || scale->dtype() != DType::F32)
    return std::nullopt;
  QuantizedIO params;
  params.scale = float(scale->doubleAt(0));
  if (node.numOperands() > 2 && node.operand(2)) {
    const Tensor *zeroPoint = singleConstant(node.operand(2));
    if (!zeroPoint)
      return std::nullopt;
    params.zeroPoint = zeroPoint->intAt(0);
  }
  return params;
}

bool isOp(const Node &node, const char *opType) {
  return node.opType() == opType && (node.domain().empty() || node.domain() == "ai.onnx");
}

/// The quantization of input \p input if every reader is a per-tensor
/// QuantizeLinear of it with the same scale, zero point and integer type.
std::optional<QuantizedIO> inputQuantization(const Graph &graph, const Value &input,
                                             std::vector<const Node *> &readers) {
  if (input.type().dtype != DType::F32)
    return std::nullopt;
  std::optional<QuantizedIO> common;
  std::optional<DType> type;
  for (const auto &node : graph.nodes())
    for (unsigned i = 0; i < node->numOperands(); ++i) {
      if (node->operand(i) != &input)
        continue;
      if (i != 0 || !isOp(*node, "QuantizeLinear"))
        return std::nullopt;
      std::optional<QuantizedIO> params = perTensorParams(*node);
      DType result = node->result(0)->type().dtype;
      if (!params || !isQuantizedType(result))
        return std::nullopt;
      if (common && (std::memcmp(&common->scale, &params->scale, sizeof(float)) != 0 ||
                     common->zeroPoint != params->zeroPoint || *type != result))
        return std::nullopt;
      common = params;
      type = result;
      readers.push_back(node.get());
    }
  return common;
}

} // namespace

absl::StatusOr<std::vector<QuantizedIO>> quantizeGraphIO(Graph &graph) {
  std::vector<QuantizedIO> changed;
  std::set<const Node *> erased;
  std::vector<bool> isOutput = graphOutputMask(graph);

  for (Value *input : graph.inputs()) {
    std::vector<const Node *> readers;
    std::optional<QuantizedIO> params = inputQuantization(graph, *input, readers);
    if (!params || readers.empty() || isOutput[input->id()])
      continue;
    input->setType(TensorType(readers.front()->result(0)->type().dtype, input->type().shape));
    for (const Node *q : readers) {
      graph.replaceAllUsesWith(q->result(0), input);
      erased.insert(q);
    }
    params->name = input->name();
    params->isInput = true;
    changed.push_back(*params);
  }

  std::vector<unsigned> uses = graph.countUses();
  NameTable names(graph);
  for (Value *output : graph.outputs()) {
    Node *dq = output->producer();
    if (!dq || !isOp(*dq, "DequantizeLinear") || uses[output->id()] != 1 ||
        output->type().dtype != DType::F32 || erased.count(dq))
      continue;
    Value *integers = dq->operand(0);
    std::optional<QuantizedIO> params = perTensorParams(*dq);
    // The integers must be a tensor of their own to take the output's name.
    if (!params || !integers || integers->kind() != Value::Kind::Result ||
        isOutput[integers->id()] || !isQuantizedType(integers->type().dtype))
      continue;
    std::string name = output->name();
    output->setName(names.unique(name + ".dequantized"));
    integers->setName(name);
    graph.replaceOutput(output, integers);
    isOutput[integers->id()] = true;
    erased.insert(dq);
    params->name = name;
    params->isInput = false;
    changed.push_back(*params);
  }

  if (changed.empty())
    return absl::InvalidArgumentError(
        "--quantized-io: no graph input is read only by QuantizeLinear nodes with one "
        "per-tensor scale and zero point, and no graph output is the per-tensor "
        "DequantizeLinear of a tensor of the model's: nothing to change");
  graph.eraseNodes([&](const Node &node) { return erased.count(&node) > 0; });
  return changed;
}

} // namespace tinyplan
