// Processes the core tracks without being their parent: liveness checked by pid + start time
// (against pid reuse), and the detached spawn of the monitor.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::runtime {

struct ProcInfo {
  char state = '?';             // R, S, D, Z, T, ...
  pid_t ppid = 0;
  uint64_t start_time = 0;      // clock ticks after boot (field 22)
};

// /proc/PID/stat, or nullopt when there is no such process.
std::optional<ProcInfo> proc_info(pid_t pid);

// The first child of `pid` (/proc/PID/task/PID/children), or 0.
pid_t first_child(pid_t pid);

// Waits (at most `limit`) until the first child of the sandbox's init `init` has executed the
// workload's program: its /proc/PID/exe is no longer the init's own (both are this binary until
// the workload's execve). Returns at once when the init or its child is gone. False on timeout.
bool wait_for_workload_exec(pid_t init, std::chrono::milliseconds limit);

// True when `pid` runs and is the process that started at `start_time` (not a zombie).
bool process_alive(pid_t pid, uint64_t start_time);

struct SpawnedMonitor {
  pid_t pid = 0;
  uint64_t start_time = 0;
};

// Runs `/proc/self/exe argv...` detached: double fork (the caller never becomes its parent), a new
// session, `keep_fds` dup'ed to 3, 4, ... (everything else above 2 closed), stdio as given
// (fds 0-2 of the caller unless stdio_fd >= 0, which then becomes 0, 1 and 2; with
// null_stdin fd 0 is /dev/null). Returns the grandchild's pid.
constexpr size_t kMaxKeptFds = 8;
Result<SpawnedMonitor> spawn_detached(const std::vector<std::string>& argv, const std::vector<int>& keep_fds,
                                      int stdio_fd, bool null_stdin);

}  // namespace edgeward::runtime
