// config.json's file-system fields (runtime/oci/linux_fields.h): refusals first (each names the
// JSON path), then the devices cgroup allow-list as the kernel evaluates it, then what is kept.
#include "runtime/oci/linux_fields.h"

#include <gtest/gtest.h>

#include "runtime/sandbox/devices.h"

namespace edgeward::oci {
namespace {

using Rule = OciConfig::DeviceRule;

OciConfig::Device dev_null() { return {"/dev/null", "c", 1, 3, std::nullopt, std::nullopt, std::nullopt}; }

TEST(LinuxFields, RefusesWhatTheSandboxCannotGiveNamingTheField) {
  struct Case {
    const char* name;
    OciConfig config;
    bool net_host;
    std::vector<sandbox::JoinNamespace> joins;
    const char* error;
  };
  std::vector<Case> cases;
  auto add = [&](const char* name, auto edit, bool net_host, std::vector<sandbox::JoinNamespace> joins, const char* error) {
    OciConfig c;
    edit(c);
    cases.push_back({name, c, net_host, std::move(joins), error});
  };
  add("relative masked path", [](OciConfig& c) { c.masked_paths = {"/proc/kcore", "proc/keys"}; }, false, {},
      "linux.maskedPaths[1]: \"proc/keys\" must be an absolute path");
  add("dot-dot masked path", [](OciConfig& c) { c.masked_paths = {"/proc/../etc/passwd"}; }, false, {},
      "linux.maskedPaths[0]: \"/proc/../etc/passwd\" must not hold");
  add("root read-only path", [](OciConfig& c) { c.readonly_paths = {"/"}; }, false, {},
      "linux.readonlyPaths[0]: the root itself cannot be given");
  add("net sysctl with the host's network", [](OciConfig& c) { c.sysctl = {{"net.ipv4.ip_forward", "1"}}; }, true, {},
      "linux.sysctl[\"net.ipv4.ip_forward\"]: the network namespace is the host's");
  add("host-wide sysctl", [](OciConfig& c) { c.sysctl = {{"kernel.core_pattern", "|/tmp/x"}}; }, false, {},
      "linux.sysctl[\"kernel.core_pattern\"]: not a namespaced sysctl");
  add("vm sysctl", [](OciConfig& c) { c.sysctl = {{"vm.overcommit_memory", "1"}}; }, false, {},
      "linux.sysctl[\"vm.overcommit_memory\"]: not a namespaced sysctl");
  add("ipc sysctl in a joined IPC namespace", [](OciConfig& c) { c.sysctl = {{"kernel.shmmax", "1"}}; }, false,
      {{"ipc", "/proc/1/ns/ipc"}}, "linux.sysctl[\"kernel.shmmax\"]: the IPC namespace is not the container's own");
  add("hostname sysctl in a joined UTS namespace", [](OciConfig& c) { c.sysctl = {{"kernel.hostname", "x"}}; }, false,
      {{"uts", "/proc/1/ns/uts"}}, "linux.sysctl[\"kernel.hostname\"]: the UTS namespace is not the container's own");
  add("sysctl key with a slash", [](OciConfig& c) { c.sysctl = {{"net/../../kernel/core_pattern", "x"}}; }, false, {},
      "not a sysctl name");
  add("sysctl key with an empty component", [](OciConfig& c) { c.sysctl = {{"net..ipv4", "x"}}; }, false, {},
      "not a sysctl name");
  add("sysctl value with a newline", [](OciConfig& c) { c.sysctl = {{"net.ipv4.ip_forward", "1\n0"}}; }, false, {},
      "the value must be one line");
  add("device outside /dev", [](OciConfig& c) { c.devices = {{"/etc/null", "c", 1, 3, {}, {}, {}}}; }, false, {},
      "linux.devices[0]: path \"/etc/null\" must be below /dev");
  // A host block device's refusal needs one the host has: tests/runtime/sandbox/devices_test.cpp.
  add("fileMode beyond permission bits", [](OciConfig& c) { c.devices = {{"/dev/x", "c", 1, 3, 010666u, {}, {}}}; }, false,
      {}, "linux.devices[0]: fileMode must be permission bits");
  add("edgeward's staging directory", [](OciConfig& c) { c.devices = {{"/dev/.edgeward-nodes/0", "c", 1, 3, {}, {}, {}}}; },
      false, {}, "linux.devices[0]: path \"/dev/.edgeward-nodes/0\" is edgeward's own");
  add("mode not the host's", [](OciConfig& c) { c.devices = {{"/dev/null", "c", 1, 3, 0600u, {}, {}}}; }, false, {},
      "linux.devices[0]: fileMode differs from the host node's");
  add("the host's device at another path, wider", [](OciConfig& c) { c.devices = {{"/dev/my-null", "c", 1, 3, 0600u, {}, {}}}; },
      false, {}, "linux.devices[0]: fileMode differs from the host node's");
  add("device denied by the allow-list",
      [](OciConfig& c) {
        c.devices = {dev_null()};
        c.device_rules = {Rule{false, "a", {}, {}, "rwm"}, Rule{true, "c", 1, 3, "r"}};
      },
      false, {}, "linux.devices[0]: /dev/null (c 1:3) is allowed only one of read and write by linux.resources.devices");
  for (const auto& c : cases) {
    runtime::WorkloadSpec w;
    w.net_host = c.net_host;
    w.join_namespaces = c.joins;
    auto s = apply_linux_fs(c.config, w);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.error().message.find(c.error), std::string::npos) << c.name << ": " << s.error().message;
  }
}

TEST(LinuxFields, TheAllowListIsEvaluatedAsTheDevicesCgroupDoes) {
  const struct {
    const char* name;
    std::vector<Rule> rules;
    char type;
    const char* access;
    bool allowed;
  } cases[] = {
      {"no rules: everything", {}, 'c', "rw", true},
      {"deny all", {{false, "a", {}, {}, "rwm"}}, 'c', "rw", false},
      {"deny all then allow it", {{false, "a", {}, {}, "rwm"}, {true, "c", 10, 229, "rwm"}}, 'c', "rw", true},
      {"unbuffered is a character device", {{false, "a", {}, {}, "rwm"}, {true, "c", 10, 229, "rw"}}, 'u', "rw", true},
      {"read only", {{false, "a", {}, {}, "rwm"}, {true, "c", 10, 229, "r"}}, 'c', "rw", false},
      {"read only, read asked", {{false, "a", {}, {}, "rwm"}, {true, "c", 10, 229, "r"}}, 'c', "r", true},
      {"any minor", {{false, "a", {}, {}, "rwm"}, {true, "c", 10, {}, "rw"}}, 'c', "rw", true},
      {"other major", {{false, "a", {}, {}, "rwm"}, {true, "c", 11, {}, "rw"}}, 'c', "rw", false},
      {"block rule", {{false, "a", {}, {}, "rwm"}, {true, "b", 10, 229, "rw"}}, 'c', "rw", false},
      {"a later deny wins", {{true, "c", 10, 229, "rw"}, {false, "c", {}, {}, "w"}}, 'c', "rw", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(device_rules_allow(c.rules, c.type, 10, 229, c.access), c.allowed) << c.name;
  }
}

// As runc, whose devices cgroup refuses opening it: a device the allow-list denies both ways is a
// node that cannot be opened (a placeholder, warned), not a refusal (runtime-tools' linux_devices).
TEST(LinuxFields, ADeviceDeniedBothWaysIsAPlaceholder) {
  OciConfig c;
  c.devices = {dev_null()};
  c.device_rules = {Rule{false, "a", {}, {}, "rwm"}};
  runtime::WorkloadSpec w;
  auto s = apply_linux_fs(c, w);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(w.fs.devices.size(), 1u);
  EXPECT_TRUE(w.fs.devices[0].denied);
  EXPECT_EQ(w.fs.devices[0].source, sandbox::DeviceNode::Source::kPlaceholder);
  const auto warnings = sandbox::device_warnings(w.fs.devices);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("linux.devices[0]: /dev/null: linux.resources.devices denies it"), std::string::npos)
      << warnings[0];
}

TEST(LinuxFields, KeepsCheckedFieldsForTheSandbox) {
  OciConfig c;
  c.masked_paths = {"/proc/kcore", "/no/such/path"};  // missing paths are skipped when applied
  c.readonly_paths = {"/proc/sys"};
  c.devices = {dev_null(), {"/dev/fifo", "p", 0, 0, 0600u, {}, {}}};
  c.device_rules = {Rule{false, "a", {}, {}, "rwm"}, Rule{true, "c", 1, 3, "rwm"}};
  c.sysctl = {{"net.ipv4.ip_forward", "1"}, {"kernel.shmmax", "8192"}, {"fs.mqueue.msg_max", "20"},
              {"kernel.domainname", "edge"}};
  runtime::WorkloadSpec w;
  w.net_host = false;
  ASSERT_TRUE(apply_linux_fs(c, w).ok());
  EXPECT_EQ(w.fs.masked_paths, c.masked_paths);
  EXPECT_EQ(w.fs.readonly_paths, c.readonly_paths);
  ASSERT_EQ(w.fs.devices.size(), 2u);
  EXPECT_EQ(w.fs.devices[0].type, 'c');
  EXPECT_EQ(w.fs.devices[1].type, 'p');
  EXPECT_EQ(w.fs.devices[1].file_mode, 0600u);
  EXPECT_FALSE(w.fs.devices[0].denied);
  EXPECT_EQ(w.fs.devices[0].source, sandbox::DeviceNode::Source::kHost);
  EXPECT_EQ(w.fs.sysctl, c.sysctl);
  // A joined network (a pod's) is the container's, not the host's: net.* is written there.
  runtime::WorkloadSpec pod;
  pod.net_host = true;
  pod.join_namespaces = {{"network", "/proc/1/ns/net"}};
  OciConfig net;
  net.sysctl = {{"net.ipv4.ip_forward", "1"}};
  EXPECT_TRUE(apply_linux_fs(net, pod).ok());
}

}  // namespace
}  // namespace edgeward::oci
