//===- ScheduleSearch.h - Ordering one piece of a graph ---------*- C++ -*-===//
//
// Private to lib/Planning. A piece is a set of nodes that runs after a fixed
// set of nodes (everything before it) and before everything after it; its
// orders are searched over the PeakModel's step costs.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_PLANNING_SCHEDULESEARCH_H
#define TINYPLAN_LIB_PLANNING_SCHEDULESEARCH_H

#include "tinyplan/Planning/PeakModel.h"
#include <chrono>
#include <optional>

namespace tinyplan {

struct SchedulePiece {
  const PeakModel *model = nullptr;
  /// Nodes run before the piece, and the bytes live after them.
  NodeSet before;
  int64_t memoryBefore = 0;
  /// The piece's nodes, ascending (the model's order).
  std::vector<unsigned> nodes;
};

struct PieceOrder {
  /// Which search produced the order.
  enum class Source { File, Beam, Exact };
  Source source = Source::File;
  std::vector<unsigned> order;
  /// Most bytes live at a step of the piece.
  int64_t peak = 0;
  /// No order of the piece has a smaller peak.
  int64_t lowerBound = 0;
  /// States the exact search stored (0 for the others), and what they
  /// cost of the budget.
  int64_t states = 0;
  int64_t spent = 0;
};

/// Most bytes live at a step of \p piece when its nodes run in \p order.
int64_t pieceOrderPeak(const SchedulePiece &piece, llvm::ArrayRef<unsigned> order);

/// The piece's nodes in the model's order, measured.
PieceOrder pieceFileOrder(const SchedulePiece &piece);

/// Beam search: keeps the \p width best partial orders (least peak, then
/// least live bytes) at each step, one per set of scheduled nodes.
PieceOrder beamOrder(const SchedulePiece &piece, unsigned width);

/// Best-first search over sets of scheduled nodes for an order with a peak
/// below \p incumbent's. Stores states until they cost \p stateBudget (a
/// state of a piece of k nodes costs ceil(k/64): the work per state grows
/// with the piece, and the budget bounds the work) and stops at
/// \p deadline if given. Returns \p incumbent when nothing better exists or
/// was found, with lowerBound == peak when the search proved it optimal.
PieceOrder exactOrder(const SchedulePiece &piece, const PieceOrder &incumbent,
                      int64_t stateBudget,
                      std::optional<std::chrono::steady_clock::time_point> deadline);

} // namespace tinyplan

#endif
