// The sandbox policy of a container: its base profile (the built-in default or the bundle's
// policy file) widened by exactly what the container's own config names, and nothing more:
//   - exec on the program of process.args[0], resolved inside the rootfs as execvp would (the
//     PATH of process.env, else the sandbox's default PATH): that one file, not its directory,
//     so an image that keeps its program outside /bin, /usr/bin, ... (a pause image's /pause)
//     runs, while everything else there still cannot be executed;
//   - write below each writable mount destination (volumes, emptyDirs, /dev/shm);
//   - write below the sandbox's /dev/pts, /dev/shm and /dev/mqueue, and on each linux.devices
//     node (sandbox/devices.h);
//   - write on "/" when root.readonly is false (exec rules stay exec: the image's program
//     directories are not made writable).
// Deny rules of the base (e.g. /proc/*/mem, /sys) keep winning.
#pragma once

#include <string>

#include "common/result.h"
#include "runtime/container/container.h"
#include "runtime/sandbox/policy.h"

namespace edgeward::runtime {

sandbox::Policy container_policy(const WorkloadSpec& w, sandbox::Policy base);

// process.args[0] as the sandbox will find it: its canonical path inside w.rootfs, or "" when
// there is no such executable file there (the jail's exec then fails with the reason).
std::string resolve_program(const WorkloadSpec& w);

}  // namespace edgeward::runtime
