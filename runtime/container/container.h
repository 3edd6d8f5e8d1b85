// The container core: one container = one entry (a directory) under a root directory plus one
// detached monitor process. Used by the OCI runtime CLI (`edgeward create/start/state/kill/delete`)
// and by the daemon.
//
//   create  makes <root>/<id>/ (mkdir: ids are unique, atomically), writes spec.json, spawns the
//           monitor (this binary re-executed with a hidden command, setsid, double-forked so it is
//           never the caller's child) and returns once the workload is fully prepared (namespaces,
//           mounts, limits, seccomp ready) and paused before exec on <root>/<id>/exec.fifo, like
//           runc's exec fifo. Any failure removes the entry and the monitor: nothing half-created.
//   start   opens the fifo: the workload execs; the fifo is removed (no fifo = started).
//   state   refreshes the status from the monitor's liveness (pid + start time, against pid reuse)
//           and the exit status the monitor recorded.
//   kill    sends a signal to the workload: KILL and STOP directly, others through the monitor.
//   remove  deletes a stopped or created entry (a created workload never runs); a running one
//           only with force (SIGKILL, wait, delete).
//
// The monitor's pid is the container's pid (for an OCI sandbox container with init_is_pid, the
// sandbox's init is, see WorkloadSpec): the monitor exits with the workload's status (code, or
// 128 + signal) and forwards every catchable signal it receives to the workload. Before exiting
// it records the exit status in <root>/<id>/exit.json (temp + rename),
// so a caller that was not its parent (a restarted daemon) still reads the final status.
// A failed operation leaves the entry unchanged. Every function may be called from separate
// processes concurrently on the same root; operations on one id take a lock on its entry.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/container/container_cgroups.h"
#include "runtime/container/hook_spec.h"
#include "runtime/sandbox/cgroup.h"
#include "runtime/sandbox/fs_config.h"
#include "runtime/sandbox/id_range.h"
#include "runtime/sandbox/identity.h"
#include "runtime/sandbox/mounts.h"
#include "runtime/sandbox/namespaces.h"
#include "runtime/sandbox/process_attrs.h"
#include "runtime/sandbox/seccomp_profile.h"
#include "vmm-lite/vm_config.h"

namespace edgeward::runtime {

enum class Backend { kSandbox, kVm };

// What runs, backend-neutral. Serialised into the entry (spec.json) for the monitor.
struct WorkloadSpec {
  Backend backend = Backend::kSandbox;
  // Sandbox backend.
  std::string rootfs;                      // absolute directory, mounted read-only
  std::vector<std::string> argv;           // argv[0] looked up in PATH inside the rootfs
  std::vector<std::string> env;            // the full environment ("K=V"); empty: PATH and HOME only
  std::string cwd = "/";
  std::string hostname = "sandbox";
  std::string policy_file;                 // sandbox policy XML; empty: the built-in default profile
  uint64_t memory_bytes = 256ull << 20;
  uint64_t pids = 64;
  bool net_host = false;                   // share the host network (else an empty net namespace)
  // OCI containers: namespaces to join (a pod's), the workload's user, the config's mounts, a
  // writable root (the policy then lets the workload write there, container_policy.h), and
  // whether the sandbox's init is the container's pid: made a child of the monitor's parent (the
  // containerd shim or conmon, which reaps it) and reported as state.pid / --pid-file.
  std::vector<sandbox::JoinNamespace> join_namespaces;
  bool new_cgroup_ns = false;              // linux.namespaces lists cgroup without a path
  sandbox::Identity identity;
  std::vector<sandbox::MountSpec> mounts;
  bool readonly_root = true;
  bool init_is_pid = false;
  std::optional<sandbox::IdPool> id_pool;  // as root: the host id ranges (sandbox/id_range.h); none: the build's board's
  std::string cgroup_path;                 // linux.cgroupsPath (sandbox/cgroup.h); empty: edgeward's own
  sandbox::ProcessAttrs process;           // process.rlimits, umask, capabilities, oomScoreAdj
  sandbox::FsConfig fs;                    // linux.maskedPaths / readonlyPaths / devices / sysctl
  sandbox::CpuLimits cpu;                  // linux.resources.cpu shares / quota / period / cpus / mems
  sandbox::MemoryExtras memory_extras;     // linux.resources.memory reservation / swap
  std::optional<sandbox::SeccompProfile> seccomp;  // linux.seccomp: a second filter (sandbox/config_seccomp.h)
  // VM backend: the guest's serial console is the workload's stdout.
  vmm::VmConfig vm;
};

// Where the workload's stdio goes.
struct Stdio {
  // Empty: the caller's fds 0/1/2 are inherited (OCI: podman/containerd pass pipes or a pty).
  // Otherwise stdin is /dev/null and stdout+stderr are appended to this file (daemon).
  std::string log_file;
  // >= 0: use this descriptor as the workload's 0/1/2 instead (OCI --console-socket: a pty slave).
  int terminal_fd = -1;
};

struct ContainerSpec {
  std::string id;                          // [A-Za-z0-9][A-Za-z0-9_.-]{0,127}
  std::string bundle;                      // informational (OCI bundle directory), may be empty
  std::map<std::string, std::string> annotations;
  WorkloadSpec workload;
  Stdio stdio;
  Hooks hooks;                             // OCI hooks (hook_spec.h): run by the monitor, start and remove
};

// A process to start in a running sandbox container (OCI `exec`, what ExecSync and `podman exec`
// use): its own args, env, cwd and user; stdio as for a container.
struct ExecSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd = "/";
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> additional_gids;
  Stdio stdio;
  sandbox::ProcessAttrs process;           // its rlimits, umask, capabilities, oomScoreAdj
  bool env_extends_container = false;  // env is added to the container's (runc exec CMD form)
};

