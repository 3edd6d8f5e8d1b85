// config.json parser: malformed input first (each error names the JSON path), then what is read
// and what is ignored.
#include "runtime/oci/config_parser.h"

#include <gtest/gtest.h>

namespace edgeward::oci {
namespace {

constexpr const char* kMinimal =
    R"({"ociVersion":"1.0.2","process":{"args":["/bin/sh"],"cwd":"/"},"root":{"path":"rootfs"}})";

struct BadCase {
  const char* name;
  std::string json;
  const char* error;  // expected in the message, after "config.json: "
};

template <size_t N>
void expect_refused(const BadCase (&cases)[N]) {
  for (const auto& c : cases) {
    auto r = parse_oci_config(c.json, "config.json");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(std::string("config.json: ") + c.error), std::string::npos)
        << c.name << ": " << r.error().message;
  }
}

TEST(OciConfigParser, RefusesMalformedInputNamingThePath) {
  const BadCase cases[] = {
      {"empty", "", "(document): not valid JSON"},
      {"truncated", R"({"ociVersion":"1.0.2","process":{)", "(document): not valid JSON"},
      {"not an object", "[1,2]", "(document): expected an object, got array"},
      {"no version", R"({"process":{"args":["a"]},"root":{"path":"r"}})", "ociVersion: missing"},
      {"version type", R"({"ociVersion":1,"process":{"args":["a"]},"root":{"path":"r"}})",
       "ociVersion: expected a string, got number"},
      {"version 2", R"({"ociVersion":"2.0.0","process":{"args":["a"]},"root":{"path":"r"}})",
       "ociVersion: \"2.0.0\" is not a 1.x"},
      {"no process", R"({"ociVersion":"1.0.2","root":{"path":"r"}})", "process: missing"},
      {"process type", R"({"ociVersion":"1.0.2","process":[],"root":{"path":"r"}})",
       "process: expected an object, got array"},
      {"args missing", R"({"ociVersion":"1.0.2","process":{"cwd":"/"},"root":{"path":"r"}})",
       "process.args: missing or empty"},
      {"args type", R"({"ociVersion":"1.0.2","process":{"args":"sh"},"root":{"path":"r"}})",
       "process.args: expected an array of strings, got string"},
      {"arg type", R"({"ociVersion":"1.0.2","process":{"args":["sh",7]},"root":{"path":"r"}})",
       "process.args[1]: expected a string, got number"},
      {"empty program", R"({"ociVersion":"1.0.2","process":{"args":[""]},"root":{"path":"r"}})",
       "process.args[0]: the program name is empty"},
      {"env entry", R"({"ociVersion":"1.0.2","process":{"args":["a"],"env":["A=1","B"]},"root":{"path":"r"}})",
       "process.env[1]: \"B\" is not KEY=VALUE"},
      {"env type", R"({"ociVersion":"1.0.2","process":{"args":["a"],"env":[true]},"root":{"path":"r"}})",
       "process.env[0]: expected a string, got boolean"},
      {"relative cwd", R"({"ociVersion":"1.0.2","process":{"args":["a"],"cwd":"tmp"},"root":{"path":"r"}})",
       "process.cwd: must be an absolute path"},
      {"terminal type", R"({"ociVersion":"1.0.2","process":{"args":["a"],"terminal":"yes"},"root":{"path":"r"}})",
       "process.terminal: expected true or false, got string"},
      {"no root", R"({"ociVersion":"1.0.2","process":{"args":["a"]}})", "root: missing"},
      {"root path type", R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":5}})",
       "root.path: expected a string, got number"},
      {"readonly type", R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r","readonly":1}})",
       "root.readonly: expected true or false, got number"},
      {"hostname type", R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"hostname":[]})",
       "hostname: expected a string, got array"},
      {"annotation type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"annotations":{"k":1}})",
       "annotations[\"k\"]: expected a string, got number"},
      {"memory type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"resources":{"memory":{"limit":"1G"}}}})",
       "linux.resources.memory.limit: expected an integer, got string"},
      {"memory float",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"resources":{"memory":{"limit":1e40}}}})",
       "linux.resources.memory.limit: expected an integer, got number"},
      {"memory too large",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"resources":{"memory":{"limit":18446744073709551615}}}})",
       "linux.resources.memory.limit: out of range"},
      {"pids type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"resources":{"pids":[]}}})",
       "linux.resources.pids: expected an object, got array"},
      {"namespaces type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"namespaces":{"type":"pid"}}})",
       "linux.namespaces: expected an array, got object"},
      {"namespace path type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"namespaces":[{"type":"pid"},{"type":"network","path":1}]}})",
       "linux.namespaces[1].path: expected a string, got number"},
      {"namespace without type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"namespaces":[{}]}})",
       "linux.namespaces[0].type: missing"},
      {"uid type", R"({"ociVersion":"1.0.2","process":{"args":["a"],"user":{"uid":"1000"}},"root":{"path":"r"}})",
       "process.user.uid: expected an integer id, got string"},
      {"negative gid", R"({"ociVersion":"1.0.2","process":{"args":["a"],"user":{"uid":1,"gid":-1}},"root":{"path":"r"}})",
       "process.user.gid: out of range"},
      {"uid too large", R"({"ociVersion":"1.0.2","process":{"args":["a"],"user":{"uid":4294967295}},"root":{"path":"r"}})",
       "process.user.uid: out of range"},
      {"group type", R"({"ociVersion":"1.0.2","process":{"args":["a"],"user":{"additionalGids":[5,"x"]}},"root":{"path":"r"}})",
       "process.user.additionalGids[1]: expected an integer id, got string"},
      {"mounts type", R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"mounts":{}})",
       "mounts: expected an array, got object"},
      {"relative mount", R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"mounts":[{"destination":"data"}]})",
       "mounts[0].destination: must be an absolute path"},
      {"mount option type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"mounts":[{"destination":"/d","options":[1]}]})",
       "mounts[0].options[0]: expected a string, got number"},
      {"uid mappings type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"uidMappings":{}}})",
       "linux.uidMappings: expected an array, got object"},
      {"uid mapping entry type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"uidMappings":[5]}})",
       "linux.uidMappings[0]: expected an object, got number"},
      {"uid mapping without size",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"uidMappings":[{"containerID":0,"hostID":1}]}})",
       "linux.uidMappings[0].size: missing"},
      {"gid mapping negative host",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"gidMappings":[{"containerID":0,"hostID":-1,"size":1}]}})",
       "linux.gidMappings[0].hostID: out of range"},
      {"gid mapping zero size",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"gidMappings":[{"containerID":0,"hostID":9,"size":0}]}})",
       "linux.gidMappings[0].size: must be 1 .. 4294967295"},
      {"gid mapping size string",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"gidMappings":[{"containerID":0,"hostID":9,"size":"1"}]}})",
       "linux.gidMappings[0].size: expected an integer, got string"},
      {"cpu shares type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"resources":{"cpu":{"shares":"2"}}}})",
       "linux.resources.cpu.shares: expected an integer, got string"},
      {"cgroups path type",
       R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{"cgroupsPath":7}})",
       "linux.cgroupsPath: expected a string, got number"},
  };
  expect_refused(cases);
}

