//===- Pool.cpp - ONNX AveragePool, MaxPool and the global pools ----------===//
//
// The pools differ only in which attributes each opset knows and in MaxPool's
// optional Indices output, so they are one class driven by a table. Window
// geometry (kernel, strides, pads, auto_pad, ceil_mode, dilations) is shared
// with Conv; a global pool is a window over the whole spatial extent.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace tinyplan {
namespace {

/// "Since opset" for an attribute or feature the op never had.
constexpr int64_t kNo = std::numeric_limits<int64_t>::max();

struct PoolKind {
  const char *opType;
  /// Reduces over all spatial dims; no window attributes at all.
  bool global;
  /// Takes the maximum; else the average.
  bool max;
  unsigned maxResults;
  int64_t ceilModeSince;
  int64_t dilationsSince;
  int64_t countIncludePadSince;
  int64_t storageOrderSince;
  /// MaxPool's optional second output: flat i64 indices of the maxima.
  int64_t indicesSince;
  /// Opset from which int8 / uint8 inputs are allowed (MaxPool 12).
  int64_t int8Since;
};

constexpr PoolKind kPoolKinds[] = {
    // opType           global max    res ceil dilat count store indices int8
    {"AveragePool",       false, false, 1, 10,  19,  7,    kNo,  kNo,    kNo},
    {"MaxPool",           false, true,  2, 10,  10,  kNo,  8,    8,      12},
    {"GlobalAveragePool", true,  false, 1, kNo, kNo, kNo,  kNo,  kNo,    kNo},
    {"GlobalMaxPool",     true,  true,  1, kNo, kNo, kNo,  kNo,  kNo,    kNo},
};

/// The row of \p node's op, or null for another op.
const PoolKind *findPoolKind(const Node &node) {
  for (const PoolKind &kind : kPoolKinds)
    if (node.opType() == kind.opType)
      return &kind;
  return nullptr;
}

/// With ceil_mode, ONNX (like PyTorch and onnxruntime) ignores a last window
/// that would start in the end padding: it would cover no input element.
/// computeWindowGeometry rounds up without this rule; the check is a no-op
/// when the geometry already follows it.
void dropWindowsStartingInPadding(llvm::ArrayRef<int64_t> inputSpatial,
                                  WindowGeometry &geometry) {
  for (size_t i = 0; i < inputSpatial.size(); ++i) {
    int64_t &out = geometry.outputSpatial[i];
    int64_t lastStart = (out - 1) * geometry.strides[i];
    if (out > 1 && lastStart >= inputSpatial[i] + geometry.padsBegin[i])
      --out;
  }
}

} // namespace

bool isMaxPool(const Node &node) {
  const PoolKind *kind = findPoolKind(node);
  return kind && kind->max;
}

bool isGlobalPool(const Node &node) {
  const PoolKind *kind = findPoolKind(node);
  return kind && kind->global;
}

absl::StatusOr<WindowGeometry> poolWindowGeometry(const Node &node, int64_t opset) {
  const PoolKind *kind = findPoolKind(node);
  assert(kind && !kind->global && "not a windowed pool");
  llvm::ArrayRef<int64_t> spatial =
      llvm::ArrayRef<int64_t>(node.operand(0)->type().shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> kernel, node.getInts("kernel_shape"));
  TP_ASSIGN_OR_RETURN(WindowGeometry geometry,
                      computeWindowGeometry(node, spatial, kernel,
                                            /*supportsCeilMode=*/opset >= kind->ceilModeSince,
                                            /*supportsDilations=*/opset >=
                                                kind->dilationsSince));
  TP_ASSIGN_OR_RETURN(int64_t ceilMode, node.getInt("ceil_mode", 0));
  if (ceilMode != 0 && opset >= kind->ceilModeSince)
    dropWindowsStartingInPadding(spatial, geometry);
  return geometry;
}

