// The run loop: one thread per vCPU (jailed before its first KVM_RUN), an optional console
// input thread, and the control thread waiting for the VM to end or for SIGINT/SIGTERM.
#include "vmm-lite/vmm.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <latch>
#include <optional>
#include <thread>

#include "common/errno_error.h"
#include "common/hex.h"
#include "common/startup_trace.h"
#include "vmm-lite/devices/virtio/console.h"
#include "vmm-lite/jail/seccomp_filters.h"
#include "vmm-lite/machine.h"

namespace edgeward::vmm {
namespace {

// Kicks a vCPU thread out of KVM_RUN; the handler does nothing, the interruption is the point.
const int kKickSignal = SIGRTMIN + 1;
void kick_handler(int) {}

// The vCPU and I/O threads run shallow loops (the deepest call: a device's MMIO handler), so each
// gets 256 KiB of stack, not glibc's 8 MiB default — which, where transparent_hugepage=always,
// is backed by a 2 MiB huge page of RSS per thread (docs/benchmarks.md, arm64 RSS). Set as the
// process's default: a VMM process (vm run, a container's monitor) starts no other threads.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kThreadStack = 1024 * 1024;  // ASan's redzones and fake frames
#else
constexpr size_t kThreadStack = 256 * 1024;
#endif
void use_small_thread_stacks() {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return;
  if (pthread_attr_setstacksize(&attr, kThreadStack) == 0) pthread_setattr_default_np(&attr);
  pthread_attr_destroy(&attr);
}

// Puts a terminal in raw mode for the guest console and restores it.
class RawTerminal {
 public:
  RawTerminal() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    ::cfmakeraw(&raw);
    raw.c_oflag |= OPOST | ONLCR;  // keep host-side newline translation for our own messages
    active_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }

