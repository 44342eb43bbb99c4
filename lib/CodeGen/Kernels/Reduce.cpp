//===- Reduce.cpp - C for the Reduce family -------------------------------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/CodeGen/KernelRegistry.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpParams.h"

namespace tinyplan {
namespace {

/// How kernels/reduce.c computes one op: the combining and finishing
/// steps (tp_red_COMBINE_*, tp_red_FINISH_*) and the accumulator's start,
/// as C for the floats and for the signed and unsigned integers ("" when
/// the op takes no integers).
struct ReduceC {
  const char *opType, *combine, *finish, *floatInit;
  enum class IntInit { None, Zero, One, Lowest, Highest } intInit;
};

constexpr ReduceC kReduceC[] = {
    {"ReduceMean", "add", "mean", "0", ReduceC::IntInit::Zero},
    {"ReduceSum", "add", "keep", "0", ReduceC::IntInit::Zero},
    {"ReduceMax", "max", "keep", "-HUGE_VALF", ReduceC::IntInit::Lowest},
    {"ReduceMin", "min", "keep", "HUGE_VALF", ReduceC::IntInit::Highest},
    {"ReduceProd", "mul", "keep", "1", ReduceC::IntInit::One},
    {"ReduceL1", "abs", "keep", "0", ReduceC::IntInit::Zero},
    {"ReduceL2", "sq", "sqrt", "0", ReduceC::IntInit::None},
    {"ReduceLogSum", "add", "log", "0", ReduceC::IntInit::None},
    {"ReduceSumSquare", "sq", "keep", "0", ReduceC::IntInit::Zero},
    // Two walks (the maximum, then the sum of exponentials): a kernel of
    // its own, for f32 and f64.
    {"ReduceLogSumExp", nullptr, nullptr, nullptr, ReduceC::IntInit::None},
};

const ReduceC &reduceC(llvm::StringRef opType) {
  for (const ReduceC &row : kReduceC)
    if (opType == row.opType)
      return row;
  llvm_unreachable("not a Reduce op");
}

bool isUnsigned(DType type) {
  return type == DType::U8 || type == DType::U16 || type == DType::U32 || type == DType::U64;
}

/// The C name of an integer type (int8_t, uint32_t, ...).
std::string cIntType(DType type) {
  std::string suffix = cTypeSuffix(type);
  return absl::StrCat(isUnsigned(type) ? "uint" : "int", suffix.substr(1), "_t");
}

/// The accumulator's start for an integer reduction.
std::string intInit(ReduceC::IntInit init, DType type) {
  std::string bits = cTypeSuffix(type).substr(1);
  switch (init) {
  case ReduceC::IntInit::Lowest:
    return isUnsigned(type) ? "0" : absl::StrCat("INT", bits, "_MIN");
  case ReduceC::IntInit::Highest:
    return absl::StrCat(isUnsigned(type) ? "UINT" : "INT", bits, "_MAX");
  case ReduceC::IntInit::One:
    return "1";
  default:
    return "0";
  }
}

/// The kernel for \p row on \p type: written in kernels/reduce.c, or an
/// instance of the type's sum kernel with the steps replaced.
absl::StatusOr<std::string> reduceKernel(const Node &node, CEmitContext &ctx,
                                         const ReduceC &row, DType type, std::string &init) {
  // bool (ReduceMax and ReduceMin) is stored as bytes 0 and 1: the maximum
  // is any, the minimum all, and all of nothing is true.
  bool isBool = type == DType::Bool;
  if (isBool)
    type = DType::U8;
  std::string name = absl::StrCat("tp_", llvm::StringRef(row.opType).lower(), "_",
                                  cTypeSuffix(type));
  std::vector<std::pair<std::string, std::string>> map;
  std::string prototype, acc;
  if (!row.combine) { // ReduceLogSumExp
    if (type != DType::F32 && type != DType::F64)
      return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str(),
                                                  " (only f32 and f64)"));
    return requireLibraryKernel(ctx, name);
  }
  std::string combine = row.combine;
  if (isFloat(type)) {
    bool f64 = type == DType::F64;
    acc = f64 ? "f64" : "f32";
    prototype = type == DType::F16 || type == DType::BF16 ? "tp_reducesum_f16" : "tp_reducesum_f32";
    init = row.floatInit;
    if (f64) {
      map.emplace_back("float", "double");
      if (init.find("HUGE_VALF") != std::string::npos)
        init.pop_back();
    }
    if (type == DType::BF16) {
      map.emplace_back("tp_f16_to_f32", "tp_bf16_to_f32");
      map.emplace_back("tp_f32_to_f16", "tp_f32_to_bf16");
    }
  } else {
    if (row.intInit == ReduceC::IntInit::None)
      return unsupportedKernel(node, absl::StrCat("element type ", dtypeName(type).str(),
                                                  " (only floats)"));
    bool isU = isUnsigned(type);
    acc = isU ? "u64" : "i64";
    prototype = "tp_reducesum_i8";
    init = intInit(row.intInit, type);
    if (isBool && row.intInit == ReduceC::IntInit::Highest)
      init = "1";
    if (type != DType::I8)
      map.emplace_back("int8_t", cIntType(type));
    if (isU) {
      map.emplace_back("int64_t", "uint64_t");
      if (combine == "abs") // |x| of an unsigned x is x
        combine = "add";
    }
  }
  if (KernelLibrary::builtin().find(name))
    return requireLibraryKernel(ctx, name);
  std::string protoAcc = prototype == "tp_reducesum_i8" ? "i64" : "f32";
  map.emplace_back(absl::StrCat("tp_red_add_", protoAcc), absl::StrCat("tp_red_", combine, "_", acc));
  map.emplace_back(absl::StrCat("tp_red_keep_", protoAcc),
                   absl::StrCat("tp_red_", row.finish, "_", acc));
  return requireKernelInstance(ctx, prototype, name, map);
}

