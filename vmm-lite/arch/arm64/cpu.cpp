#include "vmm-lite/arch/arm64/cpu.h"

#include <cstddef>
#include <string>

#include "common/hex.h"
#include "vmm-lite/arch/arm64/layout.h"

namespace edgeward::vmm::arm64 {
namespace {

constexpr uint64_t core_reg(size_t offset) {
  return KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offset / sizeof(uint32_t));
}
constexpr uint64_t kRegPc = core_reg(offsetof(kvm_regs, regs.pc));
constexpr uint64_t kRegPstate = core_reg(offsetof(kvm_regs, regs.pstate));
constexpr uint64_t reg_x(int n) { return core_reg(offsetof(kvm_regs, regs.regs) + sizeof(uint64_t) * static_cast<size_t>(n)); }
constexpr uint64_t kRegMpidr = ARM64_SYS_REG(3, 0, 0, 0, 5);  // MPIDR_EL1

// EL1 with SP_EL1, debug, SError, IRQ and FIQ masked.
constexpr uint64_t kPstateEl1hDaif = 0x5 | 0x3c0;

Status set_reg(const Vcpu& vcpu, uint64_t id, uint64_t value, const char* what) {
  kvm_one_reg r{id, reinterpret_cast<uint64_t>(&value)};
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_SET_ONE_REG, &r, what));
  return {};
}

}  // namespace

Status init_vcpu(const Vm& vm, const Vcpu& vcpu, bool boot_cpu) {
  kvm_vcpu_init init{};
  EW_TRY(kvm_ioctl(vm.fd(), KVM_ARM_PREFERRED_TARGET, &init, "KVM_ARM_PREFERRED_TARGET"));
  // PSCI 0.2 for CPU_ON / SYSTEM_OFF / SYSTEM_RESET; SVE, pointer auth, PMU and MTE stay off.
  init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
  if (!boot_cpu) init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;  // until the kernel's PSCI CPU_ON
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_ARM_VCPU_INIT, &init, "KVM_ARM_VCPU_INIT"));
  uint64_t mpidr = 0;
  kvm_one_reg r{kRegMpidr, reinterpret_cast<uint64_t>(&mpidr)};
  EW_TRY(kvm_ioctl(vcpu.fd(), KVM_GET_ONE_REG, &r, "reading MPIDR_EL1"));
  const uint64_t expected = vcpu_mpidr(vcpu.index());
  if ((mpidr & 0xff00ffffffull) != expected) {
    return Error::internal("vCPU " + std::to_string(vcpu.index()) + " has MPIDR " + hex(mpidr) + ", not the " + hex(expected) +
                           " the device tree describes");
  }
  return {};
}

Status set_boot_registers(const Vcpu& vcpu, uint64_t entry, uint64_t dtb) {
  EW_TRY(set_reg(vcpu, kRegPstate, kPstateEl1hDaif, "setting PSTATE"));
  EW_TRY(set_reg(vcpu, reg_x(0), dtb, "setting x0 (device tree)"));
  for (int n = 1; n <= 3; ++n) EW_TRY(set_reg(vcpu, reg_x(n), 0, "clearing x1-x3"));
  EW_TRY(set_reg(vcpu, kRegPc, entry, "setting PC"));
  return {};
}

}  // namespace edgeward::vmm::arm64
