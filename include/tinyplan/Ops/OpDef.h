//===- OpDef.h - What tinyplan knows about one ONNX operator ----*- C++ -*-===//
//
// The ONNX semantics of each op live behind this interface, one file per op
// or op family under lib/Ops: arity, attributes with their ONNX defaults,
// type and shape inference, constant folding (for shape subgraphs), cost, and
// how the op's results may share memory with its operands (views, in-place
// reuse, concat slices, scratch), which the memory planner reads and the C
// kernels must honour. The C itself is lib/CodeGen's (KernelRegistry.h). No
// other code compares op-type strings. A file registers its ops with
// TINYPLAN_REGISTER_OPS; lib/Ops is linked whole, so every registration is
// linked in.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_OPS_OPDEF_H
#define TINYPLAN_OPS_OPDEF_H

#include "tinyplan/IR/Graph.h"
#include "tinyplan/Support/Status.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinyplan {

/// Static cost of one node.
struct OpCost {
  /// Elements of the learned parameters (weights, biases, scales) it reads.
  int64_t params = 0;
  /// Multiply-accumulates per inference (0 for ops without a dot product).
  int64_t macs = 0;
};

/// An activation a Conv, Gemm or MatMul kernel applies to each output
/// element as it stores it, recorded on the node by the fusion pass.
struct FusedActivation {
  /// The activation's ONNX op type: "Relu", "Tanh", "Clip", ...
  std::string kind;
  /// Its parameters as the fused_* attributes carry them (fused_alpha,
  /// fused_beta, fused_min, fused_max), only those that apply, sorted.
  std::vector<std::pair<std::string, float>> params;
};

/// A per-channel affine map y = scale[c] * x + shift[c] over axis 1 with
/// constant coefficients, computed in double (inference BatchNormalization).
struct ChannelAffine {
  std::vector<double> scale;
  std::vector<double> shift;
};

/// Where the output channels of a linear op (Conv, Gemm, MatMul) sit in its
/// constant operands, so that a ChannelAffine after it can be folded into
/// its weights and bias.
struct ChannelLinearity {
  /// The weight operand, and its axis indexed by output channel.
  unsigned weightOperand = 1;
  int64_t weightAxis = 0;
  /// The operand holding a per-channel bias (created when omitted);
  /// nullopt for an op without one (MatMul: the bias is a following Add).
  std::optional<unsigned> biasOperand;
  /// Whether the bias broadcasts numpy-style onto the result, channels on
  /// its last axis (Gemm's C), rather than being exactly [channels] (Conv).
  bool biasBroadcasts = false;
};

/// The part an op plays in the QDQ format: QuantizeLinear (float to
/// integers) and DequantizeLinear (integers to float) delimit the groups
/// the fuse-qdq pass rewrites.
enum class QdqRole { None, Quantize, Dequantize };

/// How a DequantizeLinear -> op -> QuantizeLinear group around a node runs
/// on the integers, the way ONNX Runtime's QDQ transformer rewrites it.
struct QdqFusion {
  enum class Kind {
    /// The op moves or selects elements (Reshape, Transpose, MaxPool...):
    /// with equal quantization on both sides it runs on the integers as is.
    Move,
    /// opType(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B?): the
    /// int32 bias B, when present, from a DequantizeLinear of int32 or a
    /// float constant quantized with scale x_scale * w_scale.
    Conv,
    /// opType(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp).
    MatMul,
    /// opType(x, x_scale, x_zp, y_scale, y_zp), the attributes kept.
    Unary,
    /// opType(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp).
    Binary,
    /// opType(y_scale, y_zp, x0, x0_scale, x0_zp, x1, ...): every operand
    /// dequantized (Concat).
    Variadic,
    /// opType(a, a_scale, a_zp, b, b_scale, b_zp, C?, y_scale, y_zp), the
    /// int32 bias C as for Conv; without a QuantizeLinear after it, the
    /// float result without y_scale and y_zp (com.microsoft QGemm).
    Gemm,
  };
  explicit QdqFusion(Kind kind, std::string opType = "", std::string domain = "")
      : kind(kind), opType(std::move(opType)), domain(std::move(domain)) {}

  Kind kind;
  /// The integer op replacing the group (not Move).
  std::string opType, domain;
  /// Move: a negative scale would reorder the elements (MaxPool), so the
  /// scale must be positive.
  bool needsPositiveScale = false;
  /// Conv, Gemm: the axis of the weight that indexes output channels,
  /// along which a per-axis weight scale must run.
  int64_t weightChannelAxis = 0;
  /// Attributes of the target the integer op does not take, and ones it
  /// takes in addition.
  std::vector<std::string> droppedAttributes;
  std::vector<std::pair<std::string, Attribute>> extraAttributes;
  /// Move: an operand holding a float 0 (or absent) that the integer op
  /// needs as the group's zero point, which Q(0.0) is (Pad's
  /// constant_value); a group where it is not 0 stays float.
  std::optional<unsigned> zeroPointOperand;
};

