//===- Scheduler.cpp - An operator order that minimises peak memory -------===//
//
// 1. Build the PeakModel (live bytes per step for any order).
// 2. Cut the graph into pieces at the nodes that every other node comes
//    before or after (a node whose ancestors are exactly the nodes before it
//    in the model's order and whose descendants are all the nodes after it).
//    Any order runs the pieces one after the other, and what is live across
//    a cut does not depend on the order inside the pieces, so each piece is
//    ordered alone and the peak is the largest piece peak.
// 3. Per piece: the model's order, the beam search (keeping the model's
//    order when the beam is not strictly better), then for exact and auto the
//    best-first search seeded with that. The state budget is spent in two
//    rounds so that one hard piece cannot starve the others: first (when
//    there are several) every unproven piece gets an equal share of a
//    quarter of it, then the pieces still unproven, largest peak first,
//    share what is left.
// 4. The whole order's lower bound is the largest piece lower bound.
// 5. Auto: among the candidate orders of least peak (the model's, the
//    heuristic's, the exact search's, in that order) pack each and keep the
//    smallest arena, the earlier on ties. Every method falls back to the
//    model's order when it is not strictly better.
// When the model is not exact for this graph (PeakModel.h), every candidate
// is re-measured with the liveness analysis and no optimality is claimed.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/Scheduler.h"
#include "ScheduleSearch.h"
#include "tinyplan/Planning/GraphPlanner.h"
#include "tinyplan/Support/Status.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <numeric>

namespace tinyplan {

namespace {

struct MethodInfo {
  ScheduleMethod method;
  const char *name;
};
constexpr MethodInfo kMethods[] = {
    {ScheduleMethod::File, "file"},           {ScheduleMethod::ReversePostOrder, "rpo"},
    {ScheduleMethod::Heuristic, "heuristic"}, {ScheduleMethod::Exact, "exact"},
    {ScheduleMethod::Auto, "auto"},
};

/// Reverse post-order of a depth-first walk over successors, roots and
/// successors visited in id order.
std::vector<unsigned> reversePostOrder(const PeakModel &model) {
  unsigned numNodes = model.numNodes();
  std::vector<bool> visited(numNodes, false);
  std::vector<unsigned> post;
  std::vector<std::pair<unsigned, unsigned>> stack; // (node, next successor)
  for (unsigned root = 0; root < numNodes; ++root) {
    if (visited[root] || !model.preds(root).empty())
      continue;
    visited[root] = true;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      llvm::ArrayRef<unsigned> succs = model.succs(node);
      if (next < succs.size()) {
        unsigned succ = succs[next++];
        if (!visited[succ]) {
          visited[succ] = true;
          stack.push_back({succ, 0});
        }
        continue;
      }
      post.push_back(node);
      stack.pop_back();
    }
  }
  std::reverse(post.begin(), post.end());
  return post;
}

/// Positions (in the model's order) of the nodes every other node comes
/// before or after.
std::vector<unsigned> cutNodes(const PeakModel &model) {
  unsigned numNodes = model.numNodes();
  std::vector<unsigned> numDescendants(numNodes, 0);
  std::vector<unsigned> cuts;
  for (unsigned n = 0; n < numNodes; ++n) {
    unsigned numAncestors = 0;
    for (uint64_t word : model.ancestors(n).words())
      numAncestors += unsigned(__builtin_popcountll(word));
    for (unsigned a = 0; a < n; ++a)
      numDescendants[a] += model.ancestors(n).test(a);
    // The ancestors of n are then exactly the nodes before it.
    if (numAncestors == n)
      cuts.push_back(n);
  }
  llvm::erase_if(cuts, [&](unsigned n) { return numDescendants[n] != numNodes - 1 - n; });
  return cuts;
}

/// The plan's lower bound for \p order, measured by the liveness analysis.
absl::StatusOr<int64_t> measuredPeak(const Graph &graph, const LivenessOptions &options,
                                     llvm::ArrayRef<unsigned> order) {
  TP_ASSIGN_OR_RETURN(Liveness liveness, Liveness::compute(graph, order, options));
  return computeLowerBound(arenaRequests(liveness));
}

bool isIdentity(llvm::ArrayRef<unsigned> order) {
  for (unsigned i = 0; i < order.size(); ++i)
    if (order[i] != i)
      return false;
  return true;
}

} // namespace

