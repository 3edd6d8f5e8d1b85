// Metadata lifetimes and per-role options of the repository commands, one line per case.
#include "ota/repo/duration.h"

#include <gtest/gtest.h>

namespace edgeward::ota::repo {
namespace {

TEST(OtaRepoDuration, Parse) {
  const struct {
    const char* text;
    int64_t seconds;  // -1: refused
  } cases[] = {
      {"", -1}, {"d", -1}, {"30", -1}, {"0d", -1}, {"-1d", -1}, {"1.5d", -1}, {"10q", -1}, {"1D", -1},
      {"101y", -1}, {"99999999999999999999s", -1},
      {"90s", 90}, {"15m", 900}, {"12h", 43200}, {"30d", 2592000}, {"2w", 1209600}, {"1y", 31536000},
      {"100y", 3153600000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto d = parse_duration(c.text);
    if (c.seconds < 0) {
      ASSERT_FALSE(d.ok());
      EXPECT_EQ(d.error().code, ErrorCode::kInvalidInput);
    } else {
      ASSERT_TRUE(d.ok()) << d.error().message;
      EXPECT_EQ(*d, c.seconds);
    }
  }
}

TEST(OtaRepoDuration, RoleOptions) {
  auto l = parse_lifetimes({"timestamp=2h", "root=2y"});
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->at(tuf::Role::kTimestamp), 7200);
  EXPECT_EQ(l->at(tuf::Role::kRoot), 2 * 31536000);
  EXPECT_EQ(l->at(tuf::Role::kTargets), 90 * 86400);  // default kept
  for (const char* bad : {"timestamp", "=1d", "../root=1d", "delegated=1d", "root=1"}) {
    EXPECT_FALSE(parse_lifetimes({bad}).ok()) << bad;
  }
  auto n = parse_role_counts({"targets=3"}, "--keys");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->at(tuf::Role::kTargets), 3u);
  for (const char* bad : {"targets=0", "targets=17", "targets=x", "x=1"}) {
    EXPECT_FALSE(parse_role_counts({bad}, "--keys").ok()) << bad;
  }
}

}  // namespace
}  // namespace edgeward::ota::repo
