// The x86_64 microVM's ACPI tables: RSDP → XSDT → FADT (hardware-reduced, pointing at the
// power registers and the DSDT) and MADT (one local APIC per vCPU, the IOAPIC). The DSDT
// describes the virtio-mmio devices (LNRO0005) and \_S5 for power-off.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "vmm-lite/arch/arch.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm::x86 {

// Writes the tables into [kAcpiStart, kAcpiEnd); returns the RSDP's address.
Result<uint64_t> write_acpi_tables(const GuestMemory& mem, uint32_t vcpus,
                                   const std::vector<arch::VirtioSlot>& virtio);

// The DSDT's AML body (exposed for tests).
std::vector<uint8_t> dsdt_aml(const std::vector<arch::VirtioSlot>& virtio);

}  // namespace edgeward::vmm::x86
