//===- Activations.cpp - The activations, one row each --------------------===//
#include "tinyplan/Ops/Activations.h"

#include <limits>

namespace tinyplan {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr ActivationParam kLeakyRelu[] = {{"alpha", "fused_alpha", 0.01f}};
constexpr ActivationParam kHardSigmoid[] = {{"alpha", "fused_alpha", 0.2f},
                                            {"beta", "fused_beta", 0.5f}};
constexpr ActivationParam kAlpha1[] = {{"alpha", "fused_alpha", 1.0f}};
// Selu's gamma rides in fused_beta.
constexpr ActivationParam kSelu[] = {{"alpha", "fused_alpha", 1.67326319217681884765625f},
                                     {"gamma", "fused_beta", 1.05070102214813232421875f}};
constexpr ActivationParam kClip[] = {{"min", "fused_min", -kInf}, {"max", "fused_max", kInf}};

const ActivationInfo kActivations[] = {
    {"Relu", {}},
    {"LeakyRelu", kLeakyRelu},
    {"Sigmoid", {}},
    {"Tanh", {}},
    {"HardSigmoid", kHardSigmoid},
    {"HardSwish", {}},
    {"Clip", kClip},
    {"Elu", kAlpha1},
    {"Selu", kSelu},
    {"Celu", kAlpha1},
    {"ThresholdedRelu", kAlpha1},
    {"Softplus", {}},
    {"Softsign", {}},
    {"Mish", {}},
};

} // namespace

llvm::ArrayRef<ActivationInfo> activations() { return kActivations; }

const ActivationInfo *findActivation(llvm::StringRef opType) {
  for (const ActivationInfo &info : kActivations)
    if (opType == info.opType)
      return &info;
  return nullptr;
}

} // namespace tinyplan
