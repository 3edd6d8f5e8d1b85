#include "common/dir_tree.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace edgeward {
namespace {

bool exists(const std::string& p) {
  struct stat st{};
  return ::lstat(p.c_str(), &st) == 0;
}

class DirTree : public ::testing::Test {
 protected:
  void SetUp() override {
    char t[] = "/tmp/dir_tree_test.XXXXXX";
    ASSERT_NE(::mkdtemp(t), nullptr);
    root_ = t;
  }
  void TearDown() override { remove_tree(root_); }
  std::string root_;
};

TEST_F(DirTree, MakeDirsErrorsNameThePath) {
  const std::string file = root_ + "/file";
  std::FILE* f = std::fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  auto st = make_dirs(file + "/below");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("creating " + file + "/below: "), std::string::npos) << st.error().message;
}

TEST_F(DirTree, MakeDirsCreatesParentsAndAcceptsExisting) {
  const std::string deep = root_ + "/a/b/c";
  ASSERT_TRUE(make_dirs(deep).ok());
  struct stat st{};
  ASSERT_EQ(::stat(deep.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_TRUE(make_dirs(deep).ok());
  EXPECT_TRUE(make_dirs(deep + "/").ok());
}

TEST_F(DirTree, ListNamesGivesEveryEntryButDotsAndNamesAMissingDirectory) {
  ASSERT_TRUE(make_dirs(root_ + "/sub").ok());
  std::FILE* f = std::fopen((root_ + "/file").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  auto names = list_names(root_);
  ASSERT_TRUE(names.ok()) << names.error().message;
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{"file", "sub"}));
  auto missing = list_names(root_ + "/none");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("listing " + root_ + "/none: "), std::string::npos) << missing.error().message;
}

TEST_F(DirTree, RemoveTreeRemovesEverythingButNotThroughLinks) {
  const std::string outside = root_ + "/outside";
  ASSERT_TRUE(make_dirs(outside).ok());
  std::FILE* f = std::fopen((outside + "/keep").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  const std::string tree = root_ + "/tree";
  ASSERT_TRUE(make_dirs(tree + "/x/y").ok());
  f = std::fopen((tree + "/x/y/file").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  ASSERT_EQ(::symlink(outside.c_str(), (tree + "/x/link").c_str()), 0);
  remove_tree(tree);
  EXPECT_FALSE(exists(tree));
  EXPECT_TRUE(exists(outside + "/keep"));  // the link went, not what it points to
  remove_tree(root_ + "/missing");          // nothing there: no error, no crash
}

// A file system mounted below the tree (a volume left mounted) keeps its contents.
TEST_F(DirTree, RemoveTreeNeverDescendsIntoAnotherMount) {
  const std::string mnt = root_ + "/tree/volume";
  ASSERT_TRUE(make_dirs(mnt).ok());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // a private mount namespace, so nothing leaks onto the host
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", mnt.c_str(), "tmpfs", 0, nullptr) != 0) {
      ::_exit(77);
    }
    std::FILE* f = std::fopen((mnt + "/data").c_str(), "w");
    if (f == nullptr) ::_exit(2);
    std::fclose(f);
    remove_tree(root_ + "/tree");
    ::_exit(exists(mnt + "/data") ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "cannot mount a tmpfs in a new mount namespace here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "remove_tree deleted a file inside a mount below the tree";
}

}  // namespace
}  // namespace edgeward
