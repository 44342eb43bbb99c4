//===- TensorType.cpp - Element type plus static shape --------------------===//
#include "tinyplan/IR/TensorType.h"
#include "tinyplan/Support/Checked.h"
#include "tinyplan/Support/Status.h"

namespace tinyplan {

int64_t TensorType::numElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

void printShape(llvm::raw_ostream &os, llvm::ArrayRef<int64_t> shape) {
  os << '[';
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? "," : "") << shape[i];
  os << ']';
}

void TensorType::print(llvm::raw_ostream &os) const {
  os << dtypeName(dtype);
  printShape(os, shape);
}

std::string TensorType::str() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  print(os);
  return text;
}

absl::StatusOr<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape,
                                           DType dtype) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      return modelError("negative dimension ", dim);
    std::optional<int64_t> product = checkedMul(count, dim);
    if (!product)
      return modelError("shape product overflows");
    count = *product;
  }
  std::optional<int64_t> bytes = checkedMul(count, dtypeSize(dtype));
  if (!bytes || *bytes > kMaxTensorBytes)
    return modelError("tensor ", TensorType(dtype, shape).str(),
                      " is larger than the 2 GiB limit");
  // The kernels count and index elements with int32_t.
  if (count > kMaxTensorElements)
    return modelError("tensor ", TensorType(dtype, shape).str(), " has ", count,
                      " elements, more than the 2^31 - 1 the kernels' int32_t counts reach");
  return count;
}

} // namespace tinyplan
