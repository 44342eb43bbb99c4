//===- Cost.cpp - Parameters, MACs and bytes per node ---------------------===//
#include "tinyplan/Analysis/Cost.h"
#include "tinyplan/Ops/Inference.h"

#include "llvm/Support/Format.h"

namespace tinyplan {

CostAnalysis::CostAnalysis(const Graph &graph) : graph_(graph) {
  nodeCosts_.reserve(graph.numNodes());
  for (const auto &node : graph.nodes()) {
    nodeCosts_.push_back(tinyplan::nodeCost(*node));
    totalParams_ += nodeCosts_.back().params;
    totalMacs_ += nodeCosts_.back().macs;
  }
  for (const auto &value : graph.values())
    if (value->isConstant())
      constantBytes_ += value->type().numBytes();
}

void CostAnalysis::print(llvm::raw_ostream &os) const {
  size_t nameWidth = 4, opWidth = 2, shapeWidth = 12;
  std::vector<std::string> shapes;
  for (const auto &node : graph_.nodes()) {
    nameWidth = std::max(nameWidth, node->name().size());
    opWidth = std::max(opWidth, node->opType().size());
    std::string shape;
    for (const Value *result : node->results())
      shape += (shape.empty() ? "" : " ") + result->type().str();
    shapeWidth = std::max(shapeWidth, shape.size());
    shapes.push_back(std::move(shape));
  }
  os << "summary @" << graph_.name() << '\n';
  os << llvm::left_justify("node", nameWidth) << "  "
     << llvm::left_justify("op", opWidth) << "  "
     << llvm::left_justify("output", shapeWidth) << "  "
     << llvm::right_justify("params", 10) << "  "
     << llvm::right_justify("MACs", 14) << "  "
     << llvm::right_justify("out bytes", 12) << '\n';
  for (const auto &node : graph_.nodes()) {
    int64_t outBytes = 0;
    for (const Value *result : node->results())
      outBytes += result->type().numBytes();
    const OpCost &cost = nodeCosts_[node->id()];
    os << llvm::left_justify(node->name(), nameWidth) << "  "
       << llvm::left_justify(node->opType(), opWidth) << "  "
       << llvm::left_justify(shapes[node->id()], shapeWidth) << "  "
       << llvm::format_decimal(cost.params, 10) << "  "
       << llvm::format_decimal(cost.macs, 14) << "  "
       << llvm::format_decimal(outBytes, 12) << '\n';
  }
  os << "total: " << graph_.numNodes() << " nodes, " << totalParams_
     << " parameters, " << totalMacs_ << " MACs, " << constantBytes_
     << " constant bytes\n";
}

} // namespace tinyplan
