// Joining an existing user namespace (OCI linux.namespaces user entry with a path), only when that
// is safe: the namespace's ids must all be unprivileged host ids. One whose uid_map or gid_map maps
// any id to host id 0 (host root: the host's own user namespace `0 0 4294967295` among them) is
// refused, and so is one without 0 mapped (the jail builds the container's file system as root
// of its user namespace). The maps are read, as host ids, from /proc/<helper>/uid_map of a helper
// forked into the namespace (the path may be any namespace file, not only a process's).
//
// The sandbox then makes its other namespaces owned by that user namespace instead of one of its
// own (sandbox.cpp: a helper that entered it clones the jail), and the mapping is the namespace's:
// process.user's ids must be mapped in it.
#pragma once

#include <string>

#include "common/result.h"
#include "runtime/sandbox/identity.h"

namespace edgeward::sandbox {

// The id maps of the user namespace behind `fd` (opened from `path`, named in errors), or why it
// may not be joined ("linux.namespaces: the user namespace /proc/1/ns/user may not be joined: its
// uid_map maps 0..4294967294 to host ids 0..4294967294, which hold host root (0) ...").
Result<IdMaps> joinable_user_namespace(int fd, const std::string& path);

}  // namespace edgeward::sandbox
