// The calibration guest of one architecture (arch/<arch>/calibration_guest.cpp, picked by CMake):
// code and vCPU registers for a counted loop bracketed by two exits to the VMM.
#pragma once

#include <cstdint>
#include <span>

#include "common/result.h"
#include "vmm-lite/kvm/kvm.h"

namespace edgeward::launch {

constexpr uint64_t kCalibrationCodeAddr = 0x1000;
constexpr size_t kCalibrationMemBytes = 0x10000;

// Writes the guest's code into `mem` (guest physical 0..size) and sets the vCPU's registers so
// it starts there. The guest exits once (any write to the VMM) before the loop, once after, then
// stops.
Status load_calibration_guest(const vmm::Kvm& kvm, const vmm::Vm& vm, const vmm::Vcpu& vcpu, std::span<uint8_t> mem,
                              uint32_t iterations);

}  // namespace edgeward::launch
