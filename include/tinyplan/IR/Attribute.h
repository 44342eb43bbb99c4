//===- Attribute.h - Typed node attributes ----------------------*- C++ -*-===//
#ifndef TINYPLAN_IR_ATTRIBUTE_H
#define TINYPLAN_IR_ATTRIBUTE_H

#include "tinyplan/IR/Tensor.h"
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace tinyplan {

/// One ONNX attribute value. Graph-valued attributes are rejected at import.
class Attribute {
public:
  enum class Kind { Int, Float, String, Ints, Floats, Strings, Tensor };

  Attribute(int64_t v) : value_(v) {}
  Attribute(float v) : value_(v) {}
  Attribute(std::string v) : value_(std::move(v)) {}
  Attribute(std::vector<int64_t> v) : value_(std::move(v)) {}
  Attribute(std::vector<float> v) : value_(std::move(v)) {}
  Attribute(std::vector<std::string> v) : value_(std::move(v)) {}
  Attribute(Tensor v) : value_(std::make_shared<const Tensor>(std::move(v))) {}

  Kind kind() const { return static_cast<Kind>(value_.index()); }
  int64_t getInt() const { return std::get<int64_t>(value_); }
  float getFloat() const { return std::get<float>(value_); }
  const std::string &getString() const { return std::get<std::string>(value_); }
  const std::vector<int64_t> &getInts() const {
    return std::get<std::vector<int64_t>>(value_);
  }
  const std::vector<float> &getFloats() const {
    return std::get<std::vector<float>>(value_);
  }
  const std::vector<std::string> &getStrings() const {
    return std::get<std::vector<std::string>>(value_);
  }
  const Tensor &getTensor() const {
    return *std::get<std::shared_ptr<const Tensor>>(value_);
  }

  void print(llvm::raw_ostream &os) const;

private:
  std::variant<int64_t, float, std::string, std::vector<int64_t>,
               std::vector<float>, std::vector<std::string>,
               std::shared_ptr<const Tensor>>
      value_;
};

/// "int", "float", "string", "ints", ... for diagnostics.
llvm::StringRef attributeKindName(Attribute::Kind kind);

/// Prints a float so it reads back exactly and always shows it is a float.
void printFloat(llvm::raw_ostream &os, double value);

} // namespace tinyplan

#endif
