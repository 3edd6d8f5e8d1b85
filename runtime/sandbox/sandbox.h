// One sandbox run: `edgeward sandbox run` in library form. Creates the cgroup, clones the
// workload into new namespaces (jail.h), seizes it with the supervisor before it runs a single
// instruction of the workload, and reports how it ended (run_result.h).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/sandbox/cgroup.h"
#include "runtime/sandbox/fs_config.h"
#include "runtime/sandbox/id_range.h"
#include "runtime/sandbox/identity.h"
#include "runtime/sandbox/mounts.h"
#include "runtime/sandbox/namespaces.h"
#include "runtime/sandbox/policy.h"
#include "runtime/sandbox/process_attrs.h"
#include "runtime/sandbox/run_result.h"
#include "runtime/sandbox/seccomp_profile.h"

namespace edgeward::sandbox {

struct SandboxConfig {
  std::string rootfs;               // a directory (/dev and /proc are created in it when missing)
  Policy policy;
  uint64_t memory_bytes = 256ull << 20;
  uint64_t pids = 64;               // the workload's tasks; the sandbox's init gets one more
  bool pids_count_init = false;     // true: `pids` counts the init too (OCI: the init is the
                                    // container's pid, one of its tasks, as docker --init's; pids.max = pids)
  bool net_host = false;            // share the host network (and allow inet sockets)
  std::vector<std::string> argv;
  std::vector<std::string> env;     // the workload's environment ("K=V"); empty: PATH and HOME only
  std::string cwd = "/";            // inside the rootfs
  std::string hostname = "sandbox";
  // Pause before exec (the container core's create/start, like runc's exec fifo): when fifo_fd is
  // an O_PATH descriptor of a FIFO, the workload does all its set-up, writes "R\n" to ready_fd,
  // then opens the FIFO for writing (blocking until `start` opens it for reading) and execs.
  struct ExecGate {
    int ready_fd = -1;
    int fifo_fd = -1;
  } exec_gate;
  std::function<void(pid_t)> on_spawned;  // told the workload's host pid once it is in its cgroup
  // Run after on_spawned: the namespaces exist and the init is in its cgroup, but it has not
  // built the container's file system yet (the OCI createRuntime / createContainer hooks). An
  // error kills the init and fails the run.
  std::function<Status(pid_t)> before_setup;
  // Containers (OCI): namespaces to join instead of making (a joined network counts as a shared
  // one: inet allowed, abstract unix sockets refused), the workload's user, its own mounts, a
  // writable root, and the sandbox's init made a child of the caller's parent (CLONE_PARENT: the
  // process that reaps a container's pid, a containerd shim or conmon, then reaps the init).
  std::vector<JoinNamespace> join_namespaces;
  // A cgroup namespace of its own (OCI: listed without a path), rooted at the sandbox's cgroup:
  // the jail unshares it once it has been moved there.
  bool new_cgroup_ns = false;
  Identity identity;
  IdPool id_pool;                   // as root: the host id ranges a workload's ids map to (id_range.h)
  std::vector<MountSpec> mounts;
  bool readonly_root = true;
  bool child_of_parent = false;
  std::string cgroup_path;          // OCI linux.cgroupsPath (cgroup.h); empty: edgeward-sandbox-<pid>-<n>
  // > 0: enter the running sandbox whose process this is (its init) instead of making one: the
  // OCI `exec`. rootfs, mounts, hostname and the cgroup are then the sandbox's already; the
  // id mapping is the sandbox's.
  pid_t enter_pid = 0;
  CpuLimits cpu;                    // OCI linux.resources.cpu (cgroup.h)
  // OCI process.rlimits, umask, capabilities, oomScoreAdj (process_attrs.h). Limits and the OOM
  // score are set on the jail from here, before it runs; the rest in the jail.
  ProcessAttrs process;
  // OCI linux.maskedPaths / readonlyPaths / devices / sysctl (fs_config.h): checked here
  // against the namespaces the sandbox really has, applied by the jail.
  FsConfig fs;
  MemoryExtras memory_extras;       // OCI linux.resources.memory reservation and swap (cgroup.h)
  std::optional<SeccompProfile> seccomp;  // OCI linux.seccomp: a second filter, never instead (config_seccomp.h)
  bool user_notify = true;          // open/stat via seccomp user notification when available (false: ptrace only)
};

Result<RunResult> run_sandbox(const SandboxConfig& config);

}  // namespace edgeward::sandbox
