// process.rlimits, user.umask, noNewPrivileges, capabilities, oomScoreAdj and consoleSize as the
// config.json parser reads them: malformed input first (each error names the JSON path), then
// what is read, also from an exec process alone.
#include "runtime/oci/config_parser.h"

#include <gtest/gtest.h>

namespace edgeward::oci {
namespace {

std::string config_with_process(const std::string& extra) {
  return R"({"ociVersion":"1.0.2","root":{"path":"r"},"process":{"args":["a"])" + extra + "}}";
}

TEST(OciProcessFields, RefusesMalformedFieldsNamingThePath) {
  const struct {
    const char* name;
    std::string extra;
    const char* error;
  } cases[] = {
      {"rlimits type", R"(,"rlimits":{})", "process.rlimits: expected an array, got object"},
      {"rlimit entry type", R"(,"rlimits":[3])", "process.rlimits[0]: expected an object, got number"},
      {"rlimit no type", R"(,"rlimits":[{"soft":1,"hard":1}])", "process.rlimits[0].type: missing"},
      {"rlimit unknown type", R"(,"rlimits":[{"type":"RLIMIT_FILES","soft":1,"hard":1}])",
       "process.rlimits[0].type: unknown resource \"RLIMIT_FILES\""},
      {"rlimit lower case", R"(,"rlimits":[{"type":"rlimit_nofile","soft":1,"hard":1}])",
       "process.rlimits[0].type: unknown resource"},
      {"rlimit duplicate",
       R"(,"rlimits":[{"type":"RLIMIT_NOFILE","soft":1,"hard":1},{"type":"RLIMIT_NOFILE","soft":2,"hard":2}])",
       "process.rlimits[1].type: RLIMIT_NOFILE is given twice"},
      {"rlimit soft above hard", R"(,"rlimits":[{"type":"RLIMIT_NOFILE","soft":2048,"hard":1024}])",
       "process.rlimits[0]: soft limit 2048 is above the hard limit 1024"},
      {"rlimit no hard", R"(,"rlimits":[{"type":"RLIMIT_NOFILE","soft":1}])", "process.rlimits[0].hard: missing"},
      {"rlimit negative", R"(,"rlimits":[{"type":"RLIMIT_NOFILE","soft":-1,"hard":1}])",
       "process.rlimits[0].soft: expected a non-negative integer"},
      {"rlimit string", R"(,"rlimits":[{"type":"RLIMIT_NOFILE","soft":"1","hard":1}])",
       "process.rlimits[0].soft: expected a non-negative integer, got string"},
      {"caps type", R"(,"capabilities":["CAP_KILL"])", "process.capabilities: expected an object, got array"},
      {"cap set type", R"(,"capabilities":{"bounding":"CAP_KILL"})",
       "process.capabilities.bounding: expected an array of names, got string"},
      {"cap unknown", R"(,"capabilities":{"effective":["CAP_KILL","CAP_FLY"]})",
       "process.capabilities.effective[1]: unknown capability \"CAP_FLY\""},
      {"cap without prefix", R"(,"capabilities":{"ambient":["KILL"]})",
       "process.capabilities.ambient[0]: unknown capability \"KILL\""},
      {"cap not a string", R"(,"capabilities":{"permitted":[5]})",
       "process.capabilities.permitted[0]: expected a capability name, got number"},
      {"nnp type", R"(,"noNewPrivileges":"yes")", "process.noNewPrivileges: expected true or false, got string"},
      {"oom too low", R"(,"oomScoreAdj":-1001)", "process.oomScoreAdj: -1001 is out of range (-1000 .. 1000)"},
      {"oom too high", R"(,"oomScoreAdj":1001)", "process.oomScoreAdj: 1001 is out of range"},
      {"oom float", R"(,"oomScoreAdj":1.5)", "process.oomScoreAdj: expected an integer, got number"},
      {"umask too big", R"(,"user":{"umask":512})", "process.user.umask: 512 is out of range (0 .. 511)"},
      {"umask type", R"(,"user":{"umask":"022"})", "process.user.umask: expected an integer, got string"},
      {"console type", R"(,"consoleSize":[24,80])", "process.consoleSize: expected an object, got array"},
      {"console no width", R"(,"consoleSize":{"height":24})", "process.consoleSize.width: missing"},
      {"console too wide", R"(,"consoleSize":{"height":24,"width":70000})",
       "process.consoleSize.width: 70000 is out of range (0 .. 65535)"},
  };
  for (const auto& c : cases) {
    auto r = parse_oci_config(config_with_process(c.extra), "config.json");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(std::string("config.json: ") + c.error), std::string::npos)
        << c.name << ": " << r.error().message;
  }
}

TEST(OciProcessFields, AbsentFieldsAreNotSet) {
  auto r = parse_oci_config(config_with_process(""), "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ProcessFields& f = r->process_fields;
  EXPECT_TRUE(f.rlimits.empty());
  EXPECT_FALSE(f.umask || f.no_new_privileges || f.capabilities || f.oom_score_adj || f.console_size);
}

TEST(OciProcessFields, ReadsEveryField) {
  auto r = parse_oci_config(config_with_process(R"(,
      "rlimits":[{"type":"RLIMIT_NOFILE","soft":512,"hard":4096},{"type":"RLIMIT_CORE","soft":0,"hard":18446744073709551615}],
      "user":{"uid":5,"umask":63}, "noNewPrivileges":false, "oomScoreAdj":-500,
      "consoleSize":{"height":40,"width":132},
      "capabilities":{"bounding":["CAP_KILL","CAP_CHOWN"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"],
                      "inheritable":[],"ambient":null})"),
                            "config.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ProcessFields& f = r->process_fields;
  ASSERT_EQ(f.rlimits.size(), 2u);
  EXPECT_EQ(f.rlimits[0].type, "RLIMIT_NOFILE");
  EXPECT_EQ(f.rlimits[0].soft, 512u);
  EXPECT_EQ(f.rlimits[0].hard, 4096u);
  EXPECT_EQ(f.rlimits[1].hard, UINT64_MAX);  // RLIM_INFINITY, as runc writes it
  EXPECT_EQ(r->uid, 5u);
  EXPECT_EQ(f.umask, 077u);  // 63: JSON has no octal
  EXPECT_EQ(f.no_new_privileges, false);
  EXPECT_EQ(f.oom_score_adj, -500);
  ASSERT_TRUE(f.console_size);
  EXPECT_EQ(f.console_size->height, 40);
  EXPECT_EQ(f.console_size->width, 132);
  ASSERT_TRUE(f.capabilities);
  EXPECT_EQ(f.capabilities->bounding, (std::vector<std::string>{"CAP_KILL", "CAP_CHOWN"}));
  EXPECT_EQ(f.capabilities->effective, std::vector<std::string>{"CAP_KILL"});
  EXPECT_TRUE(f.capabilities->inheritable.empty());
  EXPECT_TRUE(f.capabilities->ambient.empty());
}

TEST(OciProcessFields, AreReadFromAnExecProcessToo) {
  auto r = parse_oci_process(R"({"args":["/bin/id"],"rlimits":[{"type":"RLIMIT_NPROC","soft":9,"hard":9}],
                                 "capabilities":{"bounding":["CAP_SYS_ADMIN"]}})",
                             "process.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->process_fields.rlimits.size(), 1u);
  EXPECT_EQ(r->process_fields.rlimits[0].type, "RLIMIT_NPROC");
  auto bad = parse_oci_process(R"({"args":["/bin/id"],"oomScoreAdj":5000})", "process.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("process.json: process.oomScoreAdj: 5000 is out of range"), std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace edgeward::oci
