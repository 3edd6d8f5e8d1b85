// Path rule matching: deny always wins, otherwise the longest matching rule; rules cover their
// subtree on whole components only; wildcards do not cross "/".
#include "runtime/sandbox/policy.h"

#include <gtest/gtest.h>

namespace edgeward::sandbox {
namespace {

Policy sample() {
  Policy p;
  p.paths = {{"/", Access::kRead, "r"},         {"/tmp", Access::kWrite, "r"},
             {"/bin", Access::kExec, "r"},      {"/proc/*/mem", Access::kDeny, "r"},
             {"/etc/secret", Access::kDeny, "r"}};
  return p;
}

struct MatchCase {
  const char* path;
  Access expected;
};

const MatchCase kCases[] = {
    // denials first
    {"/etc/secret", Access::kDeny},
    {"/etc/secret/below", Access::kDeny},
    {"/proc/1/mem", Access::kDeny},
    {"/proc/123/mem", Access::kDeny},
    // component boundaries: /tmpfoo is not under /tmp, /etc/secrets is not /etc/secret
    {"/tmpfoo", Access::kRead},
    {"/etc/secrets", Access::kRead},
    {"/binx/sh", Access::kRead},
    // wildcards do not cross "/"
    {"/proc/1/task/2/mem", Access::kRead},
    // longest match
    {"/tmp", Access::kWrite},
    {"/tmp/a/b", Access::kWrite},
    {"/bin/sh", Access::kExec},
    {"/", Access::kRead},
    {"/data/x", Access::kRead},
};

class PathMatch : public ::testing::TestWithParam<MatchCase> {};

TEST_P(PathMatch, GivesTheExpectedAccess) {
  EXPECT_EQ(access_name(sample().access(GetParam().path)), access_name(GetParam().expected)) << GetParam().path;
}

INSTANTIATE_TEST_SUITE_P(Table, PathMatch, ::testing::ValuesIn(kCases));

TEST(Policy, NoRuleMeansNoAccess) {
  Policy p;
  EXPECT_FALSE(p.may_read("/anything"));
  p.paths = {{"/data", Access::kRead, "r"}};
  EXPECT_FALSE(p.may_read("/etc/passwd"));
  EXPECT_TRUE(p.may_read("/data/x"));
  EXPECT_FALSE(p.may_write("/data/x"));
  EXPECT_FALSE(p.may_exec("/data/x"));
}

TEST(Policy, ExecAndWriteImplyRead) {
  const Policy p = sample();
  EXPECT_TRUE(p.may_read("/bin/sh"));
  EXPECT_TRUE(p.may_read("/tmp/x"));
  EXPECT_FALSE(p.may_exec("/tmp/x"));
  EXPECT_FALSE(p.may_write("/bin/sh"));
}

// Namespaced sysctls (set by the sandbox): readable despite the "/proc/sys" denial, never
// writable, on whole components only; every other deny rule still wins.
TEST(Policy, NamespacedSysctlsAreReadableOnly) {
  Policy p = sample();
  p.paths.push_back({"/proc/sys", Access::kDeny, "r"});
  p.paths.push_back({"/proc/sys/net/ipv4/conf", Access::kDeny, "r"});
  p.paths.push_back({"/proc", Access::kWrite, "r"});
  const MatchCase before[] = {{"/proc/sys/net/ipv4/ip_forward", Access::kDeny}, {"/proc/sys/kernel/shmmax", Access::kDeny}};
  for (const auto& c : before) EXPECT_EQ(access_name(p.access(c.path)), access_name(c.expected)) << c.path;
  p.namespaced_sysctls = {"/proc/sys/net", "/proc/sys/kernel/shmmax", "/etc/secret"};
  const MatchCase cases[] = {
      {"/proc/sys/net/ipv4/ip_forward", Access::kRead},  // read, although "/proc" is writable
      {"/proc/sys/net", Access::kRead},
      {"/proc/sys/kernel/shmmax", Access::kRead},
      {"/proc/sys/net/ipv4/conf/all/forwarding", Access::kDeny},  // another deny rule
      {"/proc/sys/netfilter", Access::kDeny},                    // not below /proc/sys/net
      {"/proc/sys/kernel/shmmaxx", Access::kDeny},
      {"/proc/sys/kernel/core_pattern", Access::kDeny},
      {"/proc/sys/vm/overcommit_memory", Access::kDeny},
      {"/proc/sys", Access::kDeny},
      {"/etc/secret", Access::kDeny},  // only below /proc/sys does a grant lift a denial
  };
  for (const auto& c : cases) EXPECT_EQ(access_name(p.access(c.path)), access_name(c.expected)) << c.path;
  EXPECT_FALSE(p.may_write("/proc/sys/net/ipv4/ip_forward"));
  p.paths = {{"/proc/sys", Access::kDeny, "r"}};  // nothing else grants reading: neither does the sysctl
  EXPECT_EQ(access_name(p.access("/proc/sys/net/core/somaxconn")), "deny");
}

}  // namespace
}  // namespace edgeward::sandbox
