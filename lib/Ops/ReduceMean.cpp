//===- ReduceMean.cpp - ONNX ReduceMean -----------------------------------===//
//
// Mean over a set of axes, kept as size-1 dims (keepdims = 1, the default)
// or dropped. The axes are an attribute before opset 18 and an optional
// constant input from 18 on. No axes means every axis, unless opset 18's
// noop_with_empty_axes asks for the input unchanged.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/CEmit.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_replace.h"
#include "llvm/ADT/SmallBitVector.h"

namespace tinyplan {

absl::StatusOr<llvm::SmallBitVector> reducedAxes(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  std::vector<int64_t> axes;
  bool noopWithEmptyAxes = false;
  if (opset < 18) {
    if (node.numOperands() > 1)
      return modelError("takes 1 input before opset 18, got ", node.numOperands());
    TP_ASSIGN_OR_RETURN(axes, node.getInts("axes"));
  } else {
    if (node.hasAttr("axes"))
      return modelError("attribute 'axes' became an input in opset 18");
    if (node.operand(1)) {
      if (node.operand(1)->type().dtype != DType::I64)
        return modelError("axes must be i64, got ", node.operand(1)->type().str());
      TP_ASSIGN_OR_RETURN(axes, constantIntsOperand(node, 1, "axes"));
    }
    TP_ASSIGN_OR_RETURN(int64_t noop, node.getInt("noop_with_empty_axes", 0));
    noopWithEmptyAxes = noop != 0;
  }

  llvm::SmallBitVector reduced(data.rank());
  if (axes.empty()) {
    if (!noopWithEmptyAxes)
      reduced.set();
    return reduced;
  }
  for (int64_t axis : axes) {
    TP_ASSIGN_OR_RETURN(int64_t normalized, normalizeAxis(axis, data.rank()));
    if (reduced.test(normalized))
      return modelError("axis ", normalized, " appears twice in axes");
    reduced.set(normalized);
  }
  return reduced;
}

namespace {

/// For each output element in order, sums the reduced elements into a
/// local (the innermost reduced dim as the inner loop) and divides by
/// their count. Kept and reduced dims each walk the input through their
/// strides.
constexpr const char *kReduceMeanKernel = R"(static void $NAME(const $T *x, $T *y, int32_t outRank,
    const int32_t *od, const int32_t *os, int32_t redRank, const int32_t *rd,
    const int32_t *rs, int32_t count) {
  int32_t oi[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ri[8];
  const int32_t inner = rd[redRank - 1], step = rs[redRank - 1];
  int32_t outs = 1, i, d, k, xo = 0;
  for (d = 0; d < outRank; ++d)
    outs *= od[d];
  for (i = 0; i < outs; ++i) {
    $ACC acc = 0;
    int32_t xi = xo;
    for (d = 0; d < redRank; ++d)
      ri[d] = 0;
    for (;;) {
      const $T *xr = x + xi;
      for (k = 0; k < inner; ++k)
        acc += $LOAD(xr[k * step]);
      for (d = redRank - 2; d >= 0; --d) {
        xi += rs[d];
        if (++ri[d] < rd[d])
          break;
        xi -= rs[d] * rd[d];
        ri[d] = 0;
      }
      if (d < 0)
        break;
    }
    y[i] = $STORE;
    for (d = outRank - 1; d >= 0; --d) {
      xo += os[d];
      if (++oi[d] < od[d])
        break;
      xo -= os[d] * od[d];
      oi[d] = 0;
    }
  }
}
)";

class ReduceMeanOp final : public OpDef {
public:
  ReduceMeanOp() : OpDef("ReduceMean", 1, 2) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    const TensorType &data = node.operand(0)->type();
    if (!isFloat(data.dtype) && !isInteger(data.dtype))
      return modelError("data must be numeric, got ", data.str());
    TP_ASSIGN_OR_RETURN(int64_t keepDims, node.getInt("keepdims", 1));
    TP_ASSIGN_OR_RETURN(llvm::SmallBitVector reduced, reducedAxes(node, opset));
    if (reduced.none())
      return TypeList{data};
    Shape outShape;
    for (int64_t axis = 0; axis < data.rank(); ++axis) {
      if (!reduced.test(axis))
        outShape.push_back(data.shape[axis]);
      else if (keepDims)
        outShape.push_back(1);
    }
    return TypeList{TensorType(data.dtype, outShape)};
  }

