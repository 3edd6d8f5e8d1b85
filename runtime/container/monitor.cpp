// The monitor: `edgeward __container-monitor ROOT ID REPORT_FD`, spawned detached by create.
// It runs the workload (sandbox supervisor, or a child running the VM), forwards the signals it
// receives to the workload, records how the workload ended in exit.json and exits with that
// status, so the process that reaps it (conmon, the containerd shim, init) sees the workload's.
// It forwards every catchable signal it receives (see install_forwarding).
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <span>

#include "common/child_wait.h"
#include "common/unique_fd.h"
#include "runtime/container/container.h"
#include "runtime/container/container_policy.h"
#include "runtime/container/entry.h"
#include "runtime/container/hooks.h"
#include "runtime/container/id_pool.h"
#include "runtime/container/spec_json.h"
#include "runtime/sandbox/default_policy.h"
#include "runtime/sandbox/sandbox.h"
#include "vmm-lite/vmm.h"

namespace edgeward::runtime {
namespace {

std::atomic<pid_t> g_workload{0};
std::atomic<int> g_stop_signal{0};  // the last SIGTERM/SIGINT forwarded

void forward(int sig) {
  if (sig == SIGTERM || sig == SIGINT) g_stop_signal = sig;
  const pid_t p = g_workload.load();
  if (p > 0) ::kill(p, sig);
}

// Every signal someone may send to a container (kill goes through here except KILL and STOP,
// which cannot be caught and go to the workload directly). Not forwarded: the monitor's own
// faults (SEGV, BUS, ILL, FPE, TRAP, SYS, ABRT) and SIGCHLD.
void install_forwarding() {
  struct sigaction sa {};
  sa.sa_handler = forward;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    switch (sig) {
      case SIGKILL: case SIGSTOP: case SIGCHLD: case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
      case SIGSYS: case SIGABRT:
        continue;
      default:
        if (sig >= 32 && sig < SIGRTMIN) continue;  // reserved by the C library (thread cancellation, setxid)
        sigaction(sig, &sa, nullptr);
    }
  }
}

// The report channel is a socket: send never raises SIGPIPE once create has gone.
void say(int fd, const std::string& line) {
  const std::string l = line + "\n";
  (void)send(fd, l.data(), l.size(), MSG_NOSIGNAL);
}

int finish(const EntryPaths& paths, int status, const std::string& error) {
  if (!error.empty()) std::fprintf(stderr, "edgeward: container: %s\n", error.c_str());
  ExitRecord rec{status, static_cast<int64_t>(std::time(nullptr)), error};
  (void)write_atomic(paths.exit, exit_to_json(rec));
  return status;
}

// The createRuntime (prestart first) and createContainer hooks, once the sandbox's namespaces
// exist and its init is in its cgroup, before the init builds the container's file system:
// createRuntime in the monitor's (the runtime's) namespaces, createContainer in the container's
// mount, network, IPC and UTS namespaces (docs/oci.md, "Hooks"). A failure fails create.
edgeward::Status run_create_hooks(const ContainerSpec& s, pid_t init) {
  const std::string state = hook_state_json({s.id, "creating", init, s.bundle, s.annotations});
  EW_TRY(run_hooks(s.hooks.prestart, "hooks.prestart", state, {s.bundle, 0}));
  EW_TRY(run_hooks(s.hooks.create_runtime, "hooks.createRuntime", state, {s.bundle, 0}));
  return run_hooks(s.hooks.create_container, "hooks.createContainer", state, {s.bundle, init});
}

// `enter_pid` > 0: an exec into the running container whose init that is: no exec gate, ready at
// once, and no exit record (that is the container's). `hooks_of`: the container whose create
// hooks run (none for an exec).
int run_in_sandbox(const WorkloadSpec& w, const EntryPaths& paths, int report, pid_t enter_pid = 0,
                   const ContainerSpec* hooks_of = nullptr) {
  sandbox::SandboxConfig c;
  c.rootfs = w.rootfs;
  c.argv = w.argv;
  c.env = w.env;
  c.cwd = w.cwd;
  c.hostname = w.hostname;
  c.memory_bytes = w.memory_bytes;
  c.pids = w.pids;
  c.pids_count_init = w.init_is_pid;  // OCI: linux.resources.pids.limit is pids.max, as runc writes it
  c.net_host = w.net_host;
  c.join_namespaces = w.join_namespaces;
  c.new_cgroup_ns = w.new_cgroup_ns;
  c.identity = w.identity;
  if (w.id_pool) {
    c.id_pool = *w.id_pool;
  } else if (geteuid() == 0 && enter_pid == 0) {
    auto pool = board_id_pool();
    if (!pool) {
      say(report, "E" + pool.error().message);
      return finish(paths, 127, pool.error().message);
    }
    c.id_pool = *pool;
  }
  c.mounts = w.mounts;
  c.readonly_root = w.readonly_root;
  c.child_of_parent = w.init_is_pid;
  c.cgroup_path = w.cgroup_path;
  c.cpu = w.cpu;
  c.process = w.process;
  c.fs = w.fs;
  c.memory_extras = w.memory_extras;
  c.seccomp = w.seccomp;
  c.enter_pid = enter_pid;
  auto policy = w.policy_file.empty() ? sandbox::default_policy() : sandbox::load_policy_file(w.policy_file);
  if (!policy) {
    say(report, "E" + policy.error().message);
    return finish(paths, 127, policy.error().message);
  }
  c.policy = container_policy(w, std::move(policy).value());
  if (enter_pid > 0) {
    c.on_spawned = [report](pid_t p) {
      g_workload = p;
      say(report, "W" + std::to_string(p));
      say(report, "R");
    };
    auto result = sandbox::run_sandbox(c);
    if (!result) say(report, "E" + result.error().message);
    return result ? result->shell_status() : 127;
  }
  UniqueFd fifo(open(paths.fifo.c_str(), O_PATH | O_CLOEXEC));
  if (!fifo.valid()) {
    say(report, "Ecannot open " + paths.fifo);
    return finish(paths, 127, "cannot open " + paths.fifo);
  }
  c.exec_gate = {report, fifo.get()};
  if (hooks_of && !hooks_of->hooks.empty()) {
    c.before_setup = [hooks_of](pid_t init) { return run_create_hooks(*hooks_of, init); };
  }
  c.on_spawned = [report](pid_t p) {
    g_workload = p;
    say(report, "W" + std::to_string(p));
  };
  auto result = sandbox::run_sandbox(c);
  if (!result) {
    say(report, "E" + result.error().message);
    return finish(paths, 127, result.error().message);
  }
  return finish(paths, result->shell_status(), "");
}

void write_console(std::span<const uint8_t> bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, bytes.data() + done, bytes.size() - done);
    if (n <= 0) return;  // a closed stdout must not stop the guest
    done += static_cast<size_t>(n);
  }
}

