//===- Targets.cpp - Microcontrollers and memory budgets ------------------===//
//
// Figures from the vendors' datasheets and reference manuals; docs/report.md
// gives the source of each. KB = 1024 bytes, as the datasheets count.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Report/Targets.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace tinyplan {

namespace {
constexpr int64_t KB = 1024;
constexpr int64_t MB = 1024 * 1024;

const McuTarget kTargets[] = {
    // SRAM1 160 KB + SRAM2 32 KB + SRAM3 128 KB (one block at 0x20000000)
    // and the 64 KB CCM data RAM at 0x10000000.
    {"STM32F469", "STM32F469NI", "Cortex-M4F, 180 MHz", 384 * KB, 320 * KB, 2 * MB, ""},
    // DTCM 64 KB + SRAM1 240 KB + SRAM2 16 KB, one block at 0x20000000.
    {"STM32F746", "STM32F746NG", "Cortex-M7, 216 MHz", 320 * KB, 320 * KB, 1 * MB, ""},
    // DTCM 128 KB, AXI SRAM 512 KB (the largest block), SRAM1-3 288 KB,
    // SRAM4 64 KB, ITCM 64 KB.
    {"STM32H743", "STM32H743ZI", "Cortex-M7, 480 MHz", 1 * MB, 512 * KB, 2 * MB, ""},
    // SRAM1 96 KB at 0x20000000, SRAM2 32 KB at 0x10000000.
    {"STM32L476", "STM32L476RG", "Cortex-M4F, 80 MHz", 128 * KB, 96 * KB, 1 * MB, ""},
    {"STM32F072", "STM32F072RB", "Cortex-M0, 48 MHz", 16 * KB, 16 * KB, 128 * KB, ""},
    {"nRF52840", "nRF52840", "Cortex-M4F, 64 MHz", 256 * KB, 256 * KB, 1 * MB, ""},
    // Four striped 64 KB banks and two 4 KB banks, one address range.
    {"RP2040", "RP2040", "2x Cortex-M0+, 133 MHz", 264 * KB, 264 * KB, 2 * MB,
     "no on-chip flash: the Raspberry Pi Pico's 2 MB QSPI flash"},
    // The SRAM's split into blocks (and what ESP-IDF keeps) is not modelled.
    {"ESP32-S3", "ESP32-S3 (ESP32-S3-WROOM-1-N8)", "2x Xtensa LX7, 240 MHz", 512 * KB,
     512 * KB, 8 * MB, "no on-chip flash: the ESP32-S3-WROOM-1-N8 module's 8 MB"},
    {"SAMD51", "ATSAMD51J20A", "Cortex-M4F, 120 MHz", 256 * KB, 256 * KB, 1 * MB, ""},
    // FlexRAM 512 KB (ITCM/DTCM/OCRAM) and OCRAM2 512 KB.
    {"i.MX-RT1060", "MIMXRT1062", "Cortex-M7, 600 MHz", 1 * MB, 512 * KB, 8 * MB,
     "no on-chip flash: the MIMXRT1060-EVK's 8 MB QSPI flash"},
};
} // namespace

llvm::ArrayRef<McuTarget> mcuTargets() { return kTargets; }

const McuTarget *findMcuTarget(llvm::StringRef name) {
  for (const McuTarget &target : kTargets)
    if (target.name.equals_insensitive(name))
      return &target;
  return nullptr;
}

llvm::StringRef mcuCoreName(const McuTarget &target) {
  llvm::StringRef core = target.core.split(',').first.trim();
  // "2x Cortex-M0+": the code is the same for any number of cores.
  auto [count, rest] = core.split(' ');
  if (!rest.empty() && count.size() > 1 && count.back() == 'x' &&
      llvm::all_of(count.drop_back(), llvm::isDigit))
    core = rest;
  return core;
}

std::optional<Cpu> mcuTargetCpu(const McuTarget &target) {
  llvm::StringRef core = mcuCoreName(target);
  if (core.starts_with_insensitive("Cortex-"))
    return cpuOfCore(core);
  return Cpu::Generic;
}

absl::StatusOr<int64_t> parseByteSize(llvm::StringRef text) {
  llvm::StringRef digits = text.take_while(llvm::isDigit);
  llvm::StringRef suffix = text.drop_front(digits.size()).trim();
  int64_t scale = 0;
  for (auto [name, factor] : {std::pair<const char *, int64_t>{"", 1},
                              {"b", 1},
                              {"k", KB},
                              {"kb", KB},
                              {"kib", KB},
                              {"m", MB},
                              {"mb", MB},
                              {"mib", MB}})
    if (suffix.equals_insensitive(name))
      scale = factor;
  uint64_t value = 0;
  if (digits.empty() || scale == 0 || digits.getAsInteger(10, value) ||
      value > uint64_t(INT64_MAX / scale))
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a byte count such as 262144, 256K or 2MB, got '", text.str(), "'"));
  return int64_t(value) * scale;
}

std::string formatByteSize(int64_t bytes) {
  auto scaled = [&](int64_t unit, const char *name) {
    if (bytes % unit == 0)
      return absl::StrCat(bytes / unit, " ", name);
    return absl::StrCat(absl::StrFormat("%.1f", double(bytes) / double(unit)), " ", name);
  };
  if (bytes >= MB && bytes % MB == 0)
    return scaled(MB, "MB");
  if (bytes >= KB)
    return scaled(KB, "KB");
  return absl::StrCat(bytes, " B");
}

} // namespace tinyplan
