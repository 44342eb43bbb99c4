//===- Importer.cpp - ONNX model -> tinyplan IR ---------------------------===//
//
// 1. Parse bytes (binary protobuf with a recursion limit, or ONNX text).
//    Inline each If whose condition folds to a constant and unroll each Loop
//    whose trip count does (ControlFlow.h).
// 2. Check IR version and opsets.
// 3. Bind graph inputs (resolving symbolic dims), initializers and Constant
//    nodes to values; create nodes in a stable topological order, rejecting
//    undefined operands, duplicate producers and cycles by name.
// 4. Report every unsupported operator at once, then infer types (folding
//    shape subgraphs), compare with the shapes the model declares, verify.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Import/Importer.h"
#include "ControlFlow.h"
#include "TensorConversion.h"
#include "tinyplan/IR/Verifier.h"
#include "tinyplan/Ops/Inference.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/str_join.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "onnx/defs/parser.h"
#include <google/protobuf/io/coded_stream.h>
#include <deque>

namespace tinyplan {

namespace {

/// Protobuf nesting allowed (graphs inside attributes inside graphs...).
constexpr int kMaxNesting = 64;

absl::StatusOr<onnx::ModelProto> parseModel(llvm::StringRef bytes, bool isText) {
  onnx::ModelProto model;
  if (isText) {
    // libonnx's text parser recurses once per nested graph: bound the depth
    // before it sees the text so hostile input cannot overflow the stack.
    int depth = 0, maxDepth = 0;
    bool quoted = false;
    for (size_t i = 0; i < bytes.size(); ++i) {
      char c = bytes[i];
      if (c == '"' && (i == 0 || bytes[i - 1] != '\\'))
        quoted = !quoted;
      else if (!quoted && (c == '{' || c == '(' || c == '['))
        maxDepth = std::max(maxDepth, ++depth);
      else if (!quoted && (c == '}' || c == ')' || c == ']'))
        depth = std::max(0, depth - 1);
    }
    if (maxDepth > kMaxNesting)
      return modelError("cannot parse ONNX text: brackets nest more than ",
                        kMaxNesting, " levels deep");
    std::string text = bytes.str();
    onnx::Common::Status status;
    try {
      status = onnx::OnnxParser::Parse(model, text.c_str());
    } catch (const std::exception &e) {
      return modelError("cannot parse ONNX text: ", e.what());
    }
    if (!status.IsOK())
      return modelError("cannot parse ONNX text: ", status.ErrorMessage());
    return model;
  }
  if (bytes.size() >= size_t(INT32_MAX))
    return modelError("file is larger than the 2 GiB protobuf limit");
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(bytes.data()), int(bytes.size()));
  stream.SetRecursionLimit(kMaxNesting);
  if (!model.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    return modelError("not a valid ONNX model (protobuf parse failed: truncated, "
                      "corrupt, or nested more than ", kMaxNesting, " levels)");
  return model;
}

class GraphImporter {
public:
  GraphImporter(const onnx::ModelProto &model, llvm::StringRef baseDir,
                const ImportOptions &options)
      : model_(model), graphProto_(model.graph()), baseDir_(baseDir),
        options_(options) {}

  absl::StatusOr<std::unique_ptr<Graph>> run();

private:
  absl::Status checkVersions();
  absl::Status importInputs();
  absl::StatusOr<Shape> resolveShape(const onnx::ValueInfoProto &info);
  absl::StatusOr<Value *> lookupOperand(const std::string &name,
                                        const onnx::NodeProto &node);
  absl::Status importConstantNode(const onnx::NodeProto &node);
  absl::StatusOr<std::vector<int>> topologicalOrder();
  absl::Status importNodes();
  absl::Status importOutputs();
  absl::Status checkDeclaredTypes();
  std::string nodeLabel(int index) const;
  void warn(std::string message) const {
    if (options_.warn)
      options_.warn(message);
  }

