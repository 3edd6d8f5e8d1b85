// The x86_64 microVM's ACPI tables: RSDP → XSDT → FADT (hardware-reduced, pointing at the
// power registers and the DSDT) and MADT (one local APIC per vCPU, the IOAPIC). The DSDT holds
// what the devices describe of themselves (acpi/dsdt_writer.h: COM1, the virtio-mmio devices,
// \_S5); the FADT points at the power registers the ACPI power device describes.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "vmm-lite/devices/firmware_description.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm::x86 {

// Writes the tables into [kAcpiStart, kAcpiEnd); returns the RSDP's address.
Result<uint64_t> write_acpi_tables(const GuestMemory& mem, uint32_t vcpus, const std::vector<DescribedDevice>& devices);

}  // namespace edgeward::vmm::x86
