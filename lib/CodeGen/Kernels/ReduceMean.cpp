//===- ReduceMean.cpp - C for ReduceMean ----------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpParams.h"

#include "absl/strings/str_replace.h"

namespace tinyplan {
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

/// Floats sum in their own type (f16 and bf16 in float); integers sum in
/// 64 bits and divide truncating toward zero, as ONNX Runtime does.
absl::Status emitReduceMean(const Node &node, CEmitContext &ctx) {
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

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) { registry.addPortable("ReduceMean", emitReduceMean); }

} // namespace tinyplan