/// How the rows and columns of a node's 4-D result depend on those of its
/// operands, for patch-based execution (lib/Transforms/Patches.cpp): output
/// row o reads the rows o * stride - padsBegin + k * dilation (k < kernel)
/// of every spatial operand, the same along columns. A patch of the node
/// is the same node on a window of those operands, with `pads` (when
/// hasPads) cut to the padding that window still touches, so that each
/// output element is computed with the same arithmetic as before.
struct PatchWindow {
  /// Operands read through the window, of the result's rank. The others
  /// are constants that do not vary along rows or columns (weights, a
  /// per-channel bias or scale), read whole by every patch.
  llvm::SmallVector<unsigned, 2> spatialOperands;
  /// Rows, then columns.
  std::array<int64_t, 2> kernel = {1, 1}, strides = {1, 1}, dilations = {1, 1};
  std::array<int64_t, 2> padsBegin = {0, 0}, padsEnd = {0, 0};
  /// Whether the window's padding is the node's `pads` attribute (which a
  /// patch rewrites) rather than none.
  bool hasPads = false;
};

using TypeList = llvm::SmallVector<TensorType, 1>;
using TensorList = llvm::SmallVector<Tensor, 1>;

class OpDef {
public:
  /// \p minOperands..maxOperands inputs (trailing ones optional),
  /// \p minResults..maxResults outputs.
  OpDef(std::string opType, unsigned minOperands, unsigned maxOperands,
        unsigned minResults = 1, unsigned maxResults = 1,
        std::string domain = "")
      : opType_(std::move(opType)), domain_(std::move(domain)),
        minOperands_(minOperands), maxOperands_(maxOperands),
        minResults_(minResults), maxResults_(maxResults) {}
  virtual ~OpDef() = default;

  llvm::StringRef opType() const { return opType_; }
  llvm::StringRef domain() const { return domain_; }
  unsigned minOperands() const { return minOperands_; }
  unsigned maxOperands() const { return maxOperands_; }
  unsigned minResults() const { return minResults_; }
  unsigned maxResults() const { return maxResults_; }

  /// Result types of \p node (one per result) from its operand types,
  /// constant operands and attributes, for the model's \p opset. Arity and
  /// operand presence are already checked. Errors say what is wrong without
  /// naming the node (the caller prefixes that).
  virtual absl::StatusOr<TypeList> inferTypes(const Node &node,
                                              int64_t opset) const = 0;

  /// Whether fold() can compute this op when all operands are constant.
  virtual bool canFold() const { return false; }
  /// Whether shape inference at import may already fold it (the
  /// fold-constants pass folds it either way). DequantizeLinear waits:
  /// fuse-qdq must see it first.
  virtual bool foldsDuringInference() const { return true; }
  /// Whether folding needs every operand to be constant. Shape folds from
  /// the operand's static type alone and overrides this to return false.
  virtual bool foldNeedsConstantOperands() const { return true; }
  /// The result values of \p node given constant \p operands (null for an
  /// omitted optional operand) and the already inferred result types.
  virtual absl::StatusOr<TensorList> fold(const Node &node,
                                          llvm::ArrayRef<const Tensor *> operands,
                                          int64_t opset) const;

  /// Parameters and MACs. The default counts the elements of non-int64
  /// constant operands as parameters and no MACs.
  virtual OpCost cost(const Node &node) const;

  // Memory behaviour. Each is a permission, never an obligation: the planner
  // (Analysis/Liveness) decides whether the conditions around the node allow
  // it, and a kernel must work both ways.

  /// Whether result \p result of \p node is operand 0's bytes re-labelled
  /// (same size, no copy): Reshape, Flatten, Identity, ...
  virtual bool isView(const Node &node, unsigned result) const;

