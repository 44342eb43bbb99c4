//===- ControlFlow.h - If nodes with a constant condition, inlined -*- C++ -*-===//
//
// Private to lib/Import. Exporters emit If nodes whose condition is a
// function of static shapes (a batch of 1 or not, a dim divisible or not);
// once the shapes are known the condition folds to a constant, and the If
// is its taken branch. inlineConstantIfs rewrites the ModelProto before it
// is imported: each such If becomes the nodes of its taken branch (their
// names prefixed with the If's) and Identity nodes from the branch's
// outputs to the If's. An If whose condition does not fold stays, and is
// reported as unsupported control flow.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_IMPORT_CONTROLFLOW_H
#define TINYPLAN_LIB_IMPORT_CONTROLFLOW_H

#include "absl/status/statusor.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "onnx/onnx_pb.h"
#include <optional>

namespace tinyplan {

/// The value of the bool scalar output 0 of \p model when the import folds
/// it to a constant; nullopt when it is computed at run time or the model
/// cannot be imported.
using ConditionEvaluator = llvm::function_ref<std::optional<bool>(const onnx::ModelProto &)>;

/// Inlines every default-domain If of \p model's main graph whose condition
/// \p evaluate folds (on a copy of the model reduced to the condition's
/// ancestors and with the condition as its only output). Returns the number
/// of Ifs inlined.
absl::StatusOr<int> inlineConstantIfs(onnx::ModelProto &model, ConditionEvaluator evaluate);

} // namespace tinyplan

#endif
