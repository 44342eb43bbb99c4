//===- Pad.cpp - ONNX Pad: constant, edge and reflect modes ---------------===//
//
// Pads (or, with negative amounts, crops) each axis. The amounts moved from
// attributes to inputs over the opsets:
//   opset 1      attribute `paddings`, attribute `value`
//   opset 2-10   attribute `pads`, attribute `value`
//   opset 11+    input `pads`, optional input `constant_value`
//   opset 18+    optional input `axes` selecting which axes `pads` covers
// `pads` is [x1_begin, x2_begin, ..., x1_end, x2_end, ...]. Static shapes
// need the amounts at compile time, so a `pads` input must be constant.
//
// Along one axis, output index o reads input index o - begin. Cropping
// leaves the run [lo, lo + n) of the input; outside it `constant` gives the
// value, `edge` the nearest kept element and `reflect` mirrors about the
// end elements without repeating them (numpy's "reflect", repeated for pads
// longer than the run) and opset 19's `wrap` repeats the run (numpy's
// "wrap").
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"
#include "tinyplan/Support/Checked.h"

#include "llvm/ADT/SmallBitVector.h"

namespace tinyplan {

PadAxis padAxis(const PadSpec &spec, size_t axis, int64_t dim) {
  int64_t first = std::max<int64_t>(0, -spec.begin[axis]);
  int64_t count = std::max<int64_t>(0, dim - first - std::max<int64_t>(0, -spec.end[axis]));
  return {spec.begin[axis] + first, first, count};
}

namespace {

/// Kept element read for relative index \p j in \p mode, or -1 for the
/// constant. The C kernel tp_pad_source (kernels/pad.c)
/// computes the same.
int64_t padSource(int64_t j, int64_t count, PadMode mode) {
  if (j >= 0 && j < count)
    return j;
  if (mode == PadMode::Constant)
    return -1;
  if (mode == PadMode::Wrap) {
    j %= count;
    return j < 0 ? j + count : j;
  }
  if (mode == PadMode::Edge || count == 1)
    return j < 0 ? 0 : count - 1;
  int64_t period = 2 * (count - 1);
  j %= period;
  if (j < 0)
    j += period;
  return j < count ? j : period - j;
}

} // namespace

absl::StatusOr<PadSpec> resolvePads(const Node &node, int64_t opset) {
  const TensorType &data = node.operand(0)->type();
  PadSpec spec;
  TP_ASSIGN_OR_RETURN(std::string mode, node.getString("mode", "constant"));
  if (mode == "edge")
    spec.mode = PadMode::Edge;
  else if (mode == "reflect")
    spec.mode = PadMode::Reflect;
  else if (mode == "wrap" && opset >= 19)
    spec.mode = PadMode::Wrap;
  else if (mode != "constant")
    return modelError("mode '", mode, "' is not supported (only 'constant', 'edge', ",
                      "'reflect' and, from opset 19, 'wrap')");

  std::vector<int64_t> pads;
  std::vector<int64_t> axes;
  if (opset < 11) {
    if (node.numOperands() > 1)
      return modelError("takes 1 input before opset 11, got ", node.numOperands());
    llvm::StringRef padsName = opset < 2 ? "paddings" : "pads";
    if (!node.hasAttr(padsName))
      return modelError("attribute '", padsName.str(), "' is required");
    TP_ASSIGN_OR_RETURN(pads, node.getInts(padsName));
    TP_RETURN_IF_ERROR(node.getFloat("value", 0.0f).status());
  } else {
    if (!node.operand(1))
      return modelError("input 'pads' is required from opset 11");
    if (node.operand(1)->type().dtype != DType::I64)
      return modelError("pads must be i64, got ", node.operand(1)->type().str());
    TP_ASSIGN_OR_RETURN(pads, constantIntsOperand(node, 1, "pads"));
    if (const Value *value = node.operand(2)) {
      if (value->type().dtype != data.dtype)
        return modelError("constant_value has type ", dtypeName(value->type().dtype).str(),
                          ", data has ", dtypeName(data.dtype).str());
      // ONNX says scalar; exporters also write a one-element 1-D tensor.
      if (value->type().rank() > 1 || value->type().numElements() != 1)
        return modelError("constant_value must be a scalar, got ", value->type().str());
    }
    if (node.operand(3)) {
      if (opset < 18)
        return modelError("input 'axes' requires opset 18, the model uses opset ", opset);
      TP_ASSIGN_OR_RETURN(axes, constantIntsOperand(node, 3, "axes"));
    }
  }

  // Without `axes`, pads covers every axis in order.
  if (!node.operand(3)) {
    for (int64_t axis = 0; axis < data.rank(); ++axis)
      axes.push_back(axis);
  }
  llvm::SmallBitVector seen(data.rank());
  for (int64_t &axis : axes) {
    TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, data.rank()));
    if (seen.test(axis))
      return modelError("axis ", axis, " appears twice in axes");
    seen.set(axis);
  }
  if (pads.size() != 2 * axes.size())
    return modelError("pads has ", pads.size(), " values, expected ", 2 * axes.size(),
                      " (a begin and an end for each of ", axes.size(), " axes)");
  spec.begin.assign(size_t(data.rank()), 0);
  spec.end.assign(size_t(data.rank()), 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    spec.begin[size_t(axes[i])] = pads[i];
    spec.end[size_t(axes[i])] = pads[i + axes.size()];
  }
  return spec;
}

