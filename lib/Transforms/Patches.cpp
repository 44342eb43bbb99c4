//===- Patches.cpp - Patch-based execution of a model's first stage -------===//
//
// See Patches.h. For each patch, windows are propagated backwards through
// the stage: a node's result window gives the window of each operand it
// reads (PatchWindow), and an operand read by several nodes is computed
// over the smallest window holding all of theirs, each reader that needs
// less taking a copy of its part (a Slice). The patch's nodes are then
// created forwards, graph inputs entering through a Slice of their window.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Transforms/Patches.h"
#include "tinyplan/Ops/Inference.h"
#include "tinyplan/Ops/OpDef.h"
#include "absl/strings/str_cat.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <array>
#include <optional>

namespace tinyplan {
namespace {

/// [begin, end) along one axis.
struct Span {
  int64_t begin = 0, end = 0;
  bool operator==(const Span &other) const {
    return begin == other.begin && end == other.end;
  }
  bool operator!=(const Span &other) const { return !(*this == other); }
};
/// Rows, then columns.
using Window = std::array<Span, 2>;

Window hull(const Window &a, const Window &b) {
  Window result;
  for (int axis = 0; axis < 2; ++axis)
    result[axis] = {std::min(a[axis].begin, b[axis].begin),
                    std::max(a[axis].end, b[axis].end)};
  return result;
}

/// A stage: the nodes \p until depends on, in graph order, with their
/// windows.
struct Stage {
  const Node *until = nullptr;
  std::vector<Node *> nodes;
  std::vector<PatchWindow> windows;
};

/// The stage ending at the node named \p until, or why there is none.
absl::StatusOr<Stage> findStage(const Graph &graph, llvm::StringRef until) {
  Stage stage;
  for (const auto &node : graph.nodes())
    if (node->name() == until)
      stage.until = node.get();
  // Or the node whose result it is: exporters often leave nodes unnamed.
  for (const auto &node : graph.nodes())
    for (const Value *result : node->results())
      if (!stage.until && result->name() == until)
        stage.until = node.get();
  if (!stage.until)
    return modelError("no node or node result is named '", until.str(), "'");
  // Ancestors, constants aside.
  std::vector<bool> inStage(graph.numNodes(), false);
  std::vector<const Node *> work = {stage.until};
  inStage[stage.until->id()] = true;
  while (!work.empty()) {
    const Node *node = work.back();
    work.pop_back();
    for (const Value *operand : node->operands())
      if (operand && operand->producer() && !inStage[operand->producer()->id()]) {
        inStage[operand->producer()->id()] = true;
        work.push_back(operand->producer());
      }
  }
  std::vector<unsigned> uses = graph.countUses();
  std::vector<unsigned> stageUses(graph.numValues(), 0);
  for (const auto &node : graph.nodes())
    if (inStage[node->id()])
      for (const Value *operand : node->operands())
        if (operand)
          ++stageUses[operand->id()];
  const Value *end = stage.until->result(0);
  if (stage.until->numResults() != 1 || end->type().rank() != 4)
    return modelError(stage.until->diagPrefix(), "its result is not one 4-D tensor");
  for (const auto &node : graph.nodes()) {
    if (!inStage[node->id()])
      continue;
    const OpDef *op = lookupOp(*node);
    std::optional<PatchWindow> window =
        op ? op->patchWindow(*node, graph.opsetVersion()) : std::nullopt;
    if (!window)
      return modelError(node->diagPrefix(),
                        "it cannot compute a window of its result from windows of its operands");
    for (unsigned i = 0; i < node->numOperands(); ++i) {
      const Value *operand = node->operand(i);
      if (!operand)
        continue;
      bool spatial = llvm::is_contained(window->spatialOperands, i);
      if (spatial && operand->isConstant())
        return modelError(node->diagPrefix(), "it reads the constant '", operand->name(),
                          "' by rows and columns");
      if (!spatial && !operand->isConstant())
        return modelError(node->diagPrefix(), "it reads '", operand->name(),
                          "' whole, which patches do not have");
    }
    stage.nodes.push_back(node.get());
    stage.windows.push_back(*window);
  }
  for (const Node *node : stage.nodes)
    for (const Value *result : node->results())
      if (result != end && uses[result->id()] != stageUses[result->id()])
        return modelError(node->diagPrefix(), "its result '", result->name(),
                          "' is used after the stage, which needs it whole");
  return stage;
}

/// The model's multiply-accumulates.
int64_t graphMacs(const Graph &graph) {
  int64_t macs = 0;
  for (const auto &node : graph.nodes())
    macs += nodeCost(*node).macs;
  return macs;
}

/// Builds one patch's nodes.
class PatchBuilder {
public:
  PatchBuilder(Graph &graph, const Stage &stage, std::string suffix)
      : graph_(graph), stage_(stage), suffix_(std::move(suffix)) {}

