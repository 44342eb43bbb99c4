//===- DType.cpp - Element types ------------------------------------------===//
#include "tinyplan/IR/DType.h"

namespace tinyplan {

namespace {
struct DTypeInfo {
  DType type;
  const char *name;
  int64_t size;
};
// Indexed by the enum's value.
constexpr DTypeInfo kDTypes[] = {
    {DType::F32, "f32", 4},  {DType::F16, "f16", 2},  {DType::BF16, "bf16", 2},
    {DType::F64, "f64", 8},  {DType::I8, "i8", 1},    {DType::U8, "u8", 1},
    {DType::I16, "i16", 2},  {DType::U16, "u16", 2},  {DType::I32, "i32", 4},
    {DType::U32, "u32", 4},  {DType::I64, "i64", 8},  {DType::U64, "u64", 8},
    {DType::Bool, "bool", 1},
};
} // namespace

int64_t dtypeSize(DType type) { return kDTypes[unsigned(type)].size; }

llvm::StringRef dtypeName(DType type) { return kDTypes[unsigned(type)].name; }

std::optional<DType> parseDType(llvm::StringRef name) {
  for (const DTypeInfo &info : kDTypes)
    if (name == info.name)
      return info.type;
  return std::nullopt;
}

bool isFloat(DType type) {
  return type == DType::F32 || type == DType::F16 || type == DType::BF16 ||
         type == DType::F64;
}

bool isInteger(DType type) { return !isFloat(type) && type != DType::Bool; }

bool isSignedInteger(DType type) {
  return type == DType::I8 || type == DType::I16 || type == DType::I32 ||
         type == DType::I64;
}

} // namespace tinyplan
