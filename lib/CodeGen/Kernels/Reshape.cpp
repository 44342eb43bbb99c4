//===- Reshape.cpp - C for Reshape, Flatten, Squeeze and Unsqueeze --------===//
#include "tinyplan/CodeGen/CEmit.h"
#include "tinyplan/CodeGen/KernelRegistry.h"

namespace tinyplan {

// The bytes are the input's in the same order: a view, or a copy.
TINYPLAN_REGISTER_KERNELS(registry) {
  for (const char *opType : {"Reshape", "Flatten", "Squeeze", "Unsqueeze"})
    registry.addPortable(opType, emitOperandCopy);
}

} // namespace tinyplan
