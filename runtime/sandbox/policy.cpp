#include "runtime/sandbox/policy.h"

#include <fnmatch.h>

namespace edgeward::sandbox {
namespace {

bool is_under(const std::string& dir, std::string_view path) {
  return path.size() >= dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         (path.size() == dir.size() || path[dir.size()] == '/');
}

// A rule matches the path itself and everything below it ("/tmp" matches "/tmp/a/b").
// Patterns without wildcards (nearly all) are a plain prefix test on whole components.
bool rule_matches(const std::string& pattern, std::string_view path) {
  if (pattern == "/") return true;
  if (pattern.find_first_of("*?[") == std::string::npos) return is_under(pattern, path);
  const std::string p(path);
  if (fnmatch(pattern.c_str(), p.c_str(), FNM_PATHNAME) == 0) return true;
  // Below: the pattern must match a leading run of whole components.
  for (size_t slash = p.find('/', 1); slash != std::string::npos; slash = p.find('/', slash + 1)) {
    if (fnmatch(pattern.c_str(), p.substr(0, slash).c_str(), FNM_PATHNAME) == 0) return true;
  }
  return false;
}

constexpr std::string_view kProcSys = "/proc/sys";

}  // namespace

const SyscallRule* Policy::syscall(std::string_view n) const {
  for (const auto& r : syscalls) {
    if (r.name == n) return &r;
  }
  return nullptr;
}

Access Policy::access(std::string_view path) const {
  bool sysctl = false;  // a value of the sandbox's own namespaces: the "/proc/sys" denial gives way
  for (const auto& s : namespaced_sysctls) sysctl = sysctl || (is_under(s, path) && is_under(std::string(kProcSys), path));
  const PathRule* best = nullptr;
  for (const auto& r : paths) {
    if (!rule_matches(r.pattern, path)) continue;
    if (r.access == Access::kDeny) {
      if (sysctl && r.pattern == kProcSys) continue;
      return Access::kDeny;
    }
    if (!best || r.pattern.size() > best->pattern.size()) best = &r;
  }
  if (!best) return Access::kDeny;
  return sysctl ? Access::kRead : best->access;  // read at most: never written through the policy
}

bool Policy::may_read(std::string_view p) const { return access(p) != Access::kDeny; }
bool Policy::may_write(std::string_view p) const { return access(p) == Access::kWrite; }
bool Policy::may_exec(std::string_view p) const { return access(p) == Access::kExec; }

std::string_view access_name(Access a) {
  switch (a) {
    case Access::kDeny: return "deny";
    case Access::kRead: return "read";
    case Access::kWrite: return "write";
    case Access::kExec: return "exec";
  }
  return "?";
}

std::string_view action_name(Action a) {
  switch (a) {
    case Action::kAllow: return "allow";
    case Action::kTrace: return "trace";
    case Action::kDeny: return "deny";
    case Action::kKill: return "kill";
  }
  return "?";
}

Policy merge_policies(Policy base, const Policy& overlay) {
  base.name = overlay.name;
  base.network = overlay.network;
  base.network_reason = overlay.network_reason;
  for (const auto& p : overlay.paths) base.paths.push_back(p);
  for (const auto& s : overlay.syscalls) {
    bool replaced = false;
    for (auto& b : base.syscalls) {
      if (b.name == s.name) {
        b = s;
        replaced = true;
      }
    }
    if (!replaced) base.syscalls.push_back(s);
  }
  return base;
}

}  // namespace edgeward::sandbox
