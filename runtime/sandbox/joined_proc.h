// The /proc of a sandbox that joins an existing pid namespace (namespaces.h). A proc instance
// shows the pid namespace of the process that makes it, and making one needs CAP_SYS_ADMIN in
// the user namespace that owns that pid namespace: the jail, root of a user namespace of its own,
// has it for a pid namespace it made, never for one it joins (the host's, or another sandbox's).
// So the supervisor, host root, forks a helper into the joined pid namespace (the calling thread
// has entered it: NamespaceJoin::enter), which makes the instance with fsopen/fsconfig/fsmount,
// mounted nowhere, nosuid, nodev and noexec as the sandbox's own /proc, and hands its mount
// descriptor back (SCM_RIGHTS). The jail moves it to the container's /proc (jail.h, proc_fd);
// the policy's /proc rules apply to it as to any other. Linux 5.2 (the new mount API).
#pragma once

#include "common/result.h"
#include "common/unique_fd.h"

namespace edgeward::sandbox {

// With the calling thread's children going to the joined pid namespace: that namespace's proc,
// detached. Errors say which step failed ("linux.namespaces: cannot make a /proc for the joined
// pid namespace (fsopen proc): Operation not permitted").
Result<UniqueFd> proc_of_joined_pid_namespace();

}  // namespace edgeward::sandbox
