// Memory and pids limits for one sandbox through cgroups: cgroup v2 when a cgroup2 mount
// offers the memory and pids controllers, else the cgroup v1 memory and pids hierarchies, else
// nothing (the caller then says so and falls back to rlimits). The group is removed on
// destruction (its parents, made for a given path, stay: they are the caller's, e.g. a pod's).
// With v1, the cpu and cpuacct hierarchies get the group too (no limit: accounting, which
// containerd reads for ContainerStats).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::sandbox {

// Where the hierarchies are mounted (empty: not mounted).
struct CgroupMounts {
  std::string v2;                   // a cgroup2 mount point
  std::string v1_memory, v1_pids;   // v1 hierarchies with these controllers
  std::vector<std::string> v1_accounting;  // v1 hierarchies with cpu or cpuacct
  std::string v1_cpuset;            // the v1 cpuset hierarchy (OCI cpu.cpus / cpu.mems)
};

// A cgroup path edgeward accepts: empty, or "/"-separated names without "." or "..".
bool valid_cgroup_path(const std::string& path);

// Moves `pid` into the groups `like` is in, in the hierarchies edgeward uses (v2; v1 memory,
// pids, cpu, cpuacct): a process entered into a running sandbox (exec) is limited and counted
// with it. Errors name the group that refused; the accounting ones are best effort.
Status join_groups_of(pid_t pid, pid_t like);

// CPU share and bandwidth (OCI linux.resources.cpu; 0: not given).
struct CpuLimits {
  uint64_t shares = 0;   // relative weight, v1 cpu.shares (v2: cpu.weight, converted)
  int64_t quota = 0;     // microseconds per period (> 0)
  uint64_t period = 0;   // microseconds (default 100000 when a quota is given)
  std::string cpus, mems;  // cpuset lists ("0-3,6"); empty: not given (set_cpuset)
};

// Memory reservation and swap (OCI linux.resources.memory; 0: not given).
struct MemoryExtras {
  uint64_t reservation = 0;  // v1 memory.soft_limit_in_bytes, v2 memory.low
  int64_t swap = 0;          // memory + swap in bytes (>= the limit), -1: unlimited; 0: no swap
};

class Cgroup {
 public:
  // Creates edgeward-sandbox-<pid> groups (or `path` below each hierarchy's root, e.g. an OCI
  // linux.cgroupsPath "/pod-1/ctr-2"; valid_cgroup_path()) with the limits (0 = no limit).
  // Never fails: when no hierarchy is usable, mode() is "none" and why_none() explains what was
  // tried.
  static Cgroup create(uint64_t memory_bytes, uint64_t pids, const std::string& path = "");
  // The same in the given hierarchies only (v2 first, then v1): lets tests pick one.
  static Cgroup create_in(const CgroupMounts& mounts, uint64_t memory_bytes, uint64_t pids, const std::string& path = "");
  // The machine's hierarchies, from /proc/self/mounts.
  static CgroupMounts find_mounts();

  Cgroup(Cgroup&& o) noexcept;
  Cgroup& operator=(Cgroup&&) = delete;
  Cgroup(const Cgroup&) = delete;
  ~Cgroup();

  std::string_view mode() const { return mode_; }  // "v2", "v1" or "none"
  const std::string& why_none() const { return why_none_; }
  bool limits_memory() const { return !memory_dir_.empty(); }
  bool limits_pids() const { return !pids_dir_.empty(); }

  Status add(pid_t pid) const;
  // Applies CPU limits to the group (v2 cpu.weight / cpu.max, else the v1 cpu hierarchy). Errors
  // name the file that refused; without a cpu controller nothing is applied.
  Status set_cpu(const CpuLimits& cpu) const;
  // Pins the group to cpu.cpus / cpu.mems: v2 cpuset.cpus / .mems (the controller enabled down
  // the path), else a group in the v1 cpuset hierarchy (new parents get their parent's sets, as
  // the kernel needs before a task may join). Error when no cpuset controller exists.
  Status set_cpuset(const CpuLimits& cpu);
  // Applies the reservation and swap to the memory group (`limit`: its memory limit). Nothing
  // when there is no memory group (rlimits then stand in for the limit only).
  Status set_memory_extras(const MemoryExtras& m, uint64_t limit) const;
  // Peak memory use in bytes (0 when unknown).
  uint64_t peak_memory() const;
  // Whether the memory limit was hit (an OOM kill happened in the group).
  bool oom_killed() const;

 private:
  Cgroup() = default;
  std::string mode_ = "none";
  std::string why_none_;
  std::string memory_dir_;
  std::string pids_dir_;
  std::vector<std::string> accounting_dirs_;
  std::string cpuset_dir_;           // v1 only (v2: the memory/pids group)
  CgroupMounts mounts_;
  std::string leaf_;                 // the group's path below each hierarchy's root
  std::vector<std::string> created_;
};

}  // namespace edgeward::sandbox
