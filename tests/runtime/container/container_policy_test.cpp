// A container's policy (runtime/container/container_policy.h): exec for exactly the program the
// config names, resolved inside the rootfs (never outside it), write below writable mounts and on
// "/" for a writable root; the base's deny rules keep winning.
#include "runtime/container/container_policy.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include <cstdlib>
#include <fstream>

#include "runtime/sandbox/default_policy.h"

namespace edgeward::runtime {
namespace {

// qemu-user (the aarch64 test run) has no openat2, which resolves the program inside the root.
bool has_openat2() {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  const long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
  if (fd >= 0) close(static_cast<int>(fd));
  return fd >= 0 || errno != ENOSYS;
}

// The sandbox's /dev/pts, /dev/shm and /dev/mqueue, writable in every container's policy.
constexpr size_t kDevRules = 3;

class ContainerPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!has_openat2()) GTEST_SKIP() << "no openat2 here (qemu-user): programs cannot be resolved inside a root";
    char dir[] = "/tmp/edgeward-cpolicy-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    for (const char* d : {"/bin", "/opt", "/opt/app"}) mkdir((root_ + d).c_str(), 0755);
    program("/pause");
    program("/opt/app/server");
    program("/opt/app/tool");
    program("/bin/sh");
    std::ofstream(root_ + "/data.txt") << "not a program";
    symlink("/opt/app/server", (root_ + "/bin/server").c_str());   // resolved inside the root
    symlink("/usr/bin/env", (root_ + "/bin/hostenv").c_str());     // the host has it, the root not
    w_.rootfs = root_;
  }
  void TearDown() override { std::system(("rm -rf " + root_).c_str()); }
  void program(const std::string& p) {
    std::ofstream(root_ + p) << "#!/bin/sh\n";
    chmod((root_ + p).c_str(), 0755);
  }
  sandbox::Policy base() {
    auto p = sandbox::default_policy();
    EXPECT_TRUE(p.ok());
    return std::move(p).value();
  }
  std::string root_;
  WorkloadSpec w_;
};

TEST_F(ContainerPolicyTest, ProgramsThatAreNotThereOrNotProgramsGetNoRule) {
  for (const char* prog : {"/nope", "/data.txt", "/opt", "hostenv", "/bin/hostenv", "missing"}) {
    w_.argv = {prog};
    EXPECT_EQ(resolve_program(w_), "") << prog;
    const auto p = container_policy(w_, base());
    EXPECT_EQ(p.paths.size(), base().paths.size() + kDevRules) << prog;
  }
}

TEST_F(ContainerPolicyTest, TheNamedProgramAloneBecomesExecutable) {
  w_.argv = {"/pause"};
  EXPECT_EQ(resolve_program(w_), "/pause");
  auto p = container_policy(w_, base());
  EXPECT_TRUE(p.may_exec("/pause"));
  EXPECT_FALSE(p.may_exec("/data.txt"));
  EXPECT_FALSE(p.may_write("/pause"));
  // Through PATH (process.env's, else the default) and a symlink inside the root.
  w_.argv = {"tool"};
  EXPECT_EQ(resolve_program(w_), "");
  w_.env = {"PATH=/opt/app"};
  EXPECT_EQ(resolve_program(w_), "/opt/app/tool");
  w_.env = {};
  w_.argv = {"/bin/server"};
  EXPECT_EQ(resolve_program(w_), "/opt/app/server");
  p = container_policy(w_, base());
  EXPECT_TRUE(p.may_exec("/opt/app/server"));
  EXPECT_FALSE(p.may_exec("/opt/app/other"));
  w_.argv = {"/bin/sh"};  // already under an exec path: nothing added
  EXPECT_EQ(container_policy(w_, base()).paths.size(), base().paths.size() + kDevRules);
}

TEST_F(ContainerPolicyTest, WritableMountsAndRootButDenyRulesStay) {
  w_.argv = {"/bin/sh"};
  w_.mounts = {{"/data", "bind", "/srv", {"rbind"}},
               {"/config", "bind", "/etc", {"rbind", "ro"}},
               {"/proc", "proc", "proc", {}},
               {"/dev/shm", "tmpfs", "shm", {"nosuid"}}};
  auto p = container_policy(w_, base());
  EXPECT_TRUE(p.may_write("/data/file"));
  EXPECT_TRUE(p.may_write("/dev/shm/x"));
  EXPECT_FALSE(p.may_write("/config/file"));
  EXPECT_FALSE(p.may_write("/etc/passwd"));
  w_.readonly_root = false;
  p = container_policy(w_, base());
  EXPECT_TRUE(p.may_write("/etc/passwd"));
  EXPECT_FALSE(p.may_write("/bin/sh"));      // exec paths stay exec-only
  EXPECT_FALSE(p.may_read("/proc/1/mem"));   // deny rules win
}

TEST_F(ContainerPolicyTest, TheSandboxDevAndTheConfigDevicesAreWritable) {
  w_.argv = {"/bin/sh"};
  auto p = container_policy(w_, base());
  EXPECT_FALSE(p.may_write("/dev/fuse"));
  EXPECT_FALSE(p.may_write("/dev/sda"));
  for (const char* d : {"/dev/pts/ptmx", "/dev/pts/0", "/dev/shm/x", "/dev/mqueue/q", "/dev/null"}) {
    EXPECT_TRUE(p.may_write(d)) << d;
  }
  w_.fs.devices = {{"/dev/fuse", 'c', 10, 229, {}, {}, {}}};
  p = container_policy(w_, base());
  EXPECT_TRUE(p.may_write("/dev/fuse"));
  EXPECT_FALSE(p.may_write("/dev/fuse2"));
  EXPECT_FALSE(p.may_exec("/dev/shm/x"));
}

}  // namespace
}  // namespace edgeward::runtime
