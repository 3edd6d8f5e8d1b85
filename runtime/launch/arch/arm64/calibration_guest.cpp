// aarch64: no calibration guest yet. Without a measurement KVM is not assumed fast, so `auto`
// picks the sandbox and says why; `--backend vm` still forces the VMM.
#include "runtime/launch/arch/calibration_guest.h"

namespace edgeward::launch {

Status load_calibration_guest(const vmm::Kvm&, const vmm::Vm&, const vmm::Vcpu&, std::span<uint8_t>, uint32_t) {
  return Error::unsupported("no KVM calibration guest for aarch64 yet");
}

}  // namespace edgeward::launch
