//===- FileOutput.h - All-or-nothing file writing ---------------*- C++ -*-===//
//
// tinyplan never leaves a half-written output behind: content goes to a
// temporary file beside the target and is renamed over it only on success.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_SUPPORT_FILEOUTPUT_H
#define TINYPLAN_SUPPORT_FILEOUTPUT_H

#include "absl/status/status.h"
#include "llvm/ADT/StringRef.h"

namespace tinyplan {

/// Writes \p content to \p path atomically; "-" means standard output.
absl::Status writeFileAtomically(llvm::StringRef path, llvm::StringRef content);

} // namespace tinyplan

#endif
