// linux.sysctl (runtime/sandbox/sysctl.h): malformed keys and keys of namespaces that are not
// the sandbox's are refused naming the key; the /proc/sys path of a checked key.
#include "runtime/sandbox/sysctl.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

namespace edgeward::sandbox {
namespace {

constexpr SysctlNamespaces kOwn{true, true, true};

TEST(Sysctl, RefusesBadKeysAndValues) {
  const struct {
    const char* key;
    std::string value;
    const char* error;
  } cases[] = {
      {"", "1", "linux.sysctl[\"\"]: not a sysctl name"},
      {"net/ipv4/ip_forward", "1", "not a sysctl name"},
      {"net.ipv4..ip_forward", "1", "not a sysctl name"},
      {".net.ipv4", "1", "not a sysctl name"},
      {"net.ipv4.", "1", "not a sysctl name"},
      {"net.ipv4.ip forward", "1", "not a sysctl name"},
      {"net.ipv4.ip_forward", "1\n", "the value must be one line"},
      {"net.ipv4.ip_forward", std::string(kMaxSysctlValue + 1, '1'), "the value must be one line of at most 4096 bytes"},
  };
  for (const auto& c : cases) {
    auto s = check_sysctls({{c.key, c.value}}, kOwn);
    ASSERT_FALSE(s.ok()) << c.key;
    EXPECT_NE(s.error().message.find(c.error), std::string::npos) << c.key << ": " << s.error().message;
  }
}

TEST(Sysctl, OnlyKeysOfTheSandboxsOwnNamespaces) {
  const struct {
    const char* key;
    SysctlNamespaces ns;
    bool ok;
  } cases[] = {
      {"net.ipv4.ip_forward", kOwn, true},
      {"net.ipv4.ip_forward", {false, true, true}, false},  // the host's network
      {"net.core.somaxconn", {true, false, false}, true},
      {"kernel.shmmax", kOwn, true},
      {"kernel.shm_rmid_forced", kOwn, true},
      {"kernel.msgmnb", kOwn, true},
      {"kernel.sem", kOwn, true},
      {"fs.mqueue.msg_max", kOwn, true},
      {"kernel.shmmax", {true, false, true}, false},        // a joined IPC namespace
      {"fs.mqueue.msg_max", {true, false, true}, false},
      {"kernel.hostname", kOwn, true},
      {"kernel.domainname", {true, true, false}, false},    // a joined UTS namespace
      {"kernel.core_pattern", kOwn, false},
      {"kernel.shmmaxx", kOwn, false},                      // not a prefix match
      {"vm.swappiness", kOwn, false},
      {"fs.file-max", kOwn, false},
      {"kernel.pid_max", kOwn, false},
  };
  for (const auto& c : cases) {
    auto s = check_sysctls({{c.key, "1"}}, c.ns);
    EXPECT_EQ(s.ok(), c.ok) << c.key << (s.ok() ? "" : ": " + s.error().message);
    if (!s.ok()) {
      EXPECT_NE(s.error().message.find(std::string("linux.sysctl[\"") + c.key + "\"]"), std::string::npos);
    }
  }
}

TEST(Sysctl, TooManyKeysAreRefused) {
  std::map<std::string, std::string> many;
  for (size_t i = 0; i <= kMaxSysctls; ++i) many["net.ipv4.k" + std::to_string(i)] = "1";
  EXPECT_FALSE(check_sysctls(many, kOwn).ok());
}

TEST(Sysctl, PathUnderProcSys) {
  EXPECT_EQ(sysctl_path("net.ipv4.ip_forward"), "/proc/sys/net/ipv4/ip_forward");
  EXPECT_EQ(sysctl_path("fs.mqueue.msg_max"), "/proc/sys/fs/mqueue/msg_max");
  EXPECT_EQ(sysctl_path("kernel.shm_rmid_forced"), "/proc/sys/kernel/shm_rmid_forced");
}

TEST(Sysctl, NamespacedPathsFollowTheNamespaces) {
  EXPECT_TRUE(namespaced_sysctl_paths({}).empty());
  EXPECT_EQ(namespaced_sysctl_paths({true, false, false}), std::vector<std::string>{"/proc/sys/net"});
  const auto ipc = namespaced_sysctl_paths({false, true, false});
  EXPECT_EQ(ipc.size(), 9u);
  EXPECT_NE(std::find(ipc.begin(), ipc.end(), "/proc/sys/kernel/shm_rmid_forced"), ipc.end());
  EXPECT_NE(std::find(ipc.begin(), ipc.end(), "/proc/sys/fs/mqueue"), ipc.end());
  EXPECT_EQ(namespaced_sysctl_paths({false, false, true}),
            (std::vector<std::string>{"/proc/sys/kernel/hostname", "/proc/sys/kernel/domainname"}));
  // Our own namespaces are not apart from ours.
  const SysctlNamespaces self = namespaces_apart(getpid());
  EXPECT_FALSE(self.net || self.ipc || self.uts);
}

}  // namespace
}  // namespace edgeward::sandbox
