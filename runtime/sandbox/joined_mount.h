// Joining an existing mount namespace (OCI linux.namespaces mount entry with a path, e.g. one
// made by `unshare --mount` as host root: the validation suite's linux_ns_path). Such a
// namespace belongs to the host's user namespace; the jail, root of a user namespace of its own,
// can neither enter nor change it. So, as under runc, the container's root is built there by
// host root:
//   1. a helper of the supervisor's enters it (with the other joined namespaces) and clones the
//      jail without a mount namespace of its own (jail_clone.h): the jail is in it;
//   2. once the jail's id maps are written and its idmapped rootfs tree is made (idmap_mount.h),
//      a builder forked by the supervisor enters the jail's network, IPC, UTS and pid namespaces
//      (forking once more to be in the pid one, so its proc, mqueue and sysfs mounts belong to the
//      container's namespaces) and the joined mount namespace, opens the rootfs and the bind
//      sources there, takes container root's host ids for the files it creates (setfsuid /
//      setfsgid, no supplementary groups: what it makes is container root's, as when the jail
//      builds, and it cannot reach the host's files beyond what those ids may), and runs the
//      jail's own steps (jail_fs.h): "/" of the namespace made a slave (as runc does; never
//      private: it is someone else's), the rootfs tree mounted over root.path and cut off from
//      any peer group, the sandbox's and the config's mounts, /dev, pivot_root, hostname,
//      sysctls, read-only and masked paths. Every mount target is resolved beneath the rootfs
//      without following a symlink, so a hostile image or config cannot mount outside it;
//   3. it hands its new root back, and the jail, given it with the go-ahead, enters it and goes on
//      as usual (privileges dropped, seccomp, supervisor, policy, id mapping: never host root).
//
// What that means, as under runc: root.path and the bind sources are resolved in the joined
// namespace (the rootfs' content is the runtime's root.path, mounted over the same path there,
// which must exist); pivot_root moves the root of every process of the namespace whose root was
// its root (the one that made it too) into the container's root and detaches the old one; the
// container's mounts are the namespace's and go away with its last process, not at `delete`.
// Refused: the host's initial mount namespace (that of /proc/1, or of kthreadd, /proc/2, when
// edgeward runs in the initial pid namespace) and edgeward's own (pivot_root
// there would change the root of the host's processes), one owned by another user namespace
// (another container's), and one joined together with a user namespace (namespaces.h).
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/sandbox/jail.h"

namespace edgeward::sandbox {

// Whether the mount namespace behind `fd` (opened from `path`, named in errors) may be joined;
// the error says why not ("linux.namespaces: the mount namespace /proc/1/ns/mnt may not be
// joined: it is the host's initial mount namespace ...").
edgeward::Status joinable_mount_namespace(int fd, const std::string& path);

// Step 2 above for the jail `jail` (its namespaces read from /proc/<jail>/ns), built from `spec`
// with the rootfs tree `tree`: the container's root (O_PATH), or what failed.
Result<UniqueFd> build_in_mount_namespace(pid_t jail, const JailSpec& spec, int tree);

}  // namespace edgeward::sandbox
