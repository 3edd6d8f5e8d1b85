// Unix seconds as UTC text, in each format the project uses.
#include "common/utc_time.h"

#include <gtest/gtest.h>

namespace edgeward {
namespace {

TEST(UtcTime, FormatsInUtcWhateverTheLocalZone) {
  ::setenv("TZ", "Pacific/Chatham", 1);  // +12:45 / +13:45: a local-time bug cannot hide
  ::tzset();
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1795446030), "2026-11-23T15:00:30Z");
  EXPECT_EQ(format_utc(1795446030, "%Y%m%d%H%M%S"), "20261123150030");
  EXPECT_EQ(format_utc(1795446030, "%Y-%m-%d %H:%M:%S UTC"), "2026-11-23 15:00:30 UTC");
}

TEST(UtcTime, TooLongAFormatGivesEmptyTextNotGarbage) {
  EXPECT_EQ(format_utc(0, std::string(80, 'x').c_str()), "");
}

}  // namespace
}  // namespace edgeward
