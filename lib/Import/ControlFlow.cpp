//===- ControlFlow.cpp - If nodes with a constant condition, inlined ------===//
//
// 1. Find the first default-domain If, in topological order, of the main
//    graph not yet known to branch at run time.
// 2. Its condition: a copy of the model with only the condition's ancestors
//    (and the initializers they read), whose one output is the condition,
//    imported by the caller; a constant bool, or nothing. A condition that
//    depends on an If (one that branches at run time, the others being
//    inlined already) is not evaluated: so no import recurses.
// 3. A constant: the If is replaced in place by the taken branch's nodes,
//    every name the branch defines prefixed with "<If's name>/" (references
//    in nested subgraphs too), its initializers moved into the main graph,
//    and an Identity from each branch output to the If's output. Repeat:
//    Ifs nested in the taken branch are now in the main graph. Unnamed nodes
//    are first given the names the importer would give them.
//
//===----------------------------------------------------------------------===//
#include "ControlFlow.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/str_cat.h"
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tinyplan {
namespace {

using NameMap = std::map<std::string, std::string>;

bool isDefaultDomain(const onnx::NodeProto &node) {
  return node.domain().empty() || node.domain() == "ai.onnx";
}

bool isDefaultDomainIf(const onnx::NodeProto &node) {
  return node.op_type() == "If" && isDefaultDomain(node);
}

bool isDefaultDomainLoop(const onnx::NodeProto &node) {
  return node.op_type() == "Loop" && isDefaultDomain(node);
}

void collectFreeReads(const onnx::GraphProto &graph, std::set<std::string> &reads);

/// The names \p node reads: its inputs and what its subgraphs read from
/// outside themselves.
void collectNodeReads(const onnx::NodeProto &node, std::set<std::string> &reads) {
  for (const std::string &input : node.input())
    if (!input.empty())
      reads.insert(input);
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.has_g())
      collectFreeReads(attr.g(), reads);
    for (const onnx::GraphProto &graph : attr.graphs())
      collectFreeReads(graph, reads);
  }
}

/// The names \p graph reads that it does not define itself.
void collectFreeReads(const onnx::GraphProto &graph, std::set<std::string> &reads) {
  std::set<std::string> defined, inner;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::NodeProto &node : graph.node()) {
    collectNodeReads(node, inner);
    for (const std::string &output : node.output())
      defined.insert(output);
  }
  for (const onnx::ValueInfoProto &output : graph.output())
    inner.insert(output.name());
  for (const std::string &name : inner)
    if (!defined.count(name))
      reads.insert(name);
}

void renameFreeReads(onnx::GraphProto &graph, const NameMap &renames);

/// Renames \p node's inputs found in \p renames, and the references of its
/// subgraphs to them.
void renameReads(onnx::NodeProto &node, const NameMap &renames) {
  for (std::string &input : *node.mutable_input()) {
    auto it = renames.find(input);
    if (it != renames.end())
      input = it->second;
  }
  for (onnx::AttributeProto &attr : *node.mutable_attribute()) {
    if (attr.has_g())
      renameFreeReads(*attr.mutable_g(), renames);
    for (onnx::GraphProto &nested : *attr.mutable_graphs())
      renameFreeReads(nested, renames);
  }
}

/// Renames the references of \p graph's nodes and outputs to names in
/// \p renames that \p graph does not define itself (it may shadow them).
void renameFreeReads(onnx::GraphProto &graph, const NameMap &renames) {
  NameMap visible = renames;
  for (const onnx::ValueInfoProto &input : graph.input())
    visible.erase(input.name());
  for (const onnx::TensorProto &init : graph.initializer())
    visible.erase(init.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &output : node.output())
      visible.erase(output);
  for (onnx::NodeProto &node : *graph.mutable_node())
    renameReads(node, visible);
  for (onnx::ValueInfoProto &output : *graph.mutable_output()) {
    auto it = visible.find(output.name());
    if (it != visible.end())
      output.set_name(it->second);
  }
}

std::string nodeName(const onnx::NodeProto &node, int index) {
  return node.name().empty() ? absl::StrCat(node.op_type(), "_", index) : node.name();
}

/// The producer of every name \p graph's nodes define.
std::map<std::string, int> producers(const onnx::GraphProto &graph) {
  std::map<std::string, int> producer;
  for (int i = 0; i < graph.node_size(); ++i)
    for (const std::string &output : graph.node(i).output())
      if (!output.empty())
        producer.emplace(output, i);
  return producer;
}

