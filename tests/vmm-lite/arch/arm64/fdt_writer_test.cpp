// The libfdt-backed device-tree writer: node names, GIC interrupt specifiers, reg cells, and the
// first error kept until finish().
#include "vmm-lite/arch/arm64/fdt_writer.h"

#include <gtest/gtest.h>
#include <libfdt.h>

namespace edgeward::vmm::arm64 {
namespace {

std::vector<uint32_t> cells(const std::vector<uint8_t>& fdt, const char* path, const char* prop) {
  int len = 0;
  const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt.data(), fdt_path_offset(fdt.data(), path), prop, &len));
  std::vector<uint32_t> v;
  for (int i = 0; p && i < len / 4; ++i) v.push_back(fdt32_to_cpu(p[i]));
  return v;
}

TEST(FdtWriter, UnitNamesAreLowerCaseHexWithoutPrefix) {
  EXPECT_EQ(unit_name("uart", 0x9000000), "uart@9000000");
  EXPECT_EQ(unit_name("cpu", 0), "cpu@0");
  EXPECT_EQ(unit_name("memory", 0x1'0000'0000ull), "memory@100000000");
}

TEST(FdtWriter, WritesRegAndInterruptsForTheGic) {
  FdtWriter w(4096);
  w.finish_reservemap();
  w.begin("");
  w.begin_node("dev", 0x1'2345'6000ull);
  w.reg({Placement::Space::kMmio, 0x1'2345'6000ull, 0x2000, 7, 0});
  w.interrupts(7, Trigger::kEdgeRising);
  w.end_node();
  w.begin_node("lvl", 0x10);
  w.interrupts(95, Trigger::kLevelHigh);
  w.end_node();
  EXPECT_EQ(w.depth(), 1);
  w.end_node();
  auto blob = w.finish();
  ASSERT_TRUE(blob.ok()) << blob.error().message;
  EXPECT_EQ(cells(*blob, "/dev@123456000", "reg"), (std::vector<uint32_t>{1, 0x23456000, 0, 0x2000}));
  EXPECT_EQ(cells(*blob, "/dev@123456000", "interrupts"), (std::vector<uint32_t>{kGicSpi, 7, kIrqEdgeRising}));
  EXPECT_EQ(cells(*blob, "/lvl@10", "interrupts"), (std::vector<uint32_t>{kGicSpi, 95, kIrqLevelHigh}));
}

TEST(FdtWriter, KeepsTheFirstError) {
  FdtWriter w(4096);
  w.finish_reservemap();
  w.begin("");
  w.reg({Placement::Space::kPortIo, 0x60, 5, 0, 0});
  w.fail("second");
  w.end_node();
  auto blob = w.finish();
  ASSERT_FALSE(blob.ok());
  EXPECT_NE(blob.error().message.find("port I/O window (0x60)"), std::string::npos) << blob.error().message;

  FdtWriter small(128);  // libfdt runs out of room
  small.finish_reservemap();
  small.begin("");
  small.string("bootargs", std::string(1000, 'x'));
  EXPECT_TRUE(small.out_of_space());
  small.end_node();
  auto full = small.finish();
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.error().message.find("does not fit"), std::string::npos) << full.error().message;
}

}  // namespace
}  // namespace edgeward::vmm::arm64
