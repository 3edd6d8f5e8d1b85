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
#include "runtime/sandbox/policy.h"
#include "runtime/sandbox/run_result.h"

namespace edgeward::sandbox {

struct SandboxConfig {
  std::string rootfs;               // a directory with /tmp, /dev and /proc in it
  Policy policy;
  uint64_t memory_bytes = 256ull << 20;
  uint64_t pids = 64;
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
  bool user_notify = true;          // open/stat via seccomp user notification when available (false: ptrace only)
};

Result<RunResult> run_sandbox(const SandboxConfig& config);

}  // namespace edgeward::sandbox