/// \p graph's nodes in an order where each comes after the producers of
/// what it reads (subgraphs included); nodes on a cycle are left out (the
/// importer reports the cycle).
std::vector<int> topologicalOrder(const onnx::GraphProto &graph) {
  std::map<std::string, int> producer = producers(graph);
  std::vector<std::vector<int>> users(size_t(graph.node_size()));
  std::vector<int> pending(size_t(graph.node_size()), 0);
  for (int i = 0; i < graph.node_size(); ++i) {
    std::set<std::string> reads;
    collectNodeReads(graph.node(i), reads);
    for (const std::string &read : reads) {
      auto it = producer.find(read);
      if (it != producer.end() && it->second != i) {
        users[size_t(it->second)].push_back(i);
        ++pending[size_t(i)];
      }
    }
  }
  std::vector<int> order;
  for (int i = 0; i < graph.node_size(); ++i)
    if (pending[size_t(i)] == 0)
      order.push_back(i);
  for (size_t k = 0; k < order.size(); ++k)
    for (int user : users[size_t(order[k])])
      if (--pending[size_t(user)] == 0)
        order.push_back(user);
  return order;
}

/// A copy of \p model whose graph computes only \p condition, as the
/// output "tinyplan.condition"; nullopt when it depends on an If or a Loop
/// (one that stays: the others are inlined first).
std::optional<onnx::ModelProto> conditionModel(const onnx::ModelProto &model,
                                               const std::string &condition) {
  const onnx::GraphProto &graph = model.graph();
  std::map<std::string, int> producer = producers(graph);
  // Ancestors of the condition, by a walk over the names each node reads.
  std::set<int> ancestors;
  std::set<std::string> reads{condition}, seen;
  std::vector<std::string> pending{condition};
  while (!pending.empty()) {
    std::string name = pending.back();
    pending.pop_back();
    if (!seen.insert(name).second)
      continue;
    auto it = producer.find(name);
    if (it == producer.end() || !ancestors.insert(it->second).second)
      continue;
    if (isDefaultDomainIf(graph.node(it->second)) || isDefaultDomainLoop(graph.node(it->second)))
      return std::nullopt;
    std::set<std::string> nodeReads;
    collectNodeReads(graph.node(it->second), nodeReads);
    for (const std::string &read : nodeReads) {
      reads.insert(read);
      pending.push_back(read);
    }
  }
  onnx::ModelProto sub = model;
  onnx::GraphProto *subGraph = sub.mutable_graph();
  subGraph->clear_node();
  subGraph->clear_initializer();
  subGraph->clear_sparse_initializer();
  subGraph->clear_value_info();
  subGraph->clear_output();
  for (int i : ancestors)
    *subGraph->add_node() = graph.node(i);
  for (const onnx::TensorProto &init : graph.initializer())
    if (reads.count(init.name()))
      *subGraph->add_initializer() = init;
  // An Identity, so that a condition that is a graph input or an
  // initializer still has a node.
  onnx::NodeProto *identity = subGraph->add_node();
  identity->set_op_type("Identity");
  identity->add_input(condition);
  identity->add_output("tinyplan.condition");
  subGraph->add_output()->set_name("tinyplan.condition");
  return sub;
}

