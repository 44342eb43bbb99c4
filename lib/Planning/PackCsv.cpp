//===- PackCsv.cpp - MiniMalloc's CSV problem format ----------------------===//
#include "tinyplan/Planning/PackCsv.h"
#include "tinyplan/Support/Status.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace tinyplan {

absl::StatusOr<PackCsvProblem> parsePackCsv(llvm::StringRef text) {
  PackCsvProblem problem;
  llvm::SmallVector<llvm::StringRef, 0> lines;
  text.split(lines, '\n');
  int lower = -1, upper = -1, size = -1, alignment = -1, offset = -1;
  bool haveHeader = false;
  // Every buffer at its own aligned offset must fit in int64_t, so that no
  // packer's offset arithmetic can overflow: each size and alignment is at
  // most 2^50, and all of them together at most 2^60.
  constexpr int64_t kMaxValue = int64_t(1) << 50, kMaxTotal = int64_t(1) << 60;
  int64_t total = 0;
  for (size_t lineIndex = 0; lineIndex < lines.size(); ++lineIndex) {
    llvm::StringRef line = lines[lineIndex].trim();
    if (line.empty())
      continue;
    llvm::SmallVector<llvm::StringRef, 8> cells;
    line.split(cells, ',');
    std::vector<std::string> row;
    for (llvm::StringRef cell : cells)
      row.push_back(cell.trim().str());
    if (!haveHeader) {
      haveHeader = true;
      problem.header = row;
      for (size_t i = 0; i < row.size(); ++i) {
        const std::string &name = row[i];
        if (name == "lower" || name == "begin" || name == "start")
          lower = i;
        else if (name == "upper")
          upper = i;
        else if (name == "size")
          size = i;
        else if (name == "alignment")
          alignment = i;
        else if (name == "offset")
          offset = i;
      }
      if (lower < 0 || upper < 0 || size < 0)
        return modelError("line 1: header needs lower, upper and size columns");
      continue;
    }
    if (row.size() != problem.header.size())
      return modelError("line ", lineIndex + 1, ": ", row.size(), " cells, header has ",
                        problem.header.size());
    auto number = [&](int column, int64_t &out) -> absl::Status {
      if (!absl::SimpleAtoi(row[column], &out))
        return modelError("line ", lineIndex + 1, ": '", row[column],
                          "' in column ", problem.header[column], " is not an integer");
      return absl::OkStatus();
    };
    int64_t lo, hi, bytes, align = 1;
    TP_RETURN_IF_ERROR(number(lower, lo));
    TP_RETURN_IF_ERROR(number(upper, hi));
    TP_RETURN_IF_ERROR(number(size, bytes));
    if (alignment >= 0)
      TP_RETURN_IF_ERROR(number(alignment, align));
    if (lo < 0 || hi < lo || bytes < 0 || align < 1 || bytes > kMaxValue || hi > kMaxValue ||
        align > kMaxValue)
      return modelError("line ", lineIndex + 1, ": lifetime [", lo, ", ", hi,
                        "), size ", bytes, " or alignment ", align, " is invalid");
    total += bytes + align;
    if (total > kMaxTotal)
      return modelError("line ", lineIndex + 1, ": the sizes and alignments so far add up to ",
                        total, " bytes, more than 2^60");
    BufferRequest request;
    request.id = problem.requests.size();
    // An empty lifetime conflicts with nothing: it needs no bytes.
    request.size = hi > lo ? bytes : 0;
    request.align = align;
    request.first = lo;
    request.last = hi > lo ? hi - 1 : lo;
    problem.requests.push_back(request);
    problem.rows.push_back(std::move(row));
  }
  if (!haveHeader)
    return modelError("empty file: expected a header row");
  if (offset < 0)
    problem.header.push_back("offset");
  return problem;
}

std::string writePackCsv(const PackCsvProblem &problem, llvm::ArrayRef<int64_t> offsets) {
  int offsetColumn = -1;
  for (size_t i = 0; i < problem.header.size(); ++i)
    if (problem.header[i] == "offset")
      offsetColumn = i;
  std::string out = absl::StrJoin(problem.header, ",") + "\n";
  for (size_t r = 0; r < problem.rows.size(); ++r) {
    std::vector<std::string> row = problem.rows[r];
    row.resize(problem.header.size());
    row[offsetColumn] = std::to_string(offsets[r]);
    out += absl::StrJoin(row, ",") + "\n";
  }
  return out;
}

} // namespace tinyplan
