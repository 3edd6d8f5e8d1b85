// Namespaced sysctls in a real sandbox (sysctl.h, supervisor/workload_namespaces.h): the values
// of the sandbox's own namespaces are readable from inside and are those namespaces' (set through
// the config, different from the host's); host-global keys, /proc/sys itself, every write and
// the network keys of the host's network stay refused.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "common/text/file_text.h"
#include "runtime/sandbox/sandbox.h"
#include "tests/runtime/sandbox/sandbox_env.h"

namespace edgeward::sandbox {
namespace {


SandboxConfig config(const std::string& script) { return testing::shell_config(script); }

std::string host_value(const std::string& path) {
  std::string v = text::read_file(path, 4096).value_or("");
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
  return v;
}

#define EW_SKIP_UNLESS_ROOT() \
  if (geteuid() != 0) GTEST_SKIP() << "the supervisor enters the sandbox's namespaces (setns) only as root"

TEST(SandboxSysctl, SetValuesReadBackFromTheSandboxsOwnNamespaces) {
  EW_SKIP_WITHOUT_SANDBOX();
  EW_SKIP_UNLESS_ROOT();
  const std::string host_forward = host_value("/proc/sys/net/ipv4/ip_forward");
  const std::string host_msgmax = host_value("/proc/sys/kernel/msgmax");
  ASSERT_FALSE(host_forward.empty());
  ASSERT_FALSE(host_msgmax.empty());
  // The opposite of the host's value: reading the host's network namespace would show the other.
  const std::string forward = host_forward == "1" ? "0" : "1";
  const std::string msgmax = std::to_string(std::stoll(host_msgmax) - 1);
  SandboxConfig c = config("[ \"$(cat /proc/sys/net/ipv4/ip_forward)\" = " + forward + " ] || exit 2;"
                           "[ \"$(cat /proc/sys/kernel/msgmax)\" = " + msgmax + " ] || exit 3;"
                           "[ \"$(cat /proc/sys/kernel/hostname)\" = from-sysctl ] || exit 4;"
                           "cat /proc/sys/net/ipv4/ip_local_port_range > /dev/null || exit 5; exit 0");
  c.fs.sysctl = {{"net.ipv4.ip_forward", forward}, {"kernel.msgmax", msgmax}, {"kernel.hostname", "from-sysctl"}};
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0) << (r->denials.empty() ? "" : r->denials.front().detail);
  EXPECT_EQ(host_value("/proc/sys/net/ipv4/ip_forward"), host_forward);  // the host's is untouched
  EXPECT_EQ(host_value("/proc/sys/kernel/msgmax"), host_msgmax);
}

TEST(SandboxSysctl, HostGlobalKeysAndWritesStayRefused) {
  EW_SKIP_WITHOUT_SANDBOX();
  SandboxConfig c = config(
      "cat /proc/sys/kernel/core_pattern > /dev/null 2>&1 && exit 2;"
      "cat /proc/sys/vm/overcommit_memory > /dev/null 2>&1 && exit 3;"
      "ls /proc/sys > /dev/null 2>&1 && exit 4;"
      "echo 1 > /proc/sys/net/ipv4/ip_forward 2>/dev/null && exit 5;"
      "echo 1 > /proc/sys/kernel/msgmax 2>/dev/null && exit 6;"
      "cat /proc/sys/kernel/ostype > /dev/null 2>&1 && exit 7; exit 0");
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0);
  EXPECT_GE(r->denials.size(), 5u);
}

TEST(SandboxSysctl, TheHostsNetworkKeysAreNotReadable) {
  EW_SKIP_WITHOUT_SANDBOX();
  EW_SKIP_UNLESS_ROOT();
  SandboxConfig c = config("cat /proc/sys/net/ipv4/ip_forward > /dev/null 2>&1 && exit 2;"
                           "cat /proc/sys/kernel/shmmni > /dev/null || exit 3; exit 0");
  c.net_host = true;
  auto r = run_sandbox(c);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->shell_status(), 0);
}

}  // namespace
}  // namespace edgeward::sandbox
