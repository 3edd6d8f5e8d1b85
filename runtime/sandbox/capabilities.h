// Linux capabilities a container's process may hold (OCI process.capabilities), held inside the
// sandbox's own user namespace only: they act on what that namespace owns, never on the host's
// objects, and edgeward's seccomp filter, supervisor and policy still apply on top.
//
// The names are runc's ("CAP_CHOWN", ...). Only Docker's and containerd's default set can be
// given (kCapabilities[i].refusal is empty for them); every other known capability is refused
// with the reason, so a config never silently gets less than it asked for.
//
// How the jail applies CapSets (jail.cpp), as runc's result after execve:
//   before the fork: securebits NOROOT + NO_SETUID_FIXUP (unlocked) keep every capability across
//     the switch to process.user; the bounding set is cut to `bounding`, ambient cleared,
//     no_new_privs set (unless process.noNewPrivileges is false: jail.cpp);
//   the init (pid 1): securebits locked as without capabilities, every capability dropped;
//   the workload: securebits locked with NOROOT and NO_SETUID_FIXUP off (the kernel's ordinary
//     rules, as under runc), capset(effective, permitted, inheritable), each ambient raised.
// After execve a root workload has permitted = (bounding | inheritable), & permitted with
// no_new_privs, a non-root one its ambient set (kernel rules).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace edgeward::sandbox {

struct CapSets {
  uint64_t bounding = 0, effective = 0, inheritable = 0, permitted = 0, ambient = 0;  // bit = 1 << cap
  bool any() const { return (bounding | effective | inheritable | permitted | ambient) != 0; }
  bool operator==(const CapSets&) const = default;
};

struct CapabilityInfo {
  std::string_view name;     // "CAP_CHOWN"
  int number;                // CAP_CHOWN = 0, ...
  std::string_view refusal;  // empty: may be given; else why the sandbox refuses it
};

inline constexpr std::string_view kHostWide = "acts on the host or the kernel as a whole, which a container must not";
inline constexpr std::string_view kEscapes = "would let the workload escape or disable the sandbox's confinement";
inline constexpr std::string_view kNotOffered = "not in the set edgeward offers (Docker's default set)";

inline constexpr CapabilityInfo kCapabilities[] = {
    {"CAP_CHOWN", 0, ""},
    {"CAP_DAC_OVERRIDE", 1, ""},
    {"CAP_DAC_READ_SEARCH", 2, kEscapes},  // open_by_handle_at
    {"CAP_FOWNER", 3, ""},
    {"CAP_FSETID", 4, ""},
    {"CAP_KILL", 5, ""},
    {"CAP_SETGID", 6, ""},
    {"CAP_SETUID", 7, ""},
    {"CAP_SETPCAP", 8, ""},
    {"CAP_LINUX_IMMUTABLE", 9, kNotOffered},
    {"CAP_NET_BIND_SERVICE", 10, ""},
    {"CAP_NET_BROADCAST", 11, kNotOffered},
    {"CAP_NET_ADMIN", 12, kHostWide},  // a shared (host) network namespace
    {"CAP_NET_RAW", 13, ""},
    {"CAP_IPC_LOCK", 14, kNotOffered},
    {"CAP_IPC_OWNER", 15, kNotOffered},
    {"CAP_SYS_MODULE", 16, kHostWide},
    {"CAP_SYS_RAWIO", 17, kHostWide},
    {"CAP_SYS_CHROOT", 18, ""},
    {"CAP_SYS_PTRACE", 19, kEscapes},  // the supervisor is the only tracer
    {"CAP_SYS_PACCT", 20, kHostWide},
    {"CAP_SYS_ADMIN", 21, kEscapes},   // mounts, namespaces, seccomp, ...
    {"CAP_SYS_BOOT", 22, kHostWide},
    {"CAP_SYS_NICE", 23, kNotOffered},
    {"CAP_SYS_RESOURCE", 24, kEscapes},  // would lift the sandbox's limits
    {"CAP_SYS_TIME", 25, kHostWide},
    {"CAP_SYS_TTY_CONFIG", 26, kHostWide},
    {"CAP_MKNOD", 27, ""},
    {"CAP_LEASE", 28, kNotOffered},
    {"CAP_AUDIT_WRITE", 29, ""},
    {"CAP_AUDIT_CONTROL", 30, kHostWide},
    {"CAP_SETFCAP", 31, ""},
    {"CAP_MAC_OVERRIDE", 32, kEscapes},
    {"CAP_MAC_ADMIN", 33, kEscapes},
    {"CAP_SYSLOG", 34, kHostWide},
    {"CAP_WAKE_ALARM", 35, kHostWide},
    {"CAP_BLOCK_SUSPEND", 36, kHostWide},
    {"CAP_AUDIT_READ", 37, kHostWide},
    {"CAP_PERFMON", 38, kEscapes},
    {"CAP_BPF", 39, kEscapes},
    {"CAP_CHECKPOINT_RESTORE", 40, kEscapes},
};

inline std::optional<CapabilityInfo> find_capability(std::string_view name) {
  for (const auto& c : kCapabilities) {
    if (c.name == name) return c;
  }
  return std::nullopt;
}

// Jail side (after clone, single-threaded). Each returns false with errno set on failure.
bool limit_bounding_set(uint64_t keep);  // drops every capability not in `keep` from the bounding set
bool drop_all_capabilities();            // bounding, ambient, effective, permitted, inheritable: none
bool set_capabilities(const CapSets& c); // capset(effective, permitted, inheritable), then ambient

}  // namespace edgeward::sandbox
