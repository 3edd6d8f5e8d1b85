// A running container's cgroups, found from its first process (/proc/PID/cgroup against the
// machine's cgroup mounts), and what the runc-style subcommands do with them: list the processes
// (`ps`), freeze and thaw them (`pause` / `resume`), read usage (`events --stats`) and rewrite
// limits (`update`). cgroup v1 (the sandbox's memory, pids, cpu and cpuacct groups; a freezer
// group made beside them on the first pause) or v2 (one group, cgroup.freeze).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::runtime {

// runc's stats (libcontainer types.Stats): what `events` prints.
struct CgroupStats {
  uint64_t cpu_total_ns = 0, cpu_user_ns = 0, cpu_kernel_ns = 0;
  std::vector<uint64_t> cpu_percpu_ns;
  uint64_t throttled_periods = 0, throttled_time_ns = 0, periods = 0;
  uint64_t memory_usage = 0, memory_max_usage = 0, memory_limit = 0, memory_failcnt = 0;
  uint64_t memory_cache = 0;
  std::vector<std::pair<std::string, uint64_t>> memory_raw;  // memory.stat
  uint64_t pids_current = 0, pids_limit = 0;                 // limit 0: unlimited
};

// `update`'s values (runc update flags / linux.resources JSON); unset ones are left alone.
struct ResourceUpdate {
  std::optional<int64_t> memory_limit;      // bytes; -1: unlimited
  std::optional<uint64_t> cpu_shares;
  std::optional<int64_t> cpu_quota;         // microseconds per period; -1: unlimited
  std::optional<uint64_t> cpu_period;       // microseconds
  std::optional<int64_t> pids_limit;        // -1 or 0: unlimited
};

class ContainerCgroups {
 public:
  // The groups `pid` is in. Errors: no such process, no usable hierarchy.
  static Result<ContainerCgroups> of(pid_t pid);

  bool v2() const { return !v2_dir_.empty(); }
  // v1: the freezer group freeze() makes (empty with v2); its owner removes it once empty.
  std::string freezer_dir() const { return v2() || freezer_root_.empty() ? "" : freezer_root_ + relative_; }
  // Every process in the container's group (the pids controller's, or memory's), sorted.
  Result<std::vector<pid_t>> pids() const;
  // Freezes (true) or thaws the group and waits until the kernel reports it done (v1: the
  // processes are first moved into a freezer group named like the pids group).
  Status freeze(bool frozen) const;
  // Sends `sig` to every process of the group but `except` (0: none): SIGKILL through v2's
  // cgroup.kill where the kernel has it (5.14); otherwise to each pid of cgroup.procs, and again
  // to any that appears meanwhile (forked before it got the signal) until a pass finds no new one
  // (bounded). Kills a container whose init is not its pid namespace's pid 1 (a joined one).
  Status signal_all(int sig, pid_t except = 0) const;
  Result<CgroupStats> stats() const;
  // Rewrites the limits; errors name the file that refused the value.
  Status update(const ResourceUpdate& u) const;

 private:
  ContainerCgroups() = default;
  std::string v2_dir_;                       // v2: the one group
  std::string memory_, pids_, cpu_, cpuacct_;  // v1 groups (empty: not in that hierarchy)
  std::string freezer_root_, relative_;      // v1 freezer mount, the group's path below roots
};

}  // namespace edgeward::runtime
