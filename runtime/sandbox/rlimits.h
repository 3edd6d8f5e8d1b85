// Resource limits of the sandbox's processes (setrlimit resources): the sandbox's own defaults,
// a container's OCI process.rlimits, and the fallbacks used when there is no cgroup to limit
// memory or tasks. Applied with prlimit(2) by the sandbox's parent to the jail before it runs a
// line of its set-up (so a hard limit above the caller's own can be given by a root monitor),
// inherited by the init and the workload.
//
// plan_rlimits combines them:
//   defaults   RLIMIT_CORE 0 and RLIMIT_NOFILE 1024 unless the config gives them;
//   config     every process.rlimits entry as given (runc's semantics: it replaces the default);
//   fallbacks  RLIMIT_AS (no memory cgroup) and RLIMIT_NPROC (no pids cgroup): where the config
//              also gives that resource, the tighter of the two wins, soft and hard separately.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace edgeward::sandbox {

struct Rlimit {
  int resource = 0;       // RLIMIT_*
  uint64_t soft = 0, hard = 0;  // RLIM_INFINITY (2^64-1): unlimited
  bool operator==(const Rlimit&) const = default;
};

struct RlimitName {
  std::string_view name;
  int resource;
};

inline constexpr RlimitName kRlimitNames[] = {
    {"RLIMIT_AS", RLIMIT_AS},         {"RLIMIT_CORE", RLIMIT_CORE},       {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},     {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE}, {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},   {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

inline std::optional<int> rlimit_resource(std::string_view name) {
  for (const auto& r : kRlimitNames) {
    if (r.name == name) return r.resource;
  }
  return std::nullopt;
}

inline std::string_view rlimit_name(int resource) {
  for (const auto& r : kRlimitNames) {
    if (r.resource == resource) return r.name;
  }
  return "RLIMIT_?";
}

// `as` / `nproc`: the fallback limits (0: none).
std::vector<Rlimit> plan_rlimits(const std::vector<Rlimit>& config, uint64_t as, uint64_t nproc);

// prlimit(pid, ...) for each. Errors name the resource and the values.
edgeward::Status apply_rlimits(pid_t pid, const std::vector<Rlimit>& limits);

}  // namespace edgeward::sandbox