  /// Operands (indices, in order of preference) whose bytes result
  /// \p result may overwrite when that operand dies at this node. The kernel
  /// must then work with the output pointer equal to that operand's pointer:
  /// it reads each element at index i before writing the element at index i.
  virtual llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &node,
                                                         unsigned result) const;

  /// For an op whose result 0 is its operands laid end to end (Concat on an
  /// axis with only 1s before it): the byte offset of each operand inside
  /// result 0, so producers can write straight into it. nullopt otherwise.
  virtual std::optional<llvm::SmallVector<int64_t, 4>>
  operandSlices(const Node &node) const;

  /// Bytes of working memory the kernel needs while \p node runs (an im2col
  /// or accumulator buffer); live only during its step. 0 by default.
  virtual int64_t scratchBytes(const Node &node) const;

  // Rewrites. The passes in lib/Transforms match ops through these, never
  // through op-type names.

  /// Whether result 0 of \p node is operand 0's value (Identity, inference
  /// Dropout), so uses of it may use operand 0 instead. Any other result
  /// must be unused for the node to be removed.
  virtual bool isIdentity(const Node &node) const;

  /// The activation \p node computes, when a producing kernel can apply it
  /// instead (its parameters are constants); nullopt otherwise.
  virtual std::optional<FusedActivation> fusableActivation(const Node &node) const;

  /// Whether \p node's kernel applies a FusedActivation recorded in its
  /// fused_* attributes (see OpUtils.h).
  virtual bool acceptsFusedActivation(const Node &node) const;

  /// The per-channel affine map \p node computes from operand 0, when its
  /// coefficients are constants; nullopt otherwise.
  virtual std::optional<ChannelAffine> channelAffine(const Node &node) const;

  /// Where \p node's output channels sit in its constant weight and bias;
  /// nullopt when a channel affine map cannot be folded into it.
  virtual std::optional<ChannelLinearity> channelLinearity(const Node &node) const;

  /// The operand of \p node that is a constant added to the other one, the
  /// result having that other operand's type (Add of a bias); else nullopt.
  virtual std::optional<unsigned> biasAddOperand(const Node &node) const;

  /// How a patch of \p node reads its operands' rows and columns, when a
  /// 4-D \p node can run on a spatial window of them with the same
  /// arithmetic per output element; nullopt otherwise (the default).
  virtual std::optional<PatchWindow> patchWindow(const Node &node, int64_t opset) const;

  /// Gives \p patch, a copy of a node whose PatchWindow hasPads, the padding
  /// of its window: \p begin and \p end rows, then columns. The default
  /// writes the `pads` attribute of convolutions and pools ([top, left,
  /// bottom, right], auto_pad NOTSET); an op that keeps its pads elsewhere
  /// (Pad's constant operand) overrides it, adding constants to \p graph.
  virtual void setPatchPads(Graph &graph, Node &patch, std::array<int64_t, 2> begin,
                            std::array<int64_t, 2> end) const;

  /// Whether this op is QuantizeLinear or DequantizeLinear.
  virtual QdqRole qdqRole() const { return QdqRole::None; }

  /// How a QDQ group around \p node becomes integer code, for the model's
  /// \p opset; nullopt when the op stays a float op between a
  /// DequantizeLinear and a QuantizeLinear.
  virtual std::optional<QdqFusion> qdqFusion(const Node &node, int64_t opset) const;

private:
  std::string opType_;
  std::string domain_;
  unsigned minOperands_, maxOperands_, minResults_, maxResults_;
};

/// All known ops, keyed by (domain, op type).
class OpRegistry {
public:
  static OpRegistry &instance();
  /// The op, or null if tinyplan does not support it. "ai.onnx" == "".
  const OpDef *lookup(llvm::StringRef domain, llvm::StringRef opType) const;
  void add(std::unique_ptr<OpDef> op);
  /// Every registered op, sorted by domain then op type.
  std::vector<const OpDef *> all() const;

private:
  std::vector<std::unique_ptr<OpDef>> ops_;
};

/// Looks \p node's op up in the registry.
const OpDef *lookupOp(const Node &node);

/// \p domain with "ai.onnx" spelt "", the way op domains compare.
llvm::StringRef canonicalDomain(llvm::StringRef domain);

struct OpRegistration {
  explicit OpRegistration(const std::function<void(OpRegistry &)> &body) {
    body(OpRegistry::instance());
  }
};

} // namespace tinyplan

/// At namespace scope in an op file:
///   TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<X>()); }
#define TINYPLAN_REGISTER_OPS(registryName)                                    \
  static void TP_CONCAT_(tpRegisterOps_, __LINE__)(::tinyplan::OpRegistry &);  \
  static ::tinyplan::OpRegistration TP_CONCAT_(tpOpRegistration_, __LINE__)(   \
      TP_CONCAT_(tpRegisterOps_, __LINE__));                                   \
  static void TP_CONCAT_(tpRegisterOps_, __LINE__)(                            \
      ::tinyplan::OpRegistry & registryName)

#endif
