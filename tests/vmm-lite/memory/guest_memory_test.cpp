#include "vmm-lite/memory/guest_memory.h"

#include <gtest/gtest.h>

#include <limits>

namespace edgeward::vmm {
namespace {

GuestMemory two_regions() {
  auto m = GuestMemory::create({{0, 0x10000}, {0x100000, 0x10000}});
  EXPECT_TRUE(m.ok());
  return std::move(m).value();
}

TEST(GuestMemory, RejectsEveryRangeOutsideRam) {
  const GuestMemory m = two_regions();
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  struct Case { uint64_t gpa, len; const char* why; };
  for (const Case& c : {Case{0x10000, 1, "just past region 0"}, Case{0xffff, 2, "straddles the end of region 0"},
                        Case{0xfff0, 0x100000, "spans the hole between regions"}, Case{0x110000, 1, "past region 1"},
                        Case{kMax, 2, "wraps around 2^64"}, Case{0x100000, kMax, "huge length"},
                        Case{kMax - 4, 8, "wraps at the top"}, Case{0x50000, 0, "empty range inside the hole"}}) {
    EXPECT_FALSE(m.slice(c.gpa, c.len).ok()) << c.why;
  }
}

TEST(GuestMemory, AcceptsRangesInsideOneRegion) {
  const GuestMemory m = two_regions();
  EXPECT_TRUE(m.slice(0, 0x10000).ok());
  EXPECT_TRUE(m.slice(0xffff, 1).ok());
  EXPECT_TRUE(m.slice(0x10fff0, 0x10).ok());
  EXPECT_EQ(m.total_size(), 0x20000u);
}

TEST(GuestMemory, ReadsBackWhatWasWritten) {
  const GuestMemory m = two_regions();
  ASSERT_TRUE(m.write_obj<uint64_t>(0x100008, 0x1122334455667788ull).ok());
  auto v = m.read_obj<uint64_t>(0x100008);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 0x1122334455667788ull);
  EXPECT_FALSE(m.read_obj<uint64_t>(0x10fffc).ok()) << "a read straddling the end must fail";
}

TEST(GuestMemory, RefusesBadLayouts) {
  EXPECT_FALSE(GuestMemory::create({{0, 0x1001}}).ok());
  EXPECT_FALSE(GuestMemory::create({{0, 0x2000}, {0x1000, 0x1000}}).ok());
  EXPECT_FALSE(GuestMemory::create({{0, 0}}).ok());
}

}  // namespace
}  // namespace edgeward::vmm
