//===- Passes.h - The passes tinyplan runs before planning ------*- C++ -*-===//
//
// Each pass is created by a function here; the default pipeline is the
// order the driver runs them in. Passes match ops through OpDef properties
// (canFold, isIdentity, channelAffine, fusableActivation, ...), never by
// op-type name, so a new op opts in from its own file.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_TRANSFORMS_PASSES_H
#define TINYPLAN_TRANSFORMS_PASSES_H

#include "tinyplan/Transforms/Pass.h"
#include "absl/status/statusor.h"

namespace tinyplan {

/// fuse-qdq: rewrites DequantizeLinear -> op -> QuantizeLinear groups into
/// integer ops (QLinearConv, QLinearMatMul, the com.microsoft QLinear ops,
/// or the op itself on the integers for ops that only move elements) under
/// ONNX Runtime's conditions, and drops a Relu or Clip a QuantizeLinear
/// makes redundant. A group whose integer op tinyplan cannot compute stays
/// in float, its op marked with attribute qdq_unfused (the reason).
std::unique_ptr<Pass> createFuseQdqPass();

/// fold-constants: evaluates every node whose operands are all constants
/// (or, like Shape, that folds from static types alone) and whose op can
/// fold, replacing its results by constants of the same names.
std::unique_ptr<Pass> createFoldConstantsPass();

/// remove-identity: drops Identity and inference Dropout, rewiring uses to
/// their input. A graph output keeps its name: the input is renamed when it
/// is a node result used nowhere else as an output; otherwise (a graph
/// input, or a value that is an output already) the node stays as a copy.
std::unique_ptr<Pass> createRemoveIdentityPass();

/// remove-dead-nodes: drops nodes none of whose results is used by another
/// node or is a graph output, and the constants only they used.
std::unique_ptr<Pass> createRemoveDeadNodesPass();

/// fold-batchnorm: folds a BatchNormalization (any op with a constant
/// channelAffine) into the Conv or Gemm before it, or into a MatMul + Add
/// pair, when the BatchNormalization is the only use of that result. New
/// weights and bias are computed in double and rounded once to the
/// element type; a missing bias is created.
std::unique_ptr<Pass> createFoldBatchNormPass();

/// fuse-activations: records a Relu, Clip with constant bounds, Tanh,
/// Sigmoid, LeakyRelu, HardSigmoid or HardSwish on the Conv, Gemm or MatMul
/// that produces its operand (fused_activation and fused_* attributes) when
/// that result has no other use. The fused node takes over the
/// activation's result name.
std::unique_ptr<Pass> createFuseActivationsPass();

/// Every pass's name, in default pipeline order.
std::vector<std::string> allPassNames();

/// The pass called \p name, or an InvalidArgument error listing the names.
absl::StatusOr<std::unique_ptr<Pass>> createPassByName(llvm::StringRef name);

/// fuse-qdq, fold-constants, remove-identity, remove-dead-nodes,
/// fold-batchnorm, fuse-activations.
PassPipeline buildDefaultPipeline();

/// A pipeline from a comma-separated list of pass names ("" is empty).
absl::StatusOr<PassPipeline> buildPipeline(llvm::StringRef commaSeparatedNames);

} // namespace tinyplan

#endif
