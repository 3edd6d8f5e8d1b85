// OCI lifecycle hooks (runtime-spec config.md, "POSIX-platform Hooks") as a container carries
// them: plain data, filled by the config parser (runtime/oci/hooks_parser.h), stored in
// spec.json and run by hooks.h. Who runs which list, where and when: docs/oci.md, "Hooks".
#pragma once

#include <string>
#include <vector>

namespace edgeward::runtime {

// Seconds a hook without `timeout` may run (runc waits forever; a create must end).
constexpr int kDefaultHookTimeout = 60;
constexpr int kMaxHookTimeout = 3600;

struct Hook {
  std::string path;                 // absolute, on the host
  std::vector<std::string> args;    // argv as execv takes it (empty: {path})
  std::vector<std::string> env;     // the whole environment ("K=V"), nothing inherited
  int timeout = kDefaultHookTimeout;  // seconds, 1 .. kMaxHookTimeout
};

struct Hooks {
  std::vector<Hook> prestart;          // deprecated: run as createRuntime hooks, before them
  std::vector<Hook> create_runtime;
  std::vector<Hook> create_container;
  std::vector<Hook> start_container;   // path and program inside the container (container_exec.cpp)
  std::vector<Hook> poststart;
  std::vector<Hook> poststop;
  bool empty() const {
    return prestart.empty() && create_runtime.empty() && create_container.empty() && start_container.empty() &&
           poststart.empty() && poststop.empty();
  }
};

}  // namespace edgeward::runtime
