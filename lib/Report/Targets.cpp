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
    // and the 64 KB CCM data RAM at 0x10000000, which only the core reaches.
    {"STM32F469", "STM32F469NI", "Cortex-M4F, 180 MHz", 384 * KB, 320 * KB, 2 * MB, "",
     {{"sram", 0x20000000, 320 * KB, false, true}, {"ccm", 0x10000000, 64 * KB, true, false}}},
    // DTCM 64 KB + SRAM1 240 KB + SRAM2 16 KB, one block at 0x20000000.
    {"STM32F746", "STM32F746NG", "Cortex-M7, 216 MHz", 320 * KB, 320 * KB, 1 * MB, "",
     {{"sram", 0x20000000, 320 * KB, false, true}}},
    // DTCM 128 KB (the core and MDMA only), AXI SRAM 512 KB (the largest
    // block), SRAM1-3 288 KB, SRAM4 64 KB; ITCM 64 KB is left to code.
    {"STM32H743", "STM32H743ZI", "Cortex-M7, 480 MHz", 1 * MB, 512 * KB, 2 * MB, "",
     {{"dtcm", 0x20000000, 128 * KB, true, false},
      {"axisram", 0x24000000, 512 * KB, false, true},
      {"sram123", 0x30000000, 288 * KB, false, true},
      {"sram4", 0x38000000, 64 * KB, false, true}}},
    // SRAM1 96 KB at 0x20000000, SRAM2 32 KB at 0x10000000.
    {"STM32L476", "STM32L476RG", "Cortex-M4F, 80 MHz", 128 * KB, 96 * KB, 1 * MB, "",
     {{"sram1", 0x20000000, 96 * KB, false, true}, {"sram2", 0x10000000, 32 * KB, false, true}}},
    {"STM32F072", "STM32F072RB", "Cortex-M0, 48 MHz", 16 * KB, 16 * KB, 128 * KB, "",
     {{"sram", 0x20000000, 16 * KB, false, true}}},
    {"nRF52840", "nRF52840", "Cortex-M4F, 64 MHz", 256 * KB, 256 * KB, 1 * MB, "",
     {{"ram", 0x20000000, 256 * KB, false, true}}},
    // Four striped 64 KB banks and two 4 KB banks, one address range.
    {"RP2040", "RP2040", "2x Cortex-M0+, 133 MHz", 264 * KB, 264 * KB, 2 * MB,
     "no on-chip flash: the Raspberry Pi Pico's 2 MB QSPI flash",
     {{"sram", 0x20000000, 264 * KB, false, true}}},
    // The SRAM's split into blocks (and what ESP-IDF keeps) is not modelled.
    {"ESP32-S3", "ESP32-S3 (ESP32-S3-WROOM-1-N8)", "2x Xtensa LX7, 240 MHz", 512 * KB,
     512 * KB, 8 * MB, "no on-chip flash: the ESP32-S3-WROOM-1-N8 module's 8 MB",
     {{"sram", 0, 512 * KB, false, true}}},
    {"SAMD51", "ATSAMD51J20A", "Cortex-M4F, 120 MHz", 256 * KB, 256 * KB, 1 * MB, "",
     {{"sram", 0x20000000, 256 * KB, false, true}}},
    // FlexRAM 512 KB in its default banks (ITCM 128 KB, left to code; DTCM
    // 128 KB; OCRAM 256 KB at 0x20280000) and OCRAM2 512 KB at 0x20200000.
    {"i.MX-RT1060", "MIMXRT1062", "Cortex-M7, 600 MHz", 1 * MB, 512 * KB, 8 * MB,
     "no on-chip flash: the MIMXRT1060-EVK's 8 MB QSPI flash",
     {{"dtcm", 0x20000000, 128 * KB, true, true},
      {"ocram2", 0x20200000, 512 * KB, false, true},
      {"ocram", 0x20280000, 256 * KB, false, true}}},
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

absl::StatusOr<std::vector<RamRegion>> parseRamRegions(llvm::StringRef text) {
  auto bad = [&](llvm::StringRef item, const std::string &problem) {
    return absl::InvalidArgumentError(
        absl::StrCat("--ram-regions: ", problem, " in '", item.str(),
                     "' (expected name:address:size[:fast][:dma],..., e.g. "
                     "ccm:0x10000000:64K:fast,sram:0x20000000:320K:dma)"));
  };
  std::vector<RamRegion> regions;
  llvm::SmallVector<llvm::StringRef, 8> items;
  text.split(items, ',');
  for (llvm::StringRef item : items) {
    llvm::SmallVector<llvm::StringRef, 5> fields;
    item.split(fields, ':');
    if (fields.size() < 3 || fields.size() > 5)
      return bad(item, "expected 3 to 5 fields");
    RamRegion region;
    region.name = fields[0].str();
    if (region.name.empty() || llvm::isDigit(region.name[0]) ||
        !llvm::all_of(region.name, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
      return bad(item, "a region's name must be a C identifier");
    for (const RamRegion &other : regions)
      if (other.name == region.name)
        return bad(item, "region '" + region.name + "' is named twice");
    if (fields[1].getAsInteger(0, region.address))
      return bad(item, "bad address '" + fields[1].str() + "'");
    absl::StatusOr<int64_t> size = parseByteSize(fields[2]);
    if (!size.ok() || *size <= 0)
      return bad(item, "bad size '" + fields[2].str() + "'");
    region.size = *size;
    for (llvm::StringRef flag : llvm::ArrayRef(fields).drop_front(3)) {
      if (flag.equals_insensitive("fast"))
        region.fast = true;
      else if (flag.equals_insensitive("dma"))
        region.dma = true;
      else
        return bad(item, "unknown flag '" + flag.str() + "' (fast or dma)");
    }
    regions.push_back(std::move(region));
  }
  return regions;
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