  /// The stage's result over \p window, computed by new nodes.
  absl::StatusOr<Value *> build(const Window &window) {
    TP_RETURN_IF_ERROR(propagate(window));
    for (size_t n = 0; n < stage_.nodes.size(); ++n)
      TP_RETURN_IF_ERROR(addNode(n));
    return computed_.lookup(stage_.until->result(0));
  }

private:
  /// What node n reads of operand i, and the padding it adds around it.
  struct Read {
    Window window;
    std::array<int64_t, 2> padsBegin = {0, 0}, padsEnd = {0, 0};
  };

  absl::Status propagate(const Window &window) {
    windows_[stage_.until->result(0)] = window;
    reads_.assign(stage_.nodes.size(), {});
    for (size_t n = stage_.nodes.size(); n-- > 0;) {
      const Node &node = *stage_.nodes[n];
      const PatchWindow &rule = stage_.windows[n];
      auto found = windows_.find(node.result(0));
      if (found == windows_.end())
        continue; // this patch needs none of it
      Window out = found->second;
      for (unsigned i : rule.spatialOperands) {
        const Value *operand = node.operand(i);
        if (!operand)
          continue;
        Read read;
        for (int axis = 0; axis < 2; ++axis) {
          int64_t extent = operand->type().shape[2 + axis];
          int64_t first = out[axis].begin * rule.strides[axis] - rule.padsBegin[axis];
          int64_t last = (out[axis].end - 1) * rule.strides[axis] - rule.padsBegin[axis] +
                         (rule.kernel[axis] - 1) * rule.dilations[axis] + 1;
          read.window[axis] = {std::max<int64_t>(first, 0), std::min(last, extent)};
          read.padsBegin[axis] = std::max<int64_t>(0, -first);
          read.padsEnd[axis] = std::max<int64_t>(0, last - extent);
          if (read.padsBegin[axis] > rule.padsBegin[axis] ||
              read.padsEnd[axis] > rule.padsEnd[axis])
            return modelError(node.diagPrefix(),
                              "a patch would pad it more than the node pads its input");
        }
        reads_[n].emplace_back(i, read);
        auto [at, inserted] = windows_.try_emplace(operand, read.window);
        if (!inserted)
          at->second = hull(at->second, read.window);
      }
    }
    return absl::OkStatus();
  }

  absl::Status addNode(size_t n) {
    const Node &node = *stage_.nodes[n];
    if (!windows_.count(node.result(0)))
      return absl::OkStatus();
    std::vector<Value *> operands(node.operands().begin(), node.operands().end());
    std::optional<Read> padded;
    for (auto &[i, read] : reads_[n]) {
      Value *operand = node.operand(i);
      const Window &computed = windows_[operand];
      Value *source = operand->isInput() ? inputWindow(operand, computed)
                                         : computed_.lookup(operand);
      if (computed != read.window)
        source = addSlice(source, {Span{read.window[0].begin - computed[0].begin,
                                        read.window[0].end - computed[0].begin},
                                   Span{read.window[1].begin - computed[1].begin,
                                        read.window[1].end - computed[1].begin}},
                          absl::StrCat(node.name(), "/crop", i, suffix_));
      operands[i] = source;
      padded = read;
    }
    std::vector<std::string> names;
    for (const Value *result : node.results())
      names.push_back(result->name() + suffix_);
    Node *patch = graph_.addNode(node.name() + suffix_, node.opType(), node.domain(), operands,
                                 names);
    for (const auto &[name, attribute] : node.attributes())
      patch->setAttr(name, attribute);
    if (stage_.windows[n].hasPads && padded)
      lookupOp(node)->setPatchPads(graph_, *patch, padded->padsBegin, padded->padsEnd);
    TP_RETURN_IF_ERROR(inferNode(*patch, graph_.opsetVersion()));
    for (unsigned r = 0; r < node.numResults(); ++r)
      computed_[node.result(r)] = patch->result(r);
    return absl::OkStatus();
  }

  /// Graph input \p input over \p window, one copy per patch.
  Value *inputWindow(Value *input, const Window &window) {
    const Shape &shape = input->type().shape;
    if (window[0] == Span{0, shape[2]} && window[1] == Span{0, shape[3]})
      return input;
    Value *&copy = inputs_[input];
    if (!copy)
      copy = addSlice(input, window, absl::StrCat(input->name(), "/window", suffix_));
    return copy;
  }

  /// Rows and columns \p window of \p data.
  Value *addSlice(Value *data, const Window &window, const std::string &name) {
    std::vector<int64_t> starts = {window[0].begin, window[1].begin};
    std::vector<int64_t> ends = {window[0].end, window[1].end};
    std::vector<int64_t> axes = {2, 3};
    Node *slice;
    if (graph_.opsetVersion() >= 10) {
      Value *startsValue = graph_.addConstant(name + "/starts", Tensor::fromInt64s(starts));
      Value *endsValue = graph_.addConstant(name + "/ends", Tensor::fromInt64s(ends));
      Value *axesValue = graph_.addConstant(name + "/axes", Tensor::fromInt64s(axes));
      slice = graph_.addNode(name, "Slice", "", {data, startsValue, endsValue, axesValue},
                             {name});
    } else {
      slice = graph_.addNode(name, "Slice", "", {data}, {name});
      slice->setAttr("starts", starts);
      slice->setAttr("ends", ends);
      slice->setAttr("axes", axes);
    }
    // The window lies inside data, so inference cannot fail.
    absl::Status status = inferNode(*slice, graph_.opsetVersion());
    (void)status;
    return slice->result(0);
  }