namespace {

/// Error if \p node sets attribute \p name although \p opset predates it.
absl::Status requireAttrOpset(const Node &node, llvm::StringRef name,
                              int64_t since, int64_t opset) {
  if (!node.hasAttr(name) || opset >= since)
    return absl::OkStatus();
  if (since == kNo)
    return modelError("attribute '", name.str(), "' is not supported");
  return modelError("attribute '", name.str(), "' requires opset ", since,
                    ", the model uses opset ", opset);
}

class PoolOp final : public OpDef {
public:
  explicit PoolOp(const PoolKind &kind)
      : OpDef(kind.opType, 1, 1, 1, kind.maxResults), kind_(kind) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    const TensorType &input = node.operand(0)->type();
    bool int8Allowed = opset >= kind_.int8Since &&
                       (input.dtype == DType::I8 || input.dtype == DType::U8);
    if (!int8Allowed)
      TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "X"));
    if (node.numResults() > 1 && opset < kind_.indicesSince)
      return modelError("the Indices output requires opset ",
                        kind_.indicesSince, ", the model uses opset ", opset);

    if (kind_.global)
      return inferGlobal(input);

    if (input.rank() < 3 || input.rank() > 5)
      return modelError("input must have rank 3, 4 or 5 (N, C and 1 to 3 "
                        "spatial dims), got ",
                        input.str());
    TP_RETURN_IF_ERROR(
        requireAttrOpset(node, "ceil_mode", kind_.ceilModeSince, opset));
    TP_RETURN_IF_ERROR(
        requireAttrOpset(node, "dilations", kind_.dilationsSince, opset));
    TP_RETURN_IF_ERROR(requireAttrOpset(node, "count_include_pad",
                                        kind_.countIncludePadSince, opset));
    TP_RETURN_IF_ERROR(requireAttrOpset(node, "storage_order",
                                        kind_.storageOrderSince, opset));
    TP_ASSIGN_OR_RETURN(int64_t countIncludePad,
                        node.getInt("count_include_pad", 0));
    if (countIncludePad != 0 && countIncludePad != 1)
      return modelError("count_include_pad must be 0 or 1, got ",
                        countIncludePad);
    TP_ASSIGN_OR_RETURN(int64_t storageOrder, node.getInt("storage_order", 0));
    if (storageOrder != 0 && storageOrder != 1)
      return modelError("storage_order must be 0 or 1, got ", storageOrder);

    if (!node.hasAttr("kernel_shape"))
      return modelError("attribute 'kernel_shape' is required");
    TP_ASSIGN_OR_RETURN(std::vector<int64_t> kernel,
                        node.getInts("kernel_shape"));
    llvm::ArrayRef<int64_t> spatial =
        llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
    if (kernel.size() != spatial.size())
      return modelError("kernel_shape has ", kernel.size(),
                        " values, input has ", spatial.size(),
                        " spatial dims");
    TP_ASSIGN_OR_RETURN(WindowGeometry geometry, poolWindowGeometry(node, opset));
    Shape outShape = {input.shape[0], input.shape[1]};
    outShape.append(geometry.outputSpatial.begin(),
                    geometry.outputSpatial.end());
    TypeList types = {TensorType(input.dtype, outShape)};
    if (node.numResults() > 1)
      types.push_back(TensorType(DType::I64, outShape));
    return types;
  }

  OpCost cost(const Node &) const override { return OpCost(); }

  /// Windowed pools of one result (no Indices, which count from X's
  /// corner).
  std::optional<PatchWindow> patchWindow(const Node &node, int64_t opset) const override {
    if (kind_.global || node.numResults() != 1)
      return std::nullopt;
    absl::StatusOr<WindowGeometry> geometry = poolWindowGeometry(node, opset);
    if (!geometry.ok())
      return std::nullopt;
    return windowPatch(node, *geometry);
  }

  // As ONNX Runtime: a MaxPool selects elements, so it runs on the integers
  // (from the opset that allows them); an average is requantized by
  // com.microsoft QLinearAveragePool / QLinearGlobalAveragePool.
  std::optional<QdqFusion> qdqFusion(const Node &node, int64_t opset) const override {
    if (node.numResults() != 1)
      return std::nullopt;
    if (kind_.max) {
      if (kind_.global || opset < kind_.int8Since)
        return std::nullopt;
      QdqFusion fusion(QdqFusion::Kind::Move);
      fusion.needsPositiveScale = true;
      return fusion;
    }
    return QdqFusion{QdqFusion::Kind::Unary, absl::StrCat("QLinear", kind_.opType),
                     "com.microsoft"};
  }

private:
  static absl::StatusOr<TypeList> inferGlobal(const TensorType &input) {
    if (input.rank() < 3)
      return modelError("input must have rank at least 3 (N, C and spatial "
                        "dims), got ",
                        input.str());
    Shape outShape(input.shape.begin(), input.shape.end());
    std::fill(outShape.begin() + 2, outShape.end(), 1);
    return TypeList{TensorType(input.dtype, outShape)};
  }

  const PoolKind &kind_;
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  for (const PoolKind &kind : kPoolKinds)
    registry.add(std::make_unique<PoolOp>(kind));
}

} // namespace tinyplan
