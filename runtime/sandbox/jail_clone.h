// Cloning the jail (jail.h) with the sandbox's new namespaces (`flags`: CLONE_NEW*, and
// CLONE_PARENT for a jail that must be the caller's parent's child) inside the joined ones
// (namespaces.h). The calling thread enters the joined network, IPC, UTS, cgroup and pid
// namespaces around the clone and comes back; with a joined pid namespace it first has that
// namespace's /proc made (joined_proc.h: `proc`, whose descriptor the jail inherits as
// spec.proc_fd). A joined user namespace cannot be left again, and a thread cannot enter a mount
// namespace, so for either a helper forked for it enters the joined namespaces, the mount one
// next (joined_mount.h), the user one last (joined_user.h), and clones the jail as the caller's
// parent's child (CLONE_PARENT): the jail's new namespaces are then owned by the joined user
// namespace, or the jail is in the joined mount namespace, and it is still the caller's child
// (or its parent's, as asked).
#pragma once

#include <sys/types.h>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/sandbox/jail.h"
#include "runtime/sandbox/namespaces.h"

namespace edgeward::sandbox {

// The jail's pid (as the caller sees it); never returns in the jail. Errors name the step.
Result<pid_t> clone_jail(int flags, NamespaceJoin& join, JailSpec& spec, UniqueFd& proc);

}  // namespace edgeward::sandbox
