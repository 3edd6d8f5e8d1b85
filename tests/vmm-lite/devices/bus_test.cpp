#include "vmm-lite/devices/bus.h"

#include <gtest/gtest.h>

namespace edgeward::vmm {
namespace {

// Records accesses; reads return the offset.
struct Probe : Device {
  std::string_view name() const override { return "probe"; }
  void read(uint64_t offset, std::span<uint8_t> data) override { store_le(data, offset); }
  void write(uint64_t offset, std::span<const uint8_t> data) override {
    last_offset = offset;
    last_value = load_le(data);
  }
  uint64_t last_offset = ~0ull, last_value = 0;
};

TEST(Bus, RefusesOverlapsAndEmptyRanges) {
  Bus bus("test");
  ASSERT_TRUE(bus.add(0x100, 0x10, std::make_shared<Probe>()).ok());
  EXPECT_FALSE(bus.add(0x10f, 1, std::make_shared<Probe>()).ok());
  EXPECT_FALSE(bus.add(0xf0, 0x11, std::make_shared<Probe>()).ok());
  EXPECT_FALSE(bus.add(0x200, 0, std::make_shared<Probe>()).ok());
  EXPECT_FALSE(bus.add(~0ull - 1, 4, std::make_shared<Probe>()).ok());
  EXPECT_TRUE(bus.add(0x110, 1, std::make_shared<Probe>()).ok());
}

TEST(Bus, DispatchesWithOffsetsAndRefusesStraddling) {
  Bus bus("test");
  auto a = std::make_shared<Probe>();
  auto b = std::make_shared<Probe>();
  ASSERT_TRUE(bus.add(0x1000, 0x10, a).ok());
  ASSERT_TRUE(bus.add(0x1010, 0x10, b).ok());
  uint8_t v4[4] = {1, 2, 3, 4};
  EXPECT_TRUE(bus.write(0x1014, v4));
  EXPECT_EQ(b->last_offset, 4u);
  EXPECT_EQ(b->last_value, 0x04030201u);
  uint8_t r[2];
  EXPECT_TRUE(bus.read(0x1003, r));
  EXPECT_EQ(r[0], 3);
  EXPECT_FALSE(bus.read(0x100e, v4)) << "an access crossing into the next device is not dispatched";
  EXPECT_FALSE(bus.write(0x2000, v4));
  EXPECT_EQ(bus.unhandled_accesses(), 2u);
  EXPECT_EQ(a->last_offset, ~0ull) << "device a was never written";
}

}  // namespace
}  // namespace edgeward::vmm
