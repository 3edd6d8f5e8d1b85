// Filter construction from policies: the default profile builds (every traced call has a
// supervisor decision), a trace rule without a decision is refused, names unknown to this arch
// are skipped.
#include "runtime/sandbox/filter.h"

#include <gtest/gtest.h>

#include "runtime/sandbox/default_policy.h"
#include "runtime/sandbox/supervisor/decisions.h"
#include "runtime/sandbox/supervisor/notify_call.h"
#include "tests/runtime/sandbox/seccomp_probe.h"

namespace edgeward::sandbox {
namespace {

TEST(Filter, TraceWithoutADecisionIsRefused) {
  EW_SKIP_WITHOUT_SECCOMP();
  Policy p;
  p.name = "bad";
  p.syscalls = {{"getpid", Action::kTrace, 0, "r"}};
  auto f = build_filter(p, has_decision);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("no decision for it"), std::string::npos) << f.error().message;
}

TEST(Filter, DefaultPolicyBuilds) {
  EW_SKIP_WITHOUT_SECCOMP();
  auto p = default_policy();
  ASSERT_TRUE(p.ok());
  auto f = build_filter(*p, has_decision);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
}

TEST(Filter, EveryTracedCallOfTheDefaultHasADecision) {
  auto p = default_policy();
  ASSERT_TRUE(p.ok());
  for (const auto& r : p->syscalls) {
    if (r.action == Action::kTrace) {
      EXPECT_TRUE(has_decision(r.name)) << r.name;
    }
  }
}

TEST(Filter, DefaultPolicyBuildsWithNotifications) {
  EW_SKIP_WITHOUT_SECCOMP();
  auto p = default_policy();
  ASSERT_TRUE(p.ok());
  auto f = build_filter(*p, has_decision, has_notify_handler);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
}

// The ptrace-only filter is the fallback when the kernel refuses notifications: every call
// answered through notifications must also have a ptrace decision.
TEST(Filter, EveryNotifiedCallAlsoHasAPtraceDecision) {
  for (const auto& e : notify_entries()) EXPECT_TRUE(has_decision(e.name)) << e.name;
}

TEST(Filter, SyscallsMissingOnThisArchAreSkipped) {
  EW_SKIP_WITHOUT_SECCOMP();
  Policy p;
  p.syscalls = {{"open", Action::kTrace, 0, "absent on arm64"}, {"no_such_call", Action::kAllow, 0, "r"}};
  auto f = build_filter(p, has_decision);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().message);
}

}  // namespace
}  // namespace edgeward::sandbox
