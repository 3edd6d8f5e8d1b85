// Everything one microVM owns, wired by builder.cpp and driven by vmm.cpp. Heap-allocated and
// never moved: devices hold references to the Vm and to guest memory.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "vmm-lite/arch/arch.h"
#include "vmm-lite/console_watch.h"
#include "common/unique_fd.h"
#include "vmm-lite/devices/bus.h"
#include "vmm-lite/devices/virtio/net.h"
#include "vmm-lite/devices/virtio/virtio_mmio.h"
#include "vmm-lite/kvm/kvm.h"
#include "vmm-lite/memory/guest_memory.h"
#include "vmm-lite/vmm.h"

namespace edgeward::vmm {

struct Machine {
  Machine(Kvm k, Vm v, GuestMemory m) : kvm(std::move(k)), vm(std::move(v)), mem(std::move(m)) {}
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  Kvm kvm;
  Vm vm;
  GuestMemory mem;
  arch::Platform platform;  // the in-kernel irqchip the arch created
  Bus pio{"port I/O bus"};
  Bus mmio{"MMIO bus"};
  std::shared_ptr<Device> console;
  UniqueFd agent_fd;                      // connected agent socket, or invalid
  std::shared_ptr<VirtioMmio> agent;      // its virtio-console transport
  UniqueFd tap_fd;                        // the TAP behind virtio-net, or invalid
  std::shared_ptr<VirtioMmio> net;        // its virtio-net transport
  const VirtioNet* net_device = nullptr;  // the device inside `net` (rx_stalled is atomic)
  std::vector<Vcpu> vcpus;
  ConsoleOut console_out;
  ConsoleWatch panic_watch{"Kernel panic - not syncing"};

  // The first stop request wins; later ones (e.g. the other vCPUs' exits) are ignored.
  std::atomic<StopReason> stop{StopReason::kNone};
  std::mutex stop_mu;
  std::string stop_message;
  std::function<void()> on_stop;  // kicks the vCPU threads (set by the runner)

  // Records the first stop and, with `kick`, makes every vCPU leave KVM_RUN.
  void request_stop(StopReason why, std::string message, bool kick = true);
};

// Builds a Machine from a validated configuration.
Result<std::unique_ptr<Machine>> build_machine(const VmConfig& config, ConsoleOut console);

}  // namespace edgeward::vmm