// Note: inside this namespace `Status` is this enum; results without a value are edgeward::Status.
enum class Status { kCreating, kCreated, kRunning, kPaused, kStopped };
std::string_view status_name(Status s);   // "creating", "created", "running", "paused", "stopped"

struct ContainerState {
  std::string id;
  Status status = Status::kCreating;
  pid_t pid = 0;                           // the monitor; 0 while creating
  uint64_t pid_start_time = 0;             // the monitor's start time (/proc/PID/stat field 22)
  pid_t workload_pid = 0;                  // host pid of the workload's first process (sandbox: its init)
  uint64_t workload_start_time = 0;        // its start time (against pid reuse)
  bool init_is_pid = false;                // WorkloadSpec::init_is_pid: workload_pid is the container's pid
  std::string bundle;
  std::map<std::string, std::string> annotations;
  Backend backend = Backend::kSandbox;
  int64_t created_unix = 0, started_unix = 0, finished_unix = 0;
  std::optional<int> exit_status;          // set once stopped and recorded by the monitor
};

class ContainerRoot {
 public:
  // Opens (creating it, mode 0700, if missing) the directory holding the entries,
  // e.g. /run/edgeward/containers or the OCI --root.
  static Result<ContainerRoot> open(std::string dir);

  const std::string& dir() const { return dir_; }

  // Where warnings go: the failures of poststart and poststop hooks, which (runtime-spec) do not
  // fail start or remove. Default: stderr.
  void set_warning_sink(std::function<void(const std::string&)> warn) { warn_ = std::move(warn); }

  // Spawns the monitor; returns once the workload is prepared and paused before exec.
  // Errors: invalid id/spec, id in use, the workload could not be prepared (the sandbox's or VMM's
  // message). On error nothing is left behind.
  Result<ContainerState> create(const ContainerSpec& spec);

  // Runs the startContainer hooks inside the created container (start_hooks.cpp), releases it,
  // then runs its poststart hooks (failures: warnings). Errors: unknown id, not in state
  // created, a startContainer hook failed (the container is then stopped).
  edgeward::Status start(std::string_view id);

  // The container's state, refreshed. Errors: unknown id.
  Result<ContainerState> state(std::string_view id);

  // Sends `signal` to the workload (KILL/STOP directly, others through the monitor, which
  // forwards them); `all` (runc's kill --all, a running sandbox container): to every process of
  // the container's cgroup instead (but the sandbox's init, which ends with its workload).
  // Errors: unknown id, stopped ("container not running"), bad signal.
  edgeward::Status kill(std::string_view id, int signal, bool all = false);

  // Deletes the entry. A created container's workload is killed first (it never runs, as runc);
  // a running one is refused unless `force` (then SIGKILL to every process of its cgroup: its
  // init need not be a pid 1 whose end ends the rest; and its monitor is waited for).
  // Then runs the poststop hooks (failures: warnings). Errors: unknown id, running without force.
  edgeward::Status remove(std::string_view id, bool force);

  // Starts `e` inside the running container `id` (its namespaces, root, policy and user mapping,
  // under a supervisor of its own: a detached monitor like create's) and returns its pid: the
  // init of the entered process, a child of the caller's parent (the shim reaps it), which exits
  // with the process's status. Errors: unknown id, not running, not a sandbox container.
  Result<pid_t> exec(std::string_view id, const ExecSpec& e);

  // runc's pause / resume (container_control.cpp): freezes or thaws the container's cgroup
  // (container_cgroups.h); state says paused meanwhile. Errors: unknown id, not running (pause)
  // or not paused (resume), no freezer.
  edgeward::Status pause(std::string_view id);
  edgeward::Status resume(std::string_view id);
  // The pids in the container's cgroup (runc ps). Errors: unknown id, stopped.
  Result<std::vector<pid_t>> processes(std::string_view id);
  // Usage from the container's cgroup (runc events --stats). Errors: unknown id, stopped.
  Result<CgroupStats> stats(std::string_view id);
  // Rewrites the container's cgroup limits (runc update). Errors: unknown id, stopped, a value
  // the kernel refused (named with its file).
  edgeward::Status update(std::string_view id, const ResourceUpdate& u);

  // Every entry, refreshed; entries still being created are listed as kCreating.
  Result<std::vector<ContainerState>> list();

 private:
  explicit ContainerRoot(std::string dir) : dir_(std::move(dir)) {}
  void warn_hooks(const std::vector<Hook>& hooks, std::string_view phase, const ContainerState& st,
                  const std::string& status) const;
  void warning(const std::string& w) const;
  // The detached monitor of a process entering the sandbox container `st` (exec's body): its
  // pid and start time, and the entered process's init as workload_pid.
  Result<ContainerState> enter(const ContainerState& st, const ExecSpec& e);
  // start_hooks.cpp: each hook as a process entered into the created container `st`.
  edgeward::Status run_start_hooks(const ContainerSpec& spec, const ContainerState& st);
  std::string dir_;
  std::function<void(const std::string&)> warn_;
};

// The hidden command the monitor runs as: `edgeward <kMonitorCommand> ROOT ID REPORT_FD [EXEC_SPEC]`
// (EXEC_SPEC: the spec of a process to enter the running container with, for exec; the file is
// removed once read). Registered in the CLI's command table; not for users.
constexpr std::string_view kMonitorCommand = "__container-monitor";
int monitor_main(const std::string& root, const std::string& id, int report_fd, const std::string& exec_spec = "");

}  // namespace edgeward::runtime
