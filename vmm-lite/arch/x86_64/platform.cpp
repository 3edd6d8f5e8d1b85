// x86_64 implementation of arch.h: a PC-like microVM with ACPI, an in-kernel PIC/IOAPIC/PIT,
// COM1, an i8042 for reset, a CMOS RTC and ACPI power registers.
#include <memory>

#include "common/hex.h"
#include "vmm-lite/arch/arch.h"
#include "vmm-lite/arch/x86_64/acpi_tables.h"
#include "vmm-lite/arch/x86_64/bzimage.h"
#include "vmm-lite/arch/x86_64/cpu.h"
#include "vmm-lite/arch/x86_64/layout.h"
#include "vmm-lite/devices/acpi_pm.h"
#include "vmm-lite/devices/cmos_rtc.h"
#include "vmm-lite/devices/i8042.h"
#include "vmm-lite/devices/serial.h"

namespace edgeward::vmm::arch {

using namespace x86;  // NOLINT: this file is the x86 side of the interface

Status supported() { return {}; }

Status check_kernel(std::span<const uint8_t> kernel) {
  auto header = parse_bzimage(kernel);
  if (!header) return std::move(header).error();
  return {};
}

std::vector<std::pair<uint64_t, uint64_t>> memory_layout(uint64_t mem_bytes) {
  if (mem_bytes <= kMmioHoleStart) return {{0, mem_bytes}};
  return {{0, kMmioHoleStart}, {kHighRamStart, mem_bytes - kMmioHoleStart}};
}

uint64_t min_memory() { return 16 << 20; }

Result<VirtioSlot> virtio_slot(size_t index) {
  if (index >= kVirtioSlots) {
    return Error::invalid("at most " + std::to_string(kVirtioSlots) + " virtio devices per VM");
  }
  const uint32_t gsi = kVirtioFirstGsi + static_cast<uint32_t>(index);
  return VirtioSlot{kVirtioMmioBase + index * 0x1000, gsi, gsi};
}

Result<unsigned long> vm_type(const Kvm&, uint64_t) { return 0ul; }

Result<Platform> create_platform(const Kvm& kvm, Vm& vm, uint32_t) {
  for (auto [cap, what] : {std::pair{KVM_CAP_IRQCHIP, "in-kernel irqchip"}, {KVM_CAP_PIT2, "in-kernel PIT"},
                           {KVM_CAP_USER_MEMORY, "user memory"}, {KVM_CAP_EXT_CPUID, "CPUID setting"},
                           {KVM_CAP_SET_TSS_ADDR, "TSS address"}}) {
    if (!kvm.check_extension(cap)) return Error::unsupported(std::string("KVM lacks ") + what + " support");
  }
  EW_TRY(kvm_ioctl(vm.fd(), KVM_SET_TSS_ADDR, static_cast<unsigned long>(kTssAddr), "KVM_SET_TSS_ADDR"));
  uint64_t identity = kIdentityMapAddr;
  EW_TRY(kvm_ioctl(vm.fd(), KVM_SET_IDENTITY_MAP_ADDR, &identity, "KVM_SET_IDENTITY_MAP_ADDR"));
  EW_TRY(kvm_ioctl(vm.fd(), KVM_CREATE_IRQCHIP, 0ul, "KVM_CREATE_IRQCHIP"));
  kvm_pit_config pit{};
  pit.flags = KVM_PIT_SPEAKER_DUMMY;
  EW_TRY(kvm_ioctl(vm.fd(), KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2"));
  return Platform{};
}

Status finish_platform(const Platform&) { return {}; }

Result<LegacyDevices> add_legacy_devices(Bus& pio, Bus&, const Vm& vm, StopRequest stop,
                                         std::function<void(std::span<const uint8_t>)> console_out) {
  // The platform's legacy devices, one row each: where they sit and what they need.
  auto serial = std::make_shared<Serial>([&vm](bool level) { (void)vm.set_irq_line(kCom1Irq, level); },
                                         std::move(console_out));
  struct Row {
    uint16_t port;
    uint16_t len;
    std::shared_ptr<Device> device;
    std::shared_ptr<const FirmwareDescribed> described = nullptr;  // in the ACPI tables (with its GSI)
    uint32_t gsi = 0;
  };
  auto pm = std::make_shared<AcpiPm>(stop);
  const Row table[] = {
      {kCom1Port, 8, serial, serial, kCom1Irq},
      {kI8042Port, 5, std::make_shared<I8042>(stop)},  // the FADT's boot flags speak for these two
      {kRtcPort, 2, std::make_shared<CmosRtc>()},
      {kAcpiPmPort, AcpiPm::kSize, pm, pm},
  };
  LegacyDevices out{serial, {}};
  for (const Row& r : table) {
    EW_TRY(pio.add(r.port, r.len, r.device));
    if (r.described) {
      out.described.push_back({r.described, {Placement::Space::kPortIo, r.port, r.len, r.gsi, 0}, r.device == serial});
    }
  }
  return out;
}

Result<BootState> load_kernel(const GuestMemory& mem, const BootSpec& spec) {
  if (mem.total_size() < min_memory()) return Error::invalid("guest memory must be at least 16 MiB");
  EW_TRY(write_boot_tables(mem));
  EW_ASSIGN(uint64_t rsdp, write_acpi_tables(mem, spec.vcpus, spec.devices));

  std::vector<E820Entry> e820{{0, kEbdaStart, 1}, {kEbdaStart, 0xa0000 - kEbdaStart, 2}, {kAcpiStart, kAcpiEnd - kAcpiStart, 2}};
  for (const auto& r : mem.regions()) {
    const uint64_t start = std::max(r.gpa, kKernelAddr);
    if (r.gpa + r.size > start) e820.push_back({start, r.gpa + r.size - start, 1});
  }
  EW_ASSIGN(uint64_t entry, load_bzimage(mem, spec.kernel, spec.initrd, spec.cmdline, e820, rsdp, spec.initrd_fd));
  return BootState{entry, kZeroPageAddr};
}

Status setup_vcpu(const Kvm& kvm, const Vm&, Vcpu& vcpu, const GuestMemory&, const BootState& boot, uint32_t index,
                  uint32_t count) {
  EW_TRY(setup_cpuid(kvm, vcpu, index, count));
  EW_TRY(setup_fpu_and_msrs(vcpu));
  EW_TRY(setup_lapic(vcpu));
  if (index == 0) EW_TRY(setup_boot_registers(vcpu, boot.entry, boot.boot_params));
  return {};
}

std::string default_cmdline() {
  // ttyS0 console; reboot through the i8042; a panic reboots at once (the VMM reports it);
  // no PCI bus to probe; one legacy UART.
  return "console=ttyS0 reboot=k panic=-1 pci=off 8250.nr_uarts=1 i8042.noaux i8042.nomux i8042.nopnp";
}

void console_input(Device& console, std::span<const uint8_t> bytes) {
  static_cast<Serial&>(console).enqueue_input(bytes);
}

}  // namespace edgeward::vmm::arch
