// The arm64 microVM's flattened device tree (libfdt's sequential-write API, fdt_writer.h). The
// platform's own nodes are written here: memory, cpus (reg = MPIDR affinity, enable-method psci),
// psci 0.2 over hvc, the GIC (v3 or v2), the architected timer and /chosen (bootargs, stdout-path,
// initrd range, rng-seed, kaslr-seed); then every described device writes its own node (the
// 16550A UART, the virtio-mmio devices: devices/firmware_description.h), in the given order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "vmm-lite/devices/firmware_description.h"

namespace edgeward::vmm::arm64 {

struct FdtSpec {
  uint64_t ram_base = 0;
  uint64_t ram_size = 0;
  uint32_t vcpus = 1;
  int gic_version = 3;  // 3 or 2
  std::string bootargs;
  uint64_t initrd_start = 0, initrd_end = 0;  // empty range: no initrd
  std::vector<DescribedDevice> devices;  // Placement::irq is the SPI number; `console` names stdout-path
  std::vector<uint8_t> rng_seed;  // random bytes for the kernel's entropy pool (may be empty)
  uint64_t kaslr_seed = 0;        // 0: none
};

// The device tree blob (at most `max_size` bytes, packed).
Result<std::vector<uint8_t>> build_fdt(const FdtSpec& spec, size_t max_size);

}  // namespace edgeward::vmm::arm64
