//===- OpDef.cpp - Operator registry and defaults -------------------------===//
#include "tinyplan/Ops/OpDef.h"

#include <algorithm>

namespace tinyplan {

absl::StatusOr<TensorList> OpDef::fold(const Node &, llvm::ArrayRef<const Tensor *>,
                                       int64_t) const {
  return absl::UnimplementedError(
      absl::StrCat(opType_, " cannot be evaluated at compile time"));
}

OpCost OpDef::cost(const Node &node) const {
  OpCost cost;
  for (const Value *operand : node.operands())
    if (operand && operand->isConstant() && operand->type().dtype != DType::I64)
      cost.params += operand->type().numElements();
  return cost;
}

bool OpDef::isView(const Node &, unsigned) const { return false; }

llvm::SmallVector<unsigned, 2> OpDef::inPlaceOperands(const Node &, unsigned) const {
  return {};
}

std::optional<llvm::SmallVector<int64_t, 4>> OpDef::operandSlices(const Node &) const {
  return std::nullopt;
}

int64_t OpDef::scratchBytes(const Node &) const { return 0; }

std::optional<PatchWindow> OpDef::patchWindow(const Node &, int64_t) const {
  return std::nullopt;
}

void OpDef::setPatchPads(Graph &, Node &patch, std::array<int64_t, 2> begin,
                         std::array<int64_t, 2> end) const {
  patch.setAttr("pads", std::vector<int64_t>{begin[0], begin[1], end[0], end[1]});
  if (patch.hasAttr("auto_pad"))
    patch.setAttr("auto_pad", std::string("NOTSET"));
}

bool OpDef::isIdentity(const Node &) const { return false; }

std::optional<FusedActivation> OpDef::fusableActivation(const Node &) const {
  return std::nullopt;
}

bool OpDef::acceptsFusedActivation(const Node &) const { return false; }

std::optional<ChannelAffine> OpDef::channelAffine(const Node &) const {
  return std::nullopt;
}

std::optional<ChannelLinearity> OpDef::channelLinearity(const Node &) const {
  return std::nullopt;
}

std::optional<QdqFusion> OpDef::qdqFusion(const Node &, int64_t) const {
  return std::nullopt;
}

std::optional<unsigned> OpDef::biasAddOperand(const Node &) const {
  return std::nullopt;
}

OpRegistry &OpRegistry::instance() {
  static OpRegistry registry;
  return registry;
}

llvm::StringRef canonicalDomain(llvm::StringRef domain) {
  return domain == "ai.onnx" ? llvm::StringRef() : domain;
}

const OpDef *OpRegistry::lookup(llvm::StringRef domain,
                                llvm::StringRef opType) const {
  domain = canonicalDomain(domain);
  for (const auto &op : ops_)
    if (op->opType() == opType && canonicalDomain(op->domain()) == domain)
      return op.get();
  return nullptr;
}

void OpRegistry::add(std::unique_ptr<OpDef> op) { ops_.push_back(std::move(op)); }

std::vector<const OpDef *> OpRegistry::all() const {
  std::vector<const OpDef *> result;
  for (const auto &op : ops_)
    result.push_back(op.get());
  std::sort(result.begin(), result.end(), [](const OpDef *a, const OpDef *b) {
    return std::make_pair(a->domain(), a->opType()) <
           std::make_pair(b->domain(), b->opType());
  });
  return result;
}

const OpDef *lookupOp(const Node &node) {
  return OpRegistry::instance().lookup(node.domain(), node.opType());
}

} // namespace tinyplan
