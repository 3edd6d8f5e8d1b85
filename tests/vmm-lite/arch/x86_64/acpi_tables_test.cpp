// Walks the ACPI tables as a guest kernel would: RSDP -> XSDT -> FADT/MADT -> DSDT. The DSDT
// and the FADT's power registers come from the devices' own descriptions (serial.cpp, acpi_pm.cpp,
// virtio_mmio.cpp) placed as platform.cpp places them.
#include "vmm-lite/arch/x86_64/acpi_tables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "tests/vmm-lite/devices/virtio/null_virtio_device.h"
#include "vmm-lite/acpi/aml.h"
#include "vmm-lite/acpi/sdt.h"
#include "vmm-lite/arch/arch.h"
#include "vmm-lite/arch/x86_64/layout.h"
#include "vmm-lite/devices/acpi_pm.h"
#include "vmm-lite/devices/serial.h"
#include "vmm-lite/devices/virtio/virtio_mmio.h"

namespace edgeward::vmm::x86 {
namespace {

constexpr auto kPio = Placement::Space::kPortIo;

// COM1 (the console), the ACPI power registers, then `virtio` devices in the arch's slots.
std::vector<DescribedDevice> devices(size_t virtio) {
  static GuestMemory mem = std::move(GuestMemory::create({{0, 0x10000}})).value();
  std::vector<DescribedDevice> d{
      {std::make_shared<Serial>(nullptr, nullptr), {kPio, kCom1Port, 8, kCom1Irq, 0}, /*console=*/true},
      {std::make_shared<AcpiPm>(nullptr), {kPio, kAcpiPmPort, AcpiPm::kSize, 0, 0}}};
  for (uint32_t i = 0; i < virtio; ++i) {
    const arch::VirtioSlot slot = arch::virtio_slot(i).value();
    d.push_back({std::make_shared<VirtioMmio>(std::make_unique<test::NullVirtioDevice>(), mem, nullptr),
                 {Placement::Space::kMmio, slot.mmio_base, VirtioMmio::kWindowSize, slot.irq, i}});
  }
  return d;
}

struct Tables {
  GuestMemory mem = std::move(GuestMemory::create({{0, 16 << 20}})).value();

