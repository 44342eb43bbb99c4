//===- ReportFormat.h - Number and markup helpers of the reports -*- C++ -*-===//
#ifndef TINYPLAN_LIB_REPORT_REPORTFORMAT_H
#define TINYPLAN_LIB_REPORT_REPORTFORMAT_H

#include "tinyplan/Report/Targets.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>

namespace tinyplan {

/// 416520 -> "416.5 K", 654560384 -> "654.6 M", 19632062464 -> "19.63 G".
std::string humanCount(int64_t value);

/// \p part of \p whole as "45.7 %" ("-" when whole is 0).
std::string percentOf(int64_t part, int64_t whole);

/// \p text made safe for XML and HTML text and attributes: valid UTF-8, no
/// control characters, & < > " ' escaped.
std::string xmlEscape(llvm::StringRef text);

} // namespace tinyplan

#endif
