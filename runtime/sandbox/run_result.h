// What a sandbox run reports: how the workload ended, what it used, what was refused.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace edgeward::sandbox {

struct Denial {
  pid_t pid = 0;          // host task id
  std::string syscall;    // libseccomp name
  std::string detail;     // the path or flag that was refused
  std::string outcome;    // an errno name ("EACCES") or "killed"
};

constexpr size_t kMaxDenialsKept = 1000;

struct RunResult {
  bool exited = false;     // exit() vs killed by a signal
  int exit_code = 0;
  int signal = 0;
  rusage usage{};          // of the workload's process tree
  double wall_seconds = 0;
  uint64_t traced_calls = 0;      // calls the supervisor inspected (ptrace stops + notifications)
  uint64_t notified_calls = 0;    // of those, answered through seccomp user notification
  bool user_notify = false;       // the notification path was in use
  std::vector<Denial> denials;   // the first kMaxDenialsKept
  uint64_t denials_total = 0;
  std::string cgroup_mode;       // "v2", "v1", "none"
  std::string cgroup_note;       // why "none"
  uint64_t peak_memory = 0;
  bool oom_killed = false;

  // The conventional shell exit status: the code, or 128 + signal.
  int shell_status() const { return exited ? exit_code : 128 + signal; }
};

}  // namespace edgeward::sandbox
