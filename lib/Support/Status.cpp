//===- Status.cpp - Error propagation helpers -----------------------------===//
#include "tinyplan/Support/Status.h"

namespace tinyplan {

absl::Status withContext(const absl::Status &status, absl::string_view prefix) {
  if (status.ok())
    return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

} // namespace tinyplan
