// x86_64 vCPU boot state: identity-mapped page tables and GDT in guest memory; long-mode
// segment/control registers, general registers, FPU, MSRs, local APIC LINT pins and CPUID.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "vmm-lite/kvm/kvm.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm::x86 {

// Page tables mapping the first 1 GiB 1:1 with 2 MiB pages, and the boot GDT.
Status write_boot_tables(const GuestMemory& mem);

// CPU model of every vCPU: supported CPUID with this vCPU's APIC id and the topology.
Status setup_cpuid(const Kvm& kvm, const Vcpu& vcpu, uint32_t index, uint32_t count);
Status setup_lapic(const Vcpu& vcpu);
Status setup_fpu_and_msrs(const Vcpu& vcpu);
// Long mode at `entry` with %rsi = boot_params (the bootstrap processor only; the others
// wait for INIT/SIPI in the in-kernel local APIC).
Status setup_boot_registers(const Vcpu& vcpu, uint64_t entry, uint64_t boot_params);

}  // namespace edgeward::vmm::x86
