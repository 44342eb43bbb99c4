//===- Cast.cpp - ONNX Cast: element type conversion ----------------------===//
//
// Cast(input) {to = TensorProto.DataType}. Folds between every pair of
// numeric types (shape subgraphs cast Shape's int64 to float and back, and
// fp16 models cast their weights). Conversions are C casts: integers wrap,
// floats round to nearest even, float to integer truncates toward zero;
// where C is undefined (NaN or out-of-range float to integer) we saturate
// and map NaN to 0, so the compiler's output never depends on the host.
// The C kernel computes exactly what fold does; f16 and bf16 are bit
// patterns converted through float (see requireToNarrowFloatC).
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/CEmit.h"
#include "tinyplan/Ops/OpDef.h"

namespace tinyplan {
namespace {

class CastOp final : public OpDef {
public:
  CastOp() : OpDef("Cast", 1, 1) {}

  absl::StatusOr<TypeList> inferTypes(const Node &node, int64_t) const override {
    TP_ASSIGN_OR_RETURN(DType to, targetType(node));
    return TypeList{TensorType(to, node.operand(0)->type().shape)};
  }

  bool canFold() const override { return true; }

  absl::StatusOr<TensorList> fold(const Node &node,
                                  llvm::ArrayRef<const Tensor *> operands,
                                  int64_t) const override {
    const Tensor &input = *operands[0];
    const TensorType &type = node.result(0)->type();
    DType from = input.dtype();
    auto convert = [&](int64_t i, uint8_t *out) {
      if (isFloat(from)) {
        storeDoubleElement(type.dtype, out, input.doubleAt(i));
      } else if (from == DType::U64 && isFloat(type.dtype)) {
        // Above INT64_MAX the signed view would be negative.
        uint64_t value = uint64_t(input.intAt(i));
        if (type.dtype == DType::F32) {
          float f = float(value);
          std::memcpy(out, &f, 4);
        } else {
          storeDoubleElement(type.dtype, out, double(value));
        }
      } else {
        storeIntElement(type.dtype, out, input.intAt(i));
      }
    };
    if (input.isSplat()) {
      std::vector<uint8_t> element(size_t(dtypeSize(type.dtype)));
      convert(0, element.data());
      return TensorList{Tensor::splat(type, element)};
    }
    return TensorList{buildTensor(type, convert)};
  }

  /// Same element size: y[i] is written after x[i] is read.
  llvm::SmallVector<unsigned, 2> inPlaceOperands(const Node &node,
                                                 unsigned) const override {
    if (dtypeSize(node.operand(0)->type().dtype) == dtypeSize(node.result(0)->type().dtype))
      return {0};
    return {};
  }

  /// One loop applying conversionC to every element.
  absl::Status emitC(const Node &node, CEmitContext &ctx) const override {
    DType from = node.operand(0)->type().dtype, to = node.result(0)->type().dtype;
    const Value &input = *node.operand(0), &result = *node.result(0);
    if (from == to) {
      emitCopy(ctx, result, input);
      return absl::OkStatus();
    }
    std::string name = absl::StrCat("tp_cast_", cTypeSuffix(from), "_", cTypeSuffix(to));
    ctx.requireKernel(name, absl::StrCat("static void ", name, "(const ",
                                         cStorageType(from).str(), " *x, ",
                                         cStorageType(to).str(), R"( *y, int32_t n) {
  int32_t i;
  for (i = 0; i < n; ++i) {
    const )", cStorageType(from).str(), " v = x[i];\n    y[i] = ",
                                         conversionC(ctx, from, to), ";\n  }\n}\n"));
    int64_t n = result.type().numElements();
    if (n > 0)
      ctx.emit(absl::StrCat(name, "(", ctx.pointer(input), ", ", ctx.pointer(result), ", ", n,
                            ");"));
    return absl::OkStatus();
  }

private:
  /// The C expression converting `v` (stored as type \p from) to \p to,
  /// exactly as fold does; requires the helpers it calls.
  static std::string conversionC(CEmitContext &ctx, DType from, DType to) {
    std::string type = cStorageType(to).str();
    std::string v = "v";
    if (from == DType::F16 || from == DType::BF16) {
      // Exact in float; from there as a float source.
      v = absl::StrCat(requireNarrowToFloatC(ctx, from), "(v)");
      from = DType::F32;
      if (to == DType::F32)
        return v;
    }
    if (to == DType::Bool)
      return absl::StrCat("(uint8_t)(", v, " != 0)");
    if (to == DType::F16 || to == DType::BF16) {
      // One rounding: integers up to 16 bits are exact in float, wider ones
      // go through double as fold does.
      if (from == DType::F32 || (!isFloat(from) && dtypeSize(from) <= 2))
        return absl::StrCat(requireToNarrowFloatC(ctx, DType::F32, to), "(",
                            from == DType::F32 ? "" : "(float)", v, ")");
      return absl::StrCat(requireToNarrowFloatC(ctx, DType::F64, to), "(",
                          from == DType::F64 ? "" : "(double)", v, ")");
    }
    if (isFloat(to) || !isFloat(from))
      return absl::StrCat("(", type, ")", v);
    // Float to integer: C leaves NaN and out-of-range values undefined;
    // saturate to int64 (NaN is 0) and wrap, as fold does.
    std::string f = from == DType::F32 ? "f" : "";
    std::string suffix = cTypeSuffix(from);
    std::string toI64 = absl::StrCat("tp_", suffix, "_to_i64");
    std::string floatType = from == DType::F32 ? "float" : "double";
    ctx.requireKernel(toI64, absl::StrCat("static int64_t ", toI64, "(", floatType,
                                          " v) {\n  return v != v ? 0 : v >= 0x1p63", f,
                                          " ? INT64_MAX : v <= -0x1p63", f,
                                          " ? INT64_MIN : (int64_t)v;\n}\n"));
    if (to != DType::U64)
      return absl::StrCat("(", type, ")", toI64, "(", v, ")");
    std::string toU64 = absl::StrCat("tp_", suffix, "_to_u64");
    ctx.requireKernel(toU64, absl::StrCat("static uint64_t ", toU64, "(", floatType,
                                          " v) {\n  return v >= 0x1p63", f, " ? (v >= 0x1p64",
                                          f, " ? UINT64_MAX : (uint64_t)v) : (uint64_t)", toI64,
                                          "(v);\n}\n"));
    return absl::StrCat(toU64, "(", v, ")");
  }

  static absl::StatusOr<DType> targetType(const Node &node) {
    if (!node.hasAttr("to"))
      return modelError("attribute 'to' is required");
    TP_ASSIGN_OR_RETURN(int64_t code, node.getInt("to", 0));
    std::optional<DType> to = dtypeFromOnnxCode(code);
    if (!to)
      return modelError("cannot cast to ONNX data type ", code,
                        " (tinyplan has no strings, complex or 8-bit floats)");
    return *to;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<CastOp>()); }

} // namespace tinyplan
