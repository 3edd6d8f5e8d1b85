// linux.maskedPaths and linux.readonlyPaths, applied as runc applies them, by the jail inside the
// sandbox's own root (after pivot_root and the sysctls, before privileges are dropped):
//   masked:    a file gets /dev/null bound read-only over it, a directory a read-only empty tmpfs;
//   read-only: the path is bound onto itself and remounted MS_RDONLY, keeping the nosuid /
//              nodev / noexec flags already on its mount.
// Missing paths are skipped. Each path is resolved beneath the root without following any
// symlink (mounts.h open_in_rootfs): a symlink on the way is an error, never followed out.
// The sandbox's policy still applies on top (it denies /proc/sys and /sys whatever is mounted).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::sandbox {

constexpr size_t kMaxProtectedPaths = 1024;  // per list
constexpr size_t kMaxPathLength = 4096;

// One path: absolute, without "." or ".." components nor NUL, at most kMaxPathLength bytes.
// `where` starts the error ("linux.devices[0].path: ").
edgeward::Status check_container_path(const std::string& path, const std::string& where);
// Each path absolute, without "." or ".." components nor NUL, at most kMaxPathLength bytes; at
// most kMaxProtectedPaths. `field` names the list in errors ("linux.maskedPaths[2]: ...").
edgeward::Status check_container_paths(const std::vector<std::string>& paths, const std::string& field);

// In the jail: `rootfs` is the sandbox's root ("/" after pivot_root). Return an empty string,
// or what failed (errno set).
std::string mask_paths(const std::string& rootfs, const std::vector<std::string>& paths);
std::string make_paths_readonly(const std::string& rootfs, const std::vector<std::string>& paths);

}  // namespace edgeward::sandbox
