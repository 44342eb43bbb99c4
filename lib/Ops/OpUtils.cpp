//===- OpUtils.cpp - Helpers shared by op definitions ---------------------===//
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Ops/Activations.h"

#include "tinyplan/Support/Checked.h"
#include "absl/strings/str_join.h"

#include <limits>

namespace tinyplan {

static std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  return absl::StrCat("[", absl::StrJoin(shape, ","), "]");
}

absl::StatusOr<Shape> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                      llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the right.
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return modelError("shapes ", shapeText(a), " and ", shapeText(b),
                        " cannot be broadcast together");
    result[i] = da == 1 ? db : da;
  }
  return result;
}

bool isFloatOrWideInteger(DType type) {
  switch (type) {
  case DType::F32:
  case DType::F16:
  case DType::BF16:
  case DType::F64:
  case DType::I32:
  case DType::U32:
  case DType::I64:
  case DType::U64:
    return true;
  default:
    return false;
  }
}

absl::Status checkMatrixProductTypes(const TensorType &a, const TensorType &b) {
  if (!isFloatOrWideInteger(a.dtype))
    return modelError("A has unsupported type ", dtypeName(a.dtype).str());
  if (b.dtype != a.dtype)
    return modelError("B has type ", dtypeName(b.dtype).str(), ", A has ",
                      dtypeName(a.dtype).str());
  return absl::OkStatus();
}

AxisBlocks axisBlocks(llvm::ArrayRef<int64_t> shape, int64_t axis) {
  AxisBlocks blocks;
  for (int64_t d = 0; d < axis; ++d)
    blocks.outer *= shape[d];
  for (int64_t d = axis + 1; d < int64_t(shape.size()); ++d)
    blocks.inner *= shape[d];
  return blocks;
}

absl::StatusOr<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return modelError("axis ", axis, " is out of range for rank ", rank);
  return axis < 0 ? axis + rank : axis;
}

absl::StatusOr<DType> dtypeFromOnnx(int64_t code) {
  // onnx.proto TensorProto.DataType.
  switch (code) {
  case 1: return DType::F32;
  case 2: return DType::U8;
  case 3: return DType::I8;
  case 4: return DType::U16;
  case 5: return DType::I16;
  case 6: return DType::I32;
  case 7: return DType::I64;
  case 9: return DType::Bool;
  case 10: return DType::F16;
  case 11: return DType::F64;
  case 12: return DType::U32;
  case 13: return DType::U64;
  case 16: return DType::BF16;
  case 0: return modelError("tensor element type is undefined");
  case 8: return modelError("string tensors are not supported");
  case 14: case 15: return modelError("complex tensors are not supported");
  default: break;
  }
  static const char *const kNarrow[] = {
      "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4",
      "INT4",         "FLOAT4E2M1",     "FLOAT8E8M0", "UINT2",          "INT2"};
  if (code >= 17 && code <= 26)
    return modelError("element type ", kNarrow[code - 17], " is not supported (tinyplan ",
                      "computes on 16- to 64-bit floats, integers and bool)");
  return modelError("unknown tensor element type ", code);
}

absl::Status notConstantError(const Node &node, unsigned index,
                              llvm::StringRef role) {
  return absl::UnimplementedError(absl::StrCat(
      "input '", role.str(), "' ('", node.operand(index)->name(),
      "') is computed at run time; it must be a compile-time constant "
      "(dynamic shapes are not supported)"));
}

absl::StatusOr<bool> getFlagAttr(const Node &node, llvm::StringRef name, bool dflt) {
  TP_ASSIGN_OR_RETURN(int64_t value, node.getInt(name, dflt ? 1 : 0));
  if (value != 0 && value != 1)
    return modelError("attribute '", name.str(), "' must be 0 or 1, got ", value);
  return value == 1;
}

absl::StatusOr<std::vector<int64_t>>
constantIntsOperand(const Node &node, unsigned index, llvm::StringRef role) {
  const Value *operand = node.operand(index);
  if (!operand)
    return modelError("input '", role.str(), "' is missing");
  const Tensor *data = operand->constant();
  if (!data)
    return notConstantError(node, index, role);
  if (!isInteger(data->dtype()))
    return modelError("input '", role.str(), "' must be an integer tensor, got ",
                      dtypeName(data->dtype()).str());
  return data->toInt64s();
}

absl::Status requireFloatOperand(const Node &node, unsigned index,
                                 llvm::StringRef role) {
  const Value *operand = node.operand(index);
  if (!operand)
    return modelError("input '", role.str(), "' is missing");
  if (!isFloat(operand->type().dtype))
    return modelError("input '", role.str(), "' must be a float tensor, got ",
                      operand->type().str());
  return absl::OkStatus();
}