  const onnx::ModelProto &model_;
  const onnx::GraphProto &graphProto_;
  std::string baseDir_;
  const ImportOptions &options_;
  std::unique_ptr<Graph> graph_ = std::make_unique<Graph>();
  /// Every defined value by ONNX name.
  llvm::StringMap<Value *> values_;
  llvm::StringMap<const onnx::TensorProto *> initializers_;
  /// Symbolic dims bound while reading inputs, for checking declared shapes.
  std::map<std::string, int64_t> boundDims_;
  std::set<std::string> usedDimOptions_;
  /// First attribute problem per node, reported after unsupported ops.
  absl::Status deferredError_;
};

std::string GraphImporter::nodeLabel(int index) const {
  const onnx::NodeProto &node = graphProto_.node(index);
  std::string name = node.name().empty() ? absl::StrCat(node.op_type(), "_", index)
                                         : node.name();
  return absl::StrCat("node '", name, "' (", node.op_type(), "): ");
}

absl::Status GraphImporter::checkVersions() {
  int64_t ir = model_.ir_version();
  if (ir < kMinIrVersion || ir > kMaxIrVersion)
    return modelError("IR version ", ir, " is not supported (supported: ",
                      kMinIrVersion, " to ", kMaxIrVersion, ")");
  int64_t opset = -1;
  for (const auto &entry : model_.opset_import())
    if (entry.domain().empty() || entry.domain() == "ai.onnx")
      opset = entry.version();
  if (opset < 0)
    return modelError("model imports no opset of the default ONNX domain");
  if (opset < kMinOpset || opset > kMaxOpset)
    return modelError("opset ", opset, " of the default domain is not supported "
                      "(supported: ", kMinOpset, " to ", kMaxOpset, ")");
  graph_->setOpsetVersion(opset);
  return absl::OkStatus();
}

absl::StatusOr<Shape> GraphImporter::resolveShape(const onnx::ValueInfoProto &info) {
  const std::string &name = info.name();
  if (!info.type().has_tensor_type())
    return modelError("input '", name, "' is not a tensor");
  const auto &tensorType = info.type().tensor_type();
  if (!tensorType.has_shape())
    return modelError("input '", name, "' has no shape");
  Shape shape;
  int axis = 0;
  for (const auto &dim : tensorType.shape().dim()) {
    int64_t value;
    if (dim.has_dim_value()) {
      value = dim.dim_value();
      if (value < 0)
        return modelError("input '", name, "' has negative dimension ", value,
                          " at axis ", axis);
    } else {
      std::string symbol = dim.has_dim_param() ? dim.dim_param() : "";
      auto fixed = options_.dims.find(symbol);
      if (!symbol.empty() && fixed != options_.dims.end()) {
        value = fixed->second;
        usedDimOptions_.insert(symbol);
      } else if (!symbol.empty() && boundDims_.count(symbol)) {
        value = boundDims_[symbol];
      } else if (axis == 0) {
        value = 1;
        warn(symbol.empty()
                 ? absl::StrCat("input '", name, "' has an unknown batch "
                                "dimension; using 1")
                 : absl::StrCat("input '", name, "' has symbolic batch dimension '",
                                symbol, "'; using 1 (set it with --dim ", symbol,
                                "=VALUE)"));
      } else if (symbol.empty()) {
        return modelError("input '", name, "' has an unknown dimension at axis ",
                          axis, "; the model must give it a value");
      } else {
        return modelError("input '", name, "' has unresolved symbolic dimension '",
                          symbol, "' at axis ", axis, "; fix it with --dim ", symbol,
                          "=VALUE");
      }
      if (!symbol.empty())
        boundDims_[symbol] = value;
    }
    shape.push_back(value);
    ++axis;
  }
  return shape;
}

absl::Status GraphImporter::importInputs() {
  for (const auto &init : graphProto_.initializer()) {
    if (init.name().empty())
      return modelError("an initializer has no name");
    if (!initializers_.try_emplace(init.name(), &init).second)
      return modelError("initializer '", init.name(), "' is defined twice");
  }
  for (const auto &info : graphProto_.input()) {
    // Older exporters list initializers as inputs too: those are constants.
    if (initializers_.count(info.name()))
      continue;
    if (values_.count(info.name()))
      return modelError("graph input '", info.name(), "' is listed twice");
    TP_ASSIGN_OR_RETURN(Shape shape, resolveShape(info));
    absl::StatusOr<DType> dtype =
        convertDataType(info.type().tensor_type().elem_type());
    if (!dtype.ok())
      return withContext(dtype.status(), absl::StrCat("input '", info.name(), "': "));
    TP_RETURN_IF_ERROR(withContext(checkedNumElements(shape, *dtype).status(),
                                   absl::StrCat("input '", info.name(), "': ")));
    values_[info.name()] = graph_->addInput(info.name(), TensorType(*dtype, shape));
  }
  for (const auto &[symbol, value] : options_.dims)
    if (!usedDimOptions_.count(symbol))
      warn(absl::StrCat("--dim ", symbol, "=", value,
                        " does not name a symbolic dimension of any input"));
  return absl::OkStatus();
}

absl::StatusOr<Value *> GraphImporter::lookupOperand(const std::string &name,
                                                     const onnx::NodeProto &) {
  auto it = values_.find(name);
  if (it != values_.end())
    return it->second;
  // Initializers become constants on first use; unused ones are ignored.
  auto init = initializers_.find(name);
  if (init == initializers_.end())
    return nullptr;
  absl::StatusOr<Tensor> tensor = convertTensor(*init->second, baseDir_);
  if (!tensor.ok())
    return withContext(tensor.status(), absl::StrCat("initializer '", name, "': "));
  Value *value = graph_->addConstant(name, std::move(*tensor));
  values_[name] = value;
  return value;
}

/// Converts one attribute; subgraph attributes are dropped (the ops that
/// carry them, If/Loop/Scan, are unsupported and reported as such).
static absl::StatusOr<std::optional<Attribute>>
convertAttribute(const onnx::AttributeProto &proto, llvm::StringRef baseDir) {
  using A = onnx::AttributeProto;
  switch (proto.type()) {
  case A::INT: return Attribute(int64_t(proto.i()));
  case A::FLOAT: return Attribute(proto.f());
  case A::STRING: return Attribute(proto.s());
  case A::INTS:
    return Attribute(std::vector<int64_t>(proto.ints().begin(), proto.ints().end()));
  case A::FLOATS:
    return Attribute(std::vector<float>(proto.floats().begin(), proto.floats().end()));
  case A::STRINGS:
    return Attribute(
        std::vector<std::string>(proto.strings().begin(), proto.strings().end()));
  case A::TENSOR: {
    TP_ASSIGN_OR_RETURN(Tensor tensor, convertTensor(proto.t(), baseDir));
    return Attribute(std::move(tensor));
  }
  case A::GRAPH:
  case A::GRAPHS: return std::optional<Attribute>();
  default:
    return modelError("attribute '", proto.name(), "' has unsupported type ",
                      A::AttributeType_Name(proto.type()));
  }
}

absl::Status GraphImporter::importConstantNode(const onnx::NodeProto &node) {
  if (node.output_size() != 1 || node.attribute_size() != 1)
    return modelError("a Constant needs exactly one output and one value attribute");
  const onnx::AttributeProto &attr = node.attribute(0);
  const std::string &name = attr.name();
  std::optional<Tensor> tensor;
  if (name == "value") {
    TP_ASSIGN_OR_RETURN(tensor, convertTensor(attr.t(), baseDir_));
  } else if (name == "value_float") {
    tensor = Tensor::fromFloats({attr.f()}, {});
  } else if (name == "value_floats") {
    std::vector<float> values(attr.floats().begin(), attr.floats().end());
    tensor = Tensor::fromFloats(values, {int64_t(values.size())});
  } else if (name == "value_int") {
    tensor = Tensor::fromInt64s({attr.i()}, {});
  } else if (name == "value_ints") {
    std::vector<int64_t> values(attr.ints().begin(), attr.ints().end());
    tensor = Tensor::fromInt64s(values);
  } else if (name == "value_string" || name == "value_strings") {
    return modelError("string constants are not supported");
  } else if (name == "sparse_value") {
    return modelError("sparse constants are not supported");
  } else {
    return modelError("unknown Constant attribute '", name, "'");
  }
  values_[node.output(0)] = graph_->addConstant(node.output(0), std::move(*tensor));
  return absl::OkStatus();
}

static bool isConstantNode(const onnx::NodeProto &node) {
  return node.op_type() == "Constant" &&
         (node.domain().empty() || node.domain() == "ai.onnx");
}

absl::StatusOr<std::vector<int>> GraphImporter::topologicalOrder() {
  // Producer of every output name, rejecting duplicates and names that are
  // already graph inputs or initializers.
  int count = graphProto_.node_size();
  llvm::StringMap<int> producer;
  for (int i = 0; i < count; ++i) {
    for (const std::string &output : graphProto_.node(i).output()) {
      if (output.empty())
        continue;
      if (values_.count(output) || initializers_.count(output))
        return modelError(nodeLabel(i), "output '", output,
                          "' is already defined as a graph input or initializer");
      auto [it, inserted] = producer.try_emplace(output, i);
      if (!inserted)
        return modelError(nodeLabel(i), "output '", output,
                          "' is already produced by ", nodeLabel(it->second),
                          "each value must be defined once");
    }
  }
  // Kahn's algorithm; the ready set is ordered by file position so the
  // model's own order is kept whenever it is already topological.
  std::vector<std::vector<int>> users(count);
  std::vector<int> pending(count, 0);
  for (int i = 0; i < count; ++i) {
    for (const std::string &input : graphProto_.node(i).input()) {
      if (input.empty() || values_.count(input) || initializers_.count(input))
        continue;
      auto it = producer.find(input);
      if (it == producer.end())
        return modelError(nodeLabel(i), "input '", input, "' is not defined");
      users[it->second].push_back(i);
      ++pending[i];
    }
  }
  std::set<int> ready;
  for (int i = 0; i < count; ++i)
    if (pending[i] == 0)
      ready.insert(i);
  std::vector<int> order;
  order.reserve(count);
  while (!ready.empty()) {
    int next = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(next);
    for (int user : users[next])
      if (--pending[user] == 0)
        ready.insert(user);
  }
  if (int(order.size()) != count) {
    std::vector<std::string> stuck;
    for (int i = 0; i < count && stuck.size() < 4; ++i)
      if (pending[i] > 0)
        stuck.push_back(absl::StrCat("'", graphProto_.node(i).name().empty()
                                              ? absl::StrCat(graphProto_.node(i).op_type(), "_", i)
                                              : graphProto_.node(i).name(),
                                     "'"));
    return modelError("graph has a cycle through nodes ", absl::StrJoin(stuck, ", "));
  }
  return order;
}

absl::Status GraphImporter::importNodes() {
  TP_ASSIGN_OR_RETURN(std::vector<int> order, topologicalOrder());
  std::set<std::string> usedNames;
  for (int index : order) {
    const onnx::NodeProto &proto = graphProto_.node(index);
    if (isConstantNode(proto)) {
      TP_RETURN_IF_ERROR(withContext(importConstantNode(proto), nodeLabel(index)));
      continue;
    }
    llvm::SmallVector<Value *, 4> operands;
    for (const std::string &input : proto.input()) {
      if (input.empty()) {
        operands.push_back(nullptr);
        continue;
      }
      TP_ASSIGN_OR_RETURN(Value * operand, lookupOperand(input, proto));
      if (!operand)
        return modelError(nodeLabel(index), "input '", input, "' is not defined");
      operands.push_back(operand);
    }
    // Trailing omitted outputs are dropped; inner ones get a placeholder.
    int numOutputs = proto.output_size();
    while (numOutputs > 0 && proto.output(numOutputs - 1).empty())
      --numOutputs;
    std::vector<std::string> resultNames;
    for (int i = 0; i < numOutputs; ++i)
      resultNames.push_back(proto.output(i).empty()
                                ? absl::StrCat(proto.name(), ".unused", i)
                                : proto.output(i));
    // Unnamed nodes get "<Op>_<index>" so diagnostics can point at them.
    std::string name = proto.name().empty()
                           ? absl::StrCat(proto.op_type(), "_", index)
                           : proto.name();
    if (!usedNames.insert(name).second)
      name = absl::StrCat(name, "_", index);
    std::string domain = proto.domain() == "ai.onnx" ? "" : proto.domain();
    Node *node = graph_->addNode(name, proto.op_type(), domain, operands, resultNames);
    for (Value *result : node->results())
      values_[result->name()] = result;
    for (const auto &attrProto : proto.attribute()) {
      absl::StatusOr<std::optional<Attribute>> attr =
          convertAttribute(attrProto, baseDir_);
      if (!attr.ok()) {
        if (deferredError_.ok())
          deferredError_ = withContext(attr.status(), node->diagPrefix());
        continue;
      }
      if (*attr)
        node->setAttr(attrProto.name(), std::move(**attr));
    }
  }
  return absl::OkStatus();
}

absl::Status GraphImporter::importOutputs() {
  if (graphProto_.output_size() == 0)
    return modelError("graph has no outputs");
  for (const auto &info : graphProto_.output()) {
    auto it = values_.find(info.name());
    Value *value = it == values_.end() ? nullptr : it->second;
    if (!value && initializers_.count(info.name())) {
      TP_ASSIGN_OR_RETURN(value, lookupOperand(info.name(), onnx::NodeProto()));
    }
    if (!value)
      return modelError("graph output '", info.name(), "' is never produced");
    graph_->addOutput(value);
  }
  return absl::OkStatus();
}

absl::Status GraphImporter::checkDeclaredTypes() {
  auto check = [&](const onnx::ValueInfoProto &info, bool isOutput) -> absl::Status {
    auto it = values_.find(info.name());
    if (it == values_.end() || !info.type().has_tensor_type())
      return absl::OkStatus();
    // Names are looked up afresh: folding may have replaced the value.
    const Value *value = it->second;
    for (const Value *output : graph_->outputs())
      if (output->name() == info.name())
        value = output;
    const TensorType &actual = value->type();
    const auto &declared = info.type().tensor_type();
    std::string what = isOutput ? "graph output" : "value";
    if (declared.elem_type() != 0) {
      absl::StatusOr<DType> dtype = convertDataType(declared.elem_type());
      if (dtype.ok() && *dtype != actual.dtype)
        return modelError(what, " '", info.name(), "' is declared ",
                          dtypeName(*dtype).str(), " but computes ",
                          actual.str());
    }
    if (!declared.has_shape())
      return absl::OkStatus();
    const auto &dims = declared.shape().dim();
    bool rankMismatch = dims.size() != actual.rank();
    for (int i = 0; !rankMismatch && i < dims.size(); ++i) {
      int64_t expected = -1;
      if (dims[i].has_dim_value())
        expected = dims[i].dim_value();
      else if (dims[i].has_dim_param() && boundDims_.count(dims[i].dim_param()))
        expected = boundDims_[dims[i].dim_param()];
      if (expected >= 0 && expected != actual.shape[i])
        rankMismatch = true;
    }
    if (rankMismatch) {
      std::vector<std::string> parts;
      for (const auto &dim : dims)
        parts.push_back(dim.has_dim_value() ? std::to_string(dim.dim_value())
                                            : dim.has_dim_param() ? dim.dim_param()
                                                                  : "?");
      std::string producer;
      if (const Node *node = value->producer())
        producer = node->diagPrefix();
      return modelError(producer, what, " '", info.name(), "' is declared [",
                        absl::StrJoin(parts, ","), "] but inference gives ",
                        actual.str());
    }
    return absl::OkStatus();
  };
  for (const auto &info : graphProto_.output())
    TP_RETURN_IF_ERROR(check(info, true));
  for (const auto &info : graphProto_.value_info())
    TP_RETURN_IF_ERROR(check(info, false));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Graph>> GraphImporter::run() {
  TP_RETURN_IF_ERROR(checkVersions());
  graph_->setName(graphProto_.name().empty() ? "main" : graphProto_.name());
  if (graphProto_.node_size() == 0)
    return modelError("graph has no nodes");
  TP_RETURN_IF_ERROR(importInputs());
  TP_RETURN_IF_ERROR(importNodes());
  TP_RETURN_IF_ERROR(importOutputs());
  TP_RETURN_IF_ERROR(checkAllOpsSupported(*graph_));
  TP_RETURN_IF_ERROR(deferredError_);
  TP_RETURN_IF_ERROR(inferGraph(*graph_));
  // Folding replaced values; refresh the name table for the checks below.
  for (const auto &value : graph_->values())
    values_[value->name()] = value.get();
  TP_RETURN_IF_ERROR(checkDeclaredTypes());
  // Drop constants nothing uses (unused initializers, folded leftovers).
  graph_->eraseNodes([](const Node &) { return false; });
  TP_RETURN_IF_ERROR(verifyGraph(*graph_));
  return std::move(graph_);
}

} // namespace

/// Imports \p model after inlining the Ifs whose condition folds and
/// unrolling the Loops whose trip count does (ControlFlow.h); such a value
/// is evaluated by importing the part of the model it depends on (\p depth
/// deep at most).
static absl::StatusOr<std::unique_ptr<Graph>>
importModelProto(onnx::ModelProto &model, llvm::StringRef baseDir,
                 const ImportOptions &options, int depth) {
  if (depth < kMaxNesting) {
    auto evaluate = [&](const onnx::ModelProto &condition) -> std::optional<int64_t> {
      onnx::ModelProto copy = condition;
      ImportOptions quiet = options;
      quiet.warn = nullptr;
      absl::StatusOr<std::unique_ptr<Graph>> graph =
          importModelProto(copy, baseDir, quiet, depth + 1);
      if (!graph.ok() || (*graph)->outputs().size() != 1)
        return std::nullopt;
      const Tensor *value = (*graph)->outputs()[0]->constant();
      if (!value || value->numElements() != 1 ||
          !(value->dtype() == DType::Bool || isInteger(value->dtype())))
        return std::nullopt;
      return value->dtype() == DType::Bool ? int64_t(value->intAt(0) != 0) : value->intAt(0);
    };
    TP_RETURN_IF_ERROR(inlineStaticControlFlow(model, evaluate).status());
  }
  GraphImporter importer(model, baseDir, options);
  return importer.run();
}

absl::StatusOr<std::unique_ptr<Graph>>
importModelBuffer(llvm::StringRef bytes, bool isText, llvm::StringRef baseDir,
                  const ImportOptions &options) {
  if (bytes.empty())
    return modelError("file is empty");
  TP_ASSIGN_OR_RETURN(onnx::ModelProto model, parseModel(bytes, isText));
  if (!model.has_graph())
    return modelError("not an ONNX model: it has no graph");
  return importModelProto(model, baseDir, options, 0);
}

absl::StatusOr<std::unique_ptr<Graph>> importModelFile(llvm::StringRef path,
                                                       const ImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/true);
  if (!buffer)
    return absl::NotFoundError(
        absl::StrCat("cannot read file: ", buffer.getError().message()));
  llvm::StringRef extension = llvm::sys::path::extension(path);
  bool isText = extension == ".onnxtxt" || extension == ".txt";
  llvm::SmallString<256> baseDir(path);
  llvm::sys::path::remove_filename(baseDir);
  if (baseDir.empty())
    baseDir = ".";
  return importModelBuffer((*buffer)->getBuffer(), isText, baseDir, options);
}

} // namespace tinyplan
