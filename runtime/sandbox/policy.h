// Sandbox policy: the data that says what a workload may do. Paths readable / writable /
// executable (longest matching rule wins, a deny rule always wins but for the namespaced sysctls
// below), network allowed or not, and
// one action per syscall. Every rule carries the reason it exists. Parsed from XML by
// policy_parser.h; the built-in default profile is default_policy.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgeward::sandbox {

enum class Access { kDeny, kRead, kWrite, kExec };
enum class Action { kAllow, kTrace, kDeny, kKill };

struct PathRule {
  std::string pattern;  // absolute; may hold fnmatch wildcards; matches itself and everything below
  Access access = Access::kDeny;
  std::string reason;
};

struct SyscallRule {
  std::string name;          // libseccomp name, e.g. "openat"
  Action action = Action::kKill;
  int errno_value = 0;       // for kDeny
  std::string reason;
};

struct Policy {
  std::string name;
  bool network = false;
  std::string network_reason;
  std::vector<PathRule> paths;
  std::vector<SyscallRule> syscalls;
  // Set by the sandbox, never by a policy file: subtrees of /proc/sys whose values belong to the
  // sandbox's own namespaces (sysctl.h, namespaced_sysctl_paths), readable although a rule denies
  // "/proc/sys" itself, where another rule grants reading (the default's "/"). Only reading:
  // they are never writable, and any other deny rule that matches (e.g. "/proc") still wins.
  std::vector<std::string> namespaced_sysctls;

  // The syscall rule for `name`, if the policy has one (unknown calls are killed).
  const SyscallRule* syscall(std::string_view name) const;

  // What the policy grants on a canonical absolute path (no symlinks, no "." or "..").
  Access access(std::string_view canonical_path) const;
  bool may_read(std::string_view p) const;
  bool may_write(std::string_view p) const;
  bool may_exec(std::string_view p) const;
};

std::string_view access_name(Access a);
std::string_view action_name(Action a);

// Applies `overlay` on top of `base`: its syscall rules replace base rules of the same name, its
// path rules are added, its network setting wins. Used for policies that say extends="default".
Policy merge_policies(Policy base, const Policy& overlay);

}  // namespace edgeward::sandbox
