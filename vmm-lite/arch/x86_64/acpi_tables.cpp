#include "vmm-lite/arch/x86_64/acpi_tables.h"

#include <algorithm>
#include <optional>

#include "vmm-lite/acpi/dsdt_writer.h"
#include "vmm-lite/acpi/sdt.h"
#include "vmm-lite/arch/x86_64/layout.h"

namespace edgeward::vmm::x86 {
namespace {

using acpi::Bytes;

// FADT (ACPI 6.4 §5.2.9), revision 6, 276 bytes; offsets are from the start of the table.
Bytes fadt(uint64_t dsdt_addr, const std::optional<AcpiWriter::PowerRegisters>& power) {
  Bytes body(276 - acpi::kHeaderSize, 0);
  auto at = [&](size_t table_offset) { return table_offset - acpi::kHeaderSize; };
  constexpr uint16_t kSciIrq = 9;
  acpi::put_le(body, at(46), kSciIrq, 2);
  // IAPC_BOOT_ARCH: no VGA, no i8042 (so the guest does not probe a keyboard), no CMOS RTC
  // claim is made: bit 5 stays clear because the RTC exists.
  constexpr uint16_t kVgaNotPresent = 1 << 2;
  acpi::put_le(body, at(109), kVgaNotPresent, 2);
  constexpr uint32_t kResetRegSup = 1 << 10, kHwReducedAcpi = 1 << 20;
  acpi::put_le(body, at(112), (power ? kResetRegSup : 0) | kHwReducedAcpi, 4);
  auto gas = [&](size_t table_offset, uint16_t port) {
    const Bytes g = acpi::gas_io_byte(port);
    std::copy(g.begin(), g.end(), body.begin() + at(table_offset));
  };
  if (power) {  // the hardware-reduced power registers the ACPI power device described
    gas(116, power->reset);
    body[at(128)] = power->reset_value;
    gas(244, power->sleep_control);
    gas(256, power->sleep_status);
  }
  body[at(131)] = 4;  // FADT minor version: ACPI 6.4
  acpi::put_le(body, at(140), dsdt_addr, 8);  // X_DSDT
  const char vendor[9] = "EDGEWARD";  // hypervisor vendor identity
  std::copy(vendor, vendor + 8, body.begin() + at(268));
  return acpi::table("FACP", 6, body);
}

// MADT (ACPI 6.4 §5.2.12): local APIC address, PC-AT compatible, then the interrupt controllers.
Bytes madt(uint32_t vcpus) {
  Bytes body;
  acpi::append_le(body, kLapicAddr, 4);
  acpi::append_le(body, 1, 4);  // PCAT_COMPAT: there are 8259 PICs too
  for (uint32_t i = 0; i < vcpus; ++i) {
    body.insert(body.end(), {0 /* processor local APIC */, 8, static_cast<uint8_t>(i), static_cast<uint8_t>(i)});
    acpi::append_le(body, 1, 4);  // enabled
  }
  body.insert(body.end(), {1 /* I/O APIC */, 12, 0 /* id */, 0});
  acpi::append_le(body, kIoapicAddr, 4);
  acpi::append_le(body, 0, 4);  // GSI base
  return acpi::table("APIC", 5, body);
}

}  // namespace

Result<uint64_t> write_acpi_tables(const GuestMemory& mem, uint32_t vcpus, const std::vector<DescribedDevice>& devices) {
  acpi::DsdtWriter described;
  for (const DescribedDevice& d : devices) d.device->describe(described, d.where);
  EW_ASSIGN(Bytes dsdt_body, described.dsdt_body());

  // Layout: RSDP, then XSDT, FADT, MADT, DSDT, each 16-byte aligned.
  uint64_t cursor = kAcpiStart;
  auto place = [&](const Bytes& t) -> Result<uint64_t> {
    const uint64_t addr = cursor;
    if (addr + t.size() > kAcpiEnd) return Error::invalid("ACPI tables do not fit below 1 MiB (too many vCPUs?)");
    EW_TRY(mem.write(addr, t));
    cursor = (addr + t.size() + 15) & ~uint64_t{15};
    return addr;
  };
  const uint64_t rsdp_addr = cursor;
  cursor += 48;  // room for the RSDP, written last
  EW_ASSIGN(uint64_t dsdt_addr, place(acpi::table("DSDT", 2, dsdt_body)));
  EW_ASSIGN(uint64_t fadt_addr, place(fadt(dsdt_addr, described.power())));
  EW_ASSIGN(uint64_t madt_addr, place(madt(vcpus)));
  EW_ASSIGN(uint64_t xsdt_addr, place(acpi::xsdt({fadt_addr, madt_addr})));
  EW_TRY(mem.write(rsdp_addr, acpi::rsdp(xsdt_addr)));
  return rsdp_addr;
}

}  // namespace edgeward::vmm::x86