/// Replaces node \p index of \p graph, an If, by its \p taken branch.
absl::Status inlineBranch(onnx::GraphProto &graph, int index, bool taken) {
  const onnx::NodeProto ifNode = graph.node(index);
  std::string label = absl::StrCat("node '", nodeName(ifNode, index), "' (If): ");
  const char *branchName = taken ? "then_branch" : "else_branch";
  const onnx::GraphProto *branch = nullptr;
  for (const onnx::AttributeProto &attr : ifNode.attribute())
    if (attr.name() == branchName && attr.has_g())
      branch = &attr.g();
  if (!branch)
    return modelError(label, "attribute '", branchName, "' is missing");
  if (branch->output_size() != ifNode.output_size())
    return modelError(label, branchName, " has ", branch->output_size(),
                      " outputs, the If has ", ifNode.output_size());
  std::string prefix = nodeName(ifNode, index) + "/";
  NameMap renames;
  for (const onnx::TensorProto &init : branch->initializer())
    renames[init.name()] = prefix + init.name();
  for (const onnx::NodeProto &node : branch->node())
    for (const std::string &output : node.output())
      if (!output.empty())
        renames[output] = prefix + output;

  // The branch's own names are renamed where they are defined and read.
  onnx::GraphProto renamed = *branch;
  for (onnx::NodeProto &node : *renamed.mutable_node())
    renameReads(node, renames);
  for (onnx::TensorProto &init : *renamed.mutable_initializer()) {
    init.set_name(prefix + init.name());
    *graph.add_initializer() = init;
  }
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (int i = 0; i < index; ++i)
    *nodes.Add() = graph.node(i);
  for (int k = 0; k < renamed.node_size(); ++k) {
    onnx::NodeProto node = renamed.node(k);
    node.set_name(prefix + nodeName(node, k));
    for (std::string &output : *node.mutable_output())
      if (!output.empty())
        output = renames[output];
    *nodes.Add() = std::move(node);
  }
  for (int i = 0; i < ifNode.output_size(); ++i) {
    if (ifNode.output(i).empty())
      continue;
    onnx::NodeProto *identity = nodes.Add();
    identity->set_name(absl::StrCat(prefix, "output", i));
    identity->set_op_type("Identity");
    // A branch output may also be a value of the main graph.
    auto it = renames.find(renamed.output(i).name());
    identity->add_input(it == renames.end() ? renamed.output(i).name() : it->second);
    identity->add_output(ifNode.output(i));
  }
  for (int i = index + 1; i < graph.node_size(); ++i)
    *nodes.Add() = graph.node(i);
  graph.mutable_node()->Swap(&nodes);
  return absl::OkStatus();
}

/// Whether \p tensor is a bool tensor whose first element is true.
bool isTrueTensor(const onnx::TensorProto &tensor) {
  if (tensor.data_type() != onnx::TensorProto::BOOL)
    return false;
  if (tensor.has_raw_data())
    return !tensor.raw_data().empty() && tensor.raw_data()[0] != 0;
  return tensor.int32_data_size() > 0 && tensor.int32_data(0) != 0;
}

/// Whether \p body's condition output is always true when its condition
/// input is: the input passed on (directly or through an Identity), or a
/// true constant.
bool passesConditionOn(const onnx::GraphProto &body) {
  const std::string &in = body.input(1).name(), &out = body.output(0).name();
  if (out == in)
    return true;
  for (const onnx::TensorProto &init : body.initializer())
    if (init.name() == out)
      return isTrueTensor(init);
  for (const onnx::NodeProto &node : body.node()) {
    if (node.output_size() < 1 || node.output(0) != out)
      continue;
    if (node.op_type() == "Identity")
      return node.input_size() == 1 && node.input(0) == in;
    if (node.op_type() == "Constant")
      for (const onnx::AttributeProto &attr : node.attribute())
        if (attr.name() == "value" && attr.has_t())
          return isTrueTensor(attr.t());
    return false;
  }
  return false;
}

onnx::NodeProto *addNode(google::protobuf::RepeatedPtrField<onnx::NodeProto> &nodes,
                         const std::string &name, const std::string &opType,
                         std::vector<std::string> inputs, const std::string &output) {
  onnx::NodeProto *node = nodes.Add();
  node->set_name(name);
  node->set_op_type(opType);
  for (const std::string &input : inputs)
    node->add_input(input);
  node->add_output(output);
  return node;
}

