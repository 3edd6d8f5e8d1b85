// Path resolution as the supervisor does it for a task (here: this test process, with the
// host's root as its root): absolute paths from cwd and descriptors, "//" and "." collapsed,
// symlinks resolved or not per call, trailing slashes, and the kernel's errors. Containment in
// the task's root (RESOLVE_IN_ROOT) is the escape battery's job. Error cases first.
#include "runtime/sandbox/supervisor/task_paths.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

namespace edgeward::sandbox {
namespace {

class TaskPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_how how{};
    how.flags = O_PATH;
    const long probe = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
    if (probe < 0) GTEST_SKIP() << "openat2 is not available here (" << strerror(errno) << "; qemu-user may not emulate it)";
    close(static_cast<int>(probe));
    char tmpl[] = "/tmp/edgeward-paths-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_EQ(mkdir((dir_ + "/a").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((dir_ + "/a/b").c_str(), 0755), 0);
    const int f = open((dir_ + "/a/f").c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_GE(f, 0);
    close(f);
    ASSERT_EQ(symlink((dir_ + "/a").c_str(), (dir_ + "/l").c_str()), 0);
    ASSERT_EQ(symlink("b", (dir_ + "/a/rel").c_str()), 0);
    ASSERT_EQ(symlink("/nonexistent-edgeward", (dir_ + "/a/dangling").c_str()), 0);
    root_ = open("/", O_PATH | O_DIRECTORY);
    ASSERT_GE(root_, 0);
  }
  void TearDown() override {
    if (root_ >= 0) close(root_);
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }
  std::string dir_;
  int root_ = -1;
};

struct Case {
  const char* path;  // relative to the test's directory unless absolute
  bool follow;
  int err;           // expected errno, or 0
  const char* want;  // expected result relative to the test's directory
};

TEST_F(TaskPathsTest, Canonical) {
  const std::vector<Case> cases = {
      {"", true, ENOENT, ""},
      {"/nope/x", true, ENOENT, ""},
      {"/a/f/x", true, ENOTDIR, ""},
      {"/a/dangling", true, ENOENT, ""},
      {"/a/f", true, 0, "/a/f"},
      {"/a/./b//../f", true, 0, "/a/f"},
      {"/l/f", true, 0, "/a/f"},
      {"/l", false, 0, "/l"},
      {"/l", true, 0, "/a"},
      {"/l/", false, 0, "/a/"},
      {"/a/rel", true, 0, "/a/b"},
      {"/a/dangling", false, 0, "/a/dangling"},
      {"/a/new/", false, 0, "/a/new/"},
  };
  TaskPaths paths(getpid(), root_);
  for (const auto& c : cases) {
    const std::string in = *c.path ? dir_ + c.path : "";
    auto r = paths.canonical(AT_FDCWD, in, c.follow);
    if (c.err) {
      ASSERT_FALSE(r.ok()) << c.path << " gave " << *r;
      EXPECT_EQ(errno_of(r.error()), c.err) << c.path << ": " << r.error().message;
    } else {
      ASSERT_TRUE(r.ok()) << c.path << ": " << r.error().message;
      EXPECT_EQ(*r, dir_ + c.want) << c.path;
    }
  }
}

TEST_F(TaskPathsTest, RelativeToCwdAndDescriptors) {
  TaskPaths paths(getpid(), root_);
  auto bad = paths.canonical(9999, "f", true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(errno_of(bad.error()), EBADF);
  const int a = open((dir_ + "/a").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(a, 0);
  auto viafd = paths.canonical(a, "b/../f", true);
  close(a);
  ASSERT_TRUE(viafd.ok()) << viafd.error().message;
  EXPECT_EQ(*viafd, dir_ + "/a/f");
  char old[4096];
  ASSERT_NE(getcwd(old, sizeof old), nullptr);
  ASSERT_EQ(chdir((dir_ + "/a/b").c_str()), 0);
  auto viacwd = paths.canonical(AT_FDCWD, "../f", true);
  ASSERT_EQ(chdir(old), 0);
  ASSERT_TRUE(viacwd.ok()) << viacwd.error().message;
  EXPECT_EQ(*viacwd, dir_ + "/a/f");
}

TEST_F(TaskPathsTest, ProcSelfNamesTheTask) {
  TaskPaths paths(getpid(), root_);
  auto r = paths.absolute(AT_FDCWD, "/proc/self/status", true);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "/proc/" + std::to_string(getpid()) + "/status");  // no pid namespace here
}

}  // namespace
}  // namespace edgeward::sandbox
