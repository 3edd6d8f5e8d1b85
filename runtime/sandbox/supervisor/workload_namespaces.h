// The notification thread opens files on the workload's behalf, and what some of them show
// depends on the namespaces of whoever opens them, not on the workload's: /proc/sys/net is the
// opener's network namespace, the IPC sysctls and /proc/sys/fs/mqueue its IPC namespace. So the
// thread enters the workload's network, IPC and UTS namespaces (setns, which changes only the
// calling thread) before it drops its privileges, and every descriptor it opens then resolves
// there. Only the namespaces it really entered keep their sysctls readable (Policy's
// namespaced_sysctls): one it could not enter, or one that is the supervisor's own (the host's),
// stays denied.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/unique_fd.h"
#include "runtime/sandbox/sysctl.h"

namespace edgeward::sandbox {

class WorkloadNamespaces {
 public:
  // Opens /proc/<pid>/ns/{net,ipc,uts}; one that cannot be opened is not entered.
  static WorkloadNamespaces of(pid_t pid);

  // On the calling thread: enters each namespace that differs from the thread's own. Returns
  // which were entered.
  SysctlNamespaces enter() const;

 private:
  UniqueFd net_, ipc_, uts_;
};

// `granted` (namespaced sysctl subtrees) without those of namespaces not in `entered`.
std::vector<std::string> keep_entered(const std::vector<std::string>& granted, const SysctlNamespaces& entered);

}  // namespace edgeward::sandbox
