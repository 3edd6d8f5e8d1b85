// linux.sysctl: kernel parameters of the sandbox's own namespaces, written by the jail after its
// namespaces exist and before privileges are dropped. The workload itself may only read those
// of its own namespaces (namespaced_sysctl_paths: the policy denies the rest of /proc/sys and
// every write). Only keys whose namespace belongs to the sandbox are
// accepted, as runc validates them:
//   net.*                                  network namespace made or joined (never the host's)
//   kernel.msgmax/msgmnb/msgmni, kernel.sem, kernel.shmall/shmmax/shmmni, kernel.shm_rmid_forced,
//   fs.mqueue.*                            IPC namespace made by the sandbox
//   kernel.hostname, kernel.domainname     UTS namespace made by the sandbox
// Anything else (kernel.core_pattern, vm.*, ...) would change the host and is refused.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::sandbox {

constexpr size_t kMaxSysctls = 256;
constexpr size_t kMaxSysctlValue = 4096;

// Which namespaces are the sandbox's.
struct SysctlNamespaces {
  bool net = false;  // its own or a joined one (false: the host's network)
  bool ipc = false;  // its own
  bool uts = false;  // its own
};

// Checks every key (charset [A-Za-z0-9_-] components joined by '.', no '/' nor empty
// component) and value (no newline, at most kMaxSysctlValue bytes) and that its namespace is
// the sandbox's. Errors name the key: linux.sysctl["kernel.core_pattern"]: ...
edgeward::Status check_sysctls(const std::map<std::string, std::string>& sysctl, const SysctlNamespaces& ns);

// "/proc/sys/net/ipv4/ip_forward" for "net.ipv4.ip_forward" (a checked key).
std::string sysctl_path(const std::string& key);

// The /proc/sys subtrees that show `ns`'s values: /proc/sys/net with net, the IPC keys and
// /proc/sys/fs/mqueue with ipc, kernel/hostname and kernel/domainname with uts (Policy's
// namespaced_sysctls).
std::vector<std::string> namespaced_sysctl_paths(const SysctlNamespaces& ns);

// Which of `pid`'s network, IPC and UTS namespaces differ from the caller's (the host's, for
// the runtime). An unreadable one counts as not different.
SysctlNamespaces namespaces_apart(pid_t pid);

// In the jail (with /proc the sandbox's): writes each value. Returns an empty string, or what
// failed (errno set).
std::string write_sysctls(const std::map<std::string, std::string>& sysctl);

}  // namespace edgeward::sandbox
