//===- Normalization.cpp - ONNX Layer-, Instance- and GroupNormalization --===//
//
// All three normalise rows of the input to mean 0 and variance 1 (epsilon
// added to the variance), then scale and shift them.
//
// LayerNormalization (opset 17): a row is every dim from `axis` (default
// -1) on; Scale and the optional B broadcast to those dims. The optional
// outputs Mean and InvStdDev (1 / sqrt(variance + epsilon)) have the
// input's shape with the row's dims set to 1, in stash_type (default 1,
// float).
//
// InstanceNormalization: a row is one (n, c) plane of an N x C x D1 ...
// input; scale and B hold one value per channel.
//
// GroupNormalization (opset 18): a row is the num_groups-th part of the
// channels of one image, C / num_groups planes; scale and bias hold one
// value per group in opset 18 and one per channel from opset 21 on, which
// also adds stash_type (the statistics' type, default 1: float).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {

absl::StatusOr<LayerNormRows> layerNormRows(const Node &node) {
  const TensorType &x = node.operand(0)->type();
  TP_ASSIGN_OR_RETURN(int64_t axis, node.getInt("axis", -1));
  TP_ASSIGN_OR_RETURN(axis, normalizeAxis(axis, x.rank()));
  LayerNormRows rows;
  rows.axis = axis;
  for (int64_t d = 0; d < x.rank(); ++d)
    (d < axis ? rows.rows : rows.n) *= x.shape[d];
  TP_ASSIGN_OR_RETURN(rows.epsilon, node.getFloat("epsilon", 1e-5f));
  TP_ASSIGN_OR_RETURN(int64_t stash, node.getInt("stash_type", 1));
  absl::StatusOr<DType> stashType = dtypeFromOnnx(stash);
  if (!stashType.ok() || !isFloat(*stashType))
    return modelError("stash_type ", stash, " is not a float type");
  rows.stashType = *stashType;
  return rows;
}

absl::StatusOr<GroupNormGroups> groupNormGroups(const Node &node, int64_t opset) {
  const TensorType &x = node.operand(0)->type();
  if (x.rank() < 2)
    return modelError("X must have rank at least 2 (N, C, ...), got ", x.str());
  GroupNormGroups groups;
  if (!node.hasAttr("num_groups"))
    return modelError("attribute 'num_groups' is missing");
  TP_ASSIGN_OR_RETURN(groups.groups, node.getInt("num_groups", 0));
  int64_t channels = x.shape[1];
  if (groups.groups <= 0 || channels % groups.groups != 0)
    return modelError("num_groups = ", groups.groups, " does not divide the ", channels,
                      " channels of X");
  groups.batch = x.shape[0];
  groups.channelsPerGroup = channels / groups.groups;
  for (int64_t d = 2; d < x.rank(); ++d)
    groups.plane *= x.shape[size_t(d)];
  groups.perChannel = opset >= 21;
  TP_ASSIGN_OR_RETURN(groups.epsilon, node.getFloat("epsilon", 1e-5f));
  if (opset >= 21) {
    TP_ASSIGN_OR_RETURN(int64_t stash, node.getInt("stash_type", 1));
    absl::StatusOr<DType> stashType = dtypeFromOnnx(stash);
    if (!stashType.ok() || !isFloat(*stashType))
      return modelError("stash_type ", stash, " is not a float type");
    groups.stashType = *stashType;
  } else if (node.hasAttr("stash_type")) {
    return modelError("attribute 'stash_type' arrived in opset 21");
  }
  return groups;
}

