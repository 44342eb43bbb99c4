//===- CEmit.h - What a kernel sees while it writes its C -------*- C++ -*-===//
//
// A kernel implementation (KernelRegistry.h; one file per op or op family
// under lib/CodeGen/Kernels) writes the call of its kernel, and the kernel's
// definition, through this abstract context. The C emitter (CEmitter.h)
// implements it over a memory plan; kernels never see arena offsets, file
// layout or symbol prefixes, only C expressions for the data of their
// operands and results. Helpers shared by several kernel files (C types,
// literals, the fused-activation expression, copies, broadcasting, matrix
// products) live here too.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_CEMIT_H
#define TINYPLAN_CODEGEN_CEMIT_H

#include "tinyplan/IR/Graph.h"
#include "absl/status/statusor.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace tinyplan {

class CEmitContext {
public:
  virtual ~CEmitContext() = default;

  /// A C expression for the first element of \p value's data, of type
  /// `T *` (planned values) or `const T *` (constants), T being the C type
  /// its dtype is stored as (cStorageType). Two values share bytes exactly
  /// when their arenaOffset()s are equal.
  virtual std::string pointer(const Value &value) = 0;

  /// Arena byte offset of \p value's first byte; nullopt for a constant.
  virtual std::optional<int64_t> arenaOffset(const Value &value) const = 0;

  /// Adds the definition of a static kernel function (or any file-scope
  /// definition) to the output, once per \p key; later calls with the same
  /// key are no-ops. Only kernels some node requires end up in the file.
  virtual void requireKernel(llvm::StringRef key, llvm::StringRef definition) = 0;

  /// Appends \p statement (one or more lines, without trailing newline) to
  /// the body of the run function.
  virtual void emit(llvm::StringRef statement) = 0;

  /// Opset of the default domain the model uses.
  virtual int64_t opset() const = 0;

  /// A C expression `(T *)(arena + off)` for the first byte of \p node's
  /// kernel scratch (KernelImpl::scratchBytes), \p type being the C
  /// element type; the plan's scratch buffer of the node, live only while
  /// the node runs.
  virtual std::string scratchPointer(const Node &node, llvm::StringRef type) = 0;

  /// Adds a derived constant table and returns its array's name: element i
  /// is element \p gather[i] of \p source (exact bits, any dtype), or zero
  /// where \p gather[i] is -1. It is written with the weights (`static
  /// const`, or in the weights file) and counted in NAME_WEIGHTS_SIZE. One
  /// array per \p key (later calls with the same key return the same
  /// name); \p baseName becomes part of the array's name.
  /// Whether \p value is stored channels-last (Layout.h); a kernel whose
  /// KernelImpl::layouts allows it addresses the value accordingly.
  virtual bool channelsLast(const Value &value) const = 0;
  /// The layout a LayoutRule::Same node reads all its operands through.
  virtual bool channelsLast(const Node &node) const = 0;

  virtual std::string constantTable(llvm::StringRef key, llvm::StringRef baseName,
                                    const Tensor &source,
                                    llvm::ArrayRef<int64_t> gather) = 0;

  /// Whether the integer products requantize with an int32 multiplier and
  /// shift (`--requant=fixed`) rather than in float.
  virtual bool fixedRequant() const { return false; }
  /// Whether tp_qconv_blocked_* takes a layer's weights as int16 pairs
  /// (`--qconv-weights`) when they take \p int8Bytes as int8.
  virtual bool wideQconvWeights(int64_t /*int8Bytes*/) const { return false; }
};

/// The C type of one element: float, double, int8_t, ..., uint8_t for bool;
/// nullopt for types the kernels cannot compute on (f16, bf16).
std::optional<llvm::StringRef> cType(DType type);

/// cType or an "unsupported" error naming \p node.
absl::StatusOr<std::string> requireCType(const Node &node, DType type);

/// The C type an element of \p type is stored as: cType, or uint16_t
/// holding the bit pattern of an f16 / bf16 element. Kernels that only move
/// elements (Transpose, Slice, Gather, Pad) work on it for every dtype.
llvm::StringRef cStorageType(DType type);

