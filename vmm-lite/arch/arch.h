// The boundary between the arch-neutral VMM and one architecture's machine: guest memory
// layout, platform (irqchip, timers, legacy devices), kernel loading and vCPU boot state.
// Exactly one of arch/x86_64/ and arch/arm64/ implements it; CMake picks the folder.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "vmm-lite/devices/bus.h"
#include "vmm-lite/devices/device.h"
#include "vmm-lite/devices/firmware_description.h"
#include "vmm-lite/kvm/kvm.h"
#include "vmm-lite/memory/guest_memory.h"

namespace edgeward::vmm::arch {

// Where a virtio-mmio device lives and which interrupt it raises.
struct VirtioSlot {
  uint64_t mmio_base;
  uint32_t gsi;  // the line KVM_IRQ_LINE takes
  uint32_t irq;  // the same line as the firmware tables name it (Placement::irq)
};

struct BootSpec {
  std::span<const uint8_t> kernel;  // the kernel image file (mapped by the builder)
  std::span<const uint8_t> initrd;  // may be empty
  int kernel_fd = -1;               // their files, to map into guest RAM (GuestMemory::place)
  int initrd_fd = -1;
  std::string cmdline;
  uint32_t vcpus = 1;
  std::vector<DescribedDevice> devices;  // what the ACPI tables / device tree describe, in order
  int irqchip_version = 0;               // arm64: the GIC create_platform made (3 or 2)
};

struct BootState {
  uint64_t entry = 0;        // first guest instruction
  uint64_t boot_params = 0;  // arch-specific pointer handed to the kernel
};

// Why this arch cannot run VMs here, or success.
Status supported();

// Checks that `kernel` is an image this arch can boot (before any KVM object exists).
Status check_kernel(std::span<const uint8_t> kernel);

// Guest RAM regions for `mem_bytes` of memory (with the arch's holes).
std::vector<std::pair<uint64_t, uint64_t>> memory_layout(uint64_t mem_bytes);

// Smallest guest memory the arch's boot layout needs.
uint64_t min_memory();

// The virtio-mmio slot for device number `index`, or an error past the last slot.
Result<VirtioSlot> virtio_slot(size_t index);

// The KVM_CREATE_VM type for `mem_bytes` of RAM (arm64: the IPA size, checked against
// KVM_CAP_ARM_VM_IPA_SIZE; x86_64: 0).
Result<unsigned long> vm_type(const Kvm& kvm, uint64_t mem_bytes);

// What create_platform built and finish_platform completes.
struct Platform {
  int irqchip_version = 0;  // arm64: 3 (GICv3) or 2 (GICv2)
  UniqueFd irqchip;         // arm64: the in-kernel GIC device
};

// In-kernel interrupt controller and timers; called once, before vCPUs are created.
Result<Platform> create_platform(const Kvm& kvm, Vm& vm, uint32_t vcpus);

// Completes the platform once every vCPU exists and is set up (arm64: GIC CTRL_INIT).
Status finish_platform(const Platform& platform);

// Registers the platform's legacy devices (serial console, reset, RTC, power) on the buses.
struct LegacyDevices {
  std::shared_ptr<Device> console;        // the UART the guest's console uses
  std::vector<DescribedDevice> described;  // those the firmware tables describe, and where
};
Result<LegacyDevices> add_legacy_devices(Bus& pio, Bus& mmio, const Vm& vm, StopRequest stop,
                                         std::function<void(std::span<const uint8_t>)> console_out);

// Writes the kernel, initrd, command line and firmware tables into guest memory.
Result<BootState> load_kernel(const GuestMemory& mem, const BootSpec& spec);

// Boot-time registers and CPU model of vCPU `index` of `count`.
Status setup_vcpu(const Kvm& kvm, const Vm& vm, Vcpu& vcpu, const GuestMemory& mem, const BootState& boot, uint32_t index,
                  uint32_t count);

// Console and machine options the arch's kernels need, prepended to the user's command line.
std::string default_cmdline();

// Queues console input for the guest (the UART returned by add_legacy_devices).
void console_input(Device& console, std::span<const uint8_t> bytes);

}  // namespace edgeward::vmm::arch
