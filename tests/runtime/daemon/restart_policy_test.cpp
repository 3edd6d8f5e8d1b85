#include <gtest/gtest.h>

#include "runtime/daemon/restart_policy.h"

namespace edgeward::daemon {
namespace {

using K = RestartPolicy::Kind;

TEST(RestartPolicy, RefusesBadText) {
  for (const char* bad : {"sometimes", "on-failure:", "on-failure:0", "on-failure:-1", "on-failure:x", "on-failure:3x",
                          "on-failure:99999999999", "Always", "no:3", "on-failure3"}) {
    auto p = parse_restart_policy(bad);
    EXPECT_FALSE(p.ok()) << bad;
    if (!p.ok()) {
      EXPECT_NE(p.error().message.find("on-failure:N"), std::string::npos);
    }
  }
}

TEST(RestartPolicy, ParsesAndPrintsCanonically) {
  const std::pair<const char*, RestartPolicy> cases[] = {
      {"", {K::kNo, 0}}, {"no", {K::kNo, 0}}, {"always", {K::kAlways, 0}},
      {"on-failure", {K::kOnFailure, 0}}, {"on-failure:5", {K::kOnFailure, 5}}};
  for (const auto& [text, want] : cases) {
    auto p = parse_restart_policy(text);
    ASSERT_TRUE(p.ok()) << text;
    EXPECT_EQ(*p, want) << text;
    EXPECT_EQ(*parse_restart_policy(p->text()), want) << p->text();
  }
}

TEST(RestartPolicy, Decisions) {
  struct Case {
    const char* policy;
    int status;
    uint32_t restarts;
    bool by_user;
    bool restart;
  };
  const Case cases[] = {
      {"always", 0, 100, true, false},        // a user stop always wins
      {"on-failure", 1, 0, true, false},
      {"no", 1, 0, false, false},
      {"on-failure", 0, 0, false, false},     // success is not a failure
      {"on-failure:2", 1, 2, false, false},   // retries used up
      {"on-failure:2", 1, 1, false, true},
      {"on-failure", 137, 1000, false, true}, // unlimited
      {"on-failure", -1, 0, false, true},     // unknown status (lost container) counts as failure
      {"always", 0, 5, false, true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(should_restart(*parse_restart_policy(c.policy), c.status, c.restarts, c.by_user), c.restart)
        << c.policy << " status " << c.status << " restarts " << c.restarts;
  }
}

TEST(RestartPolicy, BackoffDoublesUpToACap) {
  EXPECT_EQ(restart_backoff(0).count(), 100);
  EXPECT_EQ(restart_backoff(1).count(), 100);
  EXPECT_EQ(restart_backoff(2).count(), 200);
  EXPECT_EQ(restart_backoff(5).count(), 1600);
  EXPECT_EQ(restart_backoff(12).count(), 30000);
  EXPECT_EQ(restart_backoff(4000000000u).count(), 30000);
}

}  // namespace
}  // namespace edgeward::daemon