/// For each output element in order, folds the reduced elements into a
/// local and finishes it (kernels/reduce.c): floats in their own type (f16
/// and bf16 in float); integers in 64 bits, a mean dividing truncating
/// toward zero, as ONNX Runtime does.
absl::Status emitReduce(const Node &node, CEmitContext &ctx) {
  const Value &input = *node.operand(0), &result = *node.result(0);
  const TensorType &data = input.type();
  const ReduceC &row = reduceC(node.opType());
  TP_ASSIGN_OR_RETURN(llvm::SmallBitVector reduced, reducedAxes(node, ctx.opset()));
  if (lookupOp(node)->isView(node, 0)) {
    emitCopy(ctx, result, input);
    return absl::OkStatus();
  }
  // Told to reduce nothing, ONNX's reference returns the input as it is,
  // ONNX Runtime each element reduced on its own (|x| for ReduceL1).
  TP_ASSIGN_OR_RETURN(int64_t noop, node.getInt("noop_with_empty_axes", 0));
  if (noop != 0 && reduced.none())
    return unsupportedKernel(node, "noop_with_empty_axes and no axes (ONNX's reference and "
                                   "ONNX Runtime disagree on the result)");
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
  std::string init;
  TP_ASSIGN_OR_RETURN(std::string name, reduceKernel(node, ctx, row, data.dtype, init));
  ctx.emit(absl::StrCat("{\n  static const int32_t od[] = {", cIntList(dims[0]),
                        "}, os[] = {", cIntList(steps[0]), "};\n  static const int32_t rd[] = {",
                        cIntList(dims[1]), "}, rs[] = {", cIntList(steps[1]), "};\n  ", name,
                        "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ",
                        dims[0].size(), ", od, os, ", dims[1].size(), ", rd, rs, ", count,
                        init.empty() ? "" : ", ", init, ");\n}"));
  return absl::OkStatus();
}

} // namespace

TINYPLAN_REGISTER_KERNELS(registry) {
  for (const ReduceC &row : kReduceC)
    registry.addPortable(row.opType, emitReduce);
}

} // namespace tinyplan
