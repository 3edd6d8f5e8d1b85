// The devices that end a VM (ACPI power registers, i8042 reset) and the CMOS clock.
#include <gtest/gtest.h>

#include <vector>

#include "vmm-lite/devices/acpi_pm.h"
#include "vmm-lite/devices/cmos_rtc.h"
#include "vmm-lite/devices/i8042.h"
#include "tests/vmm-lite/devices/description_recorder.h"

namespace edgeward::vmm {
namespace {

void wr(Device& d, uint64_t off, uint8_t v) { d.write(off, {&v, 1}); }
uint8_t rd(Device& d, uint64_t off) {
  uint8_t v = 0;
  d.read(off, {&v, 1});
  return v;
}

TEST(AcpiPm, OnlyS5WithSleepEnablePowersOff) {
  std::vector<StopReason> stops;
  AcpiPm pm([&](StopReason r) { stops.push_back(r); });
  wr(pm, AcpiPm::kSleepControl, 5 << 2);           // S5 without SLP_EN
  wr(pm, AcpiPm::kSleepControl, (3 << 2) | 0x20);  // S3: not supported, ignored
  wr(pm, AcpiPm::kReset, 0x02);                    // wrong reset value
  EXPECT_TRUE(stops.empty());
  wr(pm, AcpiPm::kSleepControl, (5 << 2) | 0x20);
  wr(pm, AcpiPm::kReset, AcpiPm::kResetValue);
  EXPECT_EQ(stops, (std::vector<StopReason>{StopReason::kPowerOff, StopReason::kReset}));
}

// ACPI learns of it as \_S5 (the sleep type its write handler accepts) and the FADT's power
// registers, at the ports where the platform put it; a device tree has no such device.
TEST(AcpiPm, DescribesItsSleepStateAndRegistersToAcpiOnly) {
  AcpiPm pm(nullptr);
  DescriptionRecorder r;
  pm.describe(static_cast<AcpiWriter&>(r), {Placement::Space::kPortIo, 0x600, AcpiPm::kSize, 0, 0});
  EXPECT_EQ(r.lines, (std::vector<std::string>{"sleep S5 type 5", "power control 0x600 status 0x601 reset 0x602 value 0x1"}));
  r.lines.clear();
  pm.describe(static_cast<AcpiWriter&>(r), {Placement::Space::kPortIo, 0xb000, AcpiPm::kSize, 0, 0});
  EXPECT_EQ(r.lines.at(1), "power control 0xb000 status 0xb001 reset 0xb002 value 0x1");
  r.lines.clear();
  pm.describe(static_cast<DeviceTreeWriter&>(r), {Placement::Space::kMmio, 0x600, AcpiPm::kSize, 0, 0});
  EXPECT_TRUE(r.lines.empty()) << "device-tree machines power off through PSCI";
}

TEST(I8042, PulseResetEndsTheVmAndOtherCommandsDoNot) {
  std::vector<StopReason> stops;
  I8042 kbd([&](StopReason r) { stops.push_back(r); });
  wr(kbd, 4, 0xaa);  // self test
  EXPECT_EQ(rd(kbd, 4) & 1, 1);
  EXPECT_EQ(rd(kbd, 0), 0x55);
  wr(kbd, 4, 0x20);  // read command byte
  EXPECT_EQ(rd(kbd, 0), 0x45);
  EXPECT_TRUE(stops.empty());
  wr(kbd, 4, 0xfe);
  EXPECT_EQ(stops, std::vector<StopReason>{StopReason::kReset});
}

TEST(CmosRtc, ReportsTheClockInBcd) {
  CmosRtc rtc([] { return std::time_t{1700000000}; });  // 2023-11-14 22:13:20 UTC
  auto reg = [&](uint8_t index) {
    wr(rtc, 0, index);
    return rd(rtc, 1);
  };
  EXPECT_EQ(reg(0x00), 0x20);
  EXPECT_EQ(reg(0x02), 0x13);
  EXPECT_EQ(reg(0x04), 0x22);
  EXPECT_EQ(reg(0x07), 0x14);
  EXPECT_EQ(reg(0x08), 0x11);
  EXPECT_EQ(reg(0x09), 0x23);
  EXPECT_EQ(reg(0x32), 0x20);
  EXPECT_EQ(reg(0x0a) & 0x80, 0) << "never update-in-progress";
  wr(rtc, 0, 0x00);
  wr(rtc, 1, 0x59);  // time registers follow the host clock, not guest writes
  EXPECT_EQ(reg(0x00), 0x20);
  wr(rtc, 0, 0xff);  // index is 7 bits
  wr(rtc, 1, 0xab);
  EXPECT_EQ(reg(0x7f), 0xab);
}

}  // namespace
}  // namespace edgeward::vmm
