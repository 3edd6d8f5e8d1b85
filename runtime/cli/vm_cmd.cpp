// `edgeward vm run`: boot a kernel in a KVM microVM and end with the guest's outcome.
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "common/hex.h"
#include "common/startup_trace.h"
#include "common/text/writer.h"
#include "common/units.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/parse.h"
#include "vmm-lite/vmm.h"

namespace edgeward::cli {
namespace {

Result<vmm::VmConfig> config_from(const ParsedArgs& a) {
  vmm::VmConfig c;
  c.kernel = a.value_or("kernel", "");
  c.initrd = a.value_or("initrd", "");
  c.cmdline = a.value_or("cmdline", "");
  c.agent_socket = a.value_or("agent-socket", "");
  if (auto mem = a.value("mem")) {
    auto bytes = parse_size(*mem);
    if (!bytes) return std::move(bytes).error().context("--mem");
    c.mem_bytes = *bytes;
  }
  if (auto n = a.value("vcpus")) {
    EW_ASSIGN(uint64_t vcpus, parse_uint(*n, 1, vmm::kMaxVcpus, "--vcpus"));
    c.vcpus = static_cast<uint32_t>(vcpus);
  }
  if (auto d = a.value("disk")) {
    EW_ASSIGN(auto disk, vmm::parse_disk_spec(*d));
    c.disks.push_back(std::move(disk));
  }
  if (auto n = a.value("net")) {
    EW_ASSIGN(c.net_tap, vmm::parse_net_spec(*n));
  }
  if (!a.positional().empty()) return Error::invalid("unexpected argument '" + a.positional()[0] + "'");
  EW_TRY(vmm::validate(c));
  return c;
}

void write_stdout(std::span<const uint8_t> bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, bytes.data() + done, bytes.size() - done);
    if (n <= 0) return;  // a closed stdout must not stop the guest
    done += static_cast<size_t>(n);
  }
}

void print_stats(const vmm::ExitStats& stats) {
  std::vector<std::pair<uint64_t, std::pair<char, uint64_t>>> top;
  for (const auto& [key, n] : stats.by_address) top.push_back({n, key});
  std::sort(top.rbegin(), top.rend());
  text::err() << "edgeward: vm: " << stats.total << " port/MMIO exits; busiest addresses:\n";
  for (size_t i = 0; i < top.size() && i < 10; ++i) {
    text::err() << "  " << (top[i].second.first == 'p' ? "port " : "mmio ") << hex(top[i].second.second) << ": "
              << top[i].first << "\n";
  }
}

}  // namespace

int vm_run(Args args) {
  const ArgParser parser(
      "edgeward vm run --kernel PATH [--initrd PATH] [--cmdline STR] [--mem 256M] [--vcpus N] [--disk PATH[:ro]]\n"
      "                [--agent-socket PATH] [--net tap:NAME] [--vcpu-sched batch|normal] [--stats] [--trace-startup]",
      "Boot a Linux kernel (bzImage) in a KVM microVM with a serial console, then exit with the\n"
      "guest's outcome: 0 power-off, 3 reboot, 4 kernel panic, 5 triple fault, 1 VMM error.\n"
      "The VMM jails every thread with seccomp before the first guest instruction.",
      {{"kernel", "PATH", "kernel image (bzImage, e.g. /boot/vmlinuz-*)"},
       {"initrd", "PATH", "initramfs image"},
       {"cmdline", "STR", "extra kernel command line (after console=ttyS0 reboot=k panic=-1 ...)"},
       {"mem", "SIZE", "guest memory (default 256M)"},
       {"vcpus", "N", "virtual CPUs (default 1)"},
       {"disk", "PATH[:ro]", "virtio-blk disk image, read-write or :ro"},
       {"agent-socket", "PATH", "connect a virtio-console (guest /dev/hvc0) to this listening unix socket"},
       {"net", "tap:NAME", "virtio-net (guest eth0, no offloads) on this existing host TAP interface"},
       {"vcpu-sched", "POLICY", "vCPU threads: batch (default; a woken vCPU waits, never preempts) or normal"},
       {"stats", "", "at the end, print the guest's exits to the VMM by device address (stderr)"},
       {"trace-startup", "", "print when each start-up step ended, up to the boot vCPU's first exit (stderr)"}});
  int code = 0;
  auto parsed = parse_or_exit(parser, args, code);
  if (!parsed) return code;
  if (parsed->flag("trace-startup")) startup_trace::enable();
  startup_trace::mark("arguments parsed");
  auto config = config_from(*parsed);
  if (!config) return report(config.error());

  // No inherited descriptor reaches the VMM: everything past stdio is closed first.
  ::syscall(SYS_close_range, 3u, ~0u, 0u);

  auto scheduling = vmm::parse_vcpu_scheduling(parsed->value_or("vcpu-sched", "batch"));
  if (!scheduling) return report(scheduling.error());

  auto vm = vmm::Vmm::create(*config, write_stdout);
  if (!vm) {
    startup_trace::flush();
    return report(vm.error());
  }
  auto outcome =
      (*vm)->run({.jail = true, .console_input = true, .stats = parsed->flag("stats"), .scheduling = *scheduling});
  startup_trace::flush();  // whatever the boot vCPU did not print (it did not exit, or failed)
  if (!outcome) return report(outcome.error());
  if (parsed->flag("stats")) print_stats(outcome->stats);
  const int exit = vmm::exit_code(*outcome);
  if (exit != 0) {
    std::string msg = outcome->message;
    if (outcome->saw_kernel_panic) msg = "guest kernel panicked (see the console output above)";
    text::err() << "edgeward: vm: " << msg << "\n";
  }
  return exit;
}

}  // namespace edgeward::cli