  Graph &graph_;
  const Stage &stage_;
  std::string suffix_;
  /// The window of each stage value (and graph input) this patch computes.
  llvm::DenseMap<const Value *, Window> windows_;
  /// By stage node: (operand index, what it reads).
  std::vector<std::vector<std::pair<unsigned, Read>>> reads_;
  /// Each stage value's patch, and each graph input's window.
  llvm::DenseMap<const Value *, Value *> computed_, inputs_;
};

} // namespace

std::vector<std::string> patchStageEnds(const Graph &graph) {
  std::vector<std::string> ends;
  for (const auto &node : graph.nodes())
    if (node->numResults() == 1 && node->result(0)->type().rank() == 4 &&
        findStage(graph, node->name()).ok())
      ends.push_back(node->name());
  return ends;
}

absl::StatusOr<PatchStage> splitIntoPatches(Graph &graph, const PatchSpec &spec) {
  TP_ASSIGN_OR_RETURN(Stage stage, findStage(graph, spec.until));
  const Value *end = stage.until->result(0);
  const Shape &shape = end->type().shape;
  if (spec.patches < 1 || spec.patches > shape[2] || spec.patches > shape[3])
    return modelError(stage.until->diagPrefix(), "its result has ", shape[2], " x ", shape[3],
                      " elements per channel: it cannot be split into ", spec.patches, " x ",
                      spec.patches, " patches");
  // n^2 copies of the stage: bound the graph it makes.
  constexpr int64_t kMaxPatchNodes = 1 << 16;
  if (spec.patches * spec.patches * int64_t(stage.nodes.size()) > kMaxPatchNodes)
    return modelError(stage.until->diagPrefix(), spec.patches, " x ", spec.patches,
                      " patches of its ", stage.nodes.size(), " nodes would make more than ",
                      kMaxPatchNodes, " nodes");
  PatchStage result;
  result.spec = spec;
  result.stageNodes = int64_t(stage.nodes.size());
  result.macsBefore = graphMacs(graph);

  // Where the stage's nodes were: the new nodes go where its end was.
  unsigned endPosition = stage.until->id();
  llvm::DenseSet<const Node *> stageNodes(stage.nodes.begin(), stage.nodes.end());
  std::vector<const Node *> before, after;
  for (const auto &node : graph.nodes())
    if (!stageNodes.count(node.get()))
      (node->id() < endPosition ? before : after).push_back(node.get());
  unsigned firstNew = graph.numNodes();

  Value *canvas = nullptr;
  int64_t n = spec.patches;
  for (int64_t row = 0; row < n; ++row)
    for (int64_t col = 0; col < n; ++col) {
      Window window = {Span{row * shape[2] / n, (row + 1) * shape[2] / n},
                       Span{col * shape[3] / n, (col + 1) * shape[3] / n}};
      std::string suffix = absl::StrCat("/patch", row, "_", col);
      unsigned patchStart = graph.numNodes();
      PatchBuilder builder(graph, stage, suffix);
      TP_ASSIGN_OR_RETURN(Value * patch, builder.build(window));
      std::vector<Value *> operands = {patch};
      if (canvas)
        operands.push_back(canvas);
      std::string name = absl::StrCat(stage.until->name(), "/insert", row, "_", col);
      Node *insert = graph.addNode(name, "PatchInsert", "tinyplan", operands,
                                   {end->name() + "/inserted" + suffix});
      insert->setAttr("shape", std::vector<int64_t>(shape.begin(), shape.end()));
      insert->setAttr("starts", std::vector<int64_t>{0, 0, window[0].begin, window[1].begin});
      TP_RETURN_IF_ERROR(inferNode(*insert, graph.opsetVersion()));
      canvas = insert->result(0);
      std::vector<std::string> &names = result.patchNodes.emplace_back();
      for (unsigned id = patchStart; id < graph.numNodes(); ++id)
        names.push_back(graph.node(id)->name());
    }

  std::string endName = end->name();
  Value *old = graph.value(end->id());
  graph.replaceAllUsesWith(old, canvas);
  graph.replaceOutput(old, canvas);
  std::vector<const Node *> created;
  for (unsigned id = firstNew; id < graph.numNodes(); ++id)
    created.push_back(graph.node(id));
  // Graph order: the nodes before the stage's end, the patches, the rest.
  std::vector<unsigned> order;
  for (const auto *group : {&before, &created, &after})
    for (const Node *node : *group)
      order.push_back(node->id());
  for (const Node *node : stage.nodes)
    order.push_back(node->id());
  graph.reorderNodes(order);
  size_t keep = order.size() - stage.nodes.size();
  graph.eraseNodes([&](const Node &node) { return node.id() >= keep; });
  canvas->setName(endName);
  result.macsAfter = graphMacs(graph);
  return result;
}

} // namespace tinyplan
