// The container's file system, built from a JailSpec (jail.h): the rootfs mount (the idmapped
// tree from the supervisor, idmap_mount.h, or a bind of the rootfs), the sandbox's /tmp, /dev and
// /proc with the config's mounts in their order (mounts.h), /dev's default set (devices.h),
// pivot_root into it, the hostname, then the config's sysctls, read-only and masked paths.
//
// Two callers run the same steps: the jail itself, root of its own user and mount namespaces
// (the usual case), and, when the container joins an existing mount namespace owned by the
// host's user namespace, a builder process of the supervisor's that is host root in that
// namespace (joined_mount.h; spec.joined_mnt). The builder has host privileges over the joined
// namespace, so every mount target and every directory these steps create is resolved beneath
// the rootfs without following a symlink (make_mount_point, open_in_rootfs): a hostile image
// (`dev -> /etc`) or config destination cannot send a mount outside the rootfs.
//
// Failures are written to spec.error_fd as text and the process exits 127.
#pragma once

#include <string>
#include <vector>

#include "runtime/sandbox/jail.h"

namespace edgeward::sandbox {

[[noreturn]] void setup_fail(const JailSpec& s, const std::string& what, int err);
void setup_must(const JailSpec& s, bool ok, const std::string& what);

// Opens the rootfs (spec.rootfs_dir) and every bind source (`opened`: their /proc/self/fd paths,
// "" for other mounts) with O_PATH while the caller may still reach them: the ids the build
// then runs with (container root's) may not traverse the host's directories.
void open_sources(JailSpec& s, std::vector<std::string>& opened);

// Everything from the rootfs mount to the masked paths, in the caller's mount namespace; ends with
// the caller's root and working directory the container's root. `tree`: the rootfs' mount tree
// (idmap_mount.h), moved onto spec.rootfs_dir; -1: a plain bind of the rootfs path.
void build_root(JailSpec& s, int tree, const std::vector<std::string>& opened);

}  // namespace edgeward::sandbox