namespace {

class LayerNormOp final : public OpDef {
public:
  LayerNormOp() : OpDef("LayerNormalization", 2, 3, 1, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t opset) const override {
    if (opset < 17)
      return modelError("LayerNormalization is an ONNX op from opset 17 on, the model has ",
                        opset);
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "X"));
    const TensorType &x = node.operand(0)->type();
    if (x.rank() == 0)
      return modelError("X must have rank at least 1, got ", x.str());
    TP_ASSIGN_OR_RETURN(LayerNormRows rows, layerNormRows(node));
    llvm::ArrayRef<int64_t> normalized = llvm::ArrayRef<int64_t>(x.shape).drop_front(rows.axis);
    const char *roles[] = {"X", "Scale", "B"};
    for (unsigned i = 1; i < node.numOperands(); ++i) {
      const Value *operand = node.operand(i);
      if (!operand)
        continue;
      const TensorType &type = operand->type();
      if (type.dtype != x.dtype)
        return modelError(roles[i], " has type ", dtypeName(type.dtype).str(), ", X has ",
                          dtypeName(x.dtype).str());
      // Unidirectional broadcast to the normalised dims.
      bool fits = type.rank() <= int64_t(normalized.size());
      for (int64_t d = 1; fits && d <= type.rank(); ++d) {
        int64_t dim = type.shape[type.rank() - d];
        fits = dim == 1 || dim == normalized[normalized.size() - d];
      }
      if (!fits)
        return modelError(roles[i], " ", type.str(), " does not broadcast to X's dims from axis ",
                          rows.axis);
    }
    TypeList types{x};
    Shape statShape(x.shape);
    for (size_t d = size_t(rows.axis); d < statShape.size(); ++d)
      statShape[d] = 1;
    for (unsigned r = 1; r < node.numResults(); ++r)
      types.push_back(TensorType(rows.stashType, statShape));
    return types;
  }

  /// The kernel reads a row whole before it writes it: Y may take X's bytes.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &,
                                                 unsigned result) const override {
    if (result == 0)
      return {0};
    return {};
  }
};

class InstanceNormOp final : public OpDef {
public:
  InstanceNormOp() : OpDef("InstanceNormalization", 3, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node,
                                      int64_t) const override {
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "input"));
    TP_RETURN_IF_ERROR(node.getFloat("epsilon", 1e-5f).status());
    const TensorType &x = node.operand(0)->type();
    if (x.rank() < 3)
      return modelError("input must have rank at least 3 (N, C, D1, ...), got ", x.str());
    const char *roles[] = {"input", "scale", "B"};
    for (unsigned i = 1; i < 3; ++i) {
      const TensorType &type = node.operand(i)->type();
      if (type.dtype != x.dtype)
        return modelError(roles[i], " has type ", dtypeName(type.dtype).str(), ", input has ",
                          dtypeName(x.dtype).str());
      if (type.rank() != 1 || type.shape[0] != x.shape[1])
        return modelError(roles[i], " must be 1-D with the input's ", x.shape[1],
                          " channels, got ", type.str());
    }
    return TypeList{x};
  }

  /// The kernel reads a plane whole before it writes it.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &, unsigned) const override {
    return {0};
  }
};

class GroupNormOp final : public OpDef {
public:
  GroupNormOp() : OpDef("GroupNormalization", 3, 3) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t opset) const override {
    if (opset < 18)
      return modelError("GroupNormalization is an ONNX op from opset 18 on, the model has ",
                        opset);
    TP_RETURN_IF_ERROR(requireFloatOperand(node, 0, "X"));
    const TensorType &x = node.operand(0)->type();
    TP_ASSIGN_OR_RETURN(GroupNormGroups groups, groupNormGroups(node, opset));
    int64_t values = groups.perChannel ? x.shape[1] : groups.groups;
    const char *roles[] = {"X", "scale", "bias"};
    for (unsigned i = 1; i < 3; ++i) {
      const TensorType &type = node.operand(i)->type();
      if (type.dtype != x.dtype)
        return modelError(roles[i], " has type ", dtypeName(type.dtype).str(), ", X has ",
                          dtypeName(x.dtype).str());
      if (type.rank() != 1 || type.shape[0] != values)
        return modelError(roles[i], " must be 1-D with ", values, " values (one per ",
                          groups.perChannel ? "channel" : "group", " in opset ", opset,
                          "), got ", type.str());
    }
    return TypeList{x};
  }

  /// The kernel reads a group whole before it writes it.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &, unsigned) const override {
    return {0};
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) {
  registry.add(std::make_unique<LayerNormOp>());
  registry.add(std::make_unique<InstanceNormOp>());
  registry.add(std::make_unique<GroupNormOp>());
}

} // namespace tinyplan
