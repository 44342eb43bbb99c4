//===- Cast.cpp - ONNX Cast: element type conversion ----------------------===//
//
// Cast(input) {to = TensorProto.DataType}. Folds between every pair of
// numeric types (shape subgraphs cast Shape's int64 to float and back, and
// fp16 models cast their weights). Conversions are C casts: integers wrap,
// floats round to nearest even, float to integer truncates toward zero;
// where C is undefined (NaN or out-of-range float to integer) we saturate
// and map NaN to 0, so the compiler's output never depends on the host.
// The C kernel (lib/CodeGen/Kernels/Cast.cpp) computes exactly what fold
// does.
//
//===----------------------------------------------------------------------===//
#include "FoldUtils.h"
#include "tinyplan/Ops/OpDef.h"
#include "tinyplan/Ops/OpUtils.h"

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

private:
  static absl::StatusOr<DType> targetType(const Node &node) {
    if (!node.hasAttr("to"))
      return modelError("attribute 'to' is required");
    TP_ASSIGN_OR_RETURN(int64_t code, node.getInt("to", 0));
    absl::StatusOr<DType> to = dtypeFromOnnx(code);
    if (!to.ok())
      return withContext(to.status(), "attribute 'to': ");
    // Opset 19's `saturate` only concerns casts to float8, refused above.
    TP_RETURN_IF_ERROR(node.getInt("saturate", 1).status());
    return *to;
  }
};

} // namespace

TINYPLAN_REGISTER_OPS(registry) { registry.add(std::make_unique<CastOp>()); }

} // namespace tinyplan
