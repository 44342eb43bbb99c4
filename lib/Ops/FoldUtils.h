//===- FoldUtils.h - Building constant tensors while folding ----*- C++ -*-===//
//
// Private to lib/Ops. Folding shape subgraphs (and the odd constant weight
// expression) needs to write elements of any dtype, to move elements between
// tensors by index, and to walk numpy broadcasts. Tensor itself only reads;
// these helpers write. Element bytes are little-endian like Tensor's storage.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_OPS_FOLDUTILS_H
#define TINYPLAN_LIB_OPS_FOLDUTILS_H

#include "tinyplan/IR/Graph.h"
#include "tinyplan/Ops/OpUtils.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace tinyplan {

/// Stores integer \p value as one element of \p dtype at \p out. Integer
/// targets wrap (two's complement, like a C cast), bool is value != 0, float
/// targets round to nearest even.
void storeIntElement(DType dtype, uint8_t *out, int64_t value);
/// Stores \p value as one element of \p dtype. Float targets round to nearest
/// even; integer targets truncate toward zero, saturate to int64 (NaN is 0)
/// and then wrap; bool is value != 0.
void storeDoubleElement(DType dtype, uint8_t *out, double value);

/// IEEE half / bfloat16 bits nearest to \p value (round to nearest even).
uint16_t doubleToHalfBits(double value);
uint16_t doubleToBFloat16Bits(double value);

/// A dense tensor of \p type whose element i is written by fill(i, out).
Tensor buildTensor(const TensorType &type,
                   llvm::function_ref<void(int64_t, uint8_t *)> fill);

/// A tensor of \p type whose element i is element sourceIndex(i) of
/// \p source, copied bit for bit. A splat source gives a splat result.
Tensor gatherElements(const Tensor &source, const TensorType &type,
                      llvm::function_ref<int64_t(int64_t)> sourceIndex);

/// Calls visit(outIndex, inIndices) for every element of \p outShape, where
/// inIndices[k] is the flat index of the element of operand k (of shape
/// \p inShapes[k], broadcast numpy-style to outShape) that it reads.
void forEachBroadcast(
    llvm::ArrayRef<int64_t> outShape,
    llvm::ArrayRef<llvm::ArrayRef<int64_t>> inShapes,
    llvm::function_ref<void(int64_t, llvm::ArrayRef<int64_t>)> visit);

/// Whether every tensor is a splat holding the same bytes.
bool allSameSplat(llvm::ArrayRef<const Tensor *> tensors);

/// Cost with the elements of the constant, non-int64 operands at
/// \p dataOperands counted as parameters: for ops whose other constant
/// operands (shapes, axes, bounds) are not learned.
OpCost dataOperandCost(const Node &node, llvm::ArrayRef<unsigned> dataOperands);

/// "[1, 2, 3]" for diagnostics.
std::string intListStr(llvm::ArrayRef<int64_t> values);

} // namespace tinyplan

#endif
