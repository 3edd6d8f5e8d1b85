// arm64 implementation of arch.h: a "virt"-like microVM described by a device tree, with an
// in-kernel GICv3 (GICv2 fallback) and architected timer, PSCI 0.2 for CPU bring-up and power
// (SYSTEM_OFF / SYSTEM_RESET reach vmm.cpp as KVM system events), a 16550A UART on MMIO and
// virtio-mmio devices. Booting follows Documentation/arch/arm64/booting.rst.
#include <sys/random.h>

#include <bit>
#include <memory>

#include "common/startup_trace.h"
#include "vmm-lite/arch/arch.h"
#include "vmm-lite/arch/arm64/cpu.h"
#include "vmm-lite/arch/arm64/fdt.h"
#include "vmm-lite/arch/arm64/gic.h"
#include "vmm-lite/arch/arm64/image.h"
#include "vmm-lite/arch/arm64/layout.h"
#include "vmm-lite/devices/serial.h"

namespace edgeward::vmm::arch {

using namespace arm64;  // NOLINT: this file is the arm64 side of the interface

Status supported() { return {}; }

Status check_kernel(std::span<const uint8_t> kernel) {
  auto header = parse_image(kernel);
  if (!header) return std::move(header).error();
  return {};
}

std::vector<std::pair<uint64_t, uint64_t>> memory_layout(uint64_t mem_bytes) { return {{kRamBase, mem_bytes}}; }

uint64_t min_memory() { return 16 << 20; }

Result<VirtioSlot> virtio_slot(size_t index) {
  if (index >= kVirtioSlots) return Error::invalid("at most " + std::to_string(kVirtioSlots) + " virtio devices per VM");
  const auto i = static_cast<uint32_t>(index);
  return VirtioSlot{kVirtioMmioBase + index * 0x1000, spi_irq_line(kVirtioFirstSpi + i), kVirtioFirstSpi + i};
}

Result<unsigned long> vm_type(const Kvm& kvm, uint64_t mem_bytes) {
  // The smallest IPA size that covers RAM (never below 32 bits, the smallest KVM accepts).
  const int bits = std::max(32, static_cast<int>(std::bit_width(kRamBase + mem_bytes - 1)));
  const int limit = kvm.check_extension(KVM_CAP_ARM_VM_IPA_SIZE);
  if (limit == 0) {  // an old KVM: only its default 40-bit IPA space
    if (bits > 40) return Error::unsupported("this KVM has a fixed 40-bit guest address space; lower --mem");
    return 0ul;
  }
  if (bits > limit) {
    return Error::unsupported("--mem needs a " + std::to_string(bits) + "-bit guest address space; this host's KVM offers " +
                              std::to_string(limit) + " bits; lower --mem");
  }
  return static_cast<unsigned long>(KVM_VM_TYPE_ARM_IPA_SIZE(bits));
}

Result<Platform> create_platform(const Kvm& kvm, Vm& vm, uint32_t vcpus) {
  for (auto [cap, what] : {std::pair{KVM_CAP_ARM_PSCI_0_2, "PSCI 0.2"}, {KVM_CAP_ONE_REG, "one-register access"},
                           {KVM_CAP_USER_MEMORY, "user memory"}, {KVM_CAP_DEVICE_CTRL, "in-kernel devices"}}) {
    if (!kvm.check_extension(cap)) return Error::unsupported(std::string("KVM lacks ") + what + " support");
  }
  EW_ASSIGN(Gic gic, create_gic(vm, vcpus, /*force_v2=*/false));
  return Platform{gic.version, std::move(gic.fd)};
}

Status finish_platform(const Platform& platform) {
  return init_gic(platform.irqchip.get(), platform.irqchip_version);
}

Result<LegacyDevices> add_legacy_devices(Bus&, Bus& mmio, const Vm& vm, StopRequest,
                                         std::function<void(std::span<const uint8_t>)> console_out) {
  // The UART is the only legacy device: PSCI does power and reset, the timer is in the CPU.
  auto serial = std::make_shared<Serial>([&vm](bool level) { (void)vm.set_irq_line(spi_irq_line(kUartSpi), level); },
                                         std::move(console_out));
  EW_TRY(mmio.add(kUartBase, kUartSize, serial));
  return LegacyDevices{serial, {{serial, {Placement::Space::kMmio, kUartBase, kUartSize, kUartSpi, 0}, /*console=*/true}}};
}

Result<BootState> load_kernel(const GuestMemory& mem, const BootSpec& spec) {
  EW_ASSIGN(ImagePlacement p, load_image(mem, spec.kernel, spec.initrd, spec.kernel_fd, spec.initrd_fd));
  startup_trace::mark("arm64: Image and initrd in guest RAM");
  FdtSpec f;
  f.ram_base = mem.regions()[0].gpa;
  f.ram_size = mem.regions()[0].size;
  f.vcpus = spec.vcpus;
  f.gic_version = spec.irqchip_version;
  f.bootargs = spec.cmdline;
  if (p.initrd_size) f.initrd_start = p.initrd, f.initrd_end = p.initrd + p.initrd_size;
  f.devices = spec.devices;
  // Seeds for the guest's entropy pool and KASLR; without getrandom the guest just does without.
  f.rng_seed.resize(32);
  if (::getrandom(f.rng_seed.data(), f.rng_seed.size(), GRND_NONBLOCK) != static_cast<ssize_t>(f.rng_seed.size())) {
    f.rng_seed.clear();
  }
  if (::getrandom(&f.kaslr_seed, sizeof f.kaslr_seed, GRND_NONBLOCK) != sizeof f.kaslr_seed) f.kaslr_seed = 0;
  EW_ASSIGN(std::vector<uint8_t> dtb, build_fdt(f, p.dtb_max));
  startup_trace::mark("arm64: device tree built");
  // The device tree's block alone in small pages: writing a few KiB zeroes a page, not 2 MiB.
  mem.prefer_small_pages(p.dtb, p.dtb_max);
  EW_TRY(mem.write(p.dtb, dtb));
  return BootState{p.kernel, p.dtb};
}

Status setup_vcpu(const Kvm&, const Vm& vm, Vcpu& vcpu, const GuestMemory&, const BootState& boot, uint32_t index,
                  uint32_t) {
  EW_TRY(init_vcpu(vm, vcpu, index == 0));
  if (index == 0) EW_TRY(set_boot_registers(vcpu, boot.entry, boot.boot_params));
  return {};
}

std::string default_cmdline() {
  // The UART of the device tree; a panic reboots at once (PSCI SYSTEM_RESET; the VMM reports it).
  return "console=ttyS0 panic=-1";
}

void console_input(Device& console, std::span<const uint8_t> bytes) {
  static_cast<Serial&>(console).enqueue_input(bytes);
}

}  // namespace edgeward::vmm::arch