/// The C functions converting f16 or bf16 (\p narrow) bit patterns to and
/// from float or double (\p wide), kernels of kernels/float16.c, each
/// required by the call that names it: `float NAME(uint16_t)` widens
/// exactly; `uint16_t NAME(T)` rounds to nearest even with integer
/// arithmetic only, so the result does not depend on the FPU's rounding
/// mode or flush-to-zero.
std::string requireNarrowToFloatC(CEmitContext &ctx, DType narrow);
std::string requireToNarrowFloatC(CEmitContext &ctx, DType wide, DType narrow);

/// The kernel-name suffix for a dtype: "f32", "i64", ...
std::string cTypeSuffix(DType type);

/// The kernel-name suffix of the type \p type is stored as (cStorageType):
/// cTypeSuffix, except "u8" for bool and "u16" for f16 / bf16. Kernels that
/// only move elements are named by it.
std::string cStorageSuffix(DType type);

/// An exact C literal of \p value in float type \p type (F32: `0x1.8p+1f`,
/// F64 without suffix; infinities and NaNs through <math.h> macros).
std::string cFloatLiteral(double value, DType type);

/// A C99 literal for element \p index of \p tensor, exact for every dtype
/// (hex floats, INT64_C / UINT64_C for 64-bit integers).
std::string cElementLiteral(const Tensor &tensor, int64_t index);

/// A comma-separated list of integers, for kernel arguments.
std::string cIntList(llvm::ArrayRef<int64_t> values);

/// The C expression computing a node's fused activation (fused_activation
/// and its parameters, see checkFusedActivation) applied to the float
/// expression \p v, or \p v itself when there is none; also the suffix that
/// names the variant of a kernel ("" or "_relu", ...). \p type is F32 or F64.
struct FusedActivationC {
  std::string suffix;
  /// The expression with "v" standing for the stored value.
  std::string expression;
};
absl::StatusOr<FusedActivationC> fusedActivationC(CEmitContext &ctx, const Node &node,
                                                  DType type);

/// The C expression applying activation \p kind ("Relu", "Tanh", ... a row
/// of Ops/Activations.h) to \p v in float type \p type: a call of its
/// function in kernels/activations.c, `tp_<kind>_<f32|f64>(v, args...)`,
/// \p args being C expressions for its parameters in the table's order.
/// Requires the function (and what it calls) through \p ctx; nullopt for
/// a kind that is not an activation.
std::optional<std::string> activationC(CEmitContext &ctx, llvm::StringRef kind,
                                       llvm::StringRef v, DType type,
                                       llvm::ArrayRef<std::string> args);

/// The name tp_<op>_<suffix of \p type> (tp_add_f32, tp_cumsum_i64) of a
/// kernel of kernels/, or the "unsupported" error naming \p node and the
/// element type when the library has none for that type.
absl::StatusOr<std::string> typedKernelName(const Node &node, llvm::StringRef op, DType type);

/// Requires kernel \p name of kernels/ (KernelLibrary) and every kernel it
/// uses, each once and after its uses; returns \p name.
std::string requireLibraryKernel(CEmitContext &ctx, llvm::StringRef name);

/// Requires \p name, an instance of library kernel \p prototype with the
/// identifiers of \p replacements replaced (KernelLibrary::instantiate),
/// after the kernels it uses; returns \p name.
std::string requireKernelInstance(CEmitContext &ctx, llvm::StringRef prototype,
                                  llvm::StringRef name,
                                  llvm::ArrayRef<std::pair<std::string, std::string>> replacements);

/// Emits a copy of \p bytes bytes from \p src to \p dst (C pointer
/// expressions) unless both are the same value in the arena.
void emitCopy(CEmitContext &ctx, const Value &dst, const Value &src);

/// The C of an op whose result 0 holds operand 0's bytes unchanged
/// (Reshape, Identity, ...): a copy, or no code at all when the planner made
/// the result a view.
absl::Status emitOperandCopy(const Node &node, CEmitContext &ctx);

