//===- Cpu.h - The processor cores the C is written for ---------*- C++ -*-===//
//
// `--cpu` names the core the generated C will run on, so that the kernel
// registry can choose an implementation for it (a Cortex-M4 DSP kernel, say)
// over the portable C that runs anywhere. Generic asks for portable C only.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_CODEGEN_CPU_H
#define TINYPLAN_CODEGEN_CPU_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace tinyplan {

enum class Cpu : uint8_t {
  /// No particular core: portable C99 only.
  Generic,
  CortexM0,
  CortexM0Plus,
  CortexM3,
  CortexM4,
  /// A Cortex-M4 with its single-precision FPU.
  CortexM4F,
  CortexM7,
};

/// Every Cpu, in declaration order.
llvm::ArrayRef<Cpu> allCpus();

/// The name `--cpu` takes: "generic", "cortex-m0plus", "cortex-m4f", ...
llvm::StringRef cpuName(Cpu cpu);

/// Inverse of cpuName; nullopt for an unknown name.
std::optional<Cpu> parseCpuName(llvm::StringRef name);

/// The Cortex-M core a datasheet names ("Cortex-M0+", "Cortex-M4F", ...,
/// case-insensitive), or nullopt for one that is not a Cortex-M core above.
std::optional<Cpu> cpuOfCore(llvm::StringRef core);

/// A set of CPUs: those a kernel implementation applies to.
class CpuSet {
public:
  /// The empty set.
  CpuSet() = default;
  CpuSet(std::initializer_list<Cpu> cpus);
  /// Every CPU, Generic included: portable code.
  static CpuSet all();

  bool contains(Cpu cpu) const { return (bits_ >> unsigned(cpu)) & 1u; }

private:
  uint32_t bits_ = 0;
};

} // namespace tinyplan

#endif
