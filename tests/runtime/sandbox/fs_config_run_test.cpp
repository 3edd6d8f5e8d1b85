// SandboxConfig::fs (runtime/sandbox/fs_config.h) in a real sandbox: refusals before anything
// runs, then masked and read-only paths, the default /dev and a sysctl seen by the workload.
#include "runtime/sandbox/sandbox.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {

SandboxConfig config(const std::string& script) { return testing::shell_config(script); }

TEST(SandboxFsConfig, RefusesWhatWouldReachTheHostBeforeAnythingRuns) {
  EW_SKIP_WITHOUT_SANDBOX();
  const struct {
    const char* name;
    bool net_host;
    FsConfig fs;
    const char* error;
  } cases[] = {
      {"net sysctl, host network", true, {{}, {}, {}, {{"net.ipv4.ip_forward", "1"}}},
       "linux.sysctl[\"net.ipv4.ip_forward\"]: the network namespace is the host's"},
      {"host-wide sysctl", false, {{}, {}, {}, {{"kernel.panic", "1"}}}, "linux.sysctl[\"kernel.panic\"]: not a namespaced"},
      {"relative masked path", false, {{"data"}, {}, {}, {}}, "linux.maskedPaths[0]: \"data\" must be an absolute path"},
      {"device wider than the host's", false, {{}, {}, {{"/dev/null", 'c', 1, 3, 07777u, {}, {}}}, {}},
       "linux.devices[0]: fileMode differs from the host node's"},
  };
  for (const auto& c : cases) {
    SandboxConfig s = config("touch /tmp/ran");
    s.net_host = c.net_host;
    s.fs = c.fs;
    auto r = run_sandbox(s);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(SandboxFsConfig, MaskedReadOnlyDevAndSysctlInsideTheSandbox) {
  EW_SKIP_WITHOUT_SANDBOX();
  // /data/hello.txt masked (reads empty), /data/tree masked (lists empty), /tmp read-only
  // (writes fail), /dev/pts and /dev/shm present, the hostname set through kernel.hostname.
  SandboxConfig c = config(
      "[ -z \"$(cat /data/hello.txt)\" ] || exit 2; [ -z \"$(ls -A /data/tree)\" ] || exit 3;"
      "echo x > /tmp/f 2>/dev/null && exit 4; [ -d /dev/pts ] && [ -d /dev/shm ] || exit 5;"
      "[ \"$(hostname)\" = from-sysctl ] || exit 6; exit 0");
  c.fs.masked_paths = {"/data/hello.txt", "/data/tree", "/no/such"};
  c.fs.readonly_paths = {"/tmp"};
  c.fs.sysctl = {{"kernel.hostname", "from-sysctl"}};
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0);
}

// linux.devices nodes edgeward makes (devices.h): a placeholder for a device number the host has
// no device for shows the type, number, mode and owner asked but cannot be opened; /dev/net/tun is
// the container root's and opens; a device at another path than the host's is the host's node; a
// FIFO has exactly the mode asked (not the umask's).
TEST(SandboxFsConfig, MadePlaceholderAndTunNodes) {
  EW_SKIP_WITHOUT_SANDBOX();
  if (geteuid() != 0) GTEST_SKIP() << "edgeward makes device nodes only as root";
  struct stat st {};
  if (stat("/sys/dev/char/120:42", &st) == 0) GTEST_SKIP() << "the host has a device 120:42";
  const bool tun = stat("/dev/net/tun", &st) == 0 && S_ISCHR(st.st_mode);
  SandboxConfig c = config(
      "[ \"$(stat -c '%F %t:%T %a %u:%g' /dev/test1)\" = 'character special file 78:2a 640 0:0' ] || "
      "{ stat -c '%F %t:%T %a %u:%g' /dev/test1; exit 2; };"
      "[ \"$(stat -c '%F %t:%T' /dev/test2)\" = 'block special file fff:fffff' ] || exit 3;"
      "(exec 3</dev/test1) 2>/dev/null && exit 4;"
      "[ \"$(stat -c %t:%T /dev/mynull)\" = 1:3 ] && echo x > /dev/mynull || exit 5;"
      "[ \"$(stat -c '%F %a' /dev/test3)\" = 'fifo 660' ] || { stat -c '%F %a' /dev/test3; exit 8; };" +
      std::string(tun ? "[ \"$(stat -c '%t:%T %a %u' /dev/net/tun)\" = 'a:c8 666 0' ] || exit 6; (exec 3<>/dev/net/tun) || exit 7;" : "") +
      "exit 0");
  c.policy.paths.push_back({"/dev", Access::kWrite, "the test's devices"});
  c.fs.devices = {{"/dev/test1", 'c', 120, 42, 0640u, 0u, 0u}, {"/dev/test2", 'b', 4095, 1048575, {}, {}, {}},
                  {"/dev/mynull", 'c', 1, 3, {}, {}, {}}, {"/dev/test3", 'p', 0, 0, 0660u, {}, {}}};
  if (tun) c.fs.devices.push_back({"/dev/net/tun", 'c', 10, 200, {}, {}, {}});
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0);
}

// As runc: the config's mounts in mountinfo in their order, the sandbox's /proc and /dev where
// the config lists its own, the default /dev set after them (runtimetest checks this order).
TEST(SandboxFsConfig, MountsInConfigOrderWithProcAndDevWhereTheConfigListsThem) {
  EW_SKIP_WITHOUT_SANDBOX();
  SandboxConfig c = config(
      "got=$(awk '{print $5}' /proc/self/mountinfo | grep -xE '/data/tree|/proc|/dev|/dev/shm|/dev/null' | tr '\\n' ' ');"
      "[ \"$got\" = '/data/tree /proc /dev /dev/shm /dev/null ' ] || { echo \"mount order: $got\"; exit 1; }");
  c.mounts = {{"/data/tree", "tmpfs", "tmpfs", {}},
              {"/proc", "proc", "proc", {}},
              {"/dev", "tmpfs", "tmpfs", {"mode=755"}},
              {"/dev/shm", "tmpfs", "shm", {"mode=1777"}}};
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0);
}

}  // namespace
}  // namespace edgeward::sandbox
