// The idmapped root file system of a sandbox with a host id range (identity.h). The rootfs
// belongs to host root; in a user namespace that maps 0 to an unprivileged host id, its files
// would all be "other" to the workload, and a writable root (OCI root.readonly=false) would not be
// writable at all. So the supervisor, which is root outside, clones the rootfs' mount tree and
// idmaps it with the sandbox's user namespace (mount_setattr MOUNT_ATTR_IDMAP): a file owned by
// host uid k shows as container uid k, and what the workload creates is stored as its container
// ids. The detached tree (idmapped or not) is handed to the jail with the go-ahead byte (SCM_RIGHTS) and moved onto
// the rootfs path there (jail.h).
//
// Needs a file system with idmapped mounts: ext4, xfs, btrfs, tmpfs (Linux >= 6.3) and others;
// not overlayfs itself (containerd's overlay snapshots). There the rootfs is bind-mounted as
// before: readable (the image's files are "other" to the workload), and a writable root is
// writable only where the image's modes let "other" write. Bind mounts (volumes) are never
// idmapped: host ownership of what the host shares is kept.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::sandbox {

struct RootfsTree {
  UniqueFd fd;              // a detached clone of the rootfs' mount tree
  std::string not_idmapped; // empty: idmapped; else why not (the file system cannot be)
};

// A detached clone of the mount tree at `path`, idmapped with the user namespace of `pid` where
// the file system allows it, a plain clone where not.
Result<RootfsTree> rootfs_tree(const std::string& path, pid_t pid);

// The go-ahead to the jail over a unix socket: one byte, with `fd` attached when >= 0.
bool send_go(int sock, int fd);
// In the jail: waits for the go-ahead. Returns the attached descriptor, -1 when none came, or
// -2 when the parent gave up (no byte).
int receive_go(int sock);

}  // namespace edgeward::sandbox
