//===- Passes.cpp - Pass names and the default pipeline -------------------===//
//
// The default order: turn QDQ groups into integer ops first (folding
// would turn their weights' DequantizeLinear into float constants), then
// fold constants (other patterns want constant weights), then drop
// Identity/Dropout and dead nodes so producers are directly followed by
// their single reader, then fold BatchNormalization
// into the linear op before it, and only then fuse activations (a Conv ->
// BatchNormalization -> Relu chain becomes one Conv).
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Transforms/Passes.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace tinyplan {

namespace {
struct PassEntry {
  const char *name;
  std::unique_ptr<Pass> (*create)();
};

const PassEntry kPasses[] = {
    {"fuse-qdq", createFuseQdqPass},
    {"fold-constants", createFoldConstantsPass},
    {"remove-identity", createRemoveIdentityPass},
    {"remove-dead-nodes", createRemoveDeadNodesPass},
    {"fold-batchnorm", createFoldBatchNormPass},
    {"fuse-activations", createFuseActivationsPass},
};
} // namespace

std::vector<std::string> allPassNames() {
  std::vector<std::string> names;
  for (const PassEntry &entry : kPasses)
    names.push_back(entry.name);
  return names;
}

absl::StatusOr<std::unique_ptr<Pass>> createPassByName(llvm::StringRef name) {
  for (const PassEntry &entry : kPasses)
    if (name == entry.name)
      return entry.create();
  return absl::InvalidArgumentError(absl::StrCat("unknown pass '", name.str(),
                                                 "' (passes: ",
                                                 absl::StrJoin(allPassNames(), ", "),
                                                 ")"));
}

PassPipeline buildDefaultPipeline() {
  PassPipeline pipeline;
  for (const PassEntry &entry : kPasses)
    pipeline.add(entry.create());
  return pipeline;
}

absl::StatusOr<PassPipeline> buildPipeline(llvm::StringRef commaSeparatedNames) {
  PassPipeline pipeline;
  if (commaSeparatedNames.trim().empty())
    return pipeline;
  for (absl::string_view name :
       absl::StrSplit(absl::string_view(commaSeparatedNames.data(),
                                        commaSeparatedNames.size()),
                      ',')) {
    TP_ASSIGN_OR_RETURN(std::unique_ptr<Pass> pass,
                        createPassByName(llvm::StringRef(name.data(), name.size()).trim()));
    pipeline.add(std::move(pass));
  }
  return pipeline;
}

} // namespace tinyplan
