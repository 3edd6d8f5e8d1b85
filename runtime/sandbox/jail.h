// The child side of a sandbox launch: everything between clone() and execve() of the workload,
// run inside the new user/mount/pid/net/ipc/uts namespaces (or joined ones, namespaces.h). With
// the steps of jail_fs.h (which, in a joined mount namespace, the supervisor's builder runs
// instead: joined_mount.h) it mounts the rootfs (read-only unless asked otherwise) with a
// private tmpfs /tmp when the rootfs has a /tmp, the container's own mounts (mounts.h) in their
// order with /dev and /proc where the config lists its own (their mount points created when missing), then the default /dev set
// (devices.h), pivots into it, writes the config's sysctls and applies its read-only and
// masked paths (sysctl.h, masked_paths.h), becomes the workload's user (identity.h), drops every
// capability (or all but process.capabilities' bounding set, capabilities.h; CAP_SYS_ADMIN stays
// permitted until the workload's filters are loaded when process.noNewPrivileges is false), sets
// no_new_privs (unless process.noNewPrivileges is false), cleans the environment and the descriptor table; then forks the workload, which takes its
// capabilities and umask, loads the seccomp filter and execs, while this process (pid 1) drops
// every capability and re-executes itself as the namespace's init (init.h). Resource limits and
// the OOM score are set on it from outside before it starts (sandbox.cpp, rlimits.h). Failures are
// written to `error_fd` as text and the failing process exits 127.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sandbox/capabilities.h"
#include "runtime/sandbox/devices.h"
#include "runtime/sandbox/filter.h"
#include "runtime/sandbox/fs_config.h"
#include "runtime/sandbox/identity.h"
#include "runtime/sandbox/mounts.h"

namespace edgeward::sandbox {

struct JailSpec {
  std::string rootfs;                 // absolute host path
  std::vector<std::string> argv;      // argv[0] is looked up in PATH inside the rootfs
  std::vector<std::string> env;       // empty: PATH and HOME only
  std::string cwd = "/";
  std::string hostname = "sandbox";
  bool set_hostname = true;           // false: the UTS namespace is joined, its name stays
  bool readonly_root = true;
  Identity identity;
  IdMaps ids;                         // how the user namespace maps them (identity.h)
  std::vector<MountSpec> mounts;      // applied in order; plans[i] is mounts[i]'s
  std::vector<MountPlan> plans;
  // Where the sandbox's own /dev tmpfs and /proc go among them: before mounts[dev_at] and
  // mounts[proc_at] (mounts.size(): after the last), i.e. where the config lists its own, as
  // runc mounts them in config order (0 when the config has none).
  size_t dev_at = 0;
  size_t proc_at = 0;
  bool proc_before_dev = false;       // at the same place: the config lists /proc first
  // /dev's default set (devices.h) and the config's masked / read-only paths, devices and
  // sysctls: the sysctls are written once the root is the sandbox's, then the read-only and
  // masked paths are applied (as runc orders them).
  DevSetup dev;
  FsConfig fs;
  // Enter mode (`exec` into a running sandbox): instead of making namespaces and a file system,
  // join these (descriptor, CLONE_NEW* type; the user namespace last), fork the workload into
  // the sandbox's pid namespace and become its init from outside it (init.h, kEnteredFlag). The
  // workload dies with that init (PR_SET_PDEATHSIG).
  std::vector<std::pair<int, int>> enter;
  int gate_ready_fd = -1;             // SandboxConfig::ExecGate: pause before exec
  int gate_fifo_fd = -1;
  // OCI process.capabilities and process.user.umask (process_attrs.h): the workload's only.
  CapSets capabilities;
  std::optional<uint32_t> umask;
  bool no_new_privs = true;           // process.noNewPrivileges (process_attrs.h)
  bool new_cgroup_ns = false;         // unshare a cgroup namespace once in the sandbox's cgroup
  // A joined pid namespace (namespaces.h): this process is not its pid 1, its init says so
  // (init.h, kJoinedFlag), the workload dies with it (PR_SET_PDEATHSIG), and /proc is `proc_fd`,
  // a detached proc instance of that namespace made by the supervisor (joined_proc.h), moved in
  // where the sandbox's own /proc goes (a user namespace cannot mount one for a pid namespace it
  // does not own).
  bool joined_pid = false;
  int proc_fd = -1;
  // An existing mount namespace joined (namespaces.h): the container's root is built there by the
  // supervisor's builder, host root in it (joined_mount.h), with these same steps (jail_fs.h);
  // the jail, cloned into it, only enters the root it made (handed over with the go-ahead).
  bool joined_mnt = false;
  int sync_fd = -1;                   // unix socket: one byte when the parent is ready, with the
                                      // idmapped rootfs tree attached when there is one (idmap_mount.h)
  int error_fd = -1;                  // write end (close-on-exec)
  int rootfs_dir = -1;                // the jail's own: O_PATH of the rootfs (jail.cpp)
  int init_exe_fd = -1;               // O_PATH of this binary: re-executed as pid 1 (init.h)
  const Filter* filter = nullptr;
  const Filter* fallback_filter = nullptr;  // loaded when `filter` is refused by the kernel
  const Filter* config_filter = nullptr;    // OCI linux.seccomp, loaded before `filter` (config_seccomp.h)
};

// Never returns.
[[noreturn]] void jail_main(const JailSpec& spec);

}  // namespace edgeward::sandbox
