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

// One linux.devices entry: the host's node for that device bound into the sandbox's /dev, or a
// node edgeward makes (devices.h says which).
struct DeviceNode {
  std::string path;                   // absolute, below /dev
  char type = 'c';                    // 'c' (or 'u', unbuffered: the same), 'b', 'p'
  int64_t major = 0, minor = 0;
  std::optional<uint32_t> file_mode;  // permission bits (a host node must have them)
  std::optional<uint32_t> uid, gid;   // owner (a host node must have it)
  bool denied = false;                // linux.resources.devices denies it read and write: a placeholder

  // Resolved by check_devices: where the node comes from.
  enum class Source : uint8_t { kHost, kMade, kPlaceholder };
  Source source = Source::kHost;
  std::string host_path;  // kHost (not a FIFO): the host's node, at `path` or at the device's own name
  int made_fd = -1;       // kMade, kPlaceholder: the detached tmpfs holding the node (device_nodes.h)
  std::string made_name;  // its name there
};

struct FsConfig {
  std::vector<std::string> masked_paths;    // linux.maskedPaths: absolute, no ".."
  std::vector<std::string> readonly_paths;  // linux.readonlyPaths
  std::vector<DeviceNode> devices;          // linux.devices
  std::map<std::string, std::string> sysctl;  // linux.sysctl: namespaced keys only (sysctl.h)
};

}  // namespace edgeward::sandbox
