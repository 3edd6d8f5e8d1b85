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
// linux.devices (a user namespace cannot mknod; the device number decides, not the host path):
//   - a character device ('c' or 'u') the host has is the host's node, bound in: the one at the
//     same path when it is that device, else the device's own node (/sys/dev/char/M:m's DEVNAME
//     below /dev, e.g. a device plugin's host /dev/ttyUSB3 at /dev/ttyUSB0 in the container).
//     fileMode/uid/gid, when given, must equal the host node's (a bind cannot change them and a
//     made node must not open a device wider than the host does): otherwise refused.
//   - /dev/net/tun (c 10:200, which runc's and Docker's default device rules give every
//     container) is made by edgeward (device_nodes.h) with the entry's mode and owner (default
//     0666, container root): the host's is crw------- root, which the workload (never host root)
//     could not open, and a tun interface still needs CAP_NET_ADMIN over its network namespace.
//   - a device number the host has no device for (no /sys/dev/{char,block}/M:m) is a
//     placeholder: a node made with the type, number, mode and owner asked, bound nodev, so it
//     can never be opened, not even when a driver for that number appears later (warned).
//   - an entry linux.resources.devices denies read and write (`denied`) is a placeholder too, as
//     runc makes the node and its devices cgroup refuses opening it (warned).
//   - a block device the host has is refused (raw access to the host's storage).
//   - FIFOs ('p') are made by the jail (mkfifo needs no privilege).
// Paths must be below /dev. /dev/ptmx is the default set's already (its pts instance is the
// sandbox's own), so an entry for it changes nothing.
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
  uint32_t tty_gid = 5;                // pts' gid=, as the mounter's user namespace reads it (joined_mount.h)
  std::vector<std::string> config_mounts;  // destinations the config mounts itself (replace ours)
};

// Checks linux.devices against the host's devices and resolves each entry's source (and
// host_path). Errors name the entry: linux.devices[1]: ...
edgeward::Status check_devices(std::vector<DeviceNode>& devices);

// What create should warn about (checked devices): one line per placeholder.
std::vector<std::string> device_warnings(const std::vector<DeviceNode>& devices);

// In the jail, on the fresh writable tmpfs at rootfs/dev: the default set, then `devices`.
// Returns an empty string, or what failed (errno set).
std::string populate_dev(const std::string& rootfs, const DevSetup& setup, const std::vector<DeviceNode>& devices);

}  // namespace edgeward::sandbox
