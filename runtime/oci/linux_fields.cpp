#include "runtime/oci/linux_fields.h"

#include <sched.h>

#include "runtime/sandbox/devices.h"
#include "runtime/sandbox/masked_paths.h"
#include "runtime/sandbox/sysctl.h"

namespace edgeward::oci {
namespace {

bool joins(const runtime::WorkloadSpec& w, const char* type) {
  for (const auto& n : w.join_namespaces) {
    if (n.type == type) return true;
  }
  return false;
}

bool rule_matches(const OciConfig::DeviceRule& r, char type, int64_t major, int64_t minor) {
  if (r.type == "a") return true;
  if (r.type[0] != (type == 'u' ? 'c' : type)) return false;
  return (!r.major || *r.major == major) && (!r.minor || *r.minor == minor);
}

}  // namespace

bool device_rules_allow(const std::vector<OciConfig::DeviceRule>& rules, char type, int64_t major, int64_t minor,
                        std::string_view access) {
  for (char letter : access) {
    bool allowed = true;
    for (const auto& r : rules) {
      if (r.access.find(letter) != std::string::npos && rule_matches(r, type, major, minor)) allowed = r.allow;
    }
    if (!allowed) return false;
  }
  return true;
}

edgeward::Status apply_linux_fs(const OciConfig& c, runtime::WorkloadSpec& w) {
  sandbox::FsConfig& fs = w.fs;
  fs.masked_paths = c.masked_paths;
  fs.readonly_paths = c.readonly_paths;
  fs.sysctl = c.sysctl;
  EW_TRY(sandbox::check_container_paths(fs.masked_paths, "linux.maskedPaths"));
  EW_TRY(sandbox::check_container_paths(fs.readonly_paths, "linux.readonlyPaths"));
  for (size_t i = 0; i < c.devices.size(); ++i) {
    const OciConfig::Device& d = c.devices[i];
    fs.devices.push_back({d.path, d.type[0], d.major, d.minor, d.file_mode, d.uid, d.gid});
    if (d.type == "p" || device_rules_allow(c.device_rules, d.type[0], d.major, d.minor, "rw")) continue;
    // Denied both ways: a node that cannot be opened (devices.h), as runc's devices cgroup gives.
    fs.devices.back().denied = !device_rules_allow(c.device_rules, d.type[0], d.major, d.minor, "r") &&
                               !device_rules_allow(c.device_rules, d.type[0], d.major, d.minor, "w");
    if (!fs.devices.back().denied) {
      return Error::unsupported("linux.devices[" + std::to_string(i) + "]: " + d.path + " (" + d.type + " " +
                                std::to_string(d.major) + ":" + std::to_string(d.minor) +
                                ") is allowed only one of read and write by linux.resources.devices; edgeward cannot "
                                "give a device partial access: allow it (\"rwm\"), deny it, or leave it out");
    }
  }
  EW_TRY(sandbox::check_devices(fs.devices));
  const sandbox::SysctlNamespaces ns{!w.net_host || joins(w, "network"), !joins(w, "ipc"), !joins(w, "uts")};
  return sandbox::check_sysctls(fs.sysctl, ns);
}

}  // namespace edgeward::oci
