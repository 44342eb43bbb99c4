//===- ControlFlow.h - Static Ifs inlined, static Loops unrolled -*- C++ -*-===//
//
// Private to lib/Import. Exporters emit If nodes whose condition is a
// function of static shapes (a batch of 1 or not, a dim divisible or not);
// once the shapes are known the condition folds to a constant, and the If
// is its taken branch. inlineConstantIfs rewrites the ModelProto before it
// is imported: each such If becomes the nodes of its taken branch (their
// names prefixed with the If's) and Identity nodes from the branch's
// outputs to the If's. Likewise a Loop whose trip count folds (exporters
// write fixed-length recurrences so) becomes that many copies of its body,
// the carried values passed from one to the next and the scan outputs
// stacked with Unsqueeze and Concat. An If or Loop that does not fold
// stays, and is reported as unsupported control flow.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_LIB_IMPORT_CONTROLFLOW_H
#define TINYPLAN_LIB_IMPORT_CONTROLFLOW_H

#include "absl/status/statusor.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "onnx/onnx_pb.h"
#include <optional>

namespace tinyplan {

/// The value of the one-element integer or bool output 0 of \p model when
/// the import folds it to a constant (a bool as 0 or 1); nullopt when it is
/// computed at run time or the model cannot be imported.
using ScalarEvaluator =
    llvm::function_ref<std::optional<int64_t>(const onnx::ModelProto &)>;

/// Inlines every default-domain If of \p model's main graph whose condition
/// \p evaluate folds, and unrolls every Loop whose trip count folds (at most
/// 4096), whose condition input is absent or folds to true and whose body
/// passes its condition on unchanged (evaluated on copies of the model
/// reduced to the value's ancestors, with it as the only output). Returns
/// the number of nodes inlined.
absl::StatusOr<int> inlineStaticControlFlow(onnx::ModelProto &model, ScalarEvaluator evaluate);

} // namespace tinyplan

#endif
