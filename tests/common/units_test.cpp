#include "common/units.h"

#include <gtest/gtest.h>

namespace edgeward {
namespace {

TEST(ParseSize, Errors) {
  for (const char* bad : {"", "M", "-1", "1.5G", "12X", "1 G", "99999999999999999999", "17179869184T", "0x10"}) {
    auto r = parse_size(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    }
  }
}

TEST(ParseSize, Units) {
  EXPECT_EQ(*parse_size("0"), 0u);
  EXPECT_EQ(*parse_size("4096"), 4096u);
  EXPECT_EQ(*parse_size("4k"), 4096u);
  EXPECT_EQ(*parse_size("256M"), 256u << 20);
  EXPECT_EQ(*parse_size("256MiB"), 256u << 20);
  EXPECT_EQ(*parse_size("4GiB"), uint64_t{4} << 30);
  EXPECT_EQ(*parse_size("2T"), uint64_t{2} << 40);
}

TEST(FormatSize, LargestExactUnit) {
  EXPECT_EQ(format_size(256u << 20), "256MiB");
  EXPECT_EQ(format_size(uint64_t{4} << 30), "4GiB");
  EXPECT_EQ(format_size(3072), "3KiB");
  EXPECT_EQ(format_size(1536), "1536B");
  EXPECT_EQ(format_size(1000), "1000B");
  EXPECT_EQ(format_size(0), "0B");
}

TEST(ParseUint, Range) {
  EXPECT_EQ(*parse_uint("5", 1, 10, "n"), 5u);
  EXPECT_FALSE(parse_uint("0", 1, 10, "n").ok());
  EXPECT_FALSE(parse_uint("11", 1, 10, "n").ok());
  EXPECT_FALSE(parse_uint("5a", 1, 10, "n").ok());
}

}  // namespace
}  // namespace edgeward
