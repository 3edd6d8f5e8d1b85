// The in-kernel GIC (Documentation/virt/kvm/devices/arm-vgic-v3.rst, arm-vgic.rst): a GICv3
// (distributor + one redistributor frame per vCPU) when the host's KVM offers one, else a GICv2
// (distributor + CPU interface, at most 8 vCPUs). The architected timer's PPIs come with it.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "common/unique_fd.h"
#include "vmm-lite/kvm/kvm.h"

namespace edgeward::vmm::arm64 {

struct Gic {
  int version = 0;  // 3 or 2
  UniqueFd fd;      // the KVM device
};

// Creates the GIC device and places its frames for `vcpus` vCPUs. `force_v2` skips GICv3 (tests).
Result<Gic> create_gic(const Vm& vm, uint32_t vcpus, bool force_v2);

// KVM_DEV_ARM_VGIC_CTRL_INIT: once every vCPU exists, before the first one runs.
Status init_gic(int fd, int version);

}  // namespace edgeward::vmm::arm64
