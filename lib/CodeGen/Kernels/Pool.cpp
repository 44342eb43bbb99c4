//===- Pool.cpp - C for AveragePool, MaxPool and the global pools ---------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include <limits>

namespace tinyplan {
namespace {

/// Windowed pools run over N*C planes of up to three spatial dims (1-D and
/// 2-D with leading spatial dims of 1), the geometry in a table `g` of 22
/// int32_t: input and output extents, kernel, strides, dilations, begin and
/// end pads (each D, H, W), then count_include_pad or storage_order
/// (kernels/pool.c). Global pools reduce each (n, c) plane of S elements.
/// The _nhwc kernels read and write channels-last (C channels an image).
absl::Status emitPool(const Node &node, CEmitContext &ctx) {
  const TensorType &input = node.operand(0)->type();
  const TensorType &output = node.result(0)->type();
  bool isMax = isMaxPool(node);
  // The kernels of kernels/pool.c: f32 and f64, and i8 / u8 for MaxPool.
  bool isByte = input.dtype == DType::I8 || input.dtype == DType::U8;
  if (input.dtype != DType::F32 && input.dtype != DType::F64 &&
      !(isByte && isMax && !isGlobalPool(node)))
    return unsupportedKernel(node, absl::StrCat("element type ",
                                                dtypeName(input.dtype).str()));
  std::string suffix = absl::StrCat(ctx.channelsLast(node) ? "nhwc_" : "",
                                    cTypeSuffix(input.dtype));
  std::string x = ctx.pointer(*node.operand(0)), y = ctx.pointer(*node.result(0));
  int64_t planes = input.shape[0] * input.shape[1];
  if (isGlobalPool(node)) {
    std::string name = requireLibraryKernel(
        ctx, absl::StrCat("tp_global", isMax ? "max" : "avg", "pool_", suffix));
    int64_t size = input.numElements() / std::max<int64_t>(planes, 1);
    if (size > 0)
      ctx.emit(absl::StrCat(name, "(", x, ", ", y, ", ", cIntList({planes, input.shape[1], size}),
                            ");"));
    return absl::OkStatus();
  }
  llvm::ArrayRef<int64_t> spatial = llvm::ArrayRef<int64_t>(input.shape).drop_front(2);
  TP_ASSIGN_OR_RETURN(WindowGeometry g, poolWindowGeometry(node, ctx.opset()));
  // count_include_pad for the average, storage_order for the indices.
  TP_ASSIGN_OR_RETURN(int64_t mode, node.getInt(isMax ? "storage_order" : "count_include_pad", 0));
  // Leading spatial dims of 1 make every pool 3-D.
  std::vector<int64_t> in = {1, 1, 1}, out = {1, 1, 1}, k = {1, 1, 1}, st = {1, 1, 1},
                       dil = {1, 1, 1}, pb = {0, 0, 0}, pe = {0, 0, 0};
  size_t lead = 3 - spatial.size();
  for (size_t i = 0; i < spatial.size(); ++i) {
    in[lead + i] = spatial[i];
    out[lead + i] = output.shape[2 + i];
    k[lead + i] = g.kernel[i];
    st[lead + i] = g.strides[i];
    dil[lead + i] = g.dilations[i];
    pb[lead + i] = g.padsBegin[i];
    pe[lead + i] = g.padsEnd[i];
  }
  bool indices = node.numResults() > 1;
  std::string name = requireLibraryKernel(
      ctx, absl::StrCat("tp_", isMax ? "maxpool_" : "avgpool_", indices ? "indices_" : "", suffix));
  if (output.numElements() == 0)
    return absl::OkStatus();
  std::vector<int64_t> geometry;
  for (const auto *part : {&in, &out, &k, &st, &dil, &pb, &pe})
    geometry.insert(geometry.end(), part->begin(), part->end());
  geometry.push_back(mode);
  ctx.emit(absl::StrCat("{\n  static const int32_t g[] = {", cIntList(geometry), "};\n  ", name,
                        "(", x, ", ", y, ", ", indices ? ctx.pointer(*node.result(1)) + ", " : "",
                        planes, indices ? "" : absl::StrCat(", ", input.shape[1]), ", g);\n}"));
  return absl::OkStatus();
}

/// How a 2-D windowed pool walks its output rows: its kernels write each
/// result plane (channels-first) or the whole result (channels-last,
/// tp_*pool_nhwc) row by row; nullopt for the others. Its imported
/// attributes are valid at its opset, and strides and begin pads mean the
/// same at every opset, so any opset gives them.
std::optional<RowWalk> poolRowWalk(const Node &node) {
  if (isGlobalPool(node) || node.numResults() > 1 || node.operand(0)->type().rank() != 4)
    return std::nullopt;
  absl::StatusOr<WindowGeometry> g = poolWindowGeometry(node, std::numeric_limits<int64_t>::max());
  if (!g.ok())
    return std::nullopt;
  return RowWalk{g->strides[0], g->padsBegin[0]};
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  // MaxPool's Indices count channels-first.
  for (const char *opType : {"AveragePool", "MaxPool", "GlobalAveragePool", "GlobalMaxPool"}) {
    KernelImpl impl;
    impl.opType = opType;
    impl.name = "portable";
    impl.emit = emitPool;
    impl.layouts = [](const Node &node) {
      return node.numResults() > 1 ? LayoutRule::ChannelsFirst : LayoutRule::Same;
    };
    // Channels-first, the kernels walk the planes in order, each from its
    // own input plane; a channels-last windowed pool goes row by row.
    impl.overlap = [](const Node &node, const LayoutPlan &layouts) -> std::optional<KernelOverlap> {
      std::optional<RowWalk> walk = poolRowWalk(node);
      if (layouts.channelsLast(*node.result(0)))
        return walk ? rowsOverlap(node, layouts, *walk) : std::nullopt;
      return channelGroupsOverlap(node, layouts, node.operand(0)->type().shape[1], walk);
    };
    registry.add(std::move(impl));
  }
}

} // namespace tinyplan