absl::StatusOr<Tensor> padValue(const Node &node, int64_t opset,
                                llvm::ArrayRef<const Tensor *> operands) {
  DType dtype = node.operand(0)->type().dtype;
  TensorType scalar(dtype, {});
  if (opset >= 11 && operands.size() > 2 && operands[2]) {
    const Tensor &value = *operands[2];
    int64_t size = dtypeSize(dtype);
    return Tensor::splat(scalar, value.rawBytes().take_front(size_t(size)));
  }
  double value = 0;
  if (opset < 11) {
    TP_ASSIGN_OR_RETURN(float attr, node.getFloat("value", 0.0f));
    value = attr;
  }
  std::vector<uint8_t> bytes(size_t(dtypeSize(dtype)));
  storeDoubleElement(dtype, bytes.data(), value);
  return Tensor::splat(scalar, bytes);
}

namespace {

class PadOp final : public OpDef {
public:
  PadOp() : OpDef("Pad", 1, 4) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    const TensorType &data = node.operand(0)->type();
    TP_ASSIGN_OR_RETURN(PadSpec spec, resolvePads(node, opset));
    Shape outShape = data.shape;
    for (size_t axis = 0; axis < spec.begin.size(); ++axis) {
      int64_t begin = spec.begin[axis], end = spec.end[axis];
      // Pads are untrusted: keep the sum from overflowing.
      std::optional<int64_t> dim = checkedAdd(data.shape[axis], begin);
      if (dim)
        dim = checkedAdd(*dim, end);
      if (!dim)
        return modelError("pads [", begin, ", ", end, "] make axis ", axis, " too large");
      if (*dim < 0)
        return modelError("pads [", begin, ", ", end, "] make axis ", axis, " (size ",
                          data.shape[axis], ") negative");
      if (spec.mode != PadMode::Constant && *dim > 0 &&
          padAxis(spec, axis, data.shape[axis]).count == 0)
        return modelError("mode '",
                          spec.mode == PadMode::Edge      ? "edge"
                          : spec.mode == PadMode::Reflect ? "reflect"
                                                          : "wrap",
                          "' needs an input element to repeat along axis ", axis,
                          ", which pads [", begin, ", ", end, "] leave empty");
      outShape[axis] = *dim;
    }
    TP_RETURN_IF_ERROR(checkedNumElements(outShape, data.dtype).status());
    return TypeList{TensorType(data.dtype, outShape)};
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  /// Constant padding of the rows and columns of a 4-D tensor: a patch pads
  /// only where its window meets the tensor's edge.
  std::optional<PatchWindow> patchWindow(const Node &node, int64_t opset) const override {
    absl::StatusOr<PadSpec> spec = resolvePads(node, opset);
    if (!spec.ok() || spec->mode != PadMode::Constant || spec->begin.size() != 4 ||
        node.operand(3))
      return std::nullopt;
    for (size_t axis = 0; axis < 4; ++axis)
      if (spec->begin[axis] < 0 || spec->end[axis] < 0 ||
          (axis < 2 && (spec->begin[axis] || spec->end[axis])))
        return std::nullopt;
    PatchWindow window;
    window.spatialOperands = {0};
    window.hasPads = true;
    window.padsBegin = {spec->begin[2], spec->begin[3]};
    window.padsEnd = {spec->end[2], spec->end[3]};
    return window;
  }

