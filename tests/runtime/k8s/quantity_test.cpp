// Kubernetes quantities: bad text first (each error names it), then exact values in milli-units.
#include "runtime/k8s/quantity.h"

#include <gtest/gtest.h>

#include <string>

namespace edgeward::k8s {
namespace {

TEST(Quantity, RejectsBadText) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"-1", "must not be negative"},
      {"+1", "a sign is not allowed"},
      {"Mi", "no digits"},
      {".", "no digits"},
      {"12Q", "unknown suffix \"Q\""},
      {"1.2.3", "unknown suffix \".3\""},
      {"128mi", "unknown suffix \"mi\""},
      {"1e", "unknown suffix \"e\""},
      {"1e3x", "unknown suffix \"e3x\""},
      {"1e99", "exponent out of range"},
      {"1234567890123456", "more than 15 significant digits"},
      {"9Ei", "value too large"},
      {"999999999999999E", "value too large"},
  };
  for (const auto& [text, why] : cases) {
    auto r = parse_quantity_milli(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_NE(r.error().message.find(why), std::string::npos) << text << ": " << r.error().message;
    EXPECT_NE(r.error().message.find("\"" + std::string(text) + "\""), std::string::npos) << r.error().message;
  }
}

TEST(Quantity, ParsesExactly) {
  const std::pair<const char*, int64_t> cases[] = {
      {"0", 0},
      {"500m", 500},
      {"1", 1000},
      {"2", 2000},
      {"0.5", 500},
      {".25", 250},
      {"1.", 1000},
      {"100u", 1},  // rounds up to 1m, as Kubernetes does
      {"1n", 1},
      {"0.0001", 1},
      {"1k", 1000000},
      {"1Ki", 1024000},
      {"128Mi", 128LL * 1024 * 1024 * 1000},
      {"1.5Gi", 1536LL * 1024 * 1024 * 1000},
      {"1G", 1000000000000LL},
      {"2e3", 2000000},
      {"5E-3", 5},
      {"007", 7000},
  };
  for (const auto& [text, want] : cases) {
    auto r = parse_quantity_milli(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error().message;
    EXPECT_EQ(*r, want) << text;
  }
  EXPECT_EQ(milli_to_units_ceil(1), 1u);
  EXPECT_EQ(milli_to_units_ceil(134217728000), 134217728u);
}

}  // namespace
}  // namespace edgeward::k8s
