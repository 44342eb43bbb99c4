//===- TensorConversion.h - onnx::TensorProto -> Tensor ---------*- C++ -*-===//
//
// Private to lib/Import. Decodes every ONNX tensor encoding (raw_data,
// float_data, int32_data, int64_data, double_data, uint64_data, external
// data) into a Tensor, checking element counts and sizes first.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_IMPORT_TENSORCONVERSION_H
#define TINYPLAN_LIB_IMPORT_TENSORCONVERSION_H

#include "tinyplan/IR/Tensor.h"
#include "onnx/onnx_pb.h"

namespace tinyplan {

/// Our dtype for an ONNX TensorProto::DataType value, or an error naming it.
absl::StatusOr<DType> convertDataType(int32_t onnxType);

/// Decodes \p proto. External data files are looked up relative to
/// \p baseDir and must stay inside it.
absl::StatusOr<Tensor> convertTensor(const onnx::TensorProto &proto,
                                     llvm::StringRef baseDir);

} // namespace tinyplan

#endif