absl::Status requireRank(const Node &node, unsigned index, int64_t rank,
                         llvm::StringRef role) {
  const Value *operand = node.operand(index);
  if (!operand)
    return modelError("input '", role.str(), "' is missing");
  if (operand->type().rank() != rank)
    return modelError("input '", role.str(), "' must have rank ", rank, ", got ",
                      operand->type().str());
  return absl::OkStatus();
}

absl::StatusOr<int64_t> checkConvShapes(const Node &node, const TensorType &input,
                                        const TensorType &weight) {
  if (input.rank() < 3 || input.rank() > 5)
    return modelError("input must have rank 3, 4 or 5 (N, C and 1 to 3 spatial dims), got ",
                      input.str());
  if (weight.rank() != input.rank())
    return modelError("weight has rank ", weight.rank(), ", input has rank ", input.rank(),
                      " (weight ", weight.str(), ", input ", input.str(), ")");
  TP_ASSIGN_OR_RETURN(int64_t group, node.getInt("group", 1));
  if (group < 1)
    return modelError("group must be positive, got ", group);
  if (input.shape[1] % group != 0)
    return modelError("input has ", input.shape[1], " channels, not divisible by group ", group);
  return group;
}

OpCost convCost(const Node &node, const Value &counted) {
  OpCost cost;
  for (unsigned i = 1; i < 3; ++i)
    if (const Value *operand = node.operand(i))
      cost.params += operand->type().numElements();
  const TensorType &weight = node.operand(1)->type();
  if (!counted.hasType() || weight.rank() < 2)
    return cost;
  int64_t macs = counted.type().numElements();
  for (int64_t dim : llvm::ArrayRef<int64_t>(weight.shape).drop_front(1)) {
    std::optional<int64_t> product = checkedMul(macs, dim);
    macs = product ? *product : std::numeric_limits<int64_t>::max();
  }
  cost.macs = macs;
  return cost;
}

absl::StatusOr<std::vector<int64_t>>
spatialAttr(const Node &node, llvm::StringRef name, size_t count,
            int64_t dflt, int64_t minimum) {
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> values,
                      node.getInts(name, std::vector<int64_t>(count, dflt)));
  if (values.size() != count)
    return modelError("attribute '", name.str(), "' has ", values.size(),
                      " entries, expected ", count);
  for (int64_t v : values)
    if (v < minimum)
      return modelError("attribute '", name.str(), "' has value ", v,
                        minimum == 1 ? "; it must be positive"
                                     : "; it must not be negative");
  return values;
}

/// ceil(a / b) for a >= 0, b > 0; floor otherwise (matches ONNX for the
/// non-negative numerators we call it with).
static int64_t divideRounding(int64_t a, int64_t b, bool roundUp) {
  if (a >= 0)
    return roundUp ? (a + b - 1) / b : a / b;
  return -((-a + (roundUp ? 0 : b - 1)) / b);
}

absl::StatusOr<WindowGeometry>
computeWindowGeometry(const Node &node, llvm::ArrayRef<int64_t> inputSpatial,
                      llvm::ArrayRef<int64_t> kernel, bool supportsCeilMode,
                      bool supportsDilations) {
  size_t count = inputSpatial.size();
  WindowGeometry g;
  if (kernel.size() != count)
    return modelError("kernel has ", kernel.size(), " spatial dims, input has ",
                      count);
  for (int64_t k : kernel)
    if (k <= 0)
      return modelError("kernel size ", k, " must be positive");
  g.kernel.assign(kernel.begin(), kernel.end());
  TP_ASSIGN_OR_RETURN(g.strides, spatialAttr(node, "strides", count, 1, 1));
  if (supportsDilations) {
    TP_ASSIGN_OR_RETURN(g.dilations, spatialAttr(node, "dilations", count, 1, 1));
  } else {
    g.dilations.assign(count, 1);
  }
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> pads,
                      spatialAttr(node, "pads", 2 * count, 0, 0));
  TP_ASSIGN_OR_RETURN(std::string autoPad, node.getString("auto_pad", "NOTSET"));
  int64_t ceilMode = 0;
  if (supportsCeilMode) {
    TP_ASSIGN_OR_RETURN(ceilMode, node.getInt("ceil_mode", 0));
  }
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return modelError("auto_pad '", autoPad, "' is not one of NOTSET, VALID, "
                      "SAME_UPPER, SAME_LOWER");
  if (autoPad != "NOTSET" && node.hasAttr("pads"))
    for (int64_t p : pads)
      if (p != 0)
        return modelError("explicit 'pads' conflict with auto_pad '", autoPad, "'");

  for (size_t i = 0; i < count; ++i) {
    int64_t in = inputSpatial[i], stride = g.strides[i];
    // Kernel extent with dilation; dims are bounded by the 2 GiB tensor rule,
    // but attributes are not, so compute in checked arithmetic.
    std::optional<int64_t> span = checkedMul(g.kernel[i] - 1, g.dilations[i]);
    if (!span || *span > (int64_t(1) << 40))
      return modelError("kernel extent along spatial axis ", i, " is too large");
    int64_t effective = *span + 1;
    int64_t begin = pads[i], end = pads[i + count], out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = divideRounding(in, stride, /*roundUp=*/true);
      int64_t total = std::max<int64_t>(0, (out - 1) * stride + effective - in);
      begin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      end = total - begin;
    } else {
      if (autoPad == "VALID")
        begin = end = 0;
      if (begin > (int64_t(1) << 40) || end > (int64_t(1) << 40))
        return modelError("pads along spatial axis ", i, " are too large");
      int64_t padded = in + begin + end;
      if (effective > padded)
        return modelError("kernel extent ", effective, " along spatial axis ", i,
                          " is larger than the padded input (", padded, ")");
      out = divideRounding(padded - effective, stride, ceilMode != 0) + 1;
    }
    g.padsBegin.push_back(begin);
    g.padsEnd.push_back(end);
    g.outputSpatial.push_back(out);
  }
  return g;
}

