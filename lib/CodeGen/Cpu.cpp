//===- Cpu.cpp - The processor cores the C is written for -----------------===//
#include "tinyplan/CodeGen/Cpu.h"

namespace tinyplan {
namespace {

/// One row per Cpu, in declaration order: cpuName indexes it.
struct CpuInfo {
  Cpu cpu;
  /// As `--cpu` spells it, and as datasheets name the core.
  const char *name;
  const char *core;
};

constexpr CpuInfo kCpus[] = {
    {Cpu::Generic, "generic", ""},
    {Cpu::CortexM0, "cortex-m0", "Cortex-M0"},
    {Cpu::CortexM0Plus, "cortex-m0plus", "Cortex-M0+"},
    {Cpu::CortexM3, "cortex-m3", "Cortex-M3"},
    {Cpu::CortexM4, "cortex-m4", "Cortex-M4"},
    {Cpu::CortexM4F, "cortex-m4f", "Cortex-M4F"},
    {Cpu::CortexM7, "cortex-m7", "Cortex-M7"},
};

constexpr Cpu kAllCpus[] = {Cpu::Generic,  Cpu::CortexM0,  Cpu::CortexM0Plus, Cpu::CortexM3,
                            Cpu::CortexM4, Cpu::CortexM4F, Cpu::CortexM7};

} // namespace

llvm::ArrayRef<Cpu> allCpus() { return kAllCpus; }

llvm::StringRef cpuName(Cpu cpu) { return kCpus[unsigned(cpu)].name; }

std::optional<Cpu> parseCpuName(llvm::StringRef name) {
  for (const CpuInfo &info : kCpus)
    if (name == info.name)
      return info.cpu;
  return std::nullopt;
}

std::optional<Cpu> cpuOfCore(llvm::StringRef core) {
  for (const CpuInfo &info : kCpus)
    if (*info.core && core.equals_insensitive(info.core))
      return info.cpu;
  return std::nullopt;
}

CpuSet::CpuSet(std::initializer_list<Cpu> cpus) {
  for (Cpu cpu : cpus)
    bits_ |= 1u << unsigned(cpu);
}

CpuSet CpuSet::all() {
  CpuSet set;
  for (Cpu cpu : kAllCpus)
    set.bits_ |= 1u << unsigned(cpu);
  return set;
}

} // namespace tinyplan
