//===- TensorConversion.cpp - onnx::TensorProto -> Tensor -----------------===//
#include "TensorConversion.h"
#include "tinyplan/Ops/OpUtils.h"
#include "tinyplan/Support/Status.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <fstream>

namespace tinyplan {

absl::StatusOr<DType> convertDataType(int32_t onnxType) {
  return dtypeFromOnnx(onnxType);
}

/// Copies \p count typed values into little-endian bytes of \p dtype.
template <typename Source>
static std::vector<uint8_t> packValues(const Source &values, DType dtype) {
  int64_t size = dtypeSize(dtype);
  std::vector<uint8_t> bytes(values.size() * size);
  uint8_t *out = bytes.data();
  for (auto value : values) {
    switch (dtype) {
    case DType::F32: { float v = value; std::memcpy(out, &v, 4); break; }
    case DType::F64: { double v = value; std::memcpy(out, &v, 8); break; }
    case DType::I8: { int8_t v = value; std::memcpy(out, &v, 1); break; }
    case DType::U8: case DType::Bool: { uint8_t v = value; std::memcpy(out, &v, 1); break; }
    case DType::I16: { int16_t v = value; std::memcpy(out, &v, 2); break; }
    // f16/bf16 travel as their bit patterns in int32_data.
    case DType::U16: case DType::F16: case DType::BF16: {
      uint16_t v = value; std::memcpy(out, &v, 2); break; }
    case DType::I32: { int32_t v = value; std::memcpy(out, &v, 4); break; }
    case DType::U32: { uint32_t v = value; std::memcpy(out, &v, 4); break; }
    case DType::I64: { int64_t v = value; std::memcpy(out, &v, 8); break; }
    case DType::U64: { uint64_t v = value; std::memcpy(out, &v, 8); break; }
    }
    out += size;
  }
  return bytes;
}

/// Resolves an external-data location inside \p baseDir, refusing anything
/// that would read outside it (absolute paths, "..", symlinks out).
static absl::StatusOr<std::string> confineLocation(llvm::StringRef location,
                                                   llvm::StringRef baseDir) {
  if (location.empty())
    return modelError("external data has no location");
  if (llvm::sys::path::is_absolute(location) || location.starts_with("/") ||
      location.starts_with("\\"))
    return modelError("external data location '", location.str(),
                      "' is an absolute path; it must be relative to the "
                      "model's directory");
  for (auto it = llvm::sys::path::begin(location),
            end = llvm::sys::path::end(location);
       it != end; ++it)
    if (*it == "..")
      return modelError("external data location '", location.str(),
                        "' escapes the model's directory");
  llvm::SmallString<256> realBase, realFile, joined(baseDir);
  llvm::sys::path::append(joined, location);
  if (llvm::sys::fs::real_path(baseDir, realBase))
    return modelError("cannot resolve the model's directory '", baseDir.str(), "'");
  if (std::error_code ec = llvm::sys::fs::real_path(joined, realFile))
    return modelError("cannot open external data file '", location.str(),
                      "': ", ec.message());
  llvm::StringRef file = realFile;
  if (!file.starts_with(realBase) || file.size() <= realBase.size() ||
      !llvm::sys::path::is_separator(file[realBase.size()]))
    return modelError("external data location '", location.str(),
                      "' resolves outside the model's directory");
  if (!llvm::sys::fs::is_regular_file(realFile))
    return modelError("external data location '", location.str(),
                      "' is not a regular file");
  return std::string(realFile);
}

static absl::StatusOr<std::vector<uint8_t>>
readExternal(const onnx::TensorProto &proto, llvm::StringRef baseDir,
             int64_t expectedBytes) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &entry : proto.external_data()) {
    const std::string &value = entry.value();
    auto parseCount = [&](int64_t &out) -> absl::Status {
      if (value.empty() || value.size() > 18 ||
          value.find_first_not_of("0123456789") != std::string::npos)
        return modelError("external data ", entry.key(), " '", value,
                          "' is not a non-negative integer");
      out = std::stoll(value);
      return absl::OkStatus();
    };
    if (entry.key() == "location")
      location = value;
    else if (entry.key() == "offset")
      TP_RETURN_IF_ERROR(parseCount(offset));
    else if (entry.key() == "length")
      TP_RETURN_IF_ERROR(parseCount(length));
  }
  TP_ASSIGN_OR_RETURN(std::string path, confineLocation(location, baseDir));
  if (length >= 0 && length != expectedBytes)
    return modelError("external data length ", length, " does not match the ",
                      expectedBytes, " bytes its shape needs");
  uint64_t fileSize = 0;
  if (llvm::sys::fs::file_size(path, fileSize))
    return modelError("cannot read external data file '", location, "'");
  if (uint64_t(offset) > fileSize || fileSize - offset < uint64_t(expectedBytes))
    return modelError("external data for offset ", offset, " and ",
                      expectedBytes, " bytes runs past the end of '", location,
                      "' (", fileSize, " bytes)");
  std::vector<uint8_t> bytes(expectedBytes);
  std::ifstream in(path, std::ios::binary);
  in.seekg(offset);
  in.read(reinterpret_cast<char *>(bytes.data()), expectedBytes);
  if (!in)
    return modelError("cannot read external data file '", location, "'");
  return bytes;
}

absl::StatusOr<Tensor> convertTensor(const onnx::TensorProto &proto,
                                     llvm::StringRef baseDir) {
  TP_ASSIGN_OR_RETURN(DType dtype, convertDataType(proto.data_type()));
  Shape shape(proto.dims().begin(), proto.dims().end());
  TP_ASSIGN_OR_RETURN(int64_t count, checkedNumElements(shape, dtype));
  TensorType type(dtype, shape);
  int64_t expectedBytes = count * dtypeSize(dtype);
  if (proto.has_segment())
    return modelError("segmented tensors are not supported");

  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    TP_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                        readExternal(proto, baseDir, expectedBytes));
    return Tensor(type, std::move(bytes));
  }
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    if (int64_t(raw.size()) != expectedBytes)
      return modelError("raw_data has ", raw.size(), " bytes, but ",
                        type.str(), " needs ", expectedBytes);
    return Tensor(type, std::vector<uint8_t>(raw.begin(), raw.end()));
  }

  // Typed fields: exactly one matches the dtype.
  auto fromField = [&](const auto &field) -> absl::StatusOr<Tensor> {
    if (int64_t(field.size()) != count)
      return modelError("has ", field.size(), " values, but ", type.str(),
                        " needs ", count);
    return Tensor(type, packValues(field, dtype));
  };
  switch (dtype) {
  case DType::F32: return fromField(proto.float_data());
  case DType::F64: return fromField(proto.double_data());
  case DType::I64: return fromField(proto.int64_data());
  case DType::U32:
  case DType::U64: return fromField(proto.uint64_data());
  default: return fromField(proto.int32_data());
  }
}

} // namespace tinyplan
