#include "runtime/sandbox/rlimits.h"

#include <algorithm>
#include <string>

#include "common/errno_error.h"

namespace edgeward::sandbox {
namespace {

Rlimit* find(std::vector<Rlimit>& limits, int resource) {
  for (auto& l : limits) {
    if (l.resource == resource) return &l;
  }
  return nullptr;
}

void set(std::vector<Rlimit>& limits, const Rlimit& r) {
  if (Rlimit* l = find(limits, r.resource)) {
    *l = r;
  } else {
    limits.push_back(r);
  }
}

void tighten(std::vector<Rlimit>& limits, int resource, uint64_t value) {
  if (value == 0) return;
  if (Rlimit* l = find(limits, resource)) {
    l->soft = std::min(l->soft, value);
    l->hard = std::min(l->hard, value);
  } else {
    limits.push_back({resource, value, value});
  }
}

std::string show(uint64_t v) { return v == RLIM_INFINITY ? "unlimited" : std::to_string(v); }

}  // namespace

std::vector<Rlimit> plan_rlimits(const std::vector<Rlimit>& config, uint64_t as, uint64_t nproc) {
  std::vector<Rlimit> out = {{RLIMIT_CORE, 0, 0}, {RLIMIT_NOFILE, 1024, 1024}};
  for (const auto& r : config) set(out, r);
  tighten(out, RLIMIT_AS, as);
  tighten(out, RLIMIT_NPROC, nproc);
  return out;
}

edgeward::Status apply_rlimits(pid_t pid, const std::vector<Rlimit>& limits) {
  for (const auto& l : limits) {
    const rlimit value{l.soft, l.hard};
    if (prlimit(pid, static_cast<__rlimit_resource>(l.resource), &value, nullptr) != 0) {
      const int err = errno;
      std::string hint;
      if (err == EPERM) hint = " (a hard limit above edgeward's own needs root; RLIMIT_NOFILE is capped by fs.nr_open)";
      return errno_error("set " + std::string(rlimit_name(l.resource)) + " to soft " + show(l.soft) + ", hard " +
                             show(l.hard) + hint + " (process.rlimits)",
                         err);
    }
  }
  return {};
}

}  // namespace edgeward::sandbox
