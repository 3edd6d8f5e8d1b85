// aarch64: EL1h at 0x1000 with the MMU off, x0 = an address outside guest RAM (each store there
// is an MMIO exit to the VMM), the iteration count in a literal after the code:
//   0x1000  str  wzr, [x0]          exit 1
//   0x1004  ldr  w2, 0x1018         the count
//   0x1008  subs w2, w2, #1         <- loop
//   0x100c  b.ne 0x1008
//   0x1010  str  wzr, [x0]          exit 2
//   0x1014  b    .
//   0x1018  .word iterations
#include <cstring>

#include "runtime/launch/arch/calibration_guest.h"
#include "vmm-lite/arch/arm64/cpu.h"

namespace edgeward::launch {

Status load_calibration_guest(const vmm::Kvm&, const vmm::Vm& vm, const vmm::Vcpu& vcpu, std::span<uint8_t> mem,
                              uint32_t iterations) {
  const uint32_t code[] = {0xb900001f, 0x180000a2, 0x71000442, 0x54ffffe1, 0xb900001f, 0x14000000, iterations};
  if (mem.size() < kCalibrationCodeAddr + sizeof code) return Error::internal("calibration guest memory too small");
  std::memcpy(mem.data() + kCalibrationCodeAddr, code, sizeof code);
  EW_TRY(vmm::arm64::init_vcpu(vm, vcpu, /*boot_cpu=*/true));
  return vmm::arm64::set_boot_registers(vcpu, kCalibrationCodeAddr, /*x0: outside RAM*/ kCalibrationMemBytes);
}

}  // namespace edgeward::launch
