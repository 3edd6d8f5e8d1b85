// What an OCI config asks of the sandbox's file system beyond its mounts: linux.maskedPaths,
// linux.readonlyPaths, linux.devices and linux.sysctl. Plain data, checked by masked_paths.h,
// devices.h and sysctl.h and applied by the jail (jail.h) inside the sandbox's confinement.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace edgeward::sandbox {

// One linux.devices entry: a host device node bound into the sandbox's /dev (a user namespace
// cannot mknod, so the host's node at the same path is used, as runc does rootless).
struct DeviceNode {
  std::string path;                   // absolute, below /dev
  char type = 'c';                    // 'c' (or 'u', unbuffered: the same), 'b', 'p'
  int64_t major = 0, minor = 0;
  std::optional<uint32_t> file_mode;  // permission bits the host node must have
  std::optional<uint32_t> uid, gid;   // owner the host node must have
};

struct FsConfig {
  std::vector<std::string> masked_paths;    // linux.maskedPaths: absolute, no ".."
  std::vector<std::string> readonly_paths;  // linux.readonlyPaths
  std::vector<DeviceNode> devices;          // linux.devices
  std::map<std::string, std::string> sysctl;  // linux.sysctl: namespaced keys only (sysctl.h)
};

}  // namespace edgeward::sandbox