/// A strided walk over \p dims with element strides \p strides, in the
/// fewest loops: dims of 1 dropped, and a dim merged into the one before it
/// where that one's stride steps over exactly its extent.
struct MergedStrides {
  std::vector<int64_t> dims, steps;
};
MergedStrides mergeStrides(llvm::ArrayRef<int64_t> dims, llvm::ArrayRef<int64_t> strides);

/// Emits a copy of the elements of \p src, read with element strides
/// \p strides (negative for a reversed axis) from element \p srcOffset on,
/// into \p dst, dense in row-major order over \p dims. Transpose and Slice
/// are this copy. Contiguous runs become one memmove; no code at all when
/// they are already in place.
absl::Status emitStridedCopy(CEmitContext &ctx, const Node &node, const Value &dst,
                             const Value &src, int64_t srcOffset,
                             llvm::ArrayRef<int64_t> dims, llvm::ArrayRef<int64_t> strides);

/// The odometer of a broadcasting kernel over result \p y of \p node: the
/// result's dims in memory order (the node's layout), dims of 1 dropped, and
/// for each operand, of the shape in \p operandShapes (numpy-broadcast to
/// \p y), its element step along each of them, 0 where it broadcasts.
struct BroadcastLoop {
  std::vector<int64_t> dims;
  std::vector<std::vector<int64_t>> steps;
};
BroadcastLoop broadcastLoop(CEmitContext &ctx, const Node &node, const Value &y,
                            llvm::ArrayRef<Shape> operandShapes);

/// Emits y = \p elementFunction(a, b), a kernels/ function of two elements
/// of dtype \p type ("tp_add_f32"), over numpy-broadcast operands \p a and
/// \p b into \p y: a call of the binary.c loop made for it
/// (tp_binary_add_f32, or tp_binary_same_add_f32 when nothing broadcasts).
/// y may share bytes with an operand of its own shape: each element is read
/// before it is written. \p bShape, when given, is the shape b broadcasts
/// as (its elements in order), instead of its own (PRelu's legacy slope).
/// \p loopFamily names the loops: "binary" (kernels/binary.c, y of type
/// \p type) or "compare" (kernels/compare.c, y bool: tp_compare_less_f32).
absl::Status emitBroadcastBinary(CEmitContext &ctx, const Node &node,
                                 llvm::StringRef elementFunction, DType type, const Value &a,
                                 const Value &b, const Value &y,
                                 const Shape *bShape = nullptr,
                                 llvm::StringRef loopFamily = "binary");

/// One matrix product y[t] = act(alpha * A[t] x B[t] + beta * C) per batch
/// t, A and B addressed through strides (which express transposes and
/// broadcast batches), C optional and broadcast through its strides.
struct MatrixProductC {
  int64_t m = 1, n = 1, k = 1;
  /// Element strides: A(i, k) = a[i * aRow + k * aCol], B(k, j) = b[k * bRow + j * bCol].
  int64_t aRow = 0, aCol = 0, bRow = 0, bCol = 0;
  /// Element offsets of A and B for each batch (result batches are dense).
  std::vector<int64_t> aBatch = {0}, bBatch = {0};
  const Value *c = nullptr;
  int64_t cRow = 0, cCol = 0;
  double alpha = 1, beta = 1;
};

/// Emits \p product for \p node (its fused activation applied), reading
/// \p a and \p b and writing \p y. Float types only.
absl::Status emitMatrixProduct(CEmitContext &ctx, const Node &node, const Value &a,
                               const Value &b, const Value &y,
                               const MatrixProductC &product);

/// The "unsupported" error for a variant of an op the C kernels do not cover.
absl::Status unsupportedKernel(const Node &node, llvm::StringRef what);

/// OK for f32 and f64, the types of the kernels written for float only;
/// otherwise unsupportedKernel naming \p type.
absl::Status requireF32OrF64Kernel(const Node &node, DType type);

} // namespace tinyplan

#endif
