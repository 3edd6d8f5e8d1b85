// Walks the ACPI tables as a guest kernel would: RSDP -> XSDT -> FADT/MADT -> DSDT.
#include "vmm-lite/arch/x86_64/acpi_tables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "vmm-lite/acpi/sdt.h"
#include "vmm-lite/arch/x86_64/layout.h"

namespace edgeward::vmm::x86 {
namespace {

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
  const std::vector<arch::VirtioSlot> virtio{{0xd0000000, 16}, {0xd0001000, 17}};
  auto rsdp = write_acpi_tables(t.mem, 4, virtio);
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

TEST(AcpiTables, RefusesWhatDoesNotFit) {
  Tables t;
  std::vector<arch::VirtioSlot> many(4000, {0xd0000000, 16});
  EXPECT_FALSE(write_acpi_tables(t.mem, 1, many).ok());
}

}  // namespace
}  // namespace edgeward::vmm::x86
