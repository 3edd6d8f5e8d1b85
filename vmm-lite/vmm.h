// A microVM: built from a VmConfig (KVM objects, guest memory, devices, kernel, vCPUs), then
// run on one thread per vCPU until the guest powers off, resets, faults or the VMM fails.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "common/result.h"
#include "vmm-lite/devices/device.h"
#include "vmm-lite/vm_config.h"

namespace edgeward::vmm {

struct Machine;  // KVM objects, memory, buses, devices (vmm.cpp)

// Exits to the VMM by device address, for `vm run --stats` (where does guest time go?).
struct ExitStats {
  uint64_t total = 0;
  std::map<std::pair<char, uint64_t>, uint64_t> by_address;  // ('p'ort | 'm'mio, address) -> count
};

struct Outcome {
  StopReason reason = StopReason::kNone;
  std::string message;         // what happened, for the user
  bool saw_kernel_panic = false;
  ExitStats stats;             // filled when RunOptions::stats
};

// How the host schedules vCPU threads (sched(7)).
enum class VcpuScheduling {
  // SCHED_BATCH: a vCPU woken by an interrupt waits for the running thread's time slice instead of
  // preempting it. When vCPUs share host CPUs, an IPI no longer hands the CPU to the woken vCPU
  // while the sender still holds the guest lock the woken one then spins on (lock-holder
  // preemption). Costs wake-up latency (up to a host tick) when vCPUs outnumber host CPUs.
  kBatch,
  kNormal,  // SCHED_OTHER: lowest interrupt latency
};

struct RunOptions {
  bool jail = true;           // seccomp every thread before guest code runs (off for in-process tests)
  bool console_input = false; // forward stdin (a TTY) to the guest's UART
  bool stats = false;         // count exits per device address
  VcpuScheduling scheduling = VcpuScheduling::kBatch;
};

// Parses "batch" / "normal" (the --vcpu-sched option).
Result<VcpuScheduling> parse_vcpu_scheduling(std::string_view s);

using ConsoleOut = std::function<void(std::span<const uint8_t>)>;

class Vmm {
 public:
  // Validates the configuration, reads the kernel/initrd, and builds the VM; no guest code runs.
  static Result<std::unique_ptr<Vmm>> create(const VmConfig& config, ConsoleOut console);
  ~Vmm();

  // Runs the guest to its end. Errors are VMM failures; guest outcomes are in Outcome.
  Result<Outcome> run(const RunOptions& options);

 private:
  explicit Vmm(std::unique_ptr<Machine> m);
  std::unique_ptr<Machine> m_;
};

// Exit status for `edgeward vm run`: 0 power-off, 3 reset/reboot, 4 kernel panic,
// 5 triple fault, 1 VMM error.
int exit_code(const Outcome& o);

}  // namespace edgeward::vmm
