//===- QLinearConvBlocked.cpp - QLinearConv with compile-time weight layout ===//
//
// kernels/qconv.c's tp_qconv_blocked_<x> for a QLinearConv of one group,
// 1-D or 2-D, whose weights, zero points, scales and bias are constants and
// whose centred weights fit int8: the weights minus their zero points are
// written once, as int8, in the order the blocked loop reads them (two
// output channels x pairs of taps per word; or wide, as int16 pairs, where
// CEmitContext::wideQconvWeights says so), x_zp is folded into the bias
// and the requantization multipliers are computed here, in float as the
// kernels would; a pointwise layer calls tp_qconv_pointwise_<x> with the
// same tables. A depthwise convolution (group = C = M) of at most 256
// taps gets tp_qconv_depthwise_<x> instead: the centred weights per channel
// (and, for 3 x 3 windows, as SMLAD words) and a ring of padded rows.
// The sums are the direct kernel's, so the bits are too; both are chosen
// over tp_qlinearconv_* whenever they apply (priority 1).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpUtils.h"
#include "QuantC.h"

#include "absl/strings/str_join.h"

#include <array>
#include <cmath>
#include <cstring>

namespace tinyplan {
namespace {

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

/// The constant tensor of operand \p i of \p node; null when it is absent or
/// computed at run time.
const Tensor *constantOperand(const Node &node, unsigned i) {
  const Value *value = i < node.numOperands() ? node.operand(i) : nullptr;
  return value && value->isConstant() ? value->constant() : nullptr;
}

/// Per output channel m: (x_scale * w_scale[m]) / y_scale in float, as
/// tp_qlinearconv_* computes it at run time.
std::vector<float> requantMultipliers(const Node &node) {
  const Tensor &xs = *constantOperand(node, 1), &ws = *constantOperand(node, 4);
  const Tensor &ys = *constantOperand(node, 6);
  int64_t channels = node.operand(3)->type().shape[0];
  std::vector<float> result(static_cast<size_t>(channels));
  for (int64_t m = 0; m < channels; ++m) {
    float product = float(xs.doubleAt(0)) * float(ws.doubleAt(ws.numElements() > 1 ? m : 0));
    result[size_t(m)] = product / float(ys.doubleAt(0));
  }
  return result;
}

/// The blocked kernel's tap pairs (tp_qconv_blocked_u8's pair order): each
/// row r = c * KH + kh's taps (0, 1), (2, 3)... in turn, then for an odd KW
/// the rows' last taps, rows (0, 1), (2, 3)... Taps are indices into one
/// output channel's C x KH x KW weights; -1 for a missing one.
std::vector<std::array<int64_t, 2>> tapPairs(int64_t channels, int64_t kh, int64_t kw) {
  std::vector<std::array<int64_t, 2>> pairs;
  int64_t rows = channels * kh;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t k = 0; k + 1 < kw; k += 2)
      pairs.push_back({r * kw + k, r * kw + k + 1});
  if (kw & 1)
    for (int64_t r = 0; r < rows; r += 2)
      pairs.push_back({r * kw + kw - 1, r + 1 < rows ? (r + 1) * kw + kw - 1 : -1});
  return pairs;
}

/// C, KH and KW of a 1-D (KH = 1) or 2-D convolution's weights.
std::array<int64_t, 3> windowExtents(const TensorType &w) {
  return {w.shape[1], w.rank() == 4 ? w.shape[2] : 1, w.shape.back()};
}

/// Constant scales of one element each (w_scale: per tensor or per
/// channel), giving finite multipliers: the kernels' multipliers are
/// computed at compile time.
bool constantFiniteMultipliers(const Node &node) {
  for (unsigned scale : {1u, 4u, 6u})
    if (!constantOperand(node, scale) || constantOperand(node, scale)->dtype() != DType::F32)
      return false;
  for (float multiplier : requantMultipliers(node))
    if (!std::isfinite(multiplier))
      return false;
  return true;
}

bool supportsBlocked(const Node &node, Cpu) {
  if (node.numOperands() < 8 || !node.operand(0) || !node.operand(3))
    return false;
  const TensorType &x = node.operand(0)->type(), &w = node.operand(3)->type();
  const Value *wZeroPoint = node.operand(5);
  absl::StatusOr<int64_t> group = node.getInt("group", 1);
  if (!(x.rank() == 3 || x.rank() == 4) || !group.ok() || *group != 1 ||
      !node.operand(3)->isConstant() || (wZeroPoint && !wZeroPoint->isConstant()) ||
      node.result(0)->type().dtype != x.dtype || w.shape[0] <= 0 || w.numElements() == 0)
    return false;
  // x's zero point and the bias are folded at compile time.
  if ((node.operand(2) && !constantOperand(node, 2)) ||
      (node.operand(8) && !constantOperand(node, 8)) || !constantFiniteMultipliers(node))
    return false;
  return centredFitsInt8(*node.operand(3)->constant(),
                         wZeroPoint ? wZeroPoint->constant() : nullptr);
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

/// Whether some output window of the plane geometry \p g (H W OH OW KH KW
/// SH SW DH DW PT PL) reaches into the padding.
bool readsPadding(const std::vector<int64_t> &g) {
  return g[10] > 0 || g[11] > 0 || (g[2] - 1) * g[6] + (g[4] - 1) * g[8] + 1 - g[10] > g[0] ||
         (g[3] - 1) * g[7] + (g[5] - 1) * g[9] + 1 - g[11] > g[1];
}

/// Whether the plane geometry \p g is a pointwise convolution's: a 1 x 1
/// window, stride 1, no padding (output pixel p is input pixel p).
bool isPointwise(const std::vector<int64_t> &g) {
  return g[4] == 1 && g[5] == 1 && g[6] == 1 && g[7] == 1 && !readsPadding(g) && g[2] == g[0] &&
         g[3] == g[1];
}

/// 4 pixels' words of every tap pair and 3 bytes to align them, and when
/// windows reach into the padding, the strip of a row of 4 windows.
int64_t blockedScratch(const Node &node) {
  std::array<int64_t, 3> e = windowExtents(node.operand(3)->type());
  int64_t bytes = 4 * int64_t(tapPairs(e[0], e[1], e[2]).size()) * int64_t(sizeof(uint32_t)) + 3;
  absl::StatusOr<std::vector<int64_t>> g = planeGeometry(node);
  if (g.ok() && readsPadding(*g))
    bytes += 3 * (*g)[7] + ((*g)[5] - 1) * (*g)[9] + 1;
  return bytes;
}

/// The weights in tp_qconv_blocked_u8's order: for each 2 output channels,
/// each tap pair (k0, k1) one word of bytes w0[k0], w1[k0], w0[k1],
/// w1[k1], low byte first; or \p wide, two words, the int16 pairs
/// (w0[k0], w0[k1]) and (w1[k0], w1[k1]), low half first (w - w_zp; 0 for
/// a missing tap or channel).
Tensor blockedWeights(const Tensor &w, const Tensor *zeroPoint,
                      llvm::ArrayRef<std::array<int64_t, 2>> pairs, bool wide) {
  int64_t channels = w.shape()[0], taps = w.numElements() / channels;
  const uint32_t mask = wide ? 0xffffu : 0xffu;
  auto centred = [&](int64_t m, int64_t k) -> uint32_t {
    if (m >= channels || k < 0)
      return 0;
    int64_t zp = !zeroPoint ? 0 : zeroPoint->intAt(zeroPoint->numElements() == 1 ? 0 : m);
    return uint32_t(w.intAt(m * taps + k) - zp) & mask;
  };
  std::vector<uint32_t> words;
  for (int64_t m = 0; m < channels; m += 2)
    for (const std::array<int64_t, 2> &pair : pairs)
      if (wide) {
        words.push_back(centred(m, pair[0]) | centred(m, pair[1]) << 16);
        words.push_back(centred(m + 1, pair[0]) | centred(m + 1, pair[1]) << 16);
      } else {
        words.push_back(centred(m, pair[0]) | centred(m + 1, pair[0]) << 8 |
                        centred(m, pair[1]) << 16 | centred(m + 1, pair[1]) << 24);
      }
  std::vector<uint8_t> bytes;
  for (uint32_t word : words)
    for (int shift = 0; shift < 32; shift += 8)
      bytes.push_back(uint8_t(word >> shift));
  return Tensor(TensorType(DType::U32, {int64_t(words.size())}), std::move(bytes));
}

/// b[m] - x_zp * sum over k of (w[m][k] - w_zp[m]), modulo 2^32.
Tensor foldedBias(const Node &node) {
  const Tensor &w = *node.operand(3)->constant();
  const Tensor *zeroPoint = constantOperand(node, 5), *bias = constantOperand(node, 8);
  const Tensor *xZeroPoint = constantOperand(node, 2);
  int64_t channels = w.shape()[0], taps = w.numElements() / channels;
  int64_t xzp = xZeroPoint ? xZeroPoint->intAt(0) : 0;
  std::vector<uint8_t> bytes(size_t(channels) * sizeof(int32_t));
  for (int64_t m = 0; m < channels; ++m) {
    int64_t zp = !zeroPoint ? 0 : zeroPoint->intAt(zeroPoint->numElements() == 1 ? 0 : m);
    int64_t sum = 0;
    for (int64_t k = 0; k < taps; ++k)
      sum += w.intAt(m * taps + k) - zp;
    uint32_t folded = uint32_t(bias ? bias->intAt(m) : 0) - uint32_t(xzp) * uint32_t(sum);
    std::memcpy(bytes.data() + m * sizeof(int32_t), &folded, sizeof folded);
  }
  return Tensor(TensorType(DType::I32, {channels}), std::move(bytes));
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

/// A float table of \p values.
std::string floatTable(CEmitContext &ctx, const Node &node, llvm::StringRef what,
                       llvm::ArrayRef<float> values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return wholeTable(ctx, node, what,
                    Tensor(TensorType(DType::F32, {int64_t(values.size())}), std::move(bytes)));
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
  geometry.push_back(readsPadding(geometry) ? 1 : 0);
  std::array<int64_t, 3> e = windowExtents(node.operand(3)->type());
  std::vector<std::array<int64_t, 2>> pairs = tapPairs(e[0], e[1], e[2]);
  int64_t channels = node.operand(3)->type().shape[0];
  int64_t int8Bytes = (channels + 1) / 2 * int64_t(pairs.size()) * int64_t(sizeof(uint32_t));
  bool wide = ctx.wideQconvWeights(int8Bytes);
  // A pointwise layer has a kernel of its own (see tp_qconv_pointwise_u8).
  bool pointwise = isPointwise(geometry);
  std::string name = requireRequantKernel(
      ctx,
      absl::StrCat(pointwise ? "tp_qconv_pointwise_" : "tp_qconv_blocked_", cTypeSuffix(x.dtype)),
      y.dtype,
      wide ? std::vector<std::pair<std::string, std::string>>{{"tp_qconv_wide",
                                                               "tp_qconv_wide_on"}}
           : std::vector<std::pair<std::string, std::string>>{},
      wide ? "_w16" : "");
  if (y.numElements() == 0)
    return absl::OkStatus();
  const Tensor &w = *node.operand(3)->constant();
  std::string weights = wholeTable(ctx, node, wide ? "blocked16" : "blocked",
                                   blockedWeights(w, constantOperand(node, 5), pairs, wide));
  std::string bias = wholeTable(ctx, node, "bias", foldedBias(node));
  std::string multiplierTable = floatTable(ctx, node, "multiplier", requantMultipliers(node));
  if (pointwise) {
    ctx.emit(absl::StrCat(name, "(", ctx.pointer(*node.operand(0)), ", ", weights, ", ", bias,
                          ", ", multiplierTable, ", ", ctx.pointer(*node.result(0)), ", ",
                          quantZeroPointC(ctx, node.operand(7)), ", ", x.shape[0], ", ",
                          x.shape[1], ", ", node.operand(3)->type().shape[0], ", ",
                          geometry[2] * geometry[3], ", ", ctx.scratchPointer(node, "uint8_t"),
                          ");"));
    return absl::OkStatus();
  }
  std::vector<std::string> args = {ctx.pointer(*node.operand(0)),
                                   quantZeroPointC(ctx, node.operand(2)),
                                   weights,
                                   bias,
                                   multiplierTable,
                                   ctx.pointer(*node.result(0)),
                                   quantZeroPointC(ctx, node.operand(7)),
                                   absl::StrCat(x.shape[0]),
                                   absl::StrCat(x.shape[1]),
                                   absl::StrCat(node.operand(3)->type().shape[0]),
                                   "g",
                                   ctx.scratchPointer(node, "uint8_t")};
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
         (!node.operand(8) || constantOperand(node, 8)) &&
         node.result(0)->type().dtype == x.dtype && constantFiniteMultipliers(node);
}

/// The plane geometry tp_qconv_depthwise_u8 is given, and whether it is
/// the transposed one: when the output rows are shorter than its columns,
/// columns are walked as rows (the per-row work then covers more outputs).
absl::StatusOr<std::pair<std::vector<int64_t>, bool>> depthwiseGeometry(const Node &node) {
  TP_ASSIGN_OR_RETURN(std::vector<int64_t> g, planeGeometry(node));
  bool transposed = g[3] < g[2];
  if (transposed)
    for (size_t i = 0; i < g.size(); i += 2)
      std::swap(g[i], g[i + 1]);
  return std::make_pair(std::move(g), transposed);
}

/// The rows of the ring tp_qconv_depthwise_u8 is given: a window's, or with
/// \p plane all the padded plane's.
int64_t depthwiseRingRows(const std::vector<int64_t> &g, bool plane) {
  int64_t window = (g[4] - 1) * g[8] + 1;
  return plane ? (g[2] - 1) * g[6] + window : window;
}

/// The ring of padded rows tp_qconv_depthwise_u8 reads, and a byte to
/// align it.
int64_t depthwiseScratch(const Node &node, bool plane) {
  absl::StatusOr<std::pair<std::vector<int64_t>, bool>> g = depthwiseGeometry(node);
  if (!g.ok())
    return 0;
  const std::vector<int64_t> &v = g->first;
  int64_t cols = (v[3] - 1) * v[7] + (v[5] - 1) * v[9] + 4;
  return depthwiseRingRows(v, plane) * cols * int64_t(sizeof(int16_t)) + 1;
}

/// Whether all the plane's rows in the ring save work: 3 x 3 windows with
/// columns 1 apart and strides 1 or 2, over more than one output row.
bool depthwisePlaneFaster(const Node &node) {
  absl::StatusOr<std::pair<std::vector<int64_t>, bool>> g = depthwiseGeometry(node);
  if (!g.ok())
    return false;
  const std::vector<int64_t> &v = g->first;
  return v[4] == 3 && v[5] == 3 && v[9] == 1 && (v[7] == 1 || v[7] == 2) && v[2] > 1;
}

absl::Status emitDepthwiseQLinearConv(const Node &node, CEmitContext &ctx, bool plane) {
  const TensorType &x = node.operand(0)->type(), &y = node.result(0)->type();
  TP_ASSIGN_OR_RETURN(auto planned, depthwiseGeometry(node));
  // Plain names, not a structured binding: a C++17 lambda cannot capture one.
  const std::vector<int64_t> &geometry = planned.first;
  bool transposed = planned.second;
  std::string name = requireRequantKernel(
      ctx, absl::StrCat("tp_qconv_depthwise_", cTypeSuffix(x.dtype)), y.dtype);
  if (y.numElements() == 0)
    return absl::OkStatus();
  const Tensor &w = *node.operand(3)->constant();
  const Tensor *zeroPoint = constantOperand(node, 5);
  int64_t channels = w.shape()[0], taps = w.numElements() / channels;
  // Tap t of the kernel's window (geometry's KH x KW, row by row) is the
  // weight's tap t, or with the plane transposed (the weight's window is
  // KW x KH) its tap (t % KW) * KH + t / KW.
  int64_t kh = geometry[4], kw = geometry[5];
  auto centred = [&](int64_t c, int64_t t) {
    int64_t zp = !zeroPoint ? 0 : zeroPoint->intAt(zeroPoint->numElements() == 1 ? 0 : c);
    int64_t tap = transposed ? (t % kw) * kh + t / kw : t;
    return int16_t(w.intAt(c * taps + tap) - zp);
  };
  // 3 x 3 windows with columns 1 apart and strides 1 or 2 read only the
  // SMLAD words; other windows the centred int16 weights.
  std::string weights = "0", words = "0";
  if (geometry[4] == 3 && geometry[5] == 3 && geometry[9] == 1 &&
      (geometry[7] == 1 || geometry[7] == 2)) {
    std::vector<uint8_t> bytes;
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t row = 0; row < 3; ++row)
        for (auto [lo, hi] : {std::pair<int64_t, int64_t>{0, 1}, {2, -1}}) {
          uint32_t word = (uint32_t(uint16_t(centred(c, row * 3 + lo)))) |
                          (hi < 0 ? 0u : uint32_t(uint16_t(centred(c, row * 3 + hi))) << 16);
          bytes.insert(bytes.end(), reinterpret_cast<uint8_t *>(&word),
                       reinterpret_cast<uint8_t *>(&word) + sizeof word);
        }
    words = wholeTable(ctx, node, "pairs",
                       Tensor(TensorType(DType::U32, {channels * 6}), std::move(bytes)));
  } else {
    std::vector<uint8_t> bytes(size_t(w.numElements()) * sizeof(int16_t));
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t t = 0; t < taps; ++t) {
        int16_t value = centred(c, t);
        std::memcpy(bytes.data() + (c * taps + t) * sizeof(int16_t), &value, sizeof value);
      }
    weights = wholeTable(ctx, node, "centred",
                         Tensor(TensorType(DType::I16, {w.numElements()}), std::move(bytes)));
  }
  const Value *bias = node.operand(8);
  std::vector<std::string> args = {ctx.pointer(*node.operand(0)),
                                   quantZeroPointC(ctx, node.operand(2)),
                                   weights,
                                   words,
                                   bias ? ctx.pointer(*bias) : "0",
                                   floatTable(ctx, node, "multiplier", requantMultipliers(node)),
                                   ctx.pointer(*node.result(0)),
                                   quantZeroPointC(ctx, node.operand(7)),
                                   absl::StrCat(x.shape[0]),
                                   absl::StrCat(x.shape[1]),
                                   "g",
                                   transposed ? "1" : "0",
                                   absl::StrCat(depthwiseRingRows(geometry, plane)),
                                   ctx.scratchPointer(node, "uint8_t")};
  emitWithGeometry(ctx, geometry, name, args);
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  auto add = [&](const char *name, int priority, std::function<bool(const Node &, Cpu)> supports,
                 KernelRegistry::EmitFn emit, std::function<int64_t(const Node &)> scratch) {
    KernelImpl impl;
    impl.opType = "QLinearConv";
    impl.name = name;
    impl.priority = priority;
    impl.supports = std::move(supports);
    impl.emit = std::move(emit);
    impl.scratchBytes = std::move(scratch);
    return impl;
  };
  // tp_qconv_depthwise runs the channels in order, each from its own plane.
  auto depthwiseOverlap = [](const Node &node, const LayoutPlan &layouts) {
    return channelGroupsOverlap(node, layouts, node.operand(0)->type().shape[1]);
  };
  KernelImpl blocked = add("blocked", 1, supportsBlocked, emitBlockedQLinearConv, blockedScratch);
  // A pointwise convolution (1 x 1, stride 1, no padding) of one image:
  // tp_qconv_pointwise gathers every channel of a block of 4 pixels before it
  // writes those pixels of every output channel, so output element (m, p)
  // may sit on input element (m, p), already read; anywhere else it could
  // land on a pixel still to be read, so exactly there.
  blocked.overlap = [](const Node &node, const LayoutPlan &) -> std::optional<KernelOverlap> {
    absl::StatusOr<std::vector<int64_t>> g = planeGeometry(node);
    if (!g.ok() || node.operand(0)->type().shape[0] != 1 || !isPointwise(*g))
      return std::nullopt;
    return KernelOverlap{0, 0, /*exact=*/true};
  };
  registry.add(std::move(blocked));
  KernelImpl ring = add(
      "depthwise", 1, supportsDepthwise,
      [](const Node &node, CEmitContext &ctx) { return emitDepthwiseQLinearConv(node, ctx, false); },
      [](const Node &node) { return depthwiseScratch(node, false); });
  ring.overlap = depthwiseOverlap;
  registry.add(std::move(ring));
  // The whole padded plane in the scratch: fewer rows to walk, more scratch;
  // --conv=auto takes it where the arena stays as it is.
  KernelImpl plane = add(
      "depthwise-plane", 2, supportsDepthwise,
      [](const Node &node, CEmitContext &ctx) { return emitDepthwiseQLinearConv(node, ctx, true); },
      [](const Node &node) { return depthwiseScratch(node, true); });
  plane.method = "plane";
  plane.overlap = depthwiseOverlap;
  plane.faster = depthwisePlaneFaster;
  registry.add(std::move(plane));
}

} // namespace tinyplan
