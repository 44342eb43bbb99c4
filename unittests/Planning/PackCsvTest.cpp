//===- PackCsvTest.cpp - Reading and writing MiniMalloc's CSV -------------===//
//
// `id,lower,upper,size[,alignment]`, columns in any order, half-open
// lifetimes that become our inclusive steps, errors that name the line.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/Planning/PackCsv.h"
#include "tinyplan/Planning/Packers.h"

#include "gtest/gtest.h"

using namespace tinyplan;

namespace {

PackCsvProblem parseOrDie(llvm::StringRef text) {
  absl::StatusOr<PackCsvProblem> problem = parsePackCsv(text);
  EXPECT_TRUE(problem.ok()) << problem.status();
  return problem.ok() ? *problem : PackCsvProblem();
}

std::string errorOf(llvm::StringRef text) {
  absl::StatusOr<PackCsvProblem> problem = parsePackCsv(text);
  EXPECT_FALSE(problem.ok()) << text.str();
  if (problem.ok())
    return "";
  EXPECT_EQ(problem.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(problem.status().message());
}

void expectRequest(const BufferRequest &r, unsigned id, int64_t size, int64_t align,
                   int64_t first, int64_t last) {
  EXPECT_EQ(r.id, id);
  EXPECT_EQ(r.size, size) << "id " << id;
  EXPECT_EQ(r.align, align) << "id " << id;
  EXPECT_EQ(r.first, first) << "id " << id;
  EXPECT_EQ(r.last, last) << "id " << id;
}

TEST(PackCsvTest, ReadmeExample) {
  PackCsvProblem p = parseOrDie("id,lower,upper,size\n"
                                "b1,0,3,4\n"
                                "b2,3,9,4\n"
                                "b3,0,9,4\n"
                                "b4,9,21,4\n"
                                "b5,0,21,4\n");
  ASSERT_EQ(p.requests.size(), 5u);
  // Half-open [lower, upper) becomes inclusive [lower, upper - 1].
  expectRequest(p.requests[0], 0, 4, 1, 0, 2);
  expectRequest(p.requests[1], 1, 4, 1, 3, 8);
  expectRequest(p.requests[4], 4, 4, 1, 0, 20);
  EXPECT_EQ(p.header, (std::vector<std::string>{"id", "lower", "upper", "size", "offset"}));
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"b2", "3", "9", "4"}));
  // Touching half-open lifetimes ([0,3) and [3,9)) do not conflict.
  EXPECT_FALSE(p.requests[0].overlapsInTime(p.requests[1]));
  EXPECT_EQ(computeLowerBound(p.requests), 12);
}

TEST(PackCsvTest, ColumnsInAnyOrderWithAlignment) {
  PackCsvProblem p = parseOrDie("size,alignment,upper,id,lower\n"
                                "16,8,5,x,2\n"
                                "3,1,1,y,0\n");
  ASSERT_EQ(p.requests.size(), 2u);
  expectRequest(p.requests[0], 0, 16, 8, 2, 4);
  expectRequest(p.requests[1], 1, 3, 1, 0, 0);
  EXPECT_EQ(p.header.back(), "offset");
}

TEST(PackCsvTest, NoIdColumnAndStartAlias) {
  // Buffers are numbered by row; `begin`/`start` name the lower end.
  PackCsvProblem p = parseOrDie("start,upper,size\n1,4,10\n");
  ASSERT_EQ(p.requests.size(), 1u);
  expectRequest(p.requests[0], 0, 10, 1, 1, 3);
  PackCsvProblem q = parseOrDie("begin,upper,size\n1,4,10\n");
  expectRequest(q.requests[0], 0, 10, 1, 1, 3);
}

TEST(PackCsvTest, EmptyLifetimeNeedsNoBytes) {
  // lower == upper: live at no step, so it takes no bytes.
  PackCsvProblem p = parseOrDie("id,lower,upper,size\na,3,3,100\nb,0,5,7\n");
  ASSERT_EQ(p.requests.size(), 2u);
  EXPECT_EQ(p.requests[0].size, 0);
  EXPECT_EQ(p.requests[0].first, 3);
  EXPECT_EQ(p.requests[0].last, 3);
  EXPECT_EQ(computeLowerBound(p.requests), 7);
  absl::StatusOr<MemoryPlan> plan = packBuffers(p.requests);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->arena, 7);
  // The row still reads the size the file gave.
  EXPECT_EQ(p.rows[0][3], "100");
}

TEST(PackCsvTest, BlankLinesWhitespaceAndCrlf) {
  PackCsvProblem p = parseOrDie("\r\n id , lower , upper , size \r\n\r\n"
                                "a, 0, 2, 5\r\n\n"
                                "b ,1 ,3 ,6");
  ASSERT_EQ(p.requests.size(), 2u);
  expectRequest(p.requests[0], 0, 5, 1, 0, 1);
  expectRequest(p.requests[1], 1, 6, 1, 1, 2);
  EXPECT_EQ(p.rows[1][0], "b");
}

