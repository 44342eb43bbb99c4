//===- CEmitter.h - model.c and model.h from a planned graph ----*- C++ -*-===//
//
// Turns a graph and its arena plan into C99: a header with the model's
// macros, run function and I/O accessors, a source file with the arena, the
// weights as exact static const arrays, the kernels the model uses and one
// commented kernel call per node (each written by the implementation the
// kernel registry, KernelRegistry.h, chooses for the node and the CPU).
// docs/generated-c.md is the contract.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_CEMITTER_H
#define TINYPLAN_CODEGEN_CEMITTER_H

#include "tinyplan/CodeGen/Cpu.h"
#include "tinyplan/CodeGen/Layout.h"
#include "tinyplan/Planning/GraphPlanner.h"
#include "absl/status/statusor.h"
#include <map>
#include <string>
#include <vector>

namespace tinyplan {

/// Where the arena lives.
enum class ArenaMode {
  /// A static array inside model.c.
  Static,
  /// The caller passes it to NAME_run and the accessors.
  User,
};

/// Which Conv implementation the C uses (`--conv`).
enum class ConvMethod {
  /// The blocked direct convolution (Kernels/Conv.cpp).
  Direct,
  /// im2col + matrix product (Kernels/ConvIm2col.cpp) wherever it supports
  /// the node.
  Im2col,
  /// im2col only where its rule (KernelImpl::faster) says it is faster and
  /// the node is not in CEmitOptions::keepDefault.
  Auto,
};

/// How the integer products (QLinearConv, QLinearMatMul, QGemm) scale their
/// int32 sums to the 8-bit output (docs/generated-c.md, "Integer kernels").
enum class Requant {
  /// float32 multiply by (x_scale * w_scale) / y_scale, round half to even:
  /// ONNX Runtime's arithmetic, bit for bit, on every core (soft float on
  /// cores without an FPU gives the same bits).
  Float,
  /// An int32 multiplier and a shift from that float multiplier, rounded
  /// twice as gemmlowp, TensorFlow Lite Micro and CMSIS-NN do: no float
  /// arithmetic per output, at most 1 LSB from Float.
  Fixed,
};

/// How tp_qconv_blocked_* stores a layer's weights (`--qconv-weights`).
enum class QconvWeights {
  /// int16 where they take at most 4 KiB as int8, on cores with the DSP
  /// extension or an unknown core: see wideQconvWeights.
  Auto,
  /// int8, two channels x two taps per word: the least flash.
  Int8,
  /// int16 pairs: 2 instructions fewer per 16 multiply-accumulates on a
  /// core with the DSP extension, twice the weights' flash.
  Int16,
};

/// Whether a blocked QLinearConv whose weights take \p int8Bytes as int8
/// stores them as int16 pairs under \p mode for \p cpu.
bool wideQconvWeights(QconvWeights mode, Cpu cpu, int64_t int8Bytes);

struct CEmitOptions {
  /// Prefix of every exported symbol; its upper-case form prefixes macros.
  std::string name = "model";
  /// How model.c includes the header: `#include "<headerInclude>"`.
  std::string headerInclude = "model.h";
  ArenaMode arena = ArenaMode::Static;
  /// Put the weights in their own translation unit (CFiles::weights).
  bool separateWeights = false;
  /// Named in the banner comment of every file.
  std::string sourceName;
  /// False: the weights are declared `extern`, never written out (and not
  /// limited in size), for looking at the code alone (CodeSize.h).
  bool defineWeights = true;
  /// The core the C is for: the kernel registry's choice of implementation.
  Cpu cpu = Cpu::Generic;
  /// Which Conv implementation (method implementations, KernelImpl::method).
  /// The plan must hold the scratch of the kernels this chooses
  /// (kernelScratchBytes); Direct needs none.
  ConvMethod conv = ConvMethod::Direct;
  /// By node id (missing: false): nodes that an Auto choice leaves on the
  /// default implementation (the driver's check that the arena stays
  /// within the budget).
  std::vector<bool> keepDefault;
  /// Take the pixels-outermost implementations (KernelImpl::method
  /// "pixels": the float pointwise convolution of kernels/pointwise.c),
  /// whose results may overlap their inputs exactly but need scratch; the
  /// driver does where that makes the arena smaller.
  bool pixelsOuter = false;
  /// The layout of every tensor (assignLayouts); empty: all channels-first.
  LayoutPlan layouts;
  /// `--requant`.
  Requant requant = Requant::Float;
  /// `--qconv-weights`.
  QconvWeights qconvWeights = QconvWeights::Auto;
  /// `--weights-blob`: the weights go to a binary blob (CFiles::blob) that
  /// the C reaches through NAME_weights, not into C arrays (docs/cmake.md).
  bool weightsBlob = false;
  /// `--check-arena`: a host build that checks the plan at run time (see
  /// CEmitter.cpp, "The arena check"). Needs malloc, stdio and abort.
  bool checkArena = false;
  /// `--check-writers`: a host build that declares each node's operands and
  /// results to a last-writer record (CEmitter.cpp, "The writers check");
  /// link scripts/writers_check.c and compile with clang -fsanitize=thread
  /// -mllvm -tsan-instrument-read-before-write=1.
  bool checkWriters = false;
  /// `--quantized-io`: by input or output name, the scale and zero point of
  /// the integers the caller passes or gets (model.h gives them).
  std::map<std::string, std::pair<float, int64_t>> ioQuantization;
};

struct KernelImpl;

/// The implementation the C of \p node is written by under \p options:
/// the registry's first by priority that applies to the CPU and supports
/// the node, skipping method implementations the options do not choose.
/// Null when there is none.
const KernelImpl *chooseKernel(const Node &node, const CEmitOptions &options);

/// The kernel scratch bytes of every node (by node id) under \p options:
/// what LivenessOptions::kernelScratch needs for the plan to match the C.
std::vector<int64_t> kernelScratchBytes(const Graph &graph, const CEmitOptions &options);

/// Per node id: how the kernel chooseKernel takes may overlap its result
/// with a dying operand (KernelImpl::overlap), what
/// LivenessOptions::kernelOverlap needs for the plan to match the C.
std::vector<std::optional<KernelOverlap>> kernelOverlaps(const Graph &graph,
                                                         const CEmitOptions &options);

/// Sets \p liveness's kernelScratch and kernelOverlap for the kernels
/// \p options choose.
void setKernelMemory(LivenessOptions &liveness, const Graph &graph,
                     const CEmitOptions &options);

struct CFiles {
  std::string header;
  std::string source;
  /// Empty unless separateWeights.
  std::string weights;
  /// Empty unless weightsBlob: every weight array and derived table, each at
  /// a multiple of kWeightsBlobAlign, little-endian, zero between them.
  std::string blob;
  /// Pieces of `source`: each kernel definition once, and the statements of
  /// NAME_run (comments included).
  std::vector<std::string> kernels;
  std::string runBody;
  /// Bytes of the weights the C stores (NAME_WEIGHTS_SIZE): the constants a
  /// kernel call or output copy reads.
  int64_t weightsBytes = 0;
};

/// Most bytes the generated C's arena may take: its offsets are 32-bit
/// integers on a microcontroller, where no RAM comes near it anyway.
inline constexpr int64_t kMaxArenaBytes = (int64_t(1) << 31) - 1;

/// Alignment of every array in a weights blob, and of the blob itself.
inline constexpr int64_t kWeightsBlobAlign = 16;
/// Most bytes a weights blob may hold: offsets stay below 2^31 on any core.
inline constexpr int64_t kMaxWeightsBlobBytes = int64_t(1) << 31;

/// Writes the C for \p plan's graph. Errors name the node whose op has no
/// kernel (or an unsupported variant of it).
absl::StatusOr<CFiles> emitCFiles(const GraphPlan &plan, const CEmitOptions &options);

/// A C identifier from a file stem: characters other than letters, digits
/// and '_' become '_', and a leading digit gets a "m_" prefix.
std::string sanitizeCIdentifier(llvm::StringRef text);

/// Whether \p text is usable as --name: a C identifier.
bool isCIdentifier(llvm::StringRef text);

} // namespace tinyplan

#endif
