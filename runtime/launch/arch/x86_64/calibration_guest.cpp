// x86_64: 16-bit real mode at 0x1000, no tables needed.
//   mov ecx, N      66 B9 imm32
//   out 0x10, al    E6 10        exit 1
//   dec ecx         66 49        <- loop
//   jnz loop        75 FC
//   out 0x11, al    E6 11        exit 2
//   hlt             F4
#include <linux/kvm.h>

#include <cstring>

#include "runtime/launch/arch/calibration_guest.h"

namespace edgeward::launch {

Status load_calibration_guest(const vmm::Kvm&, const vmm::Vm&, const vmm::Vcpu& vcpu, std::span<uint8_t> mem,
                              uint32_t iterations) {
  uint8_t code[] = {0x66, 0xB9, 0, 0, 0, 0, 0xE6, 0x10, 0x66, 0x49, 0x75, 0xFC, 0xE6, 0x11, 0xF4};
  std::memcpy(code + 2, &iterations, 4);
  if (mem.size() < kCalibrationCodeAddr + sizeof code) return Error::internal("calibration guest memory too small");
  std::memcpy(mem.data() + kCalibrationCodeAddr, code, sizeof code);
  kvm_sregs sregs{};
  EW_TRY(vmm::kvm_ioctl(vcpu.fd(), KVM_GET_SREGS, &sregs, "KVM_GET_SREGS"));
  sregs.cs.base = 0;
  sregs.cs.selector = 0;
  EW_TRY(vmm::kvm_ioctl(vcpu.fd(), KVM_SET_SREGS, &sregs, "KVM_SET_SREGS"));
  kvm_regs regs{};
  regs.rip = kCalibrationCodeAddr;
  regs.rflags = 2;
  EW_TRY(vmm::kvm_ioctl(vcpu.fd(), KVM_SET_REGS, &regs, "KVM_SET_REGS"));
  return {};
}

}  // namespace edgeward::launch