// The VM runs in a child: its exit (or death by a forwarded signal) is the workload's status.
[[noreturn]] void vm_child(const WorkloadSpec& w, const EntryPaths& paths, int report) {
  say(report, "W" + std::to_string(getpid()));
  auto vm = vmm::Vmm::create(w.vm, write_console);
  if (!vm) {
    say(report, "E" + vm.error().message);
    _exit(127);
  }
  say(report, "R");
  close(report);
  const int fifo = open(paths.fifo.c_str(), O_WRONLY | O_CLOEXEC);  // blocks until `start`
  if (fifo < 0 || write(fifo, "0", 1) != 1) _exit(127);
  close(fifo);
  auto outcome = (*vm)->run({.jail = true, .console_input = false, .stats = false});
  if (!outcome) {
    std::fprintf(stderr, "edgeward: container: vm: %s\n", outcome.error().message.c_str());
    _exit(1);
  }
  _exit(vmm::exit_code(*outcome));
}

int run_in_vm(const WorkloadSpec& w, const EntryPaths& paths, int report) {
  const pid_t child = fork();
  if (child < 0) {
    say(report, "Efork failed");
    return finish(paths, 127, "fork failed");
  }
  if (child == 0) vm_child(w, paths, report);
  g_workload = child;
  int status = 0;
  if (wait_for_child(child, &status) < 0) return finish(paths, 127, "waitpid failed");
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // The VMM stops the guest on SIGTERM/SIGINT and reports a VMM stop (1): for the container it
  // ended by that signal, as a process would have.
  if (code == 1 && g_stop_signal) code = 128 + g_stop_signal;
  return finish(paths, code, "");
}

// An exec: the entered process's spec (removed once read) and the container's init.
int exec_main(const EntryPaths& paths, const std::string& exec_spec, int report_fd) {
  auto text = read_text(exec_spec);
  unlink(exec_spec.c_str());
  auto spec = text ? spec_from_json(*text, exec_spec) : Result<ContainerSpec>(std::move(text).error());
  auto state_text = read_text(paths.state);
  auto state = state_text ? state_from_json(*state_text, paths.state) : Result<ContainerState>(std::move(state_text).error());
  if (!spec || !state) {
    say(report_fd, "E" + (spec ? state.error().message : spec.error().message));
    return 127;
  }
  return run_in_sandbox(spec->workload, paths, report_fd, state->workload_pid);
}

}  // namespace

int monitor_main(const std::string& root, const std::string& id, int report_fd, const std::string& exec_spec) {
  const EntryPaths paths(root, id);
  install_forwarding();
  if (!exec_spec.empty()) return exec_main(paths, exec_spec, report_fd);
  auto text = read_text(paths.spec);
  auto spec = text ? spec_from_json(*text, paths.spec) : Result<ContainerSpec>(std::move(text).error());
  if (!spec) {
    say(report_fd, "E" + spec.error().message);
    return finish(paths, 127, spec.error().message);
  }
  return spec->workload.backend == Backend::kVm ? run_in_vm(spec->workload, paths, report_fd)
                                                : run_in_sandbox(spec->workload, paths, report_fd, 0, &*spec);
}

}  // namespace edgeward::runtime
