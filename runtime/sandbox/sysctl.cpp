#include "runtime/sandbox/sysctl.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "common/unique_fd.h"

namespace edgeward::sandbox {
namespace {

constexpr std::string_view kIpcKeys[] = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                                         "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
constexpr std::string_view kUtsKeys[] = {"kernel.hostname", "kernel.domainname"};

bool valid_key(const std::string& key) {
  if (key.empty() || key.size() > 255 || key.front() == '.' || key.back() == '.') return false;
  char prev = 0;
  for (char ch : key) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                    ch == '-' || ch == '.';
    if (!ok || (ch == '.' && prev == '.')) return false;  // no "/", no empty (or "..") component
    prev = ch;
  }
  return true;
}

template <size_t N>
bool listed(const std::string& key, const std::string_view (&keys)[N]) {
  for (auto k : keys) {
    if (key == k) return true;
  }
  return false;
}

}  // namespace

edgeward::Status check_sysctls(const std::map<std::string, std::string>& sysctl, const SysctlNamespaces& ns) {
  if (sysctl.size() > kMaxSysctls) {
    return Error::invalid("linux.sysctl: " + std::to_string(sysctl.size()) + " keys, at most " +
                          std::to_string(kMaxSysctls) + " are accepted");
  }
  for (const auto& [key, value] : sysctl) {
    const std::string where = "linux.sysctl[\"" + key + "\"]: ";
    if (!valid_key(key)) {
      return Error::invalid(where + "not a sysctl name (components of letters, digits, '_' and '-' joined by '.')");
    }
    if (value.size() > kMaxSysctlValue || value.find_first_of(std::string_view("\n\0", 2)) != std::string::npos) {
      return Error::invalid(where + "the value must be one line of at most 4096 bytes");
    }
    if (key.starts_with("net.")) {
      if (!ns.net) {
        return Error::unsupported(where + "the network namespace is the host's: writing it would change the host; "
                                  "give the container its own network namespace or leave the key out");
      }
    } else if (listed(key, kIpcKeys) || key.starts_with("fs.mqueue.")) {
      if (!ns.ipc) return Error::unsupported(where + "the IPC namespace is not the container's own; leave the key out");
    } else if (listed(key, kUtsKeys)) {
      if (!ns.uts) return Error::unsupported(where + "the UTS namespace is not the container's own; leave the key out");
    } else {
      return Error::unsupported(where + "not a namespaced sysctl: it would change the host (accepted: net.*, "
                                "kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*, kernel.hostname, kernel.domainname)");
    }
  }
  return {};
}

std::string sysctl_path(const std::string& key) {
  std::string path = "/proc/sys/" + key;
  for (size_t i = 10; i < path.size(); ++i) {
    if (path[i] == '.') path[i] = '/';
  }
  return path;
}

std::vector<std::string> namespaced_sysctl_paths(const SysctlNamespaces& ns) {
  std::vector<std::string> out;
  if (ns.net) out.push_back("/proc/sys/net");
  if (ns.ipc) {
    for (auto k : kIpcKeys) out.push_back(sysctl_path(std::string(k)));
    out.push_back("/proc/sys/fs/mqueue");
  }
  if (ns.uts) {
    for (auto k : kUtsKeys) out.push_back(sysctl_path(std::string(k)));
  }
  return out;
}

SysctlNamespaces namespaces_apart(pid_t pid) {
  auto apart = [pid](const char* name) {
    struct stat theirs {}, ours {};
    const std::string link = "/proc/" + std::to_string(pid) + "/ns/" + name;
    return stat(link.c_str(), &theirs) == 0 && stat((std::string("/proc/self/ns/") + name).c_str(), &ours) == 0 &&
           (theirs.st_ino != ours.st_ino || theirs.st_dev != ours.st_dev);
  };
  return {apart("net"), apart("ipc"), apart("uts")};
}

std::string write_sysctls(const std::map<std::string, std::string>& sysctl) {
  for (const auto& [key, value] : sysctl) {
    // The UTS names through their system calls: /proc/sys/kernel/{hostname,domainname} stay owned
    // by host root, which the workload's mapped namespace root is not.
    if (key == "kernel.hostname" || key == "kernel.domainname") {
      const int rc = key == "kernel.hostname" ? sethostname(value.data(), value.size())
                                              : setdomainname(value.data(), value.size());
      if (rc != 0) return "linux.sysctl[\"" + key + "\"]: set" + key.substr(7) + " \"" + value + "\"";
      continue;
    }
    const std::string path = sysctl_path(key);
    UniqueFd fd(open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) return "linux.sysctl[\"" + key + "\"]: open " + path;
    if (write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
      if (errno == 0) errno = EIO;
      return "linux.sysctl[\"" + key + "\"]: write \"" + value + "\" to " + path;
    }
  }
  return "";
}

}  // namespace edgeward::sandbox
