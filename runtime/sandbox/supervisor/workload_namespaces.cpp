#include "runtime/sandbox/supervisor/workload_namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#include <algorithm>

namespace edgeward::sandbox {
namespace {

UniqueFd open_ns(pid_t pid, const char* name) {
  const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
  return UniqueFd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
}

// The thread's own namespace is /proc/thread-self's: setns changes one thread only.
bool enter_one(const UniqueFd& fd, const char* name, int type) {
  if (!fd.valid()) return false;
  struct stat target {}, own {};
  const std::string self = std::string("/proc/thread-self/ns/") + name;
  if (fstat(fd.get(), &target) != 0 || stat(self.c_str(), &own) != 0) return false;
  if (target.st_ino == own.st_ino && target.st_dev == own.st_dev) return false;  // the supervisor's own
  return setns(fd.get(), type) == 0;
}

}  // namespace

WorkloadNamespaces WorkloadNamespaces::of(pid_t pid) {
  WorkloadNamespaces ns;
  ns.net_ = open_ns(pid, "net");
  ns.ipc_ = open_ns(pid, "ipc");
  ns.uts_ = open_ns(pid, "uts");
  return ns;
}

SysctlNamespaces WorkloadNamespaces::enter() const {
  SysctlNamespaces entered;
  entered.net = enter_one(net_, "net", CLONE_NEWNET);
  entered.ipc = enter_one(ipc_, "ipc", CLONE_NEWIPC);
  entered.uts = enter_one(uts_, "uts", CLONE_NEWUTS);
  return entered;
}

std::vector<std::string> keep_entered(const std::vector<std::string>& granted, const SysctlNamespaces& entered) {
  const std::vector<std::string> allowed = namespaced_sysctl_paths(entered);
  std::vector<std::string> kept;
  for (const auto& g : granted) {
    if (std::find(allowed.begin(), allowed.end(), g) != allowed.end()) kept.push_back(g);
  }
  return kept;
}

}  // namespace edgeward::sandbox