llvm::StringRef scheduleMethodName(ScheduleMethod method) {
  for (const MethodInfo &info : kMethods)
    if (info.method == method)
      return info.name;
  return "?";
}

std::optional<ScheduleMethod> parseScheduleMethod(llvm::StringRef name) {
  for (const MethodInfo &info : kMethods)
    if (name == info.name)
      return info.method;
  return std::nullopt;
}

absl::StatusOr<Schedule> scheduleGraph(const Graph &graph, const LivenessOptions &liveness,
                                       const ScheduleOptions &options) {
  // 1. The model.
  PeakModel model = PeakModel::build(graph, liveness);
  unsigned numNodes = model.numNodes();
  std::vector<unsigned> fileOrder(numNodes);
  std::iota(fileOrder.begin(), fileOrder.end(), 0u);
  Schedule result;
  result.modelExact = model.exact();
  result.order = fileOrder;
  result.method = "file";
  result.filePeak = result.peak = model.peakOf(fileOrder);

  auto finish = [&](Schedule &schedule) -> absl::Status {
    if (!schedule.modelExact) {
      TP_ASSIGN_OR_RETURN(schedule.peak, measuredPeak(graph, liveness, schedule.order));
      schedule.lowerBound = 0;
    }
    if (schedule.peak > schedule.filePeak ||
        (schedule.peak == schedule.filePeak && !isIdentity(schedule.order) &&
         options.method != ScheduleMethod::Auto)) {
      schedule.order = fileOrder;
      schedule.peak = schedule.filePeak;
    }
    if (isIdentity(schedule.order))
      schedule.method = "file";
    schedule.provenOptimal = schedule.modelExact && schedule.peak <= schedule.lowerBound;
    return absl::OkStatus();
  };

  if (!result.modelExact) {
    TP_ASSIGN_OR_RETURN(result.filePeak, measuredPeak(graph, liveness, fileOrder));
    result.peak = result.filePeak;
  }
  if (options.method == ScheduleMethod::File)
    return result;
  if (options.method == ScheduleMethod::ReversePostOrder) {
    result.order = reversePostOrder(model);
    result.method = isIdentity(result.order) ? "file" : "rpo";
    result.peak = model.peakOf(result.order);
    if (!result.modelExact) {
      TP_ASSIGN_OR_RETURN(result.peak, measuredPeak(graph, liveness, result.order));
    }
    return result;
  }

  // 2. Pieces.
  std::vector<SchedulePiece> pieces;
  {
    std::vector<unsigned> cuts = cutNodes(model);
    NodeSet before(numNodes);
    int64_t memory = model.initialMemory();
    unsigned start = 0;
    auto addPiece = [&](unsigned end) {
      SchedulePiece piece;
      piece.model = &model;
      piece.before = before;
      piece.memoryBefore = memory;
      for (unsigned n = start; n < end; ++n) {
        piece.nodes.push_back(n);
        memory = model.step(before, memory, n).memoryAfter;
        before.set(n);
      }
      pieces.push_back(std::move(piece));
      start = end;
    };
    for (unsigned cut : cuts)
      addPiece(cut + 1);
    if (start < numNodes)
      addPiece(numNodes);
  }
  result.pieces = pieces.size();

  // 3. Per piece: file order, beam, exact.
  std::vector<PieceOrder> heuristic, best;
  for (const SchedulePiece &piece : pieces) {
    PieceOrder file = pieceFileOrder(piece);
    int64_t bound = piece.memoryBefore;
    for (unsigned node : piece.nodes)
      bound = std::max(bound, model.nodeBound(node));
    PieceOrder beam = beamOrder(piece, options.beamWidth);
    PieceOrder chosen = beam.peak < file.peak ? beam : file;
    chosen.lowerBound = bound;
    heuristic.push_back(chosen);
  }
  best = heuristic;
  bool searched = options.method == ScheduleMethod::Exact ||
                  options.method == ScheduleMethod::Auto;
  if (searched) {
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (options.timeLimit > 0)
      deadline = std::chrono::steady_clock::now() +
                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(options.timeLimit));
    int64_t remaining = options.stateBudget;
    auto unproven = [&] {
      std::vector<unsigned> ids;
      for (unsigned i = 0; i < pieces.size(); ++i)
        if (best[i].lowerBound < best[i].peak)
          ids.push_back(i);
      return ids;
    };
    auto search = [&](unsigned i, int64_t budget) {
      best[i] = exactOrder(pieces[i], best[i], budget, deadline);
      remaining -= best[i].spent;
      result.states += best[i].states;
    };
    std::vector<unsigned> first = unproven();
    if (first.size() > 1)
      for (unsigned i : first)
        search(i, options.stateBudget / 4 / int64_t(first.size()));
    std::vector<unsigned> second = unproven();
    llvm::stable_sort(second, [&](unsigned a, unsigned b) { return best[a].peak > best[b].peak; });
    for (size_t k = 0; k < second.size() && remaining > 0; ++k)
      search(second[k], remaining / int64_t(second.size() - k));
  }

  // 4. Join the pieces.
  auto join = [&](const std::vector<PieceOrder> &orders) {
    Schedule schedule = result;
    schedule.order.clear();
    schedule.peak = 0;
    schedule.lowerBound = 0;
    schedule.piecesProven = 0;
    PieceOrder::Source source = PieceOrder::Source::File;
    for (const PieceOrder &piece : orders) {
      source = std::max(source, piece.source);
      schedule.order.insert(schedule.order.end(), piece.order.begin(), piece.order.end());
      schedule.peak = std::max(schedule.peak, piece.peak);
      schedule.lowerBound = std::max(schedule.lowerBound, piece.lowerBound);
      schedule.piecesProven += piece.lowerBound >= piece.peak;
    }
    schedule.method = source == PieceOrder::Source::Exact  ? "exact"
                      : source == PieceOrder::Source::Beam ? "heuristic"
                                                           : "file";
    return schedule;
  };
  Schedule heuristicSchedule = join(heuristic);
  TP_RETURN_IF_ERROR(finish(heuristicSchedule));
  if (!searched)
    return heuristicSchedule;
  Schedule exactSchedule = join(best);
  TP_RETURN_IF_ERROR(finish(exactSchedule));
  if (options.method == ScheduleMethod::Exact)
    // On an inexact model the search's "better" order may measure worse.
    return heuristicSchedule.peak < exactSchedule.peak ? heuristicSchedule : exactSchedule;

  // 5. Auto: least peak, then least arena, then the earlier candidate.
  Schedule fileSchedule = exactSchedule;
  fileSchedule.order = fileOrder;
  fileSchedule.peak = exactSchedule.filePeak;
  fileSchedule.method = "file";
  fileSchedule.provenOptimal = fileSchedule.modelExact && fileSchedule.peak <= fileSchedule.lowerBound;
  std::vector<Schedule *> candidates;
  for (Schedule *candidate : {&fileSchedule, &heuristicSchedule, &exactSchedule}) {
    if (!candidates.empty() && candidate->peak > candidates.front()->peak)
      continue;
    if (!candidates.empty() && candidate->peak < candidates.front()->peak)
      candidates.clear();
    if (llvm::none_of(candidates, [&](Schedule *other) { return other->order == candidate->order; }))
      candidates.push_back(candidate);
  }
  Schedule *chosen = candidates.front();
  if (candidates.size() > 1) {
    int64_t bestArena = -1;
    for (Schedule *candidate : candidates) {
      TP_ASSIGN_OR_RETURN(Liveness analysis,
                          Liveness::compute(graph, candidate->order, liveness));
      TP_ASSIGN_OR_RETURN(GraphPlan plan, GraphPlan::build(analysis, options.pack));
      if (bestArena < 0 || plan.arena() < bestArena) {
        bestArena = plan.arena();
        chosen = candidate;
      }
    }
  }
  Schedule schedule = *chosen;
  // Carry the search's figures whichever order won.
  schedule.lowerBound = exactSchedule.lowerBound;
  schedule.states = exactSchedule.states;
  schedule.piecesProven = exactSchedule.piecesProven;
  schedule.provenOptimal = schedule.modelExact && schedule.peak <= schedule.lowerBound;
  return schedule;
}

void Schedule::print(llvm::raw_ostream &os, const Graph &graph) const {
  os << "schedule: method=" << method << " peak=" << peak << " file_peak=" << filePeak
     << " order_bound=" << lowerBound << " order_optimal=" << (provenOptimal ? "yes" : "no")
     << " pieces=" << pieces << " proven_pieces=" << piecesProven << " states=" << states
     << '\n';
  os << "order:";
  for (unsigned node : order) {
    const Node &n = *graph.node(node);
    os << " %" << (n.numResults() ? n.result(0)->name() : n.name());
  }
  os << '\n';
}

} // namespace tinyplan
