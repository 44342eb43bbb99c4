//===- Printer.cpp - Textual form of the IR -------------------------------===//
//
// One entity a line, stable for FileCheck:
//   graph @lenet5(%input: f32[1,1,32,32]) -> (%probs) {
//     const @conv1.w: f32[6,1,5,5]
//     const @shape: i64[2] = [1, -1]
//     %conv1 = Conv(%input, @conv1.w, @conv1.b) {kernel_shape = [5, 5]} : f32[1,6,28,28]
//   }
// Constants print as @name (with their values when small), other values as
// %name, an omitted optional operand as `none`. Attributes are sorted.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/IR/Graph.h"

#include "llvm/ADT/STLExtras.h"

namespace tinyplan {

static void printRef(llvm::raw_ostream &os, const Value *value) {
  if (!value) {
    os << "none";
    return;
  }
  os << (value->isConstant() ? '@' : '%') << value->name();
}

/// Integer constants up to this many elements show their values in the dump
/// (shapes, axes); float ones only when tiny (scalars like Clip bounds).
constexpr int64_t kPrintedIntElements = 16;
constexpr int64_t kPrintedFloatElements = 4;

void Graph::print(llvm::raw_ostream &os) const {
  os << "graph @" << name_ << '(';
  llvm::interleaveComma(inputs_, os, [&](const Value *input) {
    printRef(os, input);
    os << ": ";
    input->type().print(os);
  });
  os << ") -> (";
  llvm::interleaveComma(outputs_, os,
                        [&](const Value *output) { printRef(os, output); });
  os << ") {\n";

  for (const auto &value : values_) {
    if (!value->isConstant())
      continue;
    os << "  const ";
    printRef(os, value.get());
    os << ": ";
    value->type().print(os);
    const Tensor &data = *value->constant();
    int64_t limit =
        isFloat(data.dtype()) ? kPrintedFloatElements : kPrintedIntElements;
    if (data.isSplat() || data.numElements() <= limit) {
      os << " = ";
      data.printValues(os, limit);
    }
    os << '\n';
  }

  for (const auto &node : nodes_) {
    os << "  ";
    llvm::interleaveComma(node->results(), os,
                          [&](const Value *result) { printRef(os, result); });
    os << " = ";
    if (!node->domain().empty())
      os << node->domain() << "::";
    os << node->opType() << '(';
    llvm::interleaveComma(node->operands(), os,
                          [&](const Value *operand) { printRef(os, operand); });
    os << ')';
    if (!node->attributes().empty()) {
      os << " {";
      llvm::interleaveComma(node->attributes(), os, [&](const auto &entry) {
        os << entry.first << " = ";
        entry.second.print(os);
      });
      os << '}';
    }
    os << " : ";
    llvm::interleaveComma(node->results(), os, [&](const Value *result) {
      if (result->hasType())
        result->type().print(os);
      else
        os << "<untyped>";
    });
    os << '\n';
  }
  os << "}\n";
}

} // namespace tinyplan
