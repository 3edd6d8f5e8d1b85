// How the sandbox's own limits and a container's process.rlimits combine (rlimits.h), and the
// name table the config parser uses.
#include "runtime/sandbox/rlimits.h"

#include <gtest/gtest.h>

namespace edgeward::sandbox {
namespace {

TEST(Rlimits, TheSandboxDefaultsWhenNothingIsGiven) {
  EXPECT_EQ(plan_rlimits({}, 0, 0), (std::vector<Rlimit>{{RLIMIT_CORE, 0, 0}, {RLIMIT_NOFILE, 1024, 1024}}));
}

TEST(Rlimits, TheConfigReplacesADefault) {
  EXPECT_EQ(plan_rlimits({{RLIMIT_NOFILE, 4096, 65536}, {RLIMIT_STACK, 1 << 20, 1 << 20}}, 0, 0),
            (std::vector<Rlimit>{{RLIMIT_CORE, 0, 0}, {RLIMIT_NOFILE, 4096, 65536}, {RLIMIT_STACK, 1 << 20, 1 << 20}}));
}

TEST(Rlimits, TheTighterOfTheConfigAndTheCgroupFallbackWins) {
  const auto plan = plan_rlimits({{RLIMIT_AS, 100, RLIM_INFINITY}, {RLIMIT_NPROC, 5, 50}}, 1000, 20);
  EXPECT_EQ(plan, (std::vector<Rlimit>{{RLIMIT_CORE, 0, 0}, {RLIMIT_NOFILE, 1024, 1024}, {RLIMIT_AS, 100, 1000},
                                       {RLIMIT_NPROC, 5, 20}}));
  EXPECT_EQ(plan_rlimits({}, 1000, 0).back(), (Rlimit{RLIMIT_AS, 1000, 1000}));
}

TEST(Rlimits, NamesAreSetrlimitsOwn) {
  EXPECT_EQ(rlimit_resource("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_EQ(rlimit_resource("RLIMIT_RTTIME"), RLIMIT_RTTIME);
  EXPECT_FALSE(rlimit_resource("NOFILE"));
  EXPECT_EQ(rlimit_name(RLIMIT_MEMLOCK), "RLIMIT_MEMLOCK");
}

}  // namespace
}  // namespace edgeward::sandbox
