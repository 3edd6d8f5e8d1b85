// arm64 side of arch.h. Not implemented yet: the next step is a GICv3 (KVM_DEV_TYPE_ARM_VGIC_V3),
// a PL011 UART, PSCI power-off and a device tree describing the virtio-mmio devices. Until then
// every entry point reports that microVMs are unsupported on this arch, so `edgeward vm run`
// fails with a clear message and workloads use the sandbox.
#include "vmm-lite/arch/arch.h"

namespace edgeward::vmm::arch {
namespace {
Error unsupported_here() {
  return Error::unsupported("microVMs are not supported on aarch64 yet (vmm-lite/arch/arm64 is pending); "
                            "run the workload with --backend sandbox");
}
}  // namespace

Status supported() { return unsupported_here(); }
Status check_kernel(std::span<const uint8_t>) { return unsupported_here(); }
std::vector<std::pair<uint64_t, uint64_t>> memory_layout(uint64_t mem_bytes) { return {{0x80000000, mem_bytes}}; }
uint64_t min_memory() { return 16 << 20; }
Result<VirtioSlot> virtio_slot(size_t) { return unsupported_here(); }
Status create_platform(const Kvm&, Vm&) { return unsupported_here(); }
Result<LegacyDevices> add_legacy_devices(Bus&, Bus&, const Vm&, StopRequest,
                                         std::function<void(std::span<const uint8_t>)>) {
  return unsupported_here();
}
Result<BootState> load_kernel(const GuestMemory&, const BootSpec&) { return unsupported_here(); }
Status setup_vcpu(const Kvm&, Vcpu&, const GuestMemory&, const BootState&, uint32_t, uint32_t) {
  return unsupported_here();
}
std::string default_cmdline() { return "console=ttyAMA0"; }
void console_input(Device&, std::span<const uint8_t>) {}

}  // namespace edgeward::vmm::arch
