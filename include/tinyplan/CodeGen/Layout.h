//===- Layout.h - The memory layout of each tensor ---------------*- C++ -*-===//
//
// The IR's shapes are ONNX's: channels first (N, C, H, W). In memory a
// planned tensor of rank 3 or 4 may instead be channels-last (N, H, W, C),
// which is what int8 dot products over channels and outputs overlapping
// their inputs row by row want. The layout pass below chooses per tensor,
// from what each node's kernel can read and write (KernelImpl::layouts),
// and the kernels address each operand by its layout. Sizes and lifetimes do
// not change; how far a result may overlap its input does (KernelImpl::
// overlap), which the driver weighs for --layout=auto. Every kernel keeps
// the order in which it sums an output's terms, so the results' bits do not
// depend on the choice.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_LAYOUT_H
#define TINYPLAN_CODEGEN_LAYOUT_H

#include "tinyplan/IR/Graph.h"
#include "absl/status/statusor.h"
#include <vector>

namespace tinyplan {

struct CEmitOptions;

/// What a kernel can do with layouts (KernelImpl::layouts).
enum class LayoutRule {
  /// Every operand and result is channels-first.
  ChannelsFirst,
  /// Each operand and result of rank 3 or 4 may have either layout,
  /// independently (a convolution reading channels-first and writing
  /// channels-last).
  Each,
  /// Operands and results all take the node's one layout (elementwise ops,
  /// pools): an operand that broadcasts is read through the node's
  /// layout, which the pass allows only where that leaves its bytes in
  /// place (a per-channel [C, 1, 1] constant).
  Same,
};

/// The rule of kernels that handle any layout the same way.
inline LayoutRule sameLayoutRule(const Node &) { return LayoutRule::Same; }

/// `--layout`: which layout the pass gives the tensors that may take either.
enum class LayoutMode {
  /// Channels-last where a kernel that reads or writes the tensor prefers it
  /// (KernelImpl::prefersChannelsLast), channels-first elsewhere.
  Auto,
  ChannelsFirst,
  /// Channels-last wherever every kernel that touches the tensor allows it.
  ChannelsLast,
};

/// The layout of each value and node.
struct LayoutPlan {
  /// By value id: stored channels-last (missing: channels-first).
  std::vector<bool> values;
  /// By node id: the node's layout for LayoutRule::Same kernels, which
  /// address every operand through it.
  std::vector<bool> nodes;

  bool channelsLast(const Value &value) const {
    return value.id() < values.size() && values[value.id()];
  }
  bool channelsLast(const Node &node) const {
    return node.id() < nodes.size() && nodes[node.id()];
  }
};

/// Whether \p shape's bytes are in the same order channels-first and
/// channels-last (at most one of C and the spatial extent is not 1, or a
/// rank other than 3 and 4): such a tensor is the same either way.
bool sameBytesEitherLayout(llvm::ArrayRef<int64_t> shape);

/// The dims of a rank-\p rank tensor in memory order when channels-last:
/// {0, 2, 3, 1} for rank 4, {0, 2, 1} for rank 3; the identity otherwise.
std::vector<int64_t> channelsLastOrder(int64_t rank);

/// The dims of a rank-\p rank tensor in memory order: channelsLastOrder
/// when \p channelsLast, else 0, 1, ..., rank - 1.
std::vector<int64_t> memoryOrder(int64_t rank, bool channelsLast);

/// \p shape in memory order: permuted by channelsLastOrder when
/// \p channelsLast.
std::vector<int64_t> memoryShape(llvm::ArrayRef<int64_t> shape, bool channelsLast);

/// Chooses the layouts of \p graph's values for \p mode, given the kernels
/// \p options choose. Graph inputs and outputs keep channels-first unless
/// \p ioChannelsLast: then each 4-D one is channels-last, and where a kernel
/// that touches it reads channels-first only, the pass puts a Transpose
/// between the caller's tensor and the graph (the graph gains nodes and
/// its inputs and outputs change their shapes to N, H, W, C).
absl::StatusOr<LayoutPlan> assignLayouts(Graph &graph, const CEmitOptions &options,
                                         LayoutMode mode, bool ioChannelsLast);

/// \p options' layouts (channels-last graph inputs and outputs aside) with
/// the groups of \p values channels-last too, where no kernel holds them
/// channels-first. Null when that changes nothing.
std::optional<LayoutPlan> withChannelsLast(const Graph &graph, const CEmitOptions &options,
                                           llvm::ArrayRef<unsigned> values);

} // namespace tinyplan

#endif
