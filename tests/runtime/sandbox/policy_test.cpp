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

}  // namespace
}  // namespace edgeward::sandbox
