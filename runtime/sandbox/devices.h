// The sandbox's /dev: a tmpfs (made by the jail, read-only once filled) holding the default
// device set of runc, and the config's linux.devices. A user namespace cannot mknod, so device
// nodes are the host's, bound in (as runc does rootless):
//   null zero full random urandom tty     binds of the host's nodes (one the host lacks is left out)
//   fd stdin stdout stderr                symlinks to /proc/self/fd[/0,1,2]
//   ptmx                                  symlink to pts/ptmx
//   pts                                   devpts, newinstance, ptmxmode=0666, mode=0620 (gid=5 when ids are mapped)
//   shm                                   tmpfs, mode 1777, nosuid nodev noexec
//   mqueue                                mqueue, when the IPC namespace is the sandbox's own
// A mount of the config at pts, shm or mqueue replaces the default one.
//
// linux.devices: a character device ('c' or 'u') is the host's node at the same path, bound in
// only when it is a character device with the same major:minor (and fileMode/uid/gid, when
// given, equal the host node's: a bind cannot change them); anything else is refused, since a
// node cannot be made. Block devices are refused (raw access to the host's storage), FIFOs ('p')
// are made (mkfifo needs no privilege). Paths must be below /dev. /dev/ptmx is the default
// set's already (its pts instance is the sandbox's own), so an entry for it changes nothing.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "runtime/sandbox/fs_config.h"

namespace edgeward::sandbox {

constexpr size_t kMaxDevices = 256;

struct DevSetup {
  bool own_ipc = true;                 // mount /dev/mqueue
  bool ids_mapped = false;             // a privileged mapping that holds gid 5 (tty) in the namespace
  std::vector<std::string> config_mounts;  // destinations the config mounts itself (replace ours)
};

// Checks linux.devices against the host's nodes. Errors name the entry: linux.devices[1]: ...
edgeward::Status check_devices(const std::vector<DeviceNode>& devices);

// In the jail, on the fresh writable tmpfs at rootfs/dev: the default set, then `devices`.
// Returns an empty string, or what failed (errno set).
std::string populate_dev(const std::string& rootfs, const DevSetup& setup, const std::vector<DeviceNode>& devices);

}  // namespace edgeward::sandbox
