// What an OCI process asks of its own process beyond args/env/cwd/user: resource limits, umask,
// capabilities and OOM score (process.rlimits, process.user.umask, process.capabilities,
// process.oomScoreAdj). Carried from the bundle to the sandbox (SandboxConfig::process) and
// applied inside its confinement: the seccomp filter, supervisor and policy still apply.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "runtime/sandbox/capabilities.h"
#include "runtime/sandbox/rlimits.h"

namespace edgeward::sandbox {

struct ProcessAttrs {
  std::vector<Rlimit> rlimits;          // over the sandbox's defaults (rlimits.h, plan_rlimits)
  std::optional<uint32_t> umask;        // absent: inherited
  CapSets capabilities;                 // all empty: none (capabilities.h)
  std::optional<int> oom_score_adj;     // -1000 .. 1000; absent: inherited
  // process.noNewPrivileges. false (OCI's default, as runc): the workload loads its seccomp
  // filters while it still holds CAP_SYS_ADMIN in its own user namespace (the kernel's
  // alternative to no_new_privs), which its execve then drops: the capability is never in its
  // bounding, inheritable or ambient set (jail.cpp). The sandbox's init always sets it.
  bool no_new_privs = true;
  bool operator==(const ProcessAttrs&) const = default;
};

// From the sandbox's parent, before the jail runs: writes /proc/PID/oom_score_adj (inherited
// by the init and the workload). Errors say what was refused.
edgeward::Status apply_oom_score_adj(pid_t pid, const ProcessAttrs& p);

}  // namespace edgeward::sandbox
