#include "vmm-lite/arch/x86_64/acpi_tables.h"

#include <cstdio>

#include "vmm-lite/acpi/aml.h"
#include "vmm-lite/acpi/sdt.h"
#include "vmm-lite/arch/x86_64/layout.h"
#include "vmm-lite/devices/acpi_pm.h"
#include "vmm-lite/devices/virtio/virtio_mmio.h"

namespace edgeward::vmm::x86 {
namespace {

using acpi::Bytes;

// FADT (ACPI 6.4 §5.2.9), revision 6, 276 bytes; offsets are from the start of the table.
Bytes fadt(uint64_t dsdt_addr) {
  Bytes body(276 - acpi::kHeaderSize, 0);
  auto at = [&](size_t table_offset) { return table_offset - acpi::kHeaderSize; };
  constexpr uint16_t kSciIrq = 9;
  acpi::put_le(body, at(46), kSciIrq, 2);
  // IAPC_BOOT_ARCH: no VGA, no i8042 (so the guest does not probe a keyboard), no CMOS RTC
  // claim is made: bit 5 stays clear because the RTC exists.
  constexpr uint16_t kVgaNotPresent = 1 << 2;
  acpi::put_le(body, at(109), kVgaNotPresent, 2);
  constexpr uint32_t kResetRegSup = 1 << 10, kHwReducedAcpi = 1 << 20;
  acpi::put_le(body, at(112), kResetRegSup | kHwReducedAcpi, 4);
  const Bytes reset = acpi::gas_io_byte(kAcpiPmPort + AcpiPm::kReset);
  std::copy(reset.begin(), reset.end(), body.begin() + at(116));
  body[at(128)] = AcpiPm::kResetValue;
  body[at(131)] = 4;  // FADT minor version: ACPI 6.4
  acpi::put_le(body, at(140), dsdt_addr, 8);  // X_DSDT
  const Bytes sleep_control = acpi::gas_io_byte(kAcpiPmPort + AcpiPm::kSleepControl);
  const Bytes sleep_status = acpi::gas_io_byte(kAcpiPmPort + AcpiPm::kSleepStatus);
  std::copy(sleep_control.begin(), sleep_control.end(), body.begin() + at(244));
  std::copy(sleep_status.begin(), sleep_status.end(), body.begin() + at(256));
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

std::vector<uint8_t> dsdt_aml(const std::vector<arch::VirtioSlot>& virtio) {
  // COM1 must be described: hardware-reduced ACPI has no legacy PIC, so Linux maps no ISA IRQ
  // on its own and the UART's interrupt exists only through this _CRS.
  std::vector<aml::Bytes> devices{aml::device(
      "COM1", {aml::name("_HID", aml::string("PNP0501")), aml::name("_UID", aml::integer(0)),
               aml::name("_CRS", aml::resource_template({aml::io_port(kCom1Port, 8),
                                                         aml::interrupt(kCom1Irq, /*edge=*/true, /*active_low=*/false)}))})};
  for (size_t i = 0; i < virtio.size(); ++i) {
    char dev_name[5];
    std::snprintf(dev_name, sizeof dev_name, "VR%02zX", i);
    devices.push_back(aml::device(
        dev_name, {aml::name("_HID", aml::string("LNRO0005")), aml::name("_UID", aml::integer(i)),
                   aml::name("_CRS", aml::resource_template(
                                         {aml::memory32_fixed(static_cast<uint32_t>(virtio[i].mmio_base),
                                                              VirtioMmio::kWindowSize, true),
                                          aml::interrupt(virtio[i].gsi, /*edge=*/true, /*active_low=*/false)}))}));
  }
  aml::Bytes out = aml::scope("\\_SB_", devices);
  const aml::Bytes s5 = aml::name("\\_S5_", aml::package({aml::integer(AcpiPm::kS5SleepType), aml::integer(0),
                                                          aml::integer(0), aml::integer(0)}));
  out.insert(out.end(), s5.begin(), s5.end());
  return out;
}

Result<uint64_t> write_acpi_tables(const GuestMemory& mem, uint32_t vcpus,
                                   const std::vector<arch::VirtioSlot>& virtio) {
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
  EW_ASSIGN(uint64_t dsdt_addr, place(acpi::table("DSDT", 2, dsdt_aml(virtio))));
  EW_ASSIGN(uint64_t fadt_addr, place(fadt(dsdt_addr)));
  EW_ASSIGN(uint64_t madt_addr, place(madt(vcpus)));
  EW_ASSIGN(uint64_t xsdt_addr, place(acpi::xsdt({fadt_addr, madt_addr})));
  EW_TRY(mem.write(rsdp_addr, acpi::rsdp(xsdt_addr)));
  return rsdp_addr;
}

}  // namespace edgeward::vmm::x86
