//===- KernelRegistry.h - C implementations of the ops ----------*- C++ -*-===//
//
// Which C computes a node. Each file under lib/CodeGen/Kernels registers the
// implementations of one op or op family, keyed by op (domain, op type):
// a name ("portable"), the CPUs whose firmware it may go into, whether it
// handles a given node, and the function that writes the C through a
// CEmitContext (CEmit.h). An op may have several. For each node the C
// emitter takes the first, by priority, that applies to the chosen CPU and
// supports the node, so a kernel for one core (Cortex-M DSP) is one more
// file and entry with a higher priority, never a branch in an existing one.
// Registration is a static object in each file (TINYPLAN_REGISTER_KERNELS),
// so lib/CodeGen is linked whole, as lib/Ops is.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_KERNELREGISTRY_H
#define TINYPLAN_CODEGEN_KERNELREGISTRY_H

#include "tinyplan/Analysis/Liveness.h"
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/Cpu.h"
#include "tinyplan/CodeGen/Layout.h"
#include "tinyplan/Support/Status.h"
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tinyplan {

/// One implementation of one op's C.
struct KernelImpl {
  /// The op: "" (or "ai.onnx") is the default domain.
  std::string domain;
  std::string opType;
  /// What it is called in the model.c banner: "portable", "cmsis-dsp", ...
  std::string name;
  /// The CPUs it may run on.
  CpuSet cpus = CpuSet::all();
  /// Tried before implementations of lower priority; the portable C, which
  /// every op has, is priority 0 so that any other one goes first.
  int priority = 0;
  /// Whether it computes \p node on \p cpu (element types, attributes,
  /// shapes); null for every node.
  std::function<bool(const Node &, Cpu)> supports;
  /// Writes the C that computes \p node: requires its kernel and emits the
  /// call. Must honour the planner's sharing: a result may be a view of,
  /// overwrite, or be a slice of an operand. Variants it does not cover
  /// are an "unsupported" error (unsupportedKernel).
  std::function<absl::Status(const Node &, CEmitContext &)> emit;
  /// Bytes of working memory the kernel needs for \p node while it runs
  /// (CEmitContext::scratchPointer); null for none. The planner places it
  /// (LivenessOptions::kernelScratch), so it is part of the arena.
  std::function<int64_t(const Node &)> scratchBytes;
  /// How far below operand k the kernel may start its result 0 when that
  /// operand dies at the node, its tensors laid out as \p layouts says:
  /// the kernel's loop order must never write a byte of the result before
  /// it has finished reading the operand bytes under it (docs/planning.md,
  /// "Overlaps"). Null or nullopt: never. The planner places it
  /// (LivenessOptions::kernelOverlap), and the C emitter checks that the
  /// plan keeps to it.
  std::function<std::optional<KernelOverlap>(const Node &, const LayoutPlan &layouts)> overlap;
  /// Empty for an implementation the registry may always choose. Otherwise
  /// the method an option selects it by ("im2col", see ConvMethod in
  /// CEmitter.h; any other method, such as QLinearConv's "plane", only by
  /// --conv=auto): it is only used where the options ask for it and the
  /// arena allows, so the default implementation stays the same.
  std::string method;
  /// For a method implementation: whether it is faster than the default
  /// implementation for \p node (the rule an "auto" choice follows).
  std::function<bool(const Node &)> faster;
  /// Which layouts it reads and writes (Layout.h); null: channels-first
  /// only.
  std::function<LayoutRule(const Node &)> layouts;
  /// Whether it is faster with its tensors channels-last, which
  /// --layout=auto then chooses where the other kernels allow it; null: no.
  std::function<bool(const Node &)> prefersChannelsLast;
};

/// The overlap of a kernel that runs the images of operand 0 ([N, C, ...])
/// and, in each, its \p groups channel groups one after another, in
/// increasing order, each reading only its own input channels and writing
/// only its own output channels of result 0 ([N, M, ...]), channels-first:
/// a depthwise convolution, a pool. Group g's output must end before group
/// g's input starts, so with I and O the bytes of a group's input and
/// output, G = N * groups: distance = O + (G - 1) * max(0, O - I).
/// nullopt for a channels-last operand or result.
///
/// With \p rows, a kernel whose groups are single planes (groups = the input
/// and output channels, rank 4) and which writes each output plane row by
/// row, row r reading input rows from r * strideH - padTop on: plane g's
/// output row r then only has to end before that input row of plane g, and
/// O above becomes the largest over r of (end of output row r) - (start of
/// input row max(0, r * strideH - padTop)), as in rowsOverlap.
struct RowWalk {
  int64_t strideH = 1, padTop = 0;
};
std::optional<KernelOverlap> channelGroupsOverlap(const Node &node, const LayoutPlan &layouts,
                                                  int64_t groups,
                                                  std::optional<RowWalk> rows = std::nullopt);

/// The overlap of a 2-D window kernel (convolution, pool) of one image that
/// writes its channels-last result row by row, every channel of output row
/// r before any of row r + 1, reading input rows from r * strideH - padTop
/// on (\p walk). When output row r is written, no input byte below row
/// max(0, r * strideH - padTop) is still needed: channel 0's row there when
/// the input is channels-first, the whole pixel row when channels-last. So
/// the result may start d bytes below its input, with d the largest over r
/// of (end of output row r) - (start of that input row). nullopt unless
/// operand 0 and result 0 are 4-D with one image and the result is
/// channels-last, or when d leaves no overlap.
std::optional<KernelOverlap> rowsOverlap(const Node &node, const LayoutPlan &layouts,
                                         RowWalk walk);

/// Every registered implementation.
class KernelRegistry {
public:
  using EmitFn = std::function<absl::Status(const Node &, CEmitContext &)>;

  static KernelRegistry &instance();

  void add(KernelImpl impl);
  using OverlapFn =
      std::function<std::optional<KernelOverlap>(const Node &, const LayoutPlan &layouts)>;
  /// Adds the portable C implementation of default-domain op \p opType,
  /// which handles the layouts \p layouts allows (KernelImpl::layouts) and
  /// whose result may overlap an operand as \p overlap says
  /// (KernelImpl::overlap).
  void addPortable(llvm::StringRef opType, EmitFn emit,
                   std::function<LayoutRule(const Node &)> layouts = nullptr,
                   OverlapFn overlap = nullptr);

  /// The implementation for \p node on \p cpu: the first by priority (then
  /// registration) that applies to \p cpu and supports \p node, method
  /// implementations aside (chooseKernel in CEmitter.h takes those where the
  /// options ask); null when there is none.
  const KernelImpl *select(const Node &node, Cpu cpu) const;

  /// The implementations of an op, in the order select tries them.
  std::vector<const KernelImpl *> implementations(llvm::StringRef domain,
                                                  llvm::StringRef opType) const;

private:
  /// Sorted by priority, highest first, stable among equals.
  std::vector<std::unique_ptr<KernelImpl>> impls_;
};

struct KernelRegistration {
  explicit KernelRegistration(const std::function<void(KernelRegistry &)> &body) {
    body(KernelRegistry::instance());
  }
};

} // namespace tinyplan

/// At namespace scope in a kernel file:
///   TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("Relu", emitRelu); }
#define TINYPLAN_REGISTER_KERNELS(registryName)                                \
  static void TP_CONCAT_(tpRegisterKernels_, __LINE__)(                        \
      ::tinyplan::KernelRegistry &);                                           \
  static ::tinyplan::KernelRegistration TP_CONCAT_(tpKernelRegistration_,      \
                                                   __LINE__)(                  \
      TP_CONCAT_(tpRegisterKernels_, __LINE__));                               \
  static void TP_CONCAT_(tpRegisterKernels_, __LINE__)(                        \
      ::tinyplan::KernelRegistry & registryName)

#endif
