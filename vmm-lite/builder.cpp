// Wires a Machine from a VmConfig: KVM → memory → platform → devices → kernel → vCPUs.
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "common/errno_error.h"
#include "common/mapped_file.h"
#include "common/startup_trace.h"
#include "common/unique_fd.h"
#include "vmm-lite/devices/virtio/blk.h"
#include "vmm-lite/devices/virtio/console.h"
#include "vmm-lite/devices/virtio/net.h"
#include "vmm-lite/devices/virtio/tap.h"
#include "vmm-lite/devices/virtio/virtio_mmio.h"
#include "vmm-lite/machine.h"

namespace edgeward::vmm {
namespace {

constexpr uint64_t kMaxKernelBytes = 256ull << 20;
constexpr uint64_t kMaxInitrdBytes = 1ull << 30;

// Connects to the agent's listening unix socket (before the jail: connect is not allowed after).
Result<UniqueFd> connect_unix(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return Error::invalid("--agent-socket path is too long: " + path);
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return errno_error("creating the agent socket");
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return errno_error("connecting to the agent socket " + path + " (is the agent host listening?)");
  }
  return fd;
}

}  // namespace

void Machine::request_stop(StopReason why, std::string message, bool kick) {
  {
    std::lock_guard lock(stop_mu);
    StopReason expected = StopReason::kNone;
    if (!stop.compare_exchange_strong(expected, why)) return;
    stop_message = std::move(message);
  }
  if (kick && on_stop) on_stop();
}

Result<std::unique_ptr<Machine>> build_machine(const VmConfig& config, ConsoleOut console) {
  EW_TRY(validate(config));
  EW_TRY(arch::supported());
  arch::BootSpec spec;
  EW_ASSIGN(MappedFile kernel, MappedFile::open(config.kernel, kMaxKernelBytes, "kernel"));
  spec.kernel = kernel.bytes();
  spec.kernel_fd = kernel.fd();
  if (auto ok = arch::check_kernel(spec.kernel); !ok) return std::move(ok).error().context(config.kernel);
  MappedFile initrd;
  if (!config.initrd.empty()) {
    EW_ASSIGN(initrd, MappedFile::open(config.initrd, kMaxInitrdBytes, "initrd"));
    spec.initrd = initrd.bytes();
    spec.initrd_fd = initrd.fd();
  }
  spec.cmdline = arch::default_cmdline();
  if (!config.cmdline.empty()) spec.cmdline += " " + config.cmdline;
  spec.vcpus = config.vcpus;
  startup_trace::mark("kernel and initrd opened and checked");

  // Everything outside KVM that can fail is checked before any VM exists.
  UniqueFd agent;
  if (!config.agent_socket.empty()) {
    EW_ASSIGN(agent, connect_unix(config.agent_socket));
  }
  UniqueFd tap;
  if (!config.net_tap.empty()) {
    EW_ASSIGN(tap, open_tap(config.net_tap));
  }

  EW_ASSIGN(Kvm kvm, Kvm::open());
  EW_ASSIGN(unsigned long vm_type, arch::vm_type(kvm, config.mem_bytes));
  startup_trace::mark("/dev/kvm opened, VM type chosen");
  EW_ASSIGN(Vm vm, Vm::create(kvm, vm_type));
  startup_trace::mark("KVM_CREATE_VM");
  EW_ASSIGN(GuestMemory mem, GuestMemory::create(arch::memory_layout(config.mem_bytes)));
  startup_trace::mark("guest memory mapped");
  auto m = std::make_unique<Machine>(std::move(kvm), std::move(vm), std::move(mem));
  m->console_out = std::move(console);
  m->agent_fd = std::move(agent);
  m->tap_fd = std::move(tap);

  uint32_t slot = 0;
  for (const MemoryRegion& r : m->mem.regions()) EW_TRY(m->vm.set_user_memory(slot++, r.gpa, r.size, r.host));
  startup_trace::mark("KVM_SET_USER_MEMORY_REGION");
  EW_ASSIGN(m->platform, arch::create_platform(m->kvm, m->vm, config.vcpus));
  startup_trace::mark("irqchip created");
  spec.irqchip_version = m->platform.irqchip_version;

  Machine* raw = m.get();
  auto stop = [raw](StopReason why) {
    raw->request_stop(why, why == StopReason::kPowerOff ? "guest powered off" : "guest reset the machine");
  };
  auto console_sink = [raw](std::span<const uint8_t> bytes) {
    raw->panic_watch.feed(bytes);
    if (raw->console_out) raw->console_out(bytes);
  };
  EW_ASSIGN(arch::LegacyDevices legacy, arch::add_legacy_devices(m->pio, m->mmio, m->vm, stop, console_sink));
  m->console = legacy.console;
  spec.devices = std::move(legacy.described);

  // Virtio devices take the arch's slots in order: disks first, then the agent console, then
  // the network.
  uint32_t virtio_count = 0;
  auto add_virtio = [&](std::unique_ptr<VirtioDevice> device) -> Result<std::shared_ptr<VirtioMmio>> {
    EW_ASSIGN(arch::VirtioSlot vs, arch::virtio_slot(virtio_count));
    const Vm* vm_ptr = &m->vm;
    auto dev = std::make_shared<VirtioMmio>(std::move(device), m->mem, [vm_ptr, gsi = vs.gsi](bool level) {
      (void)vm_ptr->set_irq_line(gsi, level);
    });
    EW_TRY(m->mmio.add(vs.mmio_base, VirtioMmio::kWindowSize, dev));
    spec.devices.push_back({dev, {Placement::Space::kMmio, vs.mmio_base, VirtioMmio::kWindowSize, vs.irq, virtio_count++}});
    return dev;
  };
  for (const DiskConfig& disk : config.disks) {
    EW_ASSIGN(auto blk, VirtioBlk::open(disk.path, disk.read_only));
    EW_TRY(add_virtio(std::move(blk)));
  }
  if (m->agent_fd.valid()) {
    EW_ASSIGN(m->agent, add_virtio(std::make_unique<VirtioConsole>(m->agent_fd.get())));
  }
  if (m->tap_fd.valid()) {
    auto net = std::make_unique<VirtioNet>(m->tap_fd.get(), VirtioNet::mac_from(config.net_tap));
    m->net_device = net.get();
    EW_ASSIGN(m->net, add_virtio(std::move(net)));
  }

  startup_trace::mark("devices added");
  EW_ASSIGN(arch::BootState boot, arch::load_kernel(m->mem, spec));
  startup_trace::mark("kernel loaded (with initrd and boot tables)");
  for (uint32_t i = 0; i < config.vcpus; ++i) {
    EW_ASSIGN(Vcpu vcpu, Vcpu::create(m->kvm, m->vm, i));
    startup_trace::mark("KVM_CREATE_VCPU", static_cast<int>(i));
    EW_TRY(arch::setup_vcpu(m->kvm, m->vm, vcpu, m->mem, boot, i, config.vcpus));
    startup_trace::mark("vCPU set up (init, registers)", static_cast<int>(i));
    m->vcpus.push_back(std::move(vcpu));
  }
  EW_TRY(arch::finish_platform(m->platform));
  startup_trace::mark("platform finished (arm64: GIC CTRL_INIT)");
  return m;
}

}  // namespace edgeward::vmm
