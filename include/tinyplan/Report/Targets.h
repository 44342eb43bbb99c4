//===- Targets.h - Microcontrollers and memory budgets ----------*- C++ -*-===//
//
// The parts `--target` knows, with the on-chip RAM and flash of the part
// number their datasheets give (docs/report.md lists the sources), and the
// parsing of byte sizes such as `256K` for `--ram-budget`.
//
//===----------------------------------------------------------------------===//
#ifndef TINYPLAN_REPORT_TARGETS_H
#define TINYPLAN_REPORT_TARGETS_H

#include "tinyplan/CodeGen/Cpu.h"
#include "absl/status/statusor.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinyplan {

/// A block of RAM with contiguous addresses, as the reference manual's
/// memory map gives it.
struct RamRegion {
  /// A C identifier: the arena's part in it is NAME_arena_REGION_, in
  /// section .REGION_arena.
  std::string name;
  /// Start address (0: not given).
  uint64_t address = 0;
  int64_t size = 0;
  /// Tightly coupled (zero wait states): filled first.
  bool fast = false;
  /// Reachable by the general-purpose DMA controllers.
  bool dma = false;
};

struct McuTarget {
  /// What `--target` accepts (case-insensitive).
  llvm::StringRef name;
  /// The part number the figures are for, and its core.
  llvm::StringRef part;
  llvm::StringRef core;
  /// On-chip SRAM, all banks together.
  int64_t ramBytes = 0;
  /// The largest block of SRAM with contiguous addresses: the arena is one
  /// array, so it must fit in one block.
  int64_t largestRamBlock = 0;
  /// Flash for code and weights: on-chip, or (flashNote says so) the
  /// external flash of the reference board.
  int64_t flashBytes = 0;
  llvm::StringRef flashNote;
  /// The blocks of SRAM the arena may be split across (--ram-regions=target).
  std::vector<RamRegion> regions;
};

/// Every known target, in the order docs/report.md lists them.
llvm::ArrayRef<McuTarget> mcuTargets();

/// The target called \p name (case-insensitive), or null.
const McuTarget *findMcuTarget(llvm::StringRef name);

/// \p target's core as its datasheet names it, without the core count and
/// the clock: "Cortex-M4F" of "Cortex-M4F, 180 MHz", "Cortex-M0+" of
/// "2x Cortex-M0+, 133 MHz".
llvm::StringRef mcuCoreName(const McuTarget &target);

/// The CPU the C for \p target is for (`--target` implies `--cpu`): its
/// Cortex-M core, or Generic for a core of another architecture (Xtensa),
/// which gets the portable C; nullopt for a Cortex core Cpu does not name.
std::optional<Cpu> mcuTargetCpu(const McuTarget &target);

/// Parses `--ram-regions`: `name:address:size[:fast][:dma],...`, the
/// address in hex (0x...) or decimal, the size as parseByteSize reads it.
/// Names are C identifiers, distinct; sizes positive.
absl::StatusOr<std::vector<RamRegion>> parseRamRegions(llvm::StringRef text);

/// Parses a byte count: digits with an optional suffix K, KB, KiB (1024),
/// M, MB, MiB (1024 * 1024), or B, case-insensitive ("256K", "2MB",
/// "393216"). Datasheets write KB for 1024 bytes, and so does tinyplan.
absl::StatusOr<int64_t> parseByteSize(llvm::StringRef text);

/// 246824 -> "246,824": how the reports write byte counts.
std::string withCommas(int64_t value);

/// "384 KB", "2 MB", "1.5 KB", "100 B": how the report names a budget.
std::string formatByteSize(int64_t bytes);

} // namespace tinyplan

#endif
