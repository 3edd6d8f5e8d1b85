// The container's own mounts (OCI config "mounts": volumes, secrets, /etc/resolv.conf,
// /dev/shm, ...), applied by the jail inside the rootfs in their order before pivot_root, the
// sandbox's own /dev and /proc taking the place of the config's (jail.h). Types: bind (options bind / rbind), tmpfs, sysfs, devpts, mqueue; proc and the
// /dev tmpfs are the sandbox's own and the config's are left out (ours are the same or stricter:
// /dev is read-only and holds runc's default set, devices.h). cgroup and cgroup2
// mounts (containerd's /sys/fs/cgroup) are left out: the sandbox's policy denies /sys anyway.
//
// Options: ro/rw, nosuid/suid, nodev/dev, noexec/exec, the atime ones, bind/rbind, the
// propagation ones ([r]private, [r]shared, [r]slave, [r]unbindable: set on the new mount once
// made; the sandbox's mount namespace is private to it, so they only matter between its own
// mounts) and tmpcopyup (tmpfs only: the image's files under it are copied in, copy_up.h).
// Anything else with or
// without "=" (mode=, size=, newinstance, ptmxmode=, gid=) is file-system data. Every mount but
// devpts is nodev, whatever its options say: a bind of the host's /dev brings no usable device.
//
// In a user namespace some mounts are refused by the kernel when the namespace they belong to is
// not the sandbox's own: sysfs of a joined or host network namespace becomes a read-only rbind
// of the host's /sys, mqueue of a joined IPC namespace is left out (the directory stays empty).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::sandbox {

struct MountSpec {
  std::string destination;  // absolute, inside the rootfs; no ".." component
  std::string type;         // "bind", "tmpfs", "sysfs", "devpts", "mqueue", "proc"
  std::string source;       // bind: a host path
  std::vector<std::string> options;
};

struct MountPlan {
  unsigned long flags = 0;  // MS_* from the options (MS_BIND, MS_REC, MS_RDONLY, ...)
  std::string data;         // file-system data, comma-separated
  unsigned long propagation = 0;  // MS_PRIVATE / MS_SHARED / MS_SLAVE / MS_UNBINDABLE (| MS_REC); 0: none
  bool copy_up = false;     // tmpcopyup
};

// Checks one mount and turns its options into flags and data. Errors name the destination.
Result<MountPlan> plan_mount(const MountSpec& m);
// Whether the sandbox applies it (false for the config's /proc and /dev, which are its own, and
// for cgroup file systems).
bool sandbox_applies(const MountSpec& m);
// The config's /dev tmpfs and its /proc, which the sandbox's own replace at their place.
bool is_own_dev(const MountSpec& m);
bool is_own_proc(const MountSpec& m);
// Whether the workload may write below its destination (not read-only; not proc or sysfs).
bool mount_writable(const MountSpec& m);

// In the jail, before pivot_root: mounts `m` at rootfs + destination, creating the destination
// (a directory, or an empty file for a bind of a file) when missing. A symlink on the way is
// refused. Returns an empty string, or what failed (errno set).
std::string apply_mount(const std::string& rootfs, const MountSpec& m, const MountPlan& plan);

// mkdir -p of `path` (absolute, inside rootfs) without following symlinks; the last component
// is created as a directory, or an empty file when `file`. Returns false with errno set.
bool make_mount_point(const std::string& rootfs, const std::string& path, bool file);

// An O_PATH descriptor of `path` (absolute, inside rootfs) resolved beneath rootfs without
// following any symlink (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS); invalid with errno set
// (ENOENT: missing, ELOOP: a symlink on the way). Mounting on "/proc/self/fd/N" of it then
// mounts on exactly what was checked.
UniqueFd open_in_rootfs(const std::string& rootfs, const std::string& path);
std::string fd_path(const UniqueFd& fd);  // "/proc/self/fd/N"

// Flags a bind mount at `path` inherits from its source and that a user namespace may not clear
// (nosuid, nodev, noexec, atime ones): to be kept on every remount.
unsigned long locked_flags(const std::string& path);
// MS_RDONLY when the mount at `path` is read-only (locked too when inherited by a user namespace).
unsigned long source_readonly(const std::string& path);

}  // namespace edgeward::sandbox
