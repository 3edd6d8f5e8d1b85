// linux.maskedPaths / readonlyPaths checks (runtime/sandbox/masked_paths.h) and the descriptor
// they are mounted through (mounts.h open_in_rootfs): never a symlink, never outside the root.
// Applying them needs a mount namespace: tests/runtime/oci/oci-fs-test does it in a container.
#include "runtime/sandbox/masked_paths.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "runtime/sandbox/mounts.h"

namespace edgeward::sandbox {
namespace {

TEST(MaskedPaths, RefusesPathsThatAreNotPlainAbsoluteOnes) {
  const struct {
    std::string path;
    const char* error;
  } cases[] = {
      {"proc/kcore", "linux.maskedPaths[0]: \"proc/kcore\" must be an absolute path"},
      {"", "must be an absolute path"},
      {"/proc/../etc/shadow", "must not hold \".\" or \"..\" components"},
      {"/proc/./kcore", "must not hold"},
      {"/proc/..", "must not hold"},
      {"/", "the root itself cannot be given"},
      {"//", "the root itself cannot be given"},
      {"/" + std::string(kMaxPathLength, 'a'), "longer than 4096 bytes"},
      {std::string("/a\0b", 4), "holds a NUL byte"},
  };
  for (const auto& c : cases) {
    auto s = check_container_paths({c.path}, "linux.maskedPaths");
    ASSERT_FALSE(s.ok()) << c.path;
    EXPECT_NE(s.error().message.find(c.error), std::string::npos) << c.path << ": " << s.error().message;
  }
  EXPECT_TRUE(check_container_paths({"/proc/kcore", "/sys/firmware", "/a..b/.c"}, "linux.maskedPaths").ok());
  EXPECT_FALSE(check_container_paths(std::vector<std::string>(kMaxProtectedPaths + 1, "/p"), "linux.readonlyPaths").ok());
}

TEST(MaskedPaths, TargetsAreOpenedBeneathTheRootWithoutSymlinks) {
  {
    open_how how{};
    how.flags = O_PATH;
    const long probe = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
    if (probe < 0) GTEST_SKIP() << "openat2 is not available here (" << strerror(errno) << "; qemu-user may not emulate it)";
    close(static_cast<int>(probe));
  }
  char dir[] = "/tmp/edgeward-masked-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string root = dir;
  ASSERT_EQ(mkdir((root + "/etc").c_str(), 0755), 0);
  std::ofstream(root + "/etc/secret") << "s";
  ASSERT_EQ(symlink("/etc", (root + "/hostetc").c_str()), 0);     // absolute: the host's /etc
  ASSERT_EQ(symlink("etc", (root + "/relative").c_str()), 0);     // even inside the root
  EXPECT_TRUE(open_in_rootfs(root, "/etc/secret").valid());
  EXPECT_TRUE(open_in_rootfs(root, "/etc").valid());
  EXPECT_FALSE(open_in_rootfs(root, "/hostetc/passwd").valid());
  EXPECT_EQ(errno, ELOOP);
  EXPECT_FALSE(open_in_rootfs(root, "/relative/secret").valid());
  EXPECT_FALSE(open_in_rootfs(root, "/missing").valid());
  EXPECT_EQ(errno, ENOENT);
  // Missing paths are skipped by the appliers (nothing to mount, no error).
  EXPECT_EQ(mask_paths(root, {"/missing", "/etc/secret/below"}), "");
  EXPECT_EQ(make_paths_readonly(root, {"/missing"}), "");
  // A symlink on the way is an error naming the field and path, never followed.
  const std::string failed = mask_paths(root, {"/hostetc/passwd"});
  EXPECT_NE(failed.find("linux.maskedPaths /hostetc/passwd: "), std::string::npos) << failed;
  EXPECT_NE(failed.find("symlink on the way is refused"), std::string::npos) << failed;
  std::system(("rm -rf " + root).c_str());
}

}  // namespace
}  // namespace edgeward::sandbox
