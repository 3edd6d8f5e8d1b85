// tmpcopyup's copy (runtime/sandbox/copy_up.h): files, directories, symlinks and FIFOs with their
// modes, nothing followed; too deep a tree is an error.
#include "runtime/sandbox/copy_up.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/unique_fd.h"

namespace edgeward::sandbox {
namespace {

class CopyUpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/edgeward-copyup-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    base_ = dir;
    ASSERT_EQ(mkdir((base_ + "/from").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((base_ + "/to").c_str(), 0755), 0);
  }
  void TearDown() override { std::system(("rm -rf " + base_).c_str()); }
  bool copy() {
    UniqueFd from(open((base_ + "/from").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    UniqueFd to(open((base_ + "/to").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    return copy_tree(from.get(), to.get());
  }
  std::string read(const std::string& p) {
    std::ifstream in(base_ + p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string base_;
};

TEST_F(CopyUpTest, TooDeepATreeIsRefused) {
  std::string p = base_ + "/from";
  for (int i = 0; i <= kMaxCopyUpDepth + 1; ++i) {
    p += "/d";
    ASSERT_EQ(mkdir(p.c_str(), 0755), 0);
  }
  EXPECT_FALSE(copy());
  EXPECT_EQ(errno, ELOOP);
}

TEST_F(CopyUpTest, CopiesFilesDirectoriesSymlinksAndFifosWithTheirModes) {
  ASSERT_EQ(mkdir((base_ + "/from/sub").c_str(), 0700), 0);
  std::ofstream(base_ + "/from/passwd") << "root:x:0:0::/root:/bin/sh\n";
  std::ofstream(base_ + "/from/sub/secret") << "s";
  ASSERT_EQ(chmod((base_ + "/from/sub/secret").c_str(), 0600), 0);
  ASSERT_EQ(symlink("/etc/shadow", (base_ + "/from/link").c_str()), 0);  // copied as a link, not followed
  ASSERT_EQ(mkfifo((base_ + "/from/fifo").c_str(), 0640), 0);
  ASSERT_TRUE(copy()) << std::strerror(errno);
  EXPECT_EQ(read("/to/passwd"), "root:x:0:0::/root:/bin/sh\n");
  EXPECT_EQ(read("/to/sub/secret"), "s");
  struct stat st {};
  ASSERT_EQ(stat((base_ + "/to/sub/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(stat((base_ + "/to/sub").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(lstat((base_ + "/to/link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  char target[64] = {};
  ASSERT_GT(readlink((base_ + "/to/link").c_str(), target, sizeof target - 1), 0);
  EXPECT_STREQ(target, "/etc/shadow");
  ASSERT_EQ(lstat((base_ + "/to/fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  // The source is untouched.
  EXPECT_EQ(read("/from/passwd"), "root:x:0:0::/root:/bin/sh\n");
}

}  // namespace
}  // namespace edgeward::sandbox
