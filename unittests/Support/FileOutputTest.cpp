//===- FileOutputTest.cpp - All-or-nothing output files --------------------===//
#include "tinyplan/Support/FileOutput.h"

#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <thread>

using namespace tinyplan;

namespace {

class FileOutputTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("tinyplan-out", path));
    dir = std::string(path);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }
  std::string read(const std::string &path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string dir;
};

TEST_F(FileOutputTest, ReplacesRegularFilesAndLeavesNoTemporaries) {
  std::string path = dir + "/out.txt";
  std::ofstream(path) << "old";
  ASSERT_TRUE(writeFileAtomically(path, "new contents").ok());
  EXPECT_EQ(read(path), "new contents");
  std::error_code ec;
  int entries = 0;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec))
    ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(FileOutputTest, FailureCreatesNothing) {
  std::string path = dir + "/missing/out.txt";
  absl::Status status = writeFileAtomically(path, "x");
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(llvm::sys::fs::exists(path));
}

TEST_F(FileOutputTest, SpecialFilesAreWrittenInPlaceNotReplaced) {
  // A FIFO stands in for devices such as /dev/null.
  std::string fifo = dir + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = read(fifo); });
  absl::Status status = writeFileAtomically(fifo, "through the pipe");
  reader.join();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(received, "through the pipe");
  llvm::sys::fs::file_status info;
  ASSERT_FALSE(llvm::sys::fs::status(fifo, info));
  EXPECT_EQ(info.type(), llvm::sys::fs::file_type::fifo_file);
}

} // namespace
