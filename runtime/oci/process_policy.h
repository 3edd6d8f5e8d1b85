// Policy: what edgeward makes of an OCI process's rlimits, umask, noNewPrivileges, capabilities
// and oomScoreAdj (process_fields.h), for the sandbox (sandbox/process_attrs.h):
//   rlimits          applied as given (sandbox/rlimits.h: over its defaults; where it has no
//                    cgroup for memory or tasks, the tighter of its RLIMIT_AS / RLIMIT_NPROC wins);
//   umask            as given;
//   noNewPrivileges  as given, absent = false as runc (the workload then loads its seccomp
//                    filters with CAP_SYS_ADMIN of its user namespace, lost at its execve);
//   capabilities     the five sets, from Docker's default set only; any other capability is
//                    refused naming it, its JSON path and why (sandbox/capabilities.h), as are
//                    an effective capability not permitted, an inheritable one outside the
//                    bounding set and an ambient one not both permitted and inheritable;
//   oomScoreAdj      as given.
// consoleSize is the terminal's (console.h).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/oci/process_fields.h"
#include "runtime/sandbox/process_attrs.h"

namespace edgeward::oci {

Result<sandbox::ProcessAttrs> process_attrs(const ProcessFields& f);

// What is accepted but not given as asked: one line each, for stderr and the --log file.
std::vector<std::string> process_warnings(const ProcessFields& f);

// A hard limit above edgeward's own cannot be set without CAP_SYS_RESOURCE, which root inside a
// container often lacks (podman asks RLIMIT_NOFILE 1048576 whatever the host allows): such a
// limit is lowered to edgeward's own hard limit (the soft one with it), with a warning each,
// as runc would otherwise fail every such container. With the capability nothing changes (a
// limit the kernel refuses, e.g. RLIMIT_NOFILE above fs.nr_open, then fails create).
std::vector<std::string> fit_rlimits_to_caller(sandbox::ProcessAttrs& p);
// The same with the caller's capability and hard limits given (tests).
std::vector<std::string> fit_rlimits(sandbox::ProcessAttrs& p, bool can_raise, uint64_t (*own_hard)(int resource));

}  // namespace edgeward::oci
