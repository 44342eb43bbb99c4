//===- QLinearConvBlocked.cpp - QLinearConv with compile-time weight layout ===//
//
// kernels/qconv.c's tp_qconv_blocked_<x> for a QLinearConv of one group,
// 1-D or 2-D, whose weights and weight zero points are constants and whose
// centred weights fit int8: the weights minus their zero points are written
// once, as int8, in the order the blocked loop reads them (4 output channels
// x groups of 4 taps), and the input windows of two output pixels are
// gathered into the node's scratch.
// The sums are the direct kernel's, so the bits are too; it is chosen over
// tp_qlinearconv_* whenever it applies (priority 1). A depthwise
// convolution (group = C = M) of at most 256 taps gets tp_qconv_depthwise_<x>
// instead: the centred weights per channel and their sums, and windows
// inside the input summed without bounds checks.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

#include "absl/strings/str_join.h"

#include <cstring>

namespace tinyplan {
namespace {

/// Taps per output channel (C * KH * KW) rounded up to a multiple of 4.
int64_t paddedTaps(const TensorType &weight) {
  int64_t k = 1;
  for (int64_t d : llvm::ArrayRef<int64_t>(weight.shape).drop_front(1))
    k *= d;
  return (k + 3) / 4 * 4;
}

/// Whether every w - w_zp fits int8 (the blocked kernel stores them so).
bool centredFitsInt8(const Tensor &w, const Tensor *zeroPoint) {
  int64_t m = w.shape()[0], k = w.numElements() / std::max<int64_t>(m, 1);
  for (int64_t i = 0; i < w.numElements(); ++i) {
    int64_t zp = !zeroPoint ? 0 : zeroPoint->intAt(zeroPoint->numElements() == 1 ? 0 : i / k);
    int64_t v = w.intAt(i) - zp;
    if (v < -128 || v > 127)
      return false;
  }
  return true;
}

bool supportsBlocked(const Node &node, Cpu) {
  if (node.numOperands() < 8 || !node.operand(0) || !node.operand(3))
    return false;
  const TensorType &x = node.operand(0)->type(), &w = node.operand(3)->type();
  const Value *wZeroPoint = node.operand(5);
  absl::StatusOr<int64_t> group = node.getInt("group", 1);
  return (x.rank() == 3 || x.rank() == 4) && group.ok() && *group == 1 &&
         node.operand(3)->isConstant() && (!wZeroPoint || wZeroPoint->isConstant()) &&
         node.result(0)->type().dtype == x.dtype && w.shape[0] > 0 && paddedTaps(w) > 0 &&
         centredFitsInt8(*node.operand(3)->constant(),
                         wZeroPoint ? wZeroPoint->constant() : nullptr);
}

int64_t blockedScratch(const Node &node) {
  return 2 * paddedTaps(node.operand(3)->type()) * int64_t(sizeof(int16_t));
}

/// (w - w_zp) as int8 in tp_qconv_blocked's order: [M / 4][KQ / 4][4][4].
Tensor blockedWeights(const Tensor &w, const Tensor *zeroPoint) {
  int64_t m = w.shape()[0], k = w.numElements() / m, kq = (k + 3) / 4 * 4;
  int64_t blocks = (m + 3) / 4;
  std::vector<uint8_t> bytes(size_t(blocks * kq * 4), 0);
  for (int64_t mm = 0; mm < m; ++mm) {
    int64_t zp = !zeroPoint ? 0 : zeroPoint->intAt(zeroPoint->numElements() == 1 ? 0 : mm);
    for (int64_t kk = 0; kk < k; ++kk) {
      int8_t value = int8_t(w.intAt(mm * k + kk) - zp);
      int64_t index = ((mm / 4 * kq / 4 + kk / 4) * 4 + mm % 4) * 4 + kk % 4;
      std::memcpy(bytes.data() + index, &value, 1);
    }
  }
  return Tensor(TensorType(DType::I8, {blocks * kq * 4}), std::move(bytes));
}

/// H W OH OW KH KW SH SW DH DW PT PL of a 1-D (one row) or 2-D QLinearConv.
absl::StatusOr<std::vector<int64_t>> planeGeometry(const Node &node) {
  const TensorType &x = node.operand(0)->type(), &w = node.operand(3)->type();
  const TensorType &y = node.result(0)->type();
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(x.shape).drop_front(2);
  llvm::ArrayRef<int64_t> kernel = llvm::ArrayRef<int64_t>(w.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(WindowGeometry g, computeWindowGeometry(node, spatial, kernel, false, true));
  // H W OH OW KH KW SH SW DH DW PT PL, a 1-D convolution as one row.
  bool oneD = spatial.size() == 1;
  auto at = [&](llvm::ArrayRef<int64_t> v, size_t i) { return oneD ? (i == 0 ? 1 : v[0]) : v[i]; };
  llvm::ArrayRef<int64_t> outSpatial = llvm::ArrayRef<int64_t>(y.shape).drop_front(2);
  std::vector<int64_t> geometry = {at(spatial, 0),      at(spatial, 1),      at(outSpatial, 0),
                                   at(outSpatial, 1),   at(kernel, 0),       at(kernel, 1),
                                   at(g.strides, 0),    at(g.strides, 1),    at(g.dilations, 0),
                                   at(g.dilations, 1),  oneD ? 0 : g.padsBegin[0],
                                   oneD ? g.padsBegin[0] : g.padsBegin[1]};
  return geometry;
}

/// The QLinearConv arguments after the weights: bias, y, the scales and
/// zero points, N and C (and M when \p withM).
std::vector<std::string> qconvTail(const Node &node, CEmitContext &ctx, bool withM) {
  const Value *bias = node.operand(8);
  int64_t wsStep = node.operand(4)->type().numElements() > 1 ? 1 : 0;
  std::vector<std::string> args = {bias ? ctx.pointer(*bias) : "0",
                                   ctx.pointer(*node.result(0)),
                                   absl::StrCat(ctx.pointer(*node.operand(1)), "[0]"),
                                   ctx.pointer(*node.operand(4)),
                                   absl::StrCat(wsStep),
                                   absl::StrCat(ctx.pointer(*node.operand(6)), "[0]"),
                                   quantZeroPointC(ctx, node.operand(7)),
                                   absl::StrCat(node.operand(0)->type().shape[0]),
                                   absl::StrCat(node.operand(0)->type().shape[1])};
  if (withM)
    args.push_back(absl::StrCat(node.operand(3)->type().shape[0]));
  return args;
}

/// A constant table of \p table's elements in order.
std::string wholeTable(CEmitContext &ctx, const Node &node, llvm::StringRef what,
                       const Tensor &table) {
  std::vector<int64_t> gather(size_t(table.numElements()));
  for (size_t i = 0; i < gather.size(); ++i)
    gather[i] = int64_t(i);
  return ctx.constantTable(absl::StrCat("qconv_", what.str(), ":", node.result()->id()),
                           absl::StrCat(node.result()->name(), "_", what.str()), table, gather);
}

/// `{ static const int32_t g[] = {geometry}; name(args); }`.
void emitWithGeometry(CEmitContext &ctx, llvm::ArrayRef<int64_t> geometry, const std::string &name,
                      llvm::ArrayRef<std::string> args) {
  ctx.emit(absl::StrCat("{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ", name,
                        "(", absl::StrJoin(args, ", "), ");\n}"));
}

absl::Status emitBlockedQLinearConv(const Node &node, CEmitContext &ctx) {
  const TensorType &x = node.operand(0)->type();
  const TensorType &y = node.result(0)->type();
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> geometry, planeGeometry(node));
  std::string name =
      requireRequantKernel(ctx, absl::StrCat("tp_qconv_blocked_", cTypeSuffix(x.dtype)), y.dtype);
  if (y.numElements() == 0)
    return absl::OkStatus();
  const Value *wZeroPoint = node.operand(5);
  std::string weights = wholeTable(ctx, node, "blocked",
                                   blockedWeights(*node.operand(3)->constant(),
                                                  wZeroPoint ? wZeroPoint->constant() : nullptr));
  std::vector<std::string> args = {ctx.pointer(*node.operand(0)),
                                   quantZeroPointC(ctx, node.operand(2)), weights};
  for (std::string &arg : qconvTail(node, ctx, /*withM=*/true))
    args.push_back(std::move(arg));
  args.insert(args.end(), {"g", ctx.scratchPointer(node, "int16_t")});
  emitWithGeometry(ctx, geometry, name, args);
  return absl::OkStatus();
}

bool supportsDepthwise(const Node &node, Cpu) {
  if (node.numOperands() < 8 || !node.operand(0) || !node.operand(3))
    return false;
  const TensorType &x = node.operand(0)->type(), &w = node.operand(3)->type();
  const Value *wZeroPoint = node.operand(5);
  absl::StatusOr<int64_t> group = node.getInt("group", 1);
  return (x.rank() == 3 || x.rank() == 4) && group.ok() && *group > 1 && *group == x.shape[1] &&
         w.shape[0] == *group && w.shape[1] == 1 && w.numElements() / w.shape[0] <= 256 &&
         node.operand(3)->isConstant() && (!wZeroPoint || wZeroPoint->isConstant()) &&
         node.result(0)->type().dtype == x.dtype;
}

/// The padded copy of one channel, when the convolution reads padding.
int64_t depthwiseScratch(const Node &node) {
  absl::StatusOr<std::vector<int64_t>> g = planeGeometry(node);
  if (!g.ok())
    return 0;
  const std::vector<int64_t> &v = *g;
  int64_t rows = (v[2] - 1) * v[6] + (v[4] - 1) * v[8] + 1;
  int64_t cols = (v[3] - 1) * v[7] + (v[5] - 1) * v[9] + 1;
  bool padded = v[10] > 0 || v[11] > 0 || rows > v[0] || cols > v[1];
  return padded ? rows * cols : 0;
}

absl::Status emitDepthwiseQLinearConv(const Node &node, CEmitContext &ctx) {
  const TensorType &x = node.operand(0)->type(), &y = node.result(0)->type();
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> geometry, planeGeometry(node));
  std::string name = requireRequantKernel(
      ctx, absl::StrCat("tp_qconv_depthwise_", cTypeSuffix(x.dtype)), y.dtype);
  if (y.numElements() == 0)
    return absl::OkStatus();
  const Tensor &w = *node.operand(3)->constant();
  const Value *wZeroPoint = node.operand(5);
  const Tensor *zeroPoint = wZeroPoint ? wZeroPoint->constant() : nullptr;
  int64_t channels = w.shape()[0], taps = w.numElements() / channels;
  std::vector<uint8_t> centred(size_t(w.numElements()) * sizeof(int16_t));
  std::vector<int64_t> sums(size_t(channels), 0);
  for (int64_t c = 0; c < channels; ++c) {
    int64_t zp = !zeroPoint ? 0 : zeroPoint->intAt(zeroPoint->numElements() == 1 ? 0 : c);
    for (int64_t t = 0; t < taps; ++t) {
      int16_t value = int16_t(w.intAt(c * taps + t) - zp);
      std::memcpy(centred.data() + (c * taps + t) * sizeof(int16_t), &value, sizeof value);
      sums[size_t(c)] += value;
    }
  }
  std::vector<uint8_t> sumBytes(size_t(channels) * sizeof(int32_t));
  for (int64_t c = 0; c < channels; ++c) {
    int32_t value = int32_t(sums[size_t(c)]);
    std::memcpy(sumBytes.data() + c * sizeof(int32_t), &value, sizeof value);
  }
  std::string weights = wholeTable(
      ctx, node, "centred",
      Tensor(TensorType(DType::I16, {w.numElements()}), std::move(centred)));
  std::string weightSums = wholeTable(
      ctx, node, "wsum", Tensor(TensorType(DType::I32, {channels}), std::move(sumBytes)));
  std::vector<std::string> args = {ctx.pointer(*node.operand(0)),
                                   quantZeroPointC(ctx, node.operand(2)), weights, weightSums};
  for (std::string &arg : qconvTail(node, ctx, /*withM=*/false))
    args.push_back(std::move(arg));
  args.push_back("g");
  args.push_back(depthwiseScratch(node) ? ctx.scratchPointer(node, cStorageType(x.dtype)) : "0");
  emitWithGeometry(ctx, geometry, name, args);
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  auto add = [&](const char *name, std::function<bool(const Node &, Cpu)> supports, KernelRegistry::EmitFn emit,
                 std::function<int64_t(const Node &)> scratch) {
    KernelImpl impl;
    impl.opType = "QLinearConv";
    impl.name = name;
    impl.priority = 1;
    impl.supports = std::move(supports);
    impl.emit = std::move(emit);
    impl.scratchBytes = std::move(scratch);
    registry.add(std::move(impl));
  };
  add("blocked", supportsBlocked, emitBlockedQLinearConv, blockedScratch);
  add("depthwise", supportsDepthwise, emitDepthwiseQLinearConv, depthwiseScratch);
}

} // namespace tinyplan
