// arm64 vCPU set-up (Documentation/virt/kvm/api.rst, KVM_ARM_VCPU_INIT and KVM_SET_ONE_REG):
// the preferred target with PSCI 0.2, secondaries powered off until PSCI CPU_ON, and the boot
// CPU entering the kernel at EL1h with DAIF masked, x0 = the device tree (booting.rst).
#pragma once

#include <cstdint>

#include "common/result.h"
#include "vmm-lite/kvm/kvm.h"

namespace edgeward::vmm::arm64 {

// KVM_ARM_VCPU_INIT and a check that the vCPU's MPIDR is the one the device tree names.
Status init_vcpu(const Vm& vm, const Vcpu& vcpu, bool boot_cpu);

// pc = entry, x0 = dtb, x1..x3 = 0, pstate = EL1h | DAIF (boot CPU only).
Status set_boot_registers(const Vcpu& vcpu, uint64_t entry, uint64_t dtb);

}  // namespace edgeward::vmm::arm64
