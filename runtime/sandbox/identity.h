// Who the workload runs as (OCI process.user) and how the sandbox's user namespace maps ids.
//
// Two mappings:
//   caller-as-root (the default, and the only one an unprivileged caller can write): one uid and
//     one gid, 0 inside = the caller's ids outside; setgroups denied. The workload is 0:0.
//   identity (IdentityMode::kIdentity; needs root): every id maps to itself, so uid 1000 inside
//     is uid 1000 on the host, as with runc without a user namespace (files a container writes
//     to a host path carry its ids). The workload's uid/gid/additional gids are set in the jail
//     (setgroups + setresgid + setresuid, after securebits lock NOROOT / NO_SETUID_FIXUP and
//     before every capability is dropped), so the sandbox's init and the workload both run as
//     that user with no capability at all.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::sandbox {

enum class IdentityMode { kCallerAsRoot, kIdentity };

struct Identity {
  IdentityMode mode = IdentityMode::kCallerAsRoot;
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> additional_gids;
};

// Checks an identity against the caller: kIdentity needs root; kCallerAsRoot only 0:0 with no
// additional groups. Errors say what to change.
edgeward::Status check_identity(const Identity& id);

// Writes setgroups/uid_map/gid_map of the sandbox's first process `pid`.
edgeward::Status write_id_maps(pid_t pid, const Identity& id);

// The host uid/gid that `id`'s uid/gid are (for ownership of what the workload must open
// before it runs, e.g. the exec FIFO).
uid_t host_uid(const Identity& id);
gid_t host_gid(const Identity& id);

// In the jail, with CAP_SETUID/CAP_SETGID still held: become id.uid/id.gid with
// id.additional_gids. Returns false with errno set on failure.
bool switch_identity(const Identity& id);

}  // namespace edgeward::sandbox
