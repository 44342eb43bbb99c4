//===- OpTestHelpers.h - Building one-node graphs for op tests --*- C++ -*-===//
//
// Op unit tests build a tiny Graph by hand, run inferNode on one node and
// look at the result types, the diagnostic or the cost. These helpers keep
// that to a line per operand.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_UNITTESTS_OPS_OPTESTHELPERS_H
#define TINYPLAN_UNITTESTS_OPS_OPTESTHELPERS_H

#include "tinyplan/IR/Graph.h"
#include "tinyplan/Ops/Inference.h"

#include "gtest/gtest.h"
#include <string>
#include <vector>

namespace tinyplan::optest {

using Ints = std::vector<int64_t>;

/// A graph with one node under test; operands are added first.
struct OneNode {
  Graph graph;
  Node *node = nullptr;

  Value *input(const std::string &name, llvm::ArrayRef<int64_t> shape,
               DType dtype = DType::F32) {
    return graph.addInput(name, TensorType(dtype, shape));
  }
  /// A constant of all zeros (a splat: op tests need shapes, not values).
  Value *weight(const std::string &name, llvm::ArrayRef<int64_t> shape,
                DType dtype = DType::F32) {
    std::vector<uint8_t> element(dtypeSize(dtype), 0);
    return graph.addConstant(name, Tensor::splat(TensorType(dtype, shape), element));
  }
  Value *ints(const std::string &name, llvm::ArrayRef<int64_t> values) {
    return graph.addConstant(name, Tensor::fromInt64s(values));
  }
  Node *make(const std::string &opType, llvm::ArrayRef<Value *> operands,
             llvm::ArrayRef<std::string> results = {"y"}) {
    node = graph.addNode("n", opType, "", operands, results);
    return node;
  }
  void set(const std::string &name, Attribute value) {
    node->setAttr(name, std::move(value));
  }
  absl::Status infer(int64_t opset = 17) { return inferNode(*node, opset); }
  const TensorType &type(unsigned result = 0) const {
    return node->result(result)->type();
  }
  /// The message of a failing inferNode, without the node prefix.
  std::string error(int64_t opset = 17) {
    absl::Status status = infer(opset);
    if (status.ok())
      return "<ok>";
    std::string message(status.message());
    std::string prefix = node->diagPrefix();
    if (message.rfind(prefix, 0) == 0)
      message.erase(0, prefix.size());
    return message;
  }
};

inline TensorType f32(llvm::ArrayRef<int64_t> shape) {
  return TensorType(DType::F32, shape);
}

} // namespace tinyplan::optest

#endif