TEST(OciConfigParser, RefusesOversizedInput) {
  auto r = parse_oci_config(std::string(kMaxConfigBytes + 1, ' '), "big.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("larger than 1 MiB"), std::string::npos);
}

TEST(OciConfigParser, ReadsAMinimalConfigWithDefaults) {
  auto r = parse_oci_config(kMinimal, "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->oci_version, "1.0.2");
  EXPECT_EQ(r->args, std::vector<std::string>{"/bin/sh"});
  EXPECT_TRUE(r->env.empty());
  EXPECT_EQ(r->cwd, "/");
  EXPECT_FALSE(r->terminal);
  EXPECT_EQ(r->root_path, "rootfs");
  EXPECT_FALSE(r->memory_limit.has_value());
  EXPECT_FALSE(r->pids_limit.has_value());
}

TEST(OciConfigParser, ReadsTheHonouredFieldsAndIgnoresTheRest) {
  const char* json = R"({
    "ociVersion": "1.0.2-dev",
    "process": {"terminal": true, "user": {"uid": 1000, "gid": 1000}, "args": ["sh", "-c", "echo hi"],
                "env": ["PATH=/bin", "TERM=xterm"], "cwd": "/work", "capabilities": {"bounding": ["CAP_KILL"]},
                "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}], "noNewPrivileges": true},
    "root": {"path": "/abs/rootfs", "readonly": true},
    "hostname": "edge-1",
    "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
    "annotations": {"io.edgeward.backend": "vm", "org.opencontainers.image.title": "x"},
    "linux": {"resources": {"memory": {"limit": 134217728, "swap": 0}, "pids": {"limit": 32}, "cpu": {"shares": 2}},
              "namespaces": [{"type": "pid"}, {"type": "network"}], "seccomp": {"defaultAction": "SCMP_ACT_ERRNO"},
              "cgroupsPath": "/edge/x"},
    "hooks": {"prestart": [{"path": "/bin/true"}]},
    "unknownFutureField": {"anything": [1, 2, 3]}
  })";
  auto r = parse_oci_config(json, "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->terminal);
  EXPECT_EQ(r->args, (std::vector<std::string>{"sh", "-c", "echo hi"}));
  EXPECT_EQ(r->env, (std::vector<std::string>{"PATH=/bin", "TERM=xterm"}));
  EXPECT_EQ(r->cwd, "/work");
  EXPECT_EQ(r->root_path, "/abs/rootfs");
  EXPECT_TRUE(r->root_readonly);
  EXPECT_EQ(r->hostname, "edge-1");
  EXPECT_EQ(r->annotations.at("io.edgeward.backend"), "vm");
  EXPECT_EQ(r->annotations.size(), 2u);
  EXPECT_EQ(r->memory_limit, 134217728);
  EXPECT_EQ(r->pids_limit, 32);
  ASSERT_EQ(r->namespaces.size(), 2u);
  EXPECT_EQ(r->namespaces[1].type, "network");
  EXPECT_EQ(r->namespaces[1].path, "");
}

TEST(OciConfigParser, NullFieldsCountAsAbsent) {
  auto r = parse_oci_config(
      R"({"ociVersion":"1.0.2","process":{"args":["a"],"env":null},"root":{"path":"r"},"annotations":null,"linux":null})",
      "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->env.empty());
}

TEST(OciConfigParser, ReadsUserMountsIdMappingsAndCgroupsPath) {
  auto r = parse_oci_config(
      R"({"ociVersion":"1.0.2","process":{"args":["a"],"user":{"uid":1000,"gid":3000,"additionalGids":[4000,5]}},
          "root":{"path":"r"},
          "mounts":[{"destination":"/data","type":"bind","source":"/srv","options":["rbind","ro"]},{"destination":"/dev/shm"}],
          "linux":{"uidMappings":[{"containerID":0,"hostID":100000,"size":65536}],"cgroupsPath":"/pod/ctr",
                   "resources":{"cpu":{"shares":256,"quota":50000,"period":100000}},
                   "namespaces":[{"type":"ipc","path":"/proc/9/ns/ipc"}]}})",
      "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->uid, 1000u);
  EXPECT_EQ(r->gid, 3000u);
  EXPECT_EQ(r->additional_gids, (std::vector<uint32_t>{4000, 5}));
  ASSERT_EQ(r->mounts.size(), 2u);
  EXPECT_EQ(r->mounts[0].source, "/srv");
  EXPECT_EQ(r->mounts[0].options, (std::vector<std::string>{"rbind", "ro"}));
  EXPECT_EQ(r->mounts[1].type, "");
  ASSERT_EQ(r->uid_mappings.size(), 1u);
  EXPECT_EQ(r->uid_mappings[0].container_id, 0u);
  EXPECT_EQ(r->uid_mappings[0].host_id, 100000u);
  EXPECT_EQ(r->uid_mappings[0].size, 65536u);
  EXPECT_TRUE(r->gid_mappings.empty());
  EXPECT_EQ(r->cgroups_path, "/pod/ctr");
  EXPECT_EQ(r->cpu_shares, 256);
  EXPECT_EQ(r->cpu_quota, 50000);
  EXPECT_EQ(r->cpu_period, 100000);
  EXPECT_TRUE(r->has_namespaces);
}

TEST(OciConfigParser, ReadsAProcessAloneForExec) {
  auto r = parse_oci_process(R"({"args":["/bin/id"],"env":["A=1"],"cwd":"/tmp","user":{"uid":7,"gid":8}})", "process.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->args, std::vector<std::string>{"/bin/id"});
  EXPECT_EQ(r->cwd, "/tmp");
  EXPECT_EQ(r->uid, 7u);
  auto bad = parse_oci_process(R"({"args":[]})", "process.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("process.json: process.args: missing or empty"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(parse_oci_process("{", "process.json").ok());
}

// linux.maskedPaths, readonlyPaths, devices, resources.devices and sysctl: types here, their
// meaning in linux_fields_test.cpp.
TEST(OciConfigParser, RefusesMalformedFileSystemFieldsNamingThePath) {
  const std::string head = R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":)";
  const BadCase cases[] = {
      {"masked type", head + R"({"maskedPaths":"/proc/kcore"}})", "linux.maskedPaths: expected an array of strings, got string"},
      {"masked entry", head + R"({"maskedPaths":["/proc/kcore",1]}})", "linux.maskedPaths[1]: expected a string, got number"},
      {"readonly entry", head + R"({"readonlyPaths":[null]}})", "linux.readonlyPaths[0]: expected a string, got null"},
      {"devices type", head + R"({"devices":{}}})", "linux.devices: expected an array, got object"},
      {"device without path", head + R"({"devices":[{"type":"c","major":1,"minor":3}]}})", "linux.devices[0].path: missing"},
      {"device type", head + R"({"devices":[{"path":"/dev/x","type":"x","major":1,"minor":3}]}})",
       "linux.devices[0].type: must be c, u, b or p, got \"x\""},
      {"device without numbers", head + R"({"devices":[{"path":"/dev/x","type":"c","major":1}]}})",
       "linux.devices[0]: a c device needs major and minor"},
      {"device major range", head + R"({"devices":[{"path":"/dev/x","type":"c","major":-1,"minor":3}]}})",
       "linux.devices[0]: major must be in 0..4095"},
      {"device mode", head + R"({"devices":[{"path":"/dev/x","type":"c","major":1,"minor":3,"fileMode":65536}]}})",
       "linux.devices[0].fileMode: must be permission bits"},
      {"device uid", head + R"({"devices":[{"path":"/dev/x","type":"c","major":1,"minor":3,"uid":"0"}]}})",
       "linux.devices[0].uid: expected an integer id, got string"},
      {"sysctl type", head + R"({"sysctl":["net.ipv4.ip_forward"]}})", "linux.sysctl: expected an object, got array"},
      {"sysctl value", head + R"({"sysctl":{"net.ipv4.ip_forward":1}}})",
       "linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got number"},
      {"rule without allow", head + R"({"resources":{"devices":[{"access":"rwm"}]}}})",
       "linux.resources.devices[0].allow: missing"},
      {"rule type", head + R"({"resources":{"devices":[{"allow":true,"type":"p"}]}}})",
       "linux.resources.devices[0].type: must be a, c or b"},
      {"rule access", head + R"({"resources":{"devices":[{"allow":false,"access":"rwx"}]}}})",
       "linux.resources.devices[0].access: must be letters of \"rwm\""},
  };
  expect_refused(cases);
}

TEST(OciConfigParser, ReadsTheFileSystemFields) {
  auto r = parse_oci_config(
      R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},
          "linux":{"maskedPaths":["/proc/kcore","/proc/acpi"],"readonlyPaths":["/proc/sys"],
                   "devices":[{"path":"/dev/fuse","type":"c","major":10,"minor":229,"fileMode":438,"uid":0,"gid":0},
                              {"path":"/dev/pipe","type":"p"}],
                   "sysctl":{"net.ipv4.ip_forward":"1","kernel.shmmax":"8192"},
                   "resources":{"devices":[{"allow":false,"access":"rwm"},
                                           {"allow":true,"type":"c","major":10,"minor":229,"access":"rw"},
                                           {"allow":true,"type":"c","major":-1,"minor":-1,"access":"m"}]}}})",
      "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->masked_paths, (std::vector<std::string>{"/proc/kcore", "/proc/acpi"}));
  EXPECT_EQ(r->readonly_paths, std::vector<std::string>{"/proc/sys"});
  ASSERT_EQ(r->devices.size(), 2u);
  EXPECT_EQ(r->devices[0].path, "/dev/fuse");
  EXPECT_EQ(r->devices[0].major, 10);
  EXPECT_EQ(r->devices[0].minor, 229);
  EXPECT_EQ(r->devices[0].file_mode, 0666u);
  EXPECT_EQ(r->devices[0].uid, 0u);
  EXPECT_EQ(r->devices[1].type, "p");
  EXPECT_FALSE(r->devices[1].file_mode.has_value());
  EXPECT_EQ(r->sysctl.at("kernel.shmmax"), "8192");
  ASSERT_EQ(r->device_rules.size(), 3u);
  EXPECT_FALSE(r->device_rules[0].allow);
  EXPECT_EQ(r->device_rules[0].type, "a");
  EXPECT_FALSE(r->device_rules[0].major.has_value());
  EXPECT_EQ(r->device_rules[1].major, 10);
  EXPECT_EQ(r->device_rules[1].access, "rw");
  EXPECT_FALSE(r->device_rules[2].minor.has_value());  // -1: any
}

}  // namespace
}  // namespace edgeward::oci