  std::vector<uint8_t> table_at(uint64_t addr) {
    const uint32_t len = mem.read_obj<uint32_t>(addr + 4).value();
    std::vector<uint8_t> t(len);
    EXPECT_TRUE(mem.read(addr, t).ok());
    EXPECT_EQ(acpi::checksum(t, 0, t.size()), 0) << "checksum of table at " << addr;
    return t;
  }
  std::string signature(const std::vector<uint8_t>& t) { return std::string(t.begin(), t.begin() + 4); }
};

TEST(AcpiTables, GuestCanWalkThemAndFindEveryDevice) {
  Tables t;
  auto rsdp = write_acpi_tables(t.mem, 4, devices(2));
  ASSERT_TRUE(rsdp.ok()) << rsdp.error().message;
  EXPECT_EQ(*rsdp, kAcpiStart);
  std::vector<uint8_t> r(36);
  ASSERT_TRUE(t.mem.read(*rsdp, r).ok());
  EXPECT_EQ(std::string(r.begin(), r.begin() + 8), "RSD PTR ");
  uint64_t xsdt_addr;
  std::memcpy(&xsdt_addr, &r[24], 8);

  const auto xsdt = t.table_at(xsdt_addr);
  EXPECT_EQ(t.signature(xsdt), "XSDT");
  ASSERT_EQ(xsdt.size(), acpi::kHeaderSize + 16);
  uint64_t fadt_addr, madt_addr;
  std::memcpy(&fadt_addr, &xsdt[36], 8);
  std::memcpy(&madt_addr, &xsdt[44], 8);

  const auto fadt = t.table_at(fadt_addr);
  EXPECT_EQ(t.signature(fadt), "FACP");
  EXPECT_EQ(fadt.size(), 276u);
  uint32_t flags;
  std::memcpy(&flags, &fadt[112], 4);
  EXPECT_TRUE(flags & (1 << 20)) << "hardware-reduced ACPI";
  uint64_t sleep_port, dsdt_addr;
  std::memcpy(&sleep_port, &fadt[244 + 4], 8);
  EXPECT_EQ(sleep_port, kAcpiPmPort);
  std::memcpy(&dsdt_addr, &fadt[140], 8);

  const auto madt = t.table_at(madt_addr);
  EXPECT_EQ(t.signature(madt), "APIC");
  int lapics = 0, ioapics = 0;
  for (size_t off = 44; off + 2 <= madt.size(); off += madt[off + 1]) {
    ASSERT_GT(madt[off + 1], 0);
    if (madt[off] == 0) ++lapics;
    if (madt[off] == 1) ++ioapics;
  }
  EXPECT_EQ(lapics, 4);
  EXPECT_EQ(ioapics, 1);

  const auto dsdt = t.table_at(dsdt_addr);
  EXPECT_EQ(t.signature(dsdt), "DSDT");
  const std::string body(dsdt.begin(), dsdt.end());
  size_t devices = 0;
  for (size_t p = body.find("LNRO0005"); p != std::string::npos; p = body.find("LNRO0005", p + 1)) ++devices;
  EXPECT_EQ(devices, 2u);
  EXPECT_NE(body.find("_S5_"), std::string::npos);
  EXPECT_NE(body.find("PNP0501"), std::string::npos) << "COM1 must be described (its IRQ exists only through _CRS)";
  EXPECT_NE(body.find("VR01"), std::string::npos);
}

// The DSDT the pre-interface acpi_tables.cpp wrote for this machine, re-encoded here term by
// term from the documented map (literal ports, addresses and GSIs, not the layout constants or the
// devices' code): COM1 at 0x3f8 on GSI 4, VRnn at 0xd000_0000 + n * 4 KiB on GSI 16 + n, \_S5 = 5.
aml::Bytes reference_dsdt_body(uint32_t virtio) {
  auto edge = [](uint32_t gsi) { return aml::interrupt(gsi, /*edge=*/true, /*active_low=*/false); };
  std::vector<aml::Bytes> sb{aml::device(
      "COM1", {aml::name("_HID", aml::string("PNP0501")), aml::name("_UID", aml::integer(0)),
               aml::name("_CRS", aml::resource_template({aml::io_port(0x3f8, 8), edge(4)}))})};
  for (uint32_t i = 0; i < virtio; ++i) {
    const std::string name = "VR0" + std::to_string(i);
    sb.push_back(aml::device(
        name, {aml::name("_HID", aml::string("LNRO0005")), aml::name("_UID", aml::integer(i)),
               aml::name("_CRS", aml::resource_template({aml::memory32_fixed(0xd0000000 + i * 0x1000, 0x1000, true),
                                                         edge(16 + i)}))}));
  }
  aml::Bytes out = aml::scope("\\_SB_", sb);
  const aml::Bytes s5 = aml::name("\\_S5_", aml::package({aml::integer(5), aml::integer(0), aml::integer(0), aml::integer(0)}));
  out.insert(out.end(), s5.begin(), s5.end());
  return out;
}

uint64_t gas_port(const std::vector<uint8_t>& fadt, size_t offset) {
  EXPECT_EQ(fadt[offset], 1) << "system I/O space at FADT offset " << offset;
  EXPECT_EQ(fadt[offset + 1], 8) << "byte-wide register at FADT offset " << offset;
  uint64_t port;
  std::memcpy(&port, &fadt[offset + 4], 8);
  return port;
}

TEST(AcpiTables, SerialAndThreeVirtioDevicesMakeTheSameDsdtAndFadt) {
  Tables t;
  auto rsdp = write_acpi_tables(t.mem, 2, devices(3));
  ASSERT_TRUE(rsdp.ok()) << rsdp.error().message;
  uint64_t xsdt_addr, fadt_addr, dsdt_addr;
  ASSERT_TRUE(t.mem.read(*rsdp + 24, {reinterpret_cast<uint8_t*>(&xsdt_addr), 8}).ok());
  const auto xsdt = t.table_at(xsdt_addr);
  std::memcpy(&fadt_addr, &xsdt[36], 8);
  const auto fadt = t.table_at(fadt_addr);
  std::memcpy(&dsdt_addr, &fadt[140], 8);
  const auto dsdt = t.table_at(dsdt_addr);
  EXPECT_EQ(dsdt, acpi::table("DSDT", 2, reference_dsdt_body(3)));

  uint32_t flags;
  std::memcpy(&flags, &fadt[112], 4);
  EXPECT_EQ(flags, (1u << 10) | (1u << 20)) << "RESET_REG_SUP | HW_REDUCED_ACPI";
  EXPECT_EQ(gas_port(fadt, 116), 0x602u) << "RESET_REG";
  EXPECT_EQ(fadt[128], 1) << "RESET_VALUE";
  EXPECT_EQ(gas_port(fadt, 244), 0x600u) << "SLEEP_CONTROL_REG";
  EXPECT_EQ(gas_port(fadt, 256), 0x601u) << "SLEEP_STATUS_REG";
}

TEST(AcpiTables, WithoutThePowerDeviceTheFadtClaimsNoResetRegister) {
  Tables t;
  std::vector<DescribedDevice> d = devices(0);
  d.erase(d.begin() + 1);
  auto rsdp = write_acpi_tables(t.mem, 1, d);
  ASSERT_TRUE(rsdp.ok()) << rsdp.error().message;
  uint64_t xsdt_addr, fadt_addr;
  ASSERT_TRUE(t.mem.read(*rsdp + 24, {reinterpret_cast<uint8_t*>(&xsdt_addr), 8}).ok());
  std::memcpy(&fadt_addr, &t.table_at(xsdt_addr)[36], 8);
  const auto fadt = t.table_at(fadt_addr);
  uint32_t flags;
  std::memcpy(&flags, &fadt[112], 4);
  EXPECT_EQ(flags, 1u << 20);
  EXPECT_EQ(std::count(fadt.begin() + 244, fadt.begin() + 268, 0), 24) << "no sleep registers";
}

TEST(AcpiTables, RefusesWhatDoesNotFit) {
  Tables t;
  auto many_cpus = write_acpi_tables(t.mem, 20000, devices(1));
  ASSERT_FALSE(many_cpus.ok());
  EXPECT_NE(many_cpus.error().message.find("do not fit below 1 MiB"), std::string::npos) << many_cpus.error().message;

  std::vector<DescribedDevice> d = devices(0);
  d.front().where.instance = 9;  // COM10: not an ACPI name
  auto bad = write_acpi_tables(t.mem, 1, d);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'COM10'"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace edgeward::vmm::x86
