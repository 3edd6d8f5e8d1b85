// Sandbox policy parser: error cases first (each names the line and what to fix), then good
// policies, the built-in default profile and extension of it.
#include "runtime/sandbox/policy_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "runtime/sandbox/default_policy.h"

namespace edgeward::sandbox {
namespace {

struct BadCase {
  const char* name;
  const char* xml;
  const char* message;  // a substring of the error
};

const BadCase kBad[] = {
    {"not_xml", "<sandbox-policy", "not well-formed"},
    {"wrong_root", R"(<policy name="p" schema="1"/>)", "expected <sandbox-policy>"},
    {"no_schema", R"(<sandbox-policy name="p"/>)", "schema"},
    {"future_schema", R"(<sandbox-policy name="p" schema="2"/>)", "schema=\"2\" is not supported"},
    {"no_name", R"(<sandbox-policy schema="1"/>)", "name="},
    {"bad_extends", R"(<sandbox-policy name="p" schema="1" extends="web"/>)", "only \"default\""},
    {"unknown_root_attr", R"(<sandbox-policy name="p" schema="1" mode="x"/>)", "unknown attribute mode"},
    {"unknown_element", R"(<sandbox-policy name="p" schema="1"><file/></sandbox-policy>)", "unknown element <file>"},
    {"path_no_reason", R"(<sandbox-policy name="p" schema="1"><path pattern="/a" access="read"/></sandbox-policy>)",
     "every rule says why"},
    {"path_relative", R"(<sandbox-policy name="p" schema="1"><path pattern="a" access="read" reason="r"/></sandbox-policy>)",
     "must be absolute"},
    {"path_dotdot", R"(<sandbox-policy name="p" schema="1"><path pattern="/a/../b" access="read" reason="r"/></sandbox-policy>)",
     "must be canonical"},
    {"path_trailing_slash", R"(<sandbox-policy name="p" schema="1"><path pattern="/a/" access="read" reason="r"/></sandbox-policy>)",
     "must be canonical"},
    {"path_bad_access", R"(<sandbox-policy name="p" schema="1"><path pattern="/a" access="all" reason="r"/></sandbox-policy>)",
     "not one of read, write, exec, deny"},
    {"syscall_bad_name", R"(<sandbox-policy name="p" schema="1"><syscall name="Open" action="allow" reason="r"/></sandbox-policy>)",
     "may only hold"},
    {"syscall_bad_action", R"(<sandbox-policy name="p" schema="1"><syscall name="open" action="log" reason="r"/></sandbox-policy>)",
     "not one of allow, trace, deny, kill"},
    {"syscall_errno_without_deny",
     R"(<sandbox-policy name="p" schema="1"><syscall name="open" action="allow" errno="EPERM" reason="r"/></sandbox-policy>)",
     "only makes sense"},
    {"syscall_bad_errno",
     R"(<sandbox-policy name="p" schema="1"><syscall name="open" action="deny" errno="EWHAT" reason="r"/></sandbox-policy>)",
     "neither a known name"},
    {"syscall_twice", R"(<sandbox-policy name="p" schema="1"><syscall name="read" action="allow" reason="r"/>
<syscall name="read" action="kill" reason="r"/></sandbox-policy>)",
     ":2: syscall read has two rules"},
    {"network_twice", R"(<sandbox-policy name="p" schema="1"><network allowed="true" reason="r"/>
<network allowed="false" reason="r"/></sandbox-policy>)",
     "more than once"},
    {"network_bad_value", R"(<sandbox-policy name="p" schema="1"><network allowed="yes" reason="r"/></sandbox-policy>)",
     "true or false"},
};

class BadPolicy : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadPolicy, IsRefusedWithAHelpfulMessage) {
  auto r = parse_policy_xml(GetParam().xml, "p.xml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(GetParam().message), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.rfind("p.xml", 0), 0u) << "errors name the source: " << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(Errors, BadPolicy, ::testing::ValuesIn(kBad),
                         [](const ::testing::TestParamInfo<BadCase>& i) { return std::string(i.param.name); });

TEST(PolicyParser, RefusesOversizedInput) {
  const std::string big(kMaxPolicyBytes + 1, ' ');
  auto r = parse_policy_xml(big, "big.xml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("larger than 256 KiB"), std::string::npos);
}

TEST(PolicyParser, ParsesEveryKindOfRule) {
  auto r = parse_policy_xml(R"(<sandbox-policy name="web" schema="1" extends="default">
  <network allowed="true" reason="serves http"/>
  <path pattern="/srv" access="write" reason="its data"/>
  <path pattern="/proc/*/mem" access="deny" reason="no"/>
  <syscall name="openat" action="trace" reason="paths"/>
  <syscall name="bpf" action="deny" errno="ENOSYS" reason="no"/>
  <syscall name="ptrace" action="kill" reason="no"/>
</sandbox-policy>)",
                            "web.xml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->extends, "default");
  EXPECT_EQ(r->policy.name, "web");
  EXPECT_TRUE(r->policy.network);
  ASSERT_EQ(r->policy.paths.size(), 2u);
  EXPECT_EQ(r->policy.paths[0].access, Access::kWrite);
  EXPECT_EQ(r->policy.paths[1].access, Access::kDeny);
  ASSERT_EQ(r->policy.syscalls.size(), 3u);
  EXPECT_EQ(r->policy.syscalls[1].action, Action::kDeny);
  EXPECT_EQ(r->policy.syscalls[1].errno_value, ENOSYS);
  EXPECT_EQ(r->policy.syscalls[2].action, Action::kKill);
}

TEST(DefaultPolicy, ParsesAndGivesEveryRuleAReason) {
  auto p = default_policy();
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_FALSE(p->network);
  EXPECT_GT(p->syscalls.size(), 150u);
  for (const auto& r : p->syscalls) EXPECT_FALSE(r.reason.empty()) << r.name;
  for (const auto& r : p->paths) EXPECT_FALSE(r.reason.empty()) << r.pattern;
  ASSERT_NE(p->syscall("ptrace"), nullptr);
  EXPECT_EQ(p->syscall("ptrace")->action, Action::kDeny);
  EXPECT_EQ(p->syscall("reboot"), nullptr) << "unlisted calls are killed";
}

TEST(DefaultPolicy, CanBeExtendedWithOverrides) {
  auto base = default_policy();
  ASSERT_TRUE(base.ok());
  auto overlay = parse_policy_xml(R"(<sandbox-policy name="x" schema="1" extends="default">
  <path pattern="/etc/secret" access="deny" reason="r"/>
  <syscall name="ptrace" action="kill" reason="r"/>
  <syscall name="reboot" action="deny" reason="r"/>
</sandbox-policy>)",
                                  "x.xml");
  ASSERT_TRUE(overlay.ok()) << overlay.error().message;
  const Policy merged = merge_policies(*base, overlay->policy);
  EXPECT_EQ(merged.name, "x");
  EXPECT_EQ(merged.syscall("ptrace")->action, Action::kKill);
  EXPECT_EQ(merged.syscall("reboot")->errno_value, EPERM);
  EXPECT_EQ(merged.syscalls.size(), base->syscalls.size() + 1);
  EXPECT_FALSE(merged.may_read("/etc/secret"));
  EXPECT_TRUE(merged.may_read("/etc/passwd"));
}

TEST(PolicyFile, MissingFileSaysWhatToCheck) {
  auto p = load_policy_file("/nonexistent/policy.xml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("--policy"), std::string::npos);
}

}  // namespace
}  // namespace edgeward::sandbox