 private:
  termios saved_{};
  bool active_ = false;
};

void dispatch(Bus& bus, const VcpuExit& e, size_t access) {
  // String I/O (rep outs/ins) arrives as `count` accesses of `access` bytes each.
  if (access == 0) return;
  for (size_t off = 0; off + access <= e.data.size(); off += access) {
    auto chunk = e.data.subspan(off, access);
    if (e.is_write) {
      bus.write(e.addr, chunk);
    } else if (!bus.read(e.addr, chunk)) {
      std::fill(chunk.begin(), chunk.end(), 0xff);  // nothing there: the bus floats high
    }
  }
}

void vcpu_loop(Machine& m, Vcpu& vcpu, ExitStats* stats) {
  bool first = vcpu.index() == 0 && startup_trace::enabled();
  while (m.stop.load() == StopReason::kNone) {
    if (first) startup_trace::mark("boot vCPU enters KVM_RUN");
    auto exit = vcpu.run();
    if (first) {
      startup_trace::mark("boot vCPU's first exit");
      startup_trace::flush();
      first = false;
    }
    if (!exit) {
      m.request_stop(StopReason::kError, exit.error().message);
      return;
    }
    const VcpuExit& e = *exit;
    if (stats && (e.kind == VcpuExit::Kind::kIo || e.kind == VcpuExit::Kind::kMmio)) {
      ++stats->total;
      ++stats->by_address[{e.kind == VcpuExit::Kind::kIo ? 'p' : 'm', e.addr}];
    }
    auto who = [&] { return "vCPU " + std::to_string(vcpu.index()); };
    switch (e.kind) {
      case VcpuExit::Kind::kIo: dispatch(m.pio, e, e.access_size); break;
      case VcpuExit::Kind::kMmio: dispatch(m.mmio, e, e.access_size); break;
      case VcpuExit::Kind::kIntr: break;
      case VcpuExit::Kind::kShutdown:
        m.request_stop(StopReason::kTripleFault, who() + ": triple fault (the guest crashed beyond recovery)");
        break;
      case VcpuExit::Kind::kHlt:
        m.request_stop(StopReason::kError, who() + " halted with no interrupt controller to wake it");
        break;
      case VcpuExit::Kind::kSystemEvent:
        if (e.detail == KVM_SYSTEM_EVENT_SHUTDOWN) {
          m.request_stop(StopReason::kPowerOff, "guest powered off");
        } else if (e.detail == KVM_SYSTEM_EVENT_RESET) {
          m.request_stop(StopReason::kReset, "guest reset the machine");
        } else {
          m.request_stop(StopReason::kError, who() + ": guest crashed (system event " + std::to_string(e.detail) + ")");
        }
        break;
      case VcpuExit::Kind::kFailEntry:
        m.request_stop(StopReason::kError, who() + ": KVM could not enter the guest (hardware reason " + hex(e.detail) + ")");
        break;
      case VcpuExit::Kind::kInternalError:
        m.request_stop(StopReason::kError, who() + ": KVM internal error (suberror " + std::to_string(e.detail) +
                                               "): the guest ran something KVM cannot emulate");
        break;
      case VcpuExit::Kind::kOther:
        m.request_stop(StopReason::kError, who() + ": unexpected KVM exit reason " + std::to_string(e.reason));
        break;
    }
  }
}

// Applies the vCPU scheduling policy to the calling thread (before it is jailed).
Status set_scheduling(VcpuScheduling policy) {
  if (policy == VcpuScheduling::kNormal) return {};
  sched_param param{};
  if (::sched_setscheduler(0, SCHED_BATCH, &param) != 0) {
    return errno_error("setting SCHED_BATCH for a vCPU thread (use --vcpu-sched normal where it is not allowed)");
  }
  return {};
}

// Hands agent bytes to the virtio-console, waiting while its bounded queue is full.
void deliver_to_agent(Machine& m, std::span<const uint8_t> bytes) {
  while (!bytes.empty() && m.stop.load() == StopReason::kNone) {
    size_t taken = 0;
    m.agent->host_event([&](VirtioDevice& d) { taken = static_cast<VirtioConsole&>(d).host_input(bytes); },
                        VirtioConsole::kReceiveQueue);
    bytes = bytes.subspan(taken);
    if (taken == 0) ::usleep(10000);  // the guest is not reading: back off
  }
}

// Host-side input: the terminal (to the UART), the agent socket (to the virtio-console) and the
// TAP (to virtio-net; not polled while a frame waits for the guest's receive buffers).
void io_loop(Machine& m, bool terminal) {
  uint8_t buf[4096];
  bool stdin_open = terminal, agent_open = m.agent_fd.valid();
  bool tap_open = m.tap_fd.valid();
  while (m.stop.load() == StopReason::kNone && (stdin_open || agent_open || tap_open)) {
    const bool poll_tap = tap_open && !m.net_device->rx_stalled();
    pollfd p[3] = {{stdin_open ? STDIN_FILENO : -1, POLLIN, 0},
                   {agent_open ? m.agent_fd.get() : -1, POLLIN, 0},
                   {poll_tap ? m.tap_fd.get() : -1, POLLIN, 0}};
    if (::poll(p, 3, 100) <= 0) continue;
    if (p[2].revents & (POLLERR | POLLHUP | POLLNVAL)) {  // the interface was deleted: polling on would spin
      tap_open = false;
      static constexpr char kGone[] = "edgeward: vm: the TAP interface went away; the guest's network is cut\n";
      (void)!::write(STDERR_FILENO, kGone, sizeof kGone - 1);
    } else if (p[2].revents & POLLIN) {
      m.net->host_event([](VirtioDevice& d) { static_cast<VirtioNet&>(d).host_readable(); },
                        VirtioNet::kReceiveQueue);
    }
    if (p[0].revents) {
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) stdin_open = false;  // end of input: the guest runs on without a keyboard
      else arch::console_input(*m.console, {buf, static_cast<size_t>(n)});
    }
    if (p[1].revents) {
      const ssize_t n = ::read(m.agent_fd.get(), buf, sizeof buf);
      if (n <= 0) agent_open = false;  // the agent host went away
      else deliver_to_agent(m, {buf, static_cast<size_t>(n)});
    }
  }
}

}  // namespace

Vmm::Vmm(std::unique_ptr<Machine> m) : m_(std::move(m)) {}
Vmm::~Vmm() = default;

Result<std::unique_ptr<Vmm>> Vmm::create(const VmConfig& config, ConsoleOut console) {
  EW_ASSIGN(auto machine, build_machine(config, std::move(console)));
  return std::unique_ptr<Vmm>(new Vmm(std::move(machine)));
}