/// Replaces node \p index of \p graph, a Loop running \p trips times whose
/// body passes its condition on, by \p trips copies of its body.
absl::Status unrollLoop(onnx::GraphProto &graph, int index, int64_t trips, int64_t opset) {
  const onnx::NodeProto loop = graph.node(index);
  const onnx::GraphProto *body = nullptr;
  for (const onnx::AttributeProto &attr : loop.attribute())
    if (attr.name() == "body" && attr.has_g())
      body = &attr.g();
  int carried = loop.input_size() - 2;
  int scans = body->output_size() - 1 - carried;
  std::string prefix = nodeName(loop, index) + "/";
  // The body's initializers, once for every iteration.
  NameMap shared;
  for (const onnx::TensorProto &init : body->initializer()) {
    shared[init.name()] = prefix + init.name();
    *graph.add_initializer() = init;
    graph.mutable_initializer(graph.initializer_size() - 1)->set_name(prefix + init.name());
  }
  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (int i = 0; i < index; ++i)
    *nodes.Add() = graph.node(i);
  std::vector<std::string> values(loop.input().begin() + 2, loop.input().end());
  std::vector<std::vector<std::string>> scanned(size_t(std::max(scans, 0)));
  for (int64_t k = 0; k < trips; ++k) {
    std::string step = absl::StrCat(prefix, k, "/");
    NameMap renames = shared;
    renames[body->input(0).name()] = step + "iteration";
    renames[body->input(1).name()] = step + "condition";
    for (int j = 0; j < carried; ++j)
      renames[body->input(2 + j).name()] = values[size_t(j)];
    for (const onnx::NodeProto &node : body->node())
      for (const std::string &output : node.output())
        if (!output.empty())
          renames[output] = step + output;
    onnx::NodeProto *iteration = addNode(nodes, step + "iteration", "Constant", {},
                                         step + "iteration");
    onnx::AttributeProto *value = iteration->add_attribute();
    value->set_name("value");
    value->set_type(onnx::AttributeProto::TENSOR);
    value->mutable_t()->set_data_type(onnx::TensorProto::INT64);
    value->mutable_t()->add_int64_data(k);
    onnx::NodeProto *condition = addNode(nodes, step + "condition", "Constant", {},
                                         step + "condition");
    value = condition->add_attribute();
    value->set_name("value");
    value->set_type(onnx::AttributeProto::TENSOR);
    value->mutable_t()->set_data_type(onnx::TensorProto::BOOL);
    value->mutable_t()->add_int32_data(1);
    for (int n = 0; n < body->node_size(); ++n) {
      onnx::NodeProto node = body->node(n);
      renameReads(node, renames);
      node.set_name(step + nodeName(node, n));
      for (std::string &output : *node.mutable_output())
        if (!output.empty())
          output = renames[output];
      *nodes.Add() = std::move(node);
    }
    auto renamed = [&](const std::string &name) {
      auto it = renames.find(name);
      return it == renames.end() ? name : it->second;
    };
    for (int j = 0; j < carried; ++j)
      values[size_t(j)] = renamed(body->output(1 + j).name());
    for (int j = 0; j < scans; ++j)
      scanned[size_t(j)].push_back(renamed(body->output(1 + carried + j).name()));
  }
  for (int j = 0; j < carried && j < loop.output_size(); ++j)
    if (!loop.output(j).empty())
      addNode(nodes, absl::StrCat(prefix, "output", j), "Identity", {values[size_t(j)]},
              loop.output(j));
  // Each scan output: the iterations' values stacked on a new axis 0.
  std::string axes = prefix + "axes";
  for (int j = 0; j < scans && carried + j < loop.output_size(); ++j) {
    if (loop.output(carried + j).empty())
      continue;
    std::vector<std::string> parts;
    for (size_t k = 0; k < scanned[size_t(j)].size(); ++k) {
      std::string part = absl::StrCat(prefix, k, "/scan", j);
      onnx::NodeProto *unsqueeze = addNode(
          nodes, part, "Unsqueeze",
          opset >= 13 ? std::vector<std::string>{scanned[size_t(j)][k], axes}
                      : std::vector<std::string>{scanned[size_t(j)][k]},
          part);
      if (opset < 13) {
        onnx::AttributeProto *attr = unsqueeze->add_attribute();
        attr->set_name("axes");
        attr->set_type(onnx::AttributeProto::INTS);
        attr->add_ints(0);
      }
      parts.push_back(part);
    }
    onnx::NodeProto *concat = addNode(nodes, absl::StrCat(prefix, "scan", j), "Concat", parts,
                                      loop.output(carried + j));
    onnx::AttributeProto *attr = concat->add_attribute();
    attr->set_name("axis");
    attr->set_type(onnx::AttributeProto::INT);
    attr->set_i(0);
  }
  if (opset >= 13 && scans > 0) {
    onnx::TensorProto *zero = graph.add_initializer();
    zero->set_name(axes);
    zero->set_data_type(onnx::TensorProto::INT64);
    zero->add_dims(1);
    zero->add_int64_data(0);
  }
  for (int i = index + 1; i < graph.node_size(); ++i)
    *nodes.Add() = graph.node(i);
  graph.mutable_node()->Swap(&nodes);
  return absl::OkStatus();
}

