// One sandbox run: `edgeward sandbox run` in library form. Creates the cgroup, clones the
// workload into new namespaces (jail.h), seizes it with the supervisor before it runs a single
// instruction of the workload, and reports how it ended (run_result.h).
#pragma once

#include <cstdint>
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
  bool user_notify = true;          // open/stat via seccomp user notification when available (false: ptrace only)
};

Result<RunResult> run_sandbox(const SandboxConfig& config);

}  // namespace edgeward::sandbox