Result<Outcome> Vmm::run(const RunOptions& options) {
  Machine& m = *m_;
  std::optional<RawTerminal> raw;
  const bool console_input = options.console_input && ::isatty(STDIN_FILENO);
  const bool io_needed = console_input || m.agent_fd.valid() || m.tap_fd.valid();

  struct sigaction sa {};
  sa.sa_handler = kick_handler;  // no SA_RESTART: KVM_RUN must return EINTR
  ::sigaction(kKickSignal, &sa, nullptr);
  // A vanished agent must not kill the VMM through SIGPIPE; its writes just fail.
  ::signal(SIGPIPE, SIG_IGN);

  // SIGINT/SIGTERM are taken synchronously by the control thread; all threads inherit the mask.
  sigset_t stop_signals, old_mask;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);

  if (console_input) raw.emplace();

  // Every thread (the control thread too) jails itself, then waits at `jailed` until all have:
  // guest code runs only then. The last to arrive goes on without sleeping, so when that is the
  // boot vCPU it enters KVM_RUN at once instead of waking the control thread to wake it.
  std::latch jailed(static_cast<std::ptrdiff_t>(m.vcpus.size() + (io_needed ? 1 : 0) + 1));
  auto jail = [&](jail::Role role) -> bool {
    Status r;
    if (options.jail) r = jail::jail_current_thread(role);  // compiled at build time: microseconds
    // No kick yet (on_stop is set up below): the control thread kicks after the latch if needed.
    if (!r) m.request_stop(StopReason::kError, "jailing the VMM: " + r.error().message, /*kick=*/false);
    if (!r && role != jail::Role::kControl) {
      jailed.count_down();  // this thread ends here: it must not hold the others
      return false;
    }
    jailed.arrive_and_wait();
    return r.ok();
  };
  use_small_thread_stacks();
  std::vector<std::thread> threads;
  std::vector<ExitStats> stats(options.stats ? m.vcpus.size() : 0);
  for (size_t i = 0; i < m.vcpus.size(); ++i) {
    threads.emplace_back([&, i] {
      // Named for ps/top/perf (the kernel keeps 15 characters): ew-vcpu0, ew-vcpu1, ...
      pthread_setname_np(pthread_self(), ("ew-vcpu" + std::to_string(i)).c_str());
      if (auto r = set_scheduling(options.scheduling); !r) {
        m.request_stop(StopReason::kError, r.error().message, /*kick=*/false);
      }
      if (!jail(jail::Role::kVcpu)) return;
      if (i == 0) startup_trace::mark("every thread jailed");
      vcpu_loop(m, m.vcpus[i], options.stats ? &stats[i] : nullptr);
    });
  }
  std::thread io;
  if (io_needed) {
    io = std::thread([&] {
      pthread_setname_np(pthread_self(), "ew-console");
      if (!jail(jail::Role::kConsole)) return;
      io_loop(m, console_input);
    });
  }
  m.on_stop = [&] {
    for (size_t i = 0; i < m.vcpus.size(); ++i) {
      m.vcpus[i].request_exit();
      pthread_kill(threads[i].native_handle(), kKickSignal);
    }
  };
  startup_trace::mark("threads started");
  jail(jail::Role::kControl);  // a failure is a stop request the threads see; guest code may run after it
  if (m.stop.load() != StopReason::kNone) m.on_stop();

  // Wait for the VM to end (any thread's request_stop) or for a stop signal.
  timespec tick{0, 100 * 1000 * 1000};
  while (m.stop.load() == StopReason::kNone) {
    const int sig = sigtimedwait(&stop_signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      m.request_stop(StopReason::kError, std::string("stopped by ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
    }
  }
  for (auto& t : threads) t.join();
  if (io.joinable()) io.join();
  m.on_stop = nullptr;
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);

  Outcome o;
  o.reason = m.stop.load();
  o.message = m.stop_message;
  o.saw_kernel_panic = m.panic_watch.seen();
  for (const ExitStats& s : stats) {
    o.stats.total += s.total;
    for (const auto& [key, n] : s.by_address) o.stats.by_address[key] += n;
  }
  return o;
}

Result<VcpuScheduling> parse_vcpu_scheduling(std::string_view s) {
  if (s == "batch") return VcpuScheduling::kBatch;
  if (s == "normal") return VcpuScheduling::kNormal;
  return Error::invalid("--vcpu-sched takes 'batch' or 'normal', not '" + std::string(s) + "'");
}

int exit_code(const Outcome& o) {
  switch (o.reason) {
    case StopReason::kPowerOff: return 0;
    case StopReason::kReset: return o.saw_kernel_panic ? 4 : 3;
    case StopReason::kTripleFault: return 5;
    case StopReason::kNone:
    case StopReason::kError: return 1;
  }
  return 1;
}

}  // namespace edgeward::vmm
