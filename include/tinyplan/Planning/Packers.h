//===- Packers.h - Offset-packing strategies --------------------*- C++ -*-===//
//
// Each strategy is its own file under lib/Planning. All are deterministic:
// the same requests give the same offsets, ties broken by request id.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_PLANNING_PACKERS_H
#define TINYPLAN_PLANNING_PACKERS_H

#include "tinyplan/Planning/MemoryPlan.h"
#include "absl/status/statusor.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace tinyplan {

enum class PackStrategy {
  /// Every buffer its own bytes, no reuse: the baseline.
  Linear,
  /// Largest first, lowest offset that fits (TensorFlow Lite Micro's rule).
  GreedyBySize,
  /// Largest first, into the tightest gap that fits.
  BestFit,
  /// Most time-conflicts first, then largest, lowest offset that fits.
  GreedyByConflicts,
  /// Steps with the most live bytes first; their buffers largest first.
  GreedyByBreadth,
  /// Overlapping pairs joined into rigid chains, each output its head below
  /// its input; then largest first, lowest offset where the whole unit fits.
  OverlapChains,
  /// Branch-and-bound search over canonical placements.
  Exact,
  /// The heuristics, then the exact search from the best of them down to
  /// the lower bound within the budget.
  Auto,
};

/// "linear", "greedy-size", "best-fit", "greedy-conflicts", "greedy-breadth",
/// "greedy-overlap", "exact", "auto".
llvm::StringRef packStrategyName(PackStrategy strategy);
std::optional<PackStrategy> parsePackStrategy(llvm::StringRef name);

struct PackOptions {
  PackStrategy strategy = PackStrategy::Auto;
  /// Placements the exact search may try in all (each is a node of the
  /// search tree). A node budget keeps the result deterministic.
  int64_t searchNodeBudget = 250'000;
  /// Optional wall-clock limit in seconds (0: none). When it strikes, the
  /// result depends on the machine's speed; benchmarks use it, builds don't.
  double searchTimeLimit = 0;
  /// Optional capacity in bytes (0: none): the exact search first decides
  /// whether the buffers fit in it, then minimises below what it found.
  int64_t searchTarget = 0;
};

/// Offsets for every request with the chosen strategy; the plan is checked
/// by verifyPlan before it is returned.
absl::StatusOr<MemoryPlan> packBuffers(llvm::ArrayRef<BufferRequest> requests,
                                       const PackOptions &options = {});

// The individual strategies (lib/Planning/<Name>Packer.cpp).
std::vector<int64_t> packLinear(llvm::ArrayRef<BufferRequest> requests);
std::vector<int64_t> packGreedyBySize(llvm::ArrayRef<BufferRequest> requests);
std::vector<int64_t> packBestFit(llvm::ArrayRef<BufferRequest> requests);
std::vector<int64_t> packGreedyByConflicts(llvm::ArrayRef<BufferRequest> requests);
std::vector<int64_t> packGreedyByBreadth(llvm::ArrayRef<BufferRequest> requests);
std::vector<int64_t> packOverlapChains(llvm::ArrayRef<BufferRequest> requests);

/// Offsets for \p requests in memory regions of \p regionSizes bytes laid
/// end to end (region k starts at the sum of the sizes before it), no
/// buffer crossing from one region into the next: largest first or in step
/// order, each at the lowest offset that fits (so the first regions fill
/// first) or into the tightest gap; of those that fit every buffer, the one
/// with the lowest end. Nullopt when none does. Each size must be a multiple of every alignment.
/// The first \p fastRegions regions are fast: given \p accesses (per
/// request id, how often the kernels touch it), it also tries the buffers
/// most accessed per byte first, and of the placements that fit keeps the
/// one with the most accesses in the fast regions, then the lowest end.
std::optional<std::vector<int64_t>>
packAcrossRegions(llvm::ArrayRef<BufferRequest> requests, llvm::ArrayRef<int64_t> regionSizes,
                  unsigned fastRegions = 0, llvm::ArrayRef<double> accesses = {});

struct ExactSearchResult {
  /// Offsets of the best plan found (the incumbent if nothing better).
  std::vector<int64_t> offsets;
  int64_t arena = 0;
  /// No arena below `arena` exists: proven by search or by the lower bound.
  bool proven = false;
  int64_t nodesExpanded = 0;
};

/// Minimises the arena by repeated feasibility searches between the lower
/// bound and the arena of \p incumbent (valid offsets), spending at most
/// \p nodeBudget search nodes and, if positive, \p timeLimit seconds. With
/// a positive \p target, decides that capacity first. Never returns a
/// larger arena than the incumbent's, and a larger budget never gives a
/// larger arena: the budget only cuts one fixed sequence of tries short.
ExactSearchResult packExact(llvm::ArrayRef<BufferRequest> requests,
                            llvm::ArrayRef<int64_t> incumbent,
                            int64_t nodeBudget, double timeLimit = 0,
                            int64_t target = 0);

} // namespace tinyplan

#endif
