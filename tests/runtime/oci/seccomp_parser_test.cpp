// config.json's linux.seccomp (runtime/oci/seccomp_parser.h) through the config parser:
// malformed and refused profiles first (each error names the JSON path), then what is read.
#include <gtest/gtest.h>

#include "runtime/oci/config_parser.h"

namespace edgeward::oci {
namespace {

std::string with_seccomp(const std::string& seccomp) {
  return R"({"ociVersion":"1.0.2","process":{"args":["/bin/sh"]},"root":{"path":"r"},"linux":{"seccomp":)" + seccomp + "}}";
}

TEST(OciSeccompParser, RefusesMalformedOrUnsupportedProfilesNamingThePath) {
  const struct {
    const char* name;
    const char* seccomp;
    const char* error;
  } cases[] = {
      {"type", R"([])", "linux.seccomp: expected an object, got array"},
      {"no default", R"({"syscalls":[]})", "linux.seccomp.defaultAction: missing"},
      {"unknown default", R"({"defaultAction":"SCMP_ACT_MAYBE"})", "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_MAYBE\""},
      {"trace default", R"({"defaultAction":"SCMP_ACT_TRACE"})", "linux.seccomp.defaultAction: SCMP_ACT_TRACE is not supported"},
      {"default errno 0", R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":0})", "linux.seccomp.defaultErrnoRet: must be 1 .. 4095, got 0"},
      {"default errno for allow", R"({"defaultAction":"SCMP_ACT_ALLOW","defaultErrnoRet":1})",
       "linux.seccomp.defaultErrnoRet: only for defaultAction SCMP_ACT_ERRNO"},
      {"arch", R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_VAX"]})",
       "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_VAX\""},
      {"flag", R"({"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_NEW_LISTENER"]})",
       "linux.seccomp.flags[0]: \"SECCOMP_FILTER_FLAG_NEW_LISTENER\" is not supported"},
      {"listener", R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock"})",
       "linux.seccomp.listenerPath: seccomp agents are not supported"},
      {"syscalls type", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":{}})", "linux.seccomp.syscalls: expected an array, got object"},
      {"no names", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"action":"SCMP_ACT_ERRNO"}]})",
       "linux.seccomp.syscalls[0].names: missing or empty"},
      {"name type", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[1],"action":"SCMP_ACT_ERRNO"}]})",
       "linux.seccomp.syscalls[0].names[0]: expected a string, got number"},
      {"no action", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"]}]})",
       "linux.seccomp.syscalls[0].action: missing"},
      {"notify", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]})",
       "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY is not supported"},
      {"errno range", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO","errnoRet":5000}]})",
       "linux.seccomp.syscalls[0].errnoRet: must be 1 .. 4095, got 5000"},
      {"errno for kill", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_KILL","errnoRet":1}]})",
       "linux.seccomp.syscalls[0].errnoRet: only for SCMP_ACT_ERRNO"},
      {"arg index", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]})",
       "linux.seccomp.syscalls[0].args[0].index: must be 0 .. 5, got 6"},
      {"arg op", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_ABOUT"}]}]})",
       "linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_ABOUT\""},
      {"arg value", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":-1,"op":"SCMP_CMP_EQ"}]}]})",
       "linux.seccomp.syscalls[0].args[0].value: must not be negative"},
      {"too many args", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"op":"SCMP_CMP_EQ"},{"index":0,"op":"SCMP_CMP_EQ"},{"index":0,"op":"SCMP_CMP_EQ"},{"index":0,"op":"SCMP_CMP_EQ"},{"index":0,"op":"SCMP_CMP_EQ"},{"index":0,"op":"SCMP_CMP_EQ"},{"index":0,"op":"SCMP_CMP_EQ"}]}]})",
       "linux.seccomp.syscalls[0].args: more than 6 entries"},
  };
  for (const auto& c : cases) {
    auto r = parse_oci_config(with_seccomp(c.seccomp), "config.json");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(std::string("config.json: ") + c.error), std::string::npos)
        << c.name << ": " << r.error().message;
  }
}

TEST(OciSeccompParser, ReadsAProfile) {
  auto r = parse_oci_config(with_seccomp(R"({
      "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], "flags": ["SECCOMP_FILTER_FLAG_LOG"],
      "listenerPath": "",
      "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                   {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122,
                    "args": [{"index": 1, "value": 448, "valueTwo": 7, "op": "SCMP_CMP_MASKED_EQ"}, {"index": 0, "op": "SCMP_CMP_NE"}]},
                   {"names": ["no_such_call"], "action": "SCMP_ACT_KILL_PROCESS"}]})"), "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->seccomp.has_value());
  const sandbox::SeccompProfile& p = *r->seccomp;
  EXPECT_EQ(p.default_action, "SCMP_ACT_ERRNO");
  EXPECT_EQ(p.default_errno_ret, 38u);
  EXPECT_EQ(p.architectures, (std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}));
  EXPECT_EQ(p.flags, std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"});
  ASSERT_EQ(p.syscalls.size(), 3u);
  EXPECT_EQ(p.syscalls[0].names, (std::vector<std::string>{"read", "write"}));
  EXPECT_FALSE(p.syscalls[0].errno_ret.has_value());
  EXPECT_EQ(p.syscalls[1].errno_ret, 122u);
  ASSERT_EQ(p.syscalls[1].args.size(), 2u);
  EXPECT_EQ(p.syscalls[1].args[0].index, 1u);
  EXPECT_EQ(p.syscalls[1].args[0].value, 448u);
  EXPECT_EQ(p.syscalls[1].args[0].value_two, 7u);
  EXPECT_EQ(p.syscalls[1].args[0].op, "SCMP_CMP_MASKED_EQ");
  EXPECT_EQ(p.syscalls[1].args[1].value, 0u);
  EXPECT_EQ(p.syscalls[2].action, "SCMP_ACT_KILL_PROCESS");
}

TEST(OciSeccompParser, AbsentMeansNone) {
  auto r = parse_oci_config(R"({"ociVersion":"1.0.2","process":{"args":["a"]},"root":{"path":"r"},"linux":{}})", "c");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->seccomp.has_value());
}

}  // namespace
}  // namespace edgeward::oci