/// The most iterations a Loop is unrolled to, and the most nodes the
/// unrolled graph may have (nested Loops multiply).
constexpr int64_t kMaxUnrolled = 4096;
constexpr int64_t kMaxUnrolledNodes = int64_t(1) << 20;

/// The times \p loop runs when its trip count M folds to a constant of at
/// most kMaxUnrolled, its condition to true (or is absent) and its body
/// passes the condition on unchanged, and the unrolled graph stays within
/// kMaxUnrolledNodes; nullopt otherwise.

std::optional<int64_t> staticTrips(const onnx::ModelProto &model, const onnx::NodeProto &loop,
                                   ScalarEvaluator evaluate) {
  const onnx::GraphProto *body = nullptr;
  for (const onnx::AttributeProto &attr : loop.attribute())
    if (attr.name() == "body" && attr.has_g())
      body = &attr.g();
  int carried = loop.input_size() - 2;
  if (!body || carried < 0 || loop.input(0).empty() ||
      body->input_size() != 2 + carried || body->output_size() < 1 + carried ||
      loop.output_size() > body->output_size() - 1 || !passesConditionOn(*body))
    return std::nullopt;
  auto scalar = [&](const std::string &name) -> std::optional<int64_t> {
    std::optional<onnx::ModelProto> only = conditionModel(model, name);
    return only ? evaluate(*only) : std::nullopt;
  };
  std::optional<int64_t> trips = scalar(loop.input(0));
  if (!trips || *trips < 0 || *trips > kMaxUnrolled)
    return std::nullopt;
  if (!loop.input(1).empty()) {
    std::optional<int64_t> condition = scalar(loop.input(1));
    if (!condition)
      return std::nullopt;
    if (*condition == 0)
      trips = 0;
  }
  if (int64_t(model.graph().node_size()) + *trips * (body->node_size() + 2) > kMaxUnrolledNodes)
    return std::nullopt;
  // No iteration has no scan values to stack (their shape is unknown).
  if (*trips == 0 && loop.output_size() > carried)
    return std::nullopt;
  return trips;
}

} // namespace

absl::StatusOr<int> inlineStaticControlFlow(onnx::ModelProto &model, ScalarEvaluator evaluate) {
  onnx::GraphProto &graph = *model.mutable_graph();
  int64_t opset = 0;
  for (const onnx::OperatorSetIdProto &id : model.opset_import())
    if (id.domain().empty() || id.domain() == "ai.onnx")
      opset = id.version();
  // Ifs and Loops that stay, by their first output (names are unique).
  std::set<std::string> dynamic;
  int inlined = 0;
  for (;;) {
    // The first If or Loop in topological order: those its condition and
    // trip count depend on are inlined or stay, so none is evaluated twice.
    int index = -1;
    for (int i : topologicalOrder(graph)) {
      const onnx::NodeProto &node = graph.node(i);
      if ((isDefaultDomainIf(node) || isDefaultDomainLoop(node)) && node.output_size() > 0 &&
          !dynamic.count(node.output(0))) {
        index = i;
        break;
      }
    }
    if (index < 0)
      return inlined;
    const onnx::NodeProto &node = graph.node(index);
    std::optional<int64_t> value;
    if (isDefaultDomainLoop(node)) {
      value = staticTrips(model, node, evaluate);
    } else if (node.input_size() == 1) {
      std::optional<onnx::ModelProto> conditionOnly = conditionModel(model, node.input(0));
      if (conditionOnly)
        value = evaluate(*conditionOnly);
    }
    if (!value) {
      dynamic.insert(node.output(0));
      continue;
    }
    // Unnamed nodes keep the names the importer gives them by their place
    // in the file ("Relu_7"), which inlining would shift.
    if (inlined == 0)
      for (int i = 0; i < graph.node_size(); ++i)
        if (graph.node(i).name().empty())
          graph.mutable_node(i)->set_name(nodeName(graph.node(i), i));
    if (isDefaultDomainLoop(node))
      TP_RETURN_IF_ERROR(unrollLoop(graph, index, *value, opset));
    else
      TP_RETURN_IF_ERROR(inlineBranch(graph, index, *value != 0));
    ++inlined;
  }
}

} // namespace tinyplan