  /// Floats sum in their own type (f16 and bf16 in float); integers sum in
  /// 64 bits and divide truncating toward zero, as ONNX Runtime does.
  absl::Status emitC(const Node &node, CEmitContext &ctx) const override {
    const Value &input = *node.operand(0), &result = *node.result(0);
    const TensorType &data = input.type();
    TP_ASSIGN_OR_RETURN(llvm::SmallBitVector reduced, reducedAxes(node, ctx.opset()));
    if (result.type().numElements() == data.numElements()) {
      emitCopy(ctx, result, input);
      return absl::OkStatus();
    }
    // Kept and reduced dims apart, in order; dims of 1 dropped and a dim
    // merged into the one before it of the same kind when contiguous.
    Shape strides = rowMajorStrides(data.shape);
    std::vector<int64_t> dims[2], steps[2];
    int64_t count = 1;
    for (int64_t d = 0; d < data.rank(); ++d) {
      bool isReduced = reduced.test(d);
      if (isReduced)
        count *= data.shape[d];
      if (data.shape[d] == 1)
        continue;
      std::vector<int64_t> &ds = dims[isReduced], &ss = steps[isReduced];
      if (!ds.empty() && ss.back() == strides[d] * data.shape[d]) {
        ds.back() *= data.shape[d];
        ss.back() = strides[d];
      } else {
        ds.push_back(data.shape[d]);
        ss.push_back(strides[d]);
      }
    }
    for (int k = 0; k < 2; ++k)
      if (dims[k].empty()) {
        dims[k].push_back(1);
        steps[k].push_back(0);
      }
    if (dims[0].size() > 8 || dims[1].size() > 8)
      return unsupportedKernel(node, "more than 8 non-contiguous kept or reduced dims");
    DType type = data.dtype;
    std::string storage = cStorageType(type).str(), acc, load = "", store;
    if (type == DType::F16 || type == DType::BF16) {
      acc = "float";
      load = requireNarrowToFloatC(ctx, type);
      store = absl::StrCat(requireToNarrowFloatC(ctx, DType::F32, type), "(acc / (float)count)");
    } else if (isFloat(type)) {
      acc = storage;
      store = absl::StrCat("acc / (", storage, ")count");
    } else {
      bool isSigned = type == DType::I8 || type == DType::I16 || type == DType::I32 ||
                      type == DType::I64;
      acc = isSigned ? "int64_t" : "uint64_t";
      store = absl::StrCat("(", storage, ")(count != 0 ? acc / (", acc, ")count : 0)");
    }
    std::string name = absl::StrCat("tp_reducemean_", cTypeSuffix(type));
    ctx.requireKernel(name, absl::StrReplaceAll(kReduceMeanKernel, {{"$NAME", name},
                                                                   {"$T", storage},
                                                                   {"$ACC", acc},
                                                                   {"$LOAD", load},
                                                                   {"$STORE", store}}));
    ctx.emit(absl::StrCat("{\n  static const int32_t od[] = {", cIntList(dims[0]),
                          "}, os[] = {", cIntList(steps[0]), "};\n  static const int32_t rd[] = {",
                          cIntList(dims[1]), "}, rs[] = {", cIntList(steps[1]), "};\n  ", name,
                          "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ",
                          dims[0].size(), ", od, os, ", dims[1].size(), ", rd, rs, ", count,
                          ");\n}"));
    return absl::OkStatus();
  }

  /// Without reduced elements (noop_with_empty_axes, or only dims of 1
  /// reduced), every element is its own mean: the bytes stay as they are.
  bool isView(const Node &node, unsigned) const override {
    return node.result(0)->type().numElements() == node.operand(0)->type().numElements();
  }
  bool isIdentity(const Node &node) const override {
    return node.result(0)->type() == node.operand(0)->type();
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<ReduceMeanOp>());
}

} // namespace tinyplan
