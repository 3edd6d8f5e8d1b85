#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runtime/daemon/log_rotation.h"

namespace edgeward::daemon {
namespace {

class LogRotation : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (std::filesystem::temp_directory_path() / "ew-logs-XXXXXX").string();
    dir_ = ::mkdtemp(t.data());
    path_ = dir_ + "/w.log";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void append(const std::string& s) { std::ofstream(path_, std::ios::app) << s; }
  std::string read(const std::string& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  std::string dir_, path_;
};

TEST_F(LogRotation, MissingFileIsNotAnError) {
  auto r = rotate_if_needed(path_, {10, 2});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

TEST_F(LogRotation, KeepsNFilesNewestFirstAndTruncatesInPlace) {
  const LogLimits limits{10, 2};
  for (const char* gen : {"first-generation\n", "second-generation\n", "third-generation\n"}) {
    append(gen);
    auto r = rotate_if_needed(path_, limits);
    ASSERT_TRUE(r.ok() && *r) << gen;
  }
  EXPECT_EQ(read(path_), "");
  EXPECT_EQ(read(path_ + ".1"), "third-generation\n");
  EXPECT_EQ(read(path_ + ".2"), "second-generation\n");
  EXPECT_FALSE(std::filesystem::exists(path_ + ".3"));
  append("small");
  EXPECT_FALSE(*rotate_if_needed(path_, limits)) << "under the limit";
}

TEST_F(LogRotation, AnAppendingWriterKeepsWritingToTheLiveFile) {
  FILE* w = std::fopen(path_.c_str(), "a");  // O_APPEND, like the monitor's descriptor
  std::fputs("0123456789abcdef", w);
  std::fflush(w);
  ASSERT_TRUE(*rotate_if_needed(path_, {8, 1}));
  std::fputs("after", w);
  std::fclose(w);
  EXPECT_EQ(read(path_), "after") << "O_APPEND writes land at the new end, not at the old offset";
  EXPECT_EQ(read(path_ + ".1"), "0123456789abcdef");
}

TEST_F(LogRotation, ReadLogChunksAndRestartsAfterRotation) {
  append("hello world");
  auto c = read_log(path_, 0, 5);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->data, "hello");
  c = read_log(path_, c->next, 100);
  EXPECT_EQ(c->data, " world");
  EXPECT_EQ(c->next, 11u);
  auto past = read_log(path_, 1000, 100);
  EXPECT_EQ(past->data, "hello world") << "an offset past the end (rotated) restarts at 0";
  remove_logs(path_, 3);
  EXPECT_EQ(read_log(path_, 0, 10)->data, "");
}

}  // namespace
}  // namespace edgeward::daemon
