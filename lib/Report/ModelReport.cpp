//===- ModelReport.cpp - What a model costs and whether it fits -----------===//
//
// Gathering: one row per graph input and per node (cost, result bytes, arena
// range, placement); totals from the cost analysis, the plan and the code
// estimate; the peak step by a sweep over the packed buffers; the verdict
// from the totals and the budget. Then the text form of all of it.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Report/ModelReport.h"
#include "ReportFormat.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <set>

namespace tinyplan {

std::string withCommas(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string humanCount(int64_t value) {
  double v = double(value);
  if (value >= 1000000000)
    return absl::StrFormat("%.2f G", v / 1e9);
  if (value >= 1000000)
    return absl::StrFormat("%.1f M", v / 1e6);
  if (value >= 1000)
    return absl::StrFormat("%.1f K", v / 1e3);
  return std::to_string(value);
}

std::string percentOf(int64_t part, int64_t whole) {
  if (whole == 0)
    return "-";
  return absl::StrFormat("%.1f %%", 100.0 * double(part) / double(whole));
}

std::string xmlEscape(llvm::StringRef text) {
  std::string valid = llvm::json::fixUTF8(text);
  std::string out;
  for (char c : valid) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default:
      // XML 1.0 allows no control characters but tab and newlines.
      out += (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') ? ' ' : c;
    }
  }
  return out;
}

namespace {

std::string valueName(const Value &value) { return "%" + value.name(); }

int64_t alignUp(int64_t bytes, int64_t align) { return (bytes + align - 1) / align * align; }

} // namespace

std::string Verdict::budgetName() const {
  std::vector<std::string> parts;
  if (budget.ramBytes)
    parts.push_back(formatByteSize(*budget.ramBytes) + " RAM");
  if (budget.flashBytes)
    parts.push_back(formatByteSize(*budget.flashBytes) + " flash");
  std::string sizes = absl::StrJoin(parts, ", ");
  if (budget.target)
    return absl::StrCat(budget.target->name.str(), " (", sizes, ")");
  return sizes;
}

std::string Verdict::overMessage() const {
  std::vector<std::string> reasons;
  if (!fitsRam)
    reasons.push_back(absl::StrCat("RAM needs ", withCommas(ramNeeded), " B, ",
                                   withCommas(ramNeeded - *budget.ramBytes),
                                   " B over its ", withCommas(*budget.ramBytes), " B"));
  if (!fitsBlock)
    reasons.push_back(absl::StrCat("the arena needs one block of ",
                                   withCommas(arenaBytes), " B, ",
                                   "larger than the largest RAM block, ",
                                   withCommas(*budget.largestRamBlock), " B"));
  if (!fitsFlash)
    reasons.push_back(absl::StrCat("flash needs ", withCommas(flashNeeded), " B, ",
                                   withCommas(flashNeeded - *budget.flashBytes),
                                   " B over its ", withCommas(*budget.flashBytes), " B"));
  return absl::StrCat("does not fit ", budgetName(), ": ", absl::StrJoin(reasons, "; "));
}

ModelReport ModelReport::build(const GraphPlan &plan, const CostAnalysis &cost,
                               absl::StatusOr<CodeSizeEstimate> code,
                               ReportOptions options) {
  ModelReport report;
  report.plan_ = &plan;
  report.cost_ = &cost;
  report.code_ = std::move(code);
  report.options_ = std::move(options);
  const Liveness &liveness = plan.liveness();
  const Graph &graph = liveness.graph();

  auto fillPlacement = [&](LayerRow &row, const Value &value) {
    row.activationBytes += value.type().numBytes();
    if (std::optional<int64_t> offset = plan.valueOffset(value.id())) {
      row.arenaBegin = *offset;
      row.arenaEnd = *offset + value.type().numBytes();
      std::string placement = liveness.placementStr(value.id());
      row.placement = placement == "own" ? "" : placement;
    } else if (!value.isConstant()) {
      row.placement = "caller-owned";
    }
  };
  for (const Value *input : graph.inputs()) {
    LayerRow row;
    row.name = input->name();
    row.op = "Input";
    row.output = input->type().str();
    fillPlacement(row, *input);
    report.layers_.push_back(std::move(row));
  }
  for (unsigned step = 0; step < liveness.numSteps(); ++step) {
    const Node &node = *graph.node(liveness.schedule()[step]);
    LayerRow row;
    row.step = step;
    row.name = node.name();
    row.op = node.opType();
    absl::StatusOr<std::string> activation = node.getString("fused_activation", "");
    if (activation.ok() && !activation->empty())
      absl::StrAppend(&row.op, "+", *activation);
    absl::StatusOr<std::string> unfused = node.getString("qdq_unfused", "");
    if (unfused.ok())
      row.qdqUnfused = *unfused;
    std::vector<std::string> outputs;
    for (const Value *result : node.results())
      outputs.push_back(result->type().str());
    row.output = absl::StrJoin(outputs, " ");
    row.params = cost.nodeCost(node.id()).params;
    row.macs = cost.nodeCost(node.id()).macs;
    std::set<unsigned> seen;
    for (const Value *operand : node.operands())
      if (operand && operand->isConstant() && operand->type().dtype != DType::I64 &&
          seen.insert(operand->id()).second)
        row.weightBytes += operand->type().numBytes();
    for (unsigned i = 0; i < node.numResults(); ++i) {
      if (i == 0) {
        fillPlacement(row, *node.result(0));
        continue;
      }
      row.activationBytes += node.result(i)->type().numBytes();
    }
    report.layers_.push_back(std::move(row));
  }

  ReportTotals &t = report.totals_;
  t.params = cost.totalParams();
  t.macs = cost.totalMacs();
  t.weightBytes = report.code_.ok() ? report.code_->weightsBytes : cost.constantBytes();
  t.arena = plan.arenaBytes();
  t.lowerBound = plan.bound().bytes;
  t.provenOptimal = plan.provenOptimal();
  t.packingBound = plan.memoryPlan().lowerBound;
  t.packingOptimal = plan.memoryPlan().provenOptimal;
  t.ioInArena = liveness.options().ioInArena;
  int64_t align = liveness.options().align;
  for (const auto &value : graph.values()) {
    const ValueInfo &info = liveness.value(value->id());
    if (!info.hasBuffer || liveness.buffer(info.buffer).external)
      continue;
    t.noReuse += alignUp(info.bytes, align);
  }
  for (const BufferInfo &buffer : liveness.buffers())
    if (buffer.scratchNode >= 0)
      t.noReuse += buffer.size;
  for (const Value *input : graph.inputs())
    t.inputBytes += input->type().numBytes();
  for (const Value *output : graph.outputs())
    if (!output->isConstant())
      t.outputBytes += output->type().numBytes();

  // The peak: live bytes per step from the packed requests.
  // An overlapping pair needs max(input + head, output) at its step.
  std::vector<int64_t> live(std::max(1u, liveness.numSteps()), 0);
  for (const BufferRequest &request : plan.requests()) {
    for (int64_t s = request.first; s <= request.last; ++s)
      live[size_t(s)] += request.size;
    if (request.overlapWith >= 0)
      live[size_t(request.first)] -=
          std::min(request.size - request.overlapHead,
                   plan.requests()[size_t(request.overlapWith)].size);
  }
  t.peakStep = std::max_element(live.begin(), live.end()) - live.begin();
  t.peakBytes = live[size_t(t.peakStep)];
  for (unsigned b = 0; b < liveness.buffers().size(); ++b) {
    const BufferInfo &buffer = liveness.buffer(b);
    if (!buffer.external && buffer.first <= t.peakStep && t.peakStep <= buffer.last)
      t.peakBuffers.push_back(b);
  }
  llvm::sort(t.peakBuffers, [&](unsigned a, unsigned b) {
    return std::make_pair(*plan.bufferOffset(a), a) < std::make_pair(*plan.bufferOffset(b), b);
  });

  if (report.options_.budget) {
    Verdict v;
    v.budget = *report.options_.budget;
    v.stackBytes = report.options_.stackBytes;
    v.arenaBytes = t.arena;
    v.ramNeeded = t.arena + v.stackBytes + (t.ioInArena ? 0 : t.inputBytes + t.outputBytes);
    v.codeEstimated = report.code_.ok();
    v.flashNeeded = t.weightBytes + (v.codeEstimated ? report.code_->codeBytes() : 0);
    v.ramWithWeights = v.ramNeeded + t.weightBytes;
    v.fitsRam = !v.budget.ramBytes || v.ramNeeded <= *v.budget.ramBytes;
    // In regions, each part fits its region by construction.
    v.fitsBlock = !plan.regions().empty() || !v.budget.largestRamBlock ||
                  t.arena <= *v.budget.largestRamBlock;
    v.fitsFlash = !v.budget.flashBytes || v.flashNeeded <= *v.budget.flashBytes;
    report.verdict_ = v;
  }
  return report;
}

std::string ModelReport::bufferLabel(unsigned bufferId) const {
  const Liveness &liveness = plan_->liveness();
  const BufferInfo &buffer = liveness.buffer(bufferId);
  const Graph &graph = liveness.graph();
  if (buffer.rootValue < 0)
    return absl::StrCat("scratch of ", graph.node(unsigned(buffer.scratchNode))->name());
  std::string label = valueName(*graph.value(unsigned(buffer.rootValue)));
  for (unsigned id : buffer.values)
    if (int(id) != buffer.rootValue)
      absl::StrAppend(&label, " = ", valueName(*graph.value(id)));
  return label;
}

std::string patchSummaryText(const PatchSummary &patches) {
  int64_t extra = patches.macsAfter - patches.macsBefore;
  return absl::StrCat("the ", patches.stageNodes, " nodes up to ", patches.until, " run as ",
                      patches.patches, " x ", patches.patches, " patches; without them the arena is ",
                      withCommas(patches.arenaWithout), " B; the halos recompute ",
                      withCommas(extra), " MACs (", percentOf(extra, patches.macsBefore),
                      "); the lower bound is this split's");
}

void ModelReport::printText(llvm::raw_ostream &os) const {
  const Liveness &liveness = plan_->liveness();
  const Graph &graph = liveness.graph();
  const ReportTotals &t = totals_;
  os << "report @" << graph.name();
  if (!options_.modelFile.empty())
    os << " (" << options_.modelFile << ")";
  os << "\n\n";

  // The per-layer table, columns as wide as their widest cell.
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"layer", "op", "output", "params", "MACs", "weight B", "act. B",
                   "arena [begin, end)", "placement"});
  for (const LayerRow &row : layers_) {
    std::string range = row.arenaBegin
                            ? absl::StrCat("[", *row.arenaBegin, ", ", *row.arenaEnd, ")")
                            : "-";
    cells.push_back({row.name, row.op, row.output, withCommas(row.params),
                     withCommas(row.macs), withCommas(row.weightBytes),
                     withCommas(row.activationBytes), range, row.placement});
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto &line : cells)
    for (size_t c = 0; c < line.size(); ++c)
      width[c] = std::max(width[c], line[c].size());
  // Text columns left-aligned, numbers right-aligned.
  const bool numeric[] = {false, false, false, true, true, true, true, false, false};
  for (const auto &line : cells) {
    std::string text;
    for (size_t c = 0; c < line.size(); ++c) {
      if (c)
        text += "  ";
      std::string pad(width[c] - line[c].size(), ' ');
      text += numeric[c] ? pad + line[c] : line[c] + (c + 1 < line.size() ? pad : "");
    }
    os << llvm::StringRef(text).rtrim() << '\n';
  }

  auto line = [&](llvm::StringRef label, const std::string &value) {
    os << llvm::left_justify(label, 18) << value << '\n';
  };
  os << '\n';
  line("parameters", absl::StrCat(withCommas(t.params), " (", humanCount(t.params), ")"));
  line("MACs", absl::StrCat(withCommas(t.macs), " (", humanCount(t.macs),
                            "; convolutions and fully connected layers)"));
  line("weights (flash)", absl::StrCat(withCommas(t.weightBytes), " B"));
  line("arena (RAM)",
       absl::StrCat(withCommas(t.arena), " B: lower bound ", withCommas(t.lowerBound),
                    " B over any order and aliasing with these kernels and layouts, gap ", withCommas(t.arena - t.lowerBound),
                    " B (", percentOf(t.arena - t.lowerBound, t.lowerBound), ")",
                    t.provenOptimal ? ", proven optimal" : ""));
  if (!t.provenOptimal)
    line("", absl::StrCat("this order and aliasing: ", withCommas(t.packingBound),
                          " B live at the peak, ",
                          t.packingOptimal ? "packed without a gap"
                                           : absl::StrCat("packed ",
                                                          withCommas(t.arena - t.packingBound),
                                                          " B above it")));
  if (const std::optional<PatchSummary> &p = options_.patches)
    line("patches", patchSummaryText(*p));
  line("no reuse", absl::StrCat(withCommas(t.noReuse), " B: the arena saves ",
                                withCommas(t.noReuse - t.arena), " B (",
                                percentOf(t.noReuse - t.arena, t.noReuse), ")"));
  line("input / output",
       absl::StrCat(withCommas(t.inputBytes), " B / ", withCommas(t.outputBytes), " B, ",
                    t.ioInArena ? "in the arena" : "outside the arena (caller-owned)"));
  if (code_.ok()) {
    std::vector<std::string> functions;
    for (const auto &[name, bytes] : code_->libraryFunctions)
      functions.push_back(name);
    line("code (estimate)",
         absl::StrCat(withCommas(code_->codeBytes()), " B: model ",
                      withCommas(code_->modelBytes), " B (", code_->kernels,
                      code_->kernels == 1 ? " kernel" : " kernels", "), C library ",
                      withCommas(code_->libraryBytes), " B",
                      functions.empty() ? "" : " (" + absl::StrJoin(functions, ", ") + ")"));
  } else {
    line("code (estimate)", absl::StrCat("none: ", code_.status().message()));
  }
  line("stack (estimate)", absl::StrCat(withCommas(options_.stackBytes), " B"));
  std::vector<std::string> peakNames;
  for (unsigned b : t.peakBuffers)
    peakNames.push_back(bufferLabel(b));
  if (liveness.numSteps() > 0) {
    const Node &peakNode = *graph.node(liveness.schedule()[size_t(t.peakStep)]);
    line("peak", absl::StrCat("step ", t.peakStep, " (", peakNode.name(), ", ",
                              peakNode.opType(), "): ", withCommas(t.peakBytes), " B live in ",
                              t.peakBuffers.size(), " buffer",
                              t.peakBuffers.size() == 1 ? "" : "s",
                              peakNames.empty() ? "" : " (" + absl::StrJoin(peakNames, ", ") + ")"));
  }

  if (const Schedule *schedule = plan_->schedule()) {
    std::string detail = absl::StrCat(schedule->method, " order, peak ",
                                      withCommas(schedule->peak), " B (model order ",
                                      withCommas(schedule->filePeak), " B)");
    if (schedule->provenOptimal)
      absl::StrAppend(&detail, ", proven the least of any order with this aliasing");
    else if (schedule->lowerBound > 0)
      absl::StrAppend(&detail, ", no order below ", withCommas(schedule->lowerBound), " B");
    line("schedule", detail);
  }
  if (const AliasingSearch &search = plan_->aliasingSearch(); search.plans > 1) {
    std::vector<std::string> whole;
    for (unsigned node : liveness.options().wholeConcats)
      whole.push_back(graph.node(node)->name());
    line("aliasing",
         absl::StrCat(search.plans, " plans; ",
                      whole.empty() ? std::string("every Concat written in slices")
                                    : absl::StrCat("Concat in whole buffers: ",
                                                   absl::StrJoin(whole, ", ")),
                      " (", withCommas(search.firstArena), " B with every slice)"));
  }
  for (const LayerRow &row : layers_)
    if (!row.qdqUnfused.empty())
      line("QDQ in float", absl::StrCat(row.name, " (", row.op, "), not ", row.qdqUnfused));

  if (!verdict_)
    return;
  const Verdict &v = *verdict_;
  os << "\nverdict for " << v.budgetName();
  if (v.budget.target)
    os << " [" << v.budget.target->part << ", " << v.budget.target->core << "]";
  os << ": " << (v.fits() ? "fits" : "DOES NOT FIT") << '\n';
  // "  RAM    24,032 B of 393,216 B (6.1 %): <parts>; 369,184 B free"
  auto resourceLine = [&](llvm::StringRef label, int64_t need, std::optional<int64_t> budget,
                          const std::string &parts) {
    os << "  " << llvm::left_justify(label, 7) << withCommas(need) << " B";
    if (!budget) {
      os << ": " << parts << "; no " << label << " budget\n";
      return;
    }
    os << " of " << withCommas(*budget) << " B (" << percentOf(need, *budget) << "): " << parts
       << "; "
       << (need <= *budget ? withCommas(*budget - need) + " B free"
                           : withCommas(need - *budget) + " B over")
       << '\n';
  };
  std::string ioPart =
      t.ioInArena ? "" : absl::StrCat(" + inputs and outputs ", withCommas(t.inputBytes + t.outputBytes));
  resourceLine("RAM", v.ramNeeded, v.budget.ramBytes,
               absl::StrCat("arena ", withCommas(t.arena), " + stack ", withCommas(v.stackBytes),
                            " (estimate)", ioPart));
  if (plan_->regions().size() > 1) {
    os << "         the arena is split across " << plan_->regions().size() << " RAM regions: ";
    if (v.budget.largestRamBlock && plan_->wholeArena() <= *v.budget.largestRamBlock)
      os << "the fast ones hold the buffers accessed most (as one block of "
         << withCommas(plan_->wholeArena()) << " B it would fit the largest, "
         << withCommas(*v.budget.largestRamBlock) << " B, and leave them idle)\n";
    else
      os << "it fits only so, as one block of " << withCommas(plan_->wholeArena())
         << " B it is larger than the largest, "
         << withCommas(v.budget.largestRamBlock.value_or(0)) << " B\n";
  } else if (v.budget.largestRamBlock && plan_->regions().empty()) {
    os << "         the arena is one block of " << withCommas(t.arena)
       << " B; the largest RAM block is " << withCommas(*v.budget.largestRamBlock) << " B"
       << (v.fitsBlock ? "" : ": it does not fit") << '\n';
  }
  for (const RegionUse &use : plan_->regions())
    os << "         region " << use.region.name << (use.region.fast ? " (fast)" : "") << ": "
       << withCommas(use.used) << " B of " << withCommas(use.region.size) << " B ("
       << percentOf(use.used, use.region.size) << "), at least " << withCommas(use.bound)
       << " B for its buffers, " << llvm::format("%.1f", 100 * use.accessShare)
       << " % of the arena's accesses (estimate)\n";
  resourceLine("flash", v.flashNeeded, v.budget.flashBytes,
               absl::StrCat("weights ", withCommas(t.weightBytes),
                            v.codeEstimated
                                ? absl::StrCat(" + code ", withCommas(code_->codeBytes()),
                                               " (estimate)")
                                : " (code not estimated)"));
  if (v.budget.flashBytes && v.budget.target && !v.budget.target->flashNote.empty())
    os << "         " << v.budget.target->flashNote << '\n';
  if (!options_.fitSuggestions.empty()) {
    os << "  what would make it fit:\n";
    for (const std::string &suggestion : options_.fitSuggestions)
      os << "    - " << suggestion << '\n';
  }
  if (v.budget.ramBytes) {
    bool would = v.ramWithWeights <= *v.budget.ramBytes;
    os << "  weights in RAM as well: " << withCommas(v.ramWithWeights) << " B of "
       << withCommas(*v.budget.ramBytes) << " B: "
       << (would ? "would fit, " + withCommas(*v.budget.ramBytes - v.ramWithWeights) + " B free"
                 : "would not fit, " + withCommas(v.ramWithWeights - *v.budget.ramBytes) +
                       " B over")
       << '\n';
  }
}

} // namespace tinyplan