absl::Status checkFusedActivation(const Node &node, DType resultType) {
  static const char *const kParams[] = {"fused_alpha", "fused_beta", "fused_min",
                                        "fused_max"};
  TP_ASSIGN_OR_RETURN(std::string kind, node.getString("fused_activation", ""));
  const ActivationInfo *fusable = kind.empty() ? nullptr : findActivation(kind);
  if (!kind.empty() && !fusable)
    return modelError("fused_activation '", kind, "' is not a fusable activation");
  if (fusable && !isFloat(resultType))
    return modelError("fused_activation '", kind, "' needs a float result, got ",
                      dtypeName(resultType).str());
  for (const char *param : kParams) {
    if (!node.hasAttr(param))
      continue;
    TP_RETURN_IF_ERROR(node.getFloat(param, 0.0f).status());
    bool takes = fusable && llvm::any_of(fusable->params, [&](const ActivationParam &p) {
                   return llvm::StringRef(p.fused) == param;
                 });
    if (!takes)
      return modelError("attribute '", param, "' does not apply to ",
                        kind.empty() ? std::string("a node without fused_activation")
                                     : absl::StrCat("fused_activation '", kind, "'"));
  }
  return absl::OkStatus();
}

std::optional<PatchWindow> windowPatch(const Node &node, const WindowGeometry &geometry) {
  if (node.result(0)->type().rank() != 4 || geometry.kernel.size() != 2)
    return std::nullopt;
  PatchWindow window;
  window.spatialOperands = {0};
  window.hasPads = true;
  for (int axis = 0; axis < 2; ++axis) {
    window.kernel[axis] = geometry.kernel[axis];
    window.strides[axis] = geometry.strides[axis];
    window.dilations[axis] = geometry.dilations[axis];
    window.padsBegin[axis] = geometry.padsBegin[axis];
    window.padsEnd[axis] = geometry.padsEnd[axis];
  }
  return window;
}

std::optional<PatchWindow> convPatch(const Node &node, unsigned weightIndex) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &weight = node.operand(weightIndex)->type();
  if (input.rank() != 4 || weight.rank() != 4)
    return std::nullopt;
  absl::StatusOr<WindowGeometry> geometry = computeWindowGeometry(
      node, llvm::ArrayRef<int64_t>(input.shape).drop_front(2),
      llvm::ArrayRef<int64_t>(weight.shape).drop_front(2), /*supportsCeilMode=*/false,
      /*supportsDilations=*/true);
  if (!geometry.ok())
    return std::nullopt;
  return windowPatch(node, *geometry);
}

std::optional<PatchWindow> elementwisePatch(const Node &node,
                                            llvm::ArrayRef<unsigned> dataOperands) {
  const TensorType &result = node.result(0)->type();
  if (result.rank() != 4)
    return std::nullopt;
  PatchWindow window;
  for (unsigned index : dataOperands) {
    const Value *operand = node.operand(index);
    if (!operand)
      continue;
    const Shape &shape = operand->type().shape;
    if (shape.size() == 4 && shape[2] == result.shape[2] && shape[3] == result.shape[3]) {
      window.spatialOperands.push_back(index);
      continue;
    }
    // Broadcast right-aligned: the last two dims are the rows and columns.
    bool invariant = operand->isConstant();
    for (size_t back = 1; back <= 2 && back <= shape.size(); ++back)
      invariant &= shape[shape.size() - back] == 1;
    if (!invariant)
      return std::nullopt;
  }
  if (window.spatialOperands.empty())
    return std::nullopt;
  return window;
}

} // namespace tinyplan