TEST(PackCsvTest, HeaderOnly) {
  PackCsvProblem p = parseOrDie("id,lower,upper,size\n");
  EXPECT_TRUE(p.requests.empty());
  EXPECT_EQ(writePackCsv(p, {}), "id,lower,upper,size,offset\n");
}

TEST(PackCsvTest, ErrorsNameTheLine) {
  EXPECT_EQ(errorOf(""), "empty file: expected a header row");
  EXPECT_EQ(errorOf("\n  \n"), "empty file: expected a header row");
  EXPECT_EQ(errorOf("id,lower,size\n"), "line 1: header needs lower, upper and size columns");
  EXPECT_EQ(errorOf("id,lower,upper\n"),
            "line 1: header needs lower, upper and size columns");
  EXPECT_EQ(errorOf("id,lower,upper,size\na,0,1,4\nb,0,x,4\n"),
            "line 3: 'x' in column upper is not an integer");
  EXPECT_EQ(errorOf("id,lower,upper,size\na,0,1\n"), "line 2: 3 cells, header has 4");
  EXPECT_EQ(errorOf("id,lower,upper,size\na,0,1,4,9\n"), "line 2: 5 cells, header has 4");
  // Blank lines still count.
  EXPECT_EQ(errorOf("id,lower,upper,size\n\n\na,0,1,-4\n"),
            "line 4: lifetime [0, 1), size -4 or alignment 1 is invalid");
  EXPECT_EQ(errorOf("id,lower,upper,size\na,5,2,4\n"),
            "line 2: lifetime [5, 2), size 4 or alignment 1 is invalid");
  EXPECT_EQ(errorOf("id,lower,upper,size\na,-1,2,4\n"),
            "line 2: lifetime [-1, 2), size 4 or alignment 1 is invalid");
  EXPECT_EQ(errorOf("id,lower,upper,size,alignment\na,0,2,4,0\n"),
            "line 2: lifetime [0, 2), size 4 or alignment 0 is invalid");
  EXPECT_NE(errorOf("id,lower,upper,size\na,0,2,1.5\n").find("line 2: '1.5'"),
            std::string::npos);
  EXPECT_NE(errorOf("id,lower,upper,size\na,0,2,\n").find("line 2: '' in column size"),
            std::string::npos);
  // Sizes and steps are bounded so nothing downstream overflows.
  EXPECT_NE(errorOf("id,lower,upper,size\na,0,2,9223372036854775807\n").find("line 2"),
            std::string::npos);
  EXPECT_NE(errorOf("id,lower,upper,size\na,0,99999999999999999999,4\n").find("line 2"),
            std::string::npos);
}

TEST(PackCsvTest, WriteAddsOffsetColumn) {
  PackCsvProblem p = parseOrDie("id,lower,upper,size\nb1,0,3,4\nb2,3,9,4\n");
  EXPECT_EQ(writePackCsv(p, {0, 4}), "id,lower,upper,size,offset\n"
                                     "b1,0,3,4,0\n"
                                     "b2,3,9,4,4\n");
}

TEST(PackCsvTest, WriteKeepsColumnOrderAndReplacesOffsets) {
  // An input that already has offsets (a previous solution) gets new ones
  // in the same column, and the cells keep their original spelling.
  PackCsvProblem p = parseOrDie("offset,size,lower,upper,buffer\n"
                                "99,0016,0,3,a\n"
                                "7,4,1,2,b\n");
  ASSERT_EQ(p.header.size(), 5u);
  EXPECT_EQ(p.requests[0].size, 16);
  EXPECT_EQ(writePackCsv(p, {0, 16}), "offset,size,lower,upper,buffer\n"
                                      "0,0016,0,3,a\n"
                                      "16,4,1,2,b\n");
}

TEST(PackCsvTest, RoundTripThroughThePacker) {
  PackCsvProblem p = parseOrDie("id,lower,upper,size,alignment\n"
                                "a,0,5,4,4\n"
                                "b,5,6,5,1\n"
                                "c,1,4,5,1\n"
                                "d,4,6,5,1\n");
  absl::StatusOr<MemoryPlan> plan = packBuffers(p.requests);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // The four-buffer case with `a` aligned to 4 still packs into 10:
  // a [0,4), c [4,9), d [5,10), b [0,5).
  EXPECT_EQ(plan->arena, 10);
  EXPECT_TRUE(plan->provenOptimal);
  std::string written = writePackCsv(p, plan->offsets);
  absl::StatusOr<PackCsvProblem> again = parsePackCsv(written);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->rows.size(), 4u);
  EXPECT_EQ(again->header.back(), "offset");
  for (size_t i = 0; i < 4; ++i)
    EXPECT_EQ(again->rows[i].back(), std::to_string(plan->offsets[i]));
  EXPECT_TRUE(verifyPlan(again->requests, *plan).ok());
}

} // namespace
