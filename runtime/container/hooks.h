// Runs OCI lifecycle hooks (hook_spec.h): a host program, as the runtime's user (root for
// containerd and podman), with the container's state JSON on stdin, its own argv and
// environment, the bundle as working directory, stdout and stderr captured (the first KiB goes
// into the error), and a timeout after which its process group is killed. A hook may be run in
// the namespaces of a container's process instead of the runtime's (createContainer).
//
// Trust: a hook is whatever the bundle's author (the OCI caller: containerd, podman, CRI-O and
// the admins who configure their hooks) asks the runtime to run on the host, outside the
// sandbox. edgeward runs it because its caller asked, exactly as runc does; it is not for
// untrusted bundles. The program inside the container never chooses or runs a hook.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "runtime/container/hook_spec.h"

namespace edgeward::runtime {

// The container's state as a hook reads it (runtime-spec state.json).
struct HookState {
  std::string id;
  std::string status;                // creating, created, running or stopped
  pid_t pid = 0;
  std::string bundle;
  std::map<std::string, std::string> annotations;
};
// {"ociVersion","id","status","pid","bundle","annotations"} (spec_json.cpp: JSON lives there).
std::string hook_state_json(const HookState& state);

struct HookPlace {
  std::string cwd;                   // the bundle; empty: the runtime's own
  pid_t namespaces_of = 0;           // > 0: join this process's mount, network, IPC and UTS namespaces
};

// Runs one hook; `what` names it in errors ("hooks.createRuntime[0]"). Errors: the namespaces
// cannot be opened, the program cannot be started (its message), it exited non-zero or by a
// signal, or it ran longer than its timeout (then it and its process group are killed).
edgeward::Status run_hook(const Hook& hook, std::string_view what, std::string_view state, const HookPlace& place);

// The waiting half of run_hook, for a hook process started elsewhere (startContainer hooks,
// entered into the container: start_hooks.cpp): sends `state` through the socket `in` (then
// shuts it down for writing: the hook's EOF), keeps the first KiB read from `out` (may be
// `in`), reaps `pid` (a child of the caller's) and, past `timeout` seconds, kills it and its
// process group. Errors as run_hook's, named `name`.
edgeward::Status await_hook(pid_t pid, int in, int out, std::string_view state, int timeout, const std::string& name);

// Runs `hooks` in order and stops at the first failure (`phase`: "hooks.createRuntime", ...).
edgeward::Status run_hooks(const std::vector<Hook>& hooks, std::string_view phase, std::string_view state,
                           const HookPlace& place);

// Runs every one of `hooks` in order; failures do not stop the others and are returned as
// warnings (poststart and poststop, as the runtime-spec says).
std::vector<std::string> run_hooks_warning(const std::vector<Hook>& hooks, std::string_view phase,
                                           std::string_view state, const HookPlace& place);

}  // namespace edgeward::runtime
