//===- Patches.h - Patch-based execution of a model's first stage -*- C++ -*-===//
//
// The feature maps of a CNN's first, high-resolution layers are its largest.
// Run patch by patch (MCUNetV2), those layers need only a patch of each map
// at a time: the result of the stage's last node is split into n x n
// patches, and each patch is computed from the window of the graph's input
// it depends on, through copies of the stage's nodes restricted to their
// windows. Windows of neighbouring patches overlap (the halo), so those
// elements are computed more than once.
//
// Every patch node is the original node on a window of its operands, padded
// only where the window meets the tensor's edge (PatchWindow in OpDef.h): an
// output element sums the same terms in the same order as without patches,
// so the results are bit-identical. PatchInsert nodes write each patch of
// the stage's result into one tensor, in place.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_TRANSFORMS_PATCHES_H
#define TINYPLAN_TRANSFORMS_PATCHES_H

#include "tinyplan/IR/Graph.h"
#include "absl/status/statusor.h"
#include <string>
#include <vector>

namespace tinyplan {

/// Which stage to split, and how finely.
struct PatchSpec {
  /// n: the stage's result is split into n x n patches.
  int64_t patches = 2;
  /// The node (or the result of the node) that ends the stage. The stage is every node it
  /// depends on (constants aside), back to the graph's inputs.
  std::string until;
};

/// What a split did.
struct PatchStage {
  PatchSpec spec;
  /// Nodes in the stage, before the split.
  int64_t stageNodes = 0;
  /// The model's multiply-accumulates without and with patches.
  int64_t macsBefore = 0, macsAfter = 0;
  /// The nodes of each patch (its PatchInsert last), patch by patch.
  std::vector<std::vector<std::string>> patchNodes;
};

/// The nodes that may end a patched stage, in graph order: every node
/// with a 4-D result that all its ancestors, and it, can run on windows
/// (OpDef::patchWindow), whose stage's other results are used only inside
/// the stage, and whose stage reads graph inputs only through windows.
std::vector<std::string> patchStageEnds(const Graph &graph);

/// Rewrites \p graph to compute \p spec's stage patch by patch. Errors
/// name the node that prevents it.
absl::StatusOr<PatchStage> splitIntoPatches(Graph &graph, const PatchSpec &spec);

} // namespace tinyplan

#endif // TINYPLAN_TRANSFORMS_PATCHES_H