  void setPatchPads(Graph &graph, Node &patch, std::array<int64_t, 2> begin,
                    std::array<int64_t, 2> end) const override {
    std::vector<int64_t> pads = {0, 0, begin[0], begin[1], 0, 0, end[0], end[1]};
    if (graph.opsetVersion() < 11) {
      patch.setAttr(patch.hasAttr("paddings") ? "paddings" : "pads", pads);
      return;
    }
    patch.setOperand(1, graph.addConstant(patch.name() + "/pads", Tensor::fromInt64s(pads)));
  }

  /// Constant padding on the integers, padded with the zero point: the
  /// float 0 that DequantizeLinear -> Pad -> QuantizeLinear pads with is
  /// the zero point once quantized, and every other element is moved.
  std::optional<QdqFusion> qdqFusion(const Node &node, int64_t opset) const override {
    absl::StatusOr<PadSpec> spec = resolvePads(node, opset);
    if (opset < 11 || !spec.ok() || spec->mode != PadMode::Constant)
      return std::nullopt;
    QdqFusion fusion(QdqFusion::Kind::Move);
    fusion.zeroPointOperand = 2;
    return fusion;
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node, llvm::ArrayRef<const Tensor *> operands,
                                  int64_t opset) const override {
    TP_ASSIGN_OR_RETURN(PadSpec spec, resolvePads(node, opset));
    const Tensor &data = *operands[0];
    const TensorType &type = node.result(0)->type();
    TP_ASSIGN_OR_RETURN(Tensor value, padValue(node, opset, operands));
    llvm::ArrayRef<uint8_t> valueBytes = value.rawBytes();
    if (data.isSplat() && (spec.mode != PadMode::Constant || data.rawBytes() == valueBytes))
      return TensorList{Tensor::splat(type, data.rawBytes())};
    size_t rank = type.shape.size();
    std::vector<PadAxis> axes;
    for (size_t d = 0; d < rank; ++d)
      axes.push_back(padAxis(spec, d, data.shape()[d]));
    Shape inStrides = rowMajorStrides(data.shape());
    int64_t size = dtypeSize(type.dtype);
    const uint8_t *in = data.rawBytes().data();
    Tensor result = buildTensor(type, [&](int64_t i, uint8_t *out) {
      int64_t source = 0;
      for (size_t d = rank; d-- > 0;) {
        int64_t s = padSource(i % type.shape[d] - axes[d].offset, axes[d].count, spec.mode);
        i /= type.shape[d];
        if (s < 0) {
          std::memcpy(out, valueBytes.data(), size_t(size));
          return;
        }
        source += (axes[d].first + s) * inStrides[d];
      }
      std::memcpy(out, in + (data.isSplat() ? 0 : source * size), size_t(size));
    });
    return TensorList{std::move(result)};
  }

  /// Pads of zero change nothing.
  bool isView(const Node &node, unsigned) const override { return padsNothing(node); }
  bool isIdentity(const Node &node) const override { return padsNothing(node); }

private:
  static bool padsNothing(const Node &node) {
    // Amounts are attributes before opset 11 and inputs since; the operand
    // count says which form the node has.
    int64_t form = node.numOperands() > 1 ? 11 : node.hasAttr("paddings") ? 1 : 2;
    absl::StatusOr<PadSpec> spec = resolvePads(node, form);
    if (!spec.ok() || node.result(0)->type() != node.operand(0)->type())
      return false;
    for (size_t d = 0; d < spec->begin.size(); ++d)
      if (spec->begin[d] != 0 || spec->end[d] != 0)
        return false;
    return true;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<PadOp>()); }

} // namespace tinyplan
