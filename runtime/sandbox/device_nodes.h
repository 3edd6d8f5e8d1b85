// The device nodes edgeward makes itself for linux.devices (devices.h says which: /dev/net/tun
// and placeholders for device numbers the host has no device for). A user namespace cannot
// mknod, so the supervising process, as host root, makes them before the sandbox is cloned, on a
// small tmpfs of its own that is mounted nowhere (fsopen/fsmount: a detached mount, nosuid,
// noexec; the jail moves it into the sandbox's /dev, binds each node from it, placeholders
// nodev, and detaches it again: devices.cpp). Each node has the entry's type, number and
// permission bits (default 0666) and its owner is the entry's uid/gid (default 0) as the host
// sees them through the sandbox's id mapping, so the workload sees what the config asked.
#pragma once

#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "runtime/sandbox/fs_config.h"
#include "runtime/sandbox/identity.h"

namespace edgeward::sandbox {

// For checked entries (check_devices): makes every kMade/kPlaceholder node and sets its made_fd
// (the returned mount, which must outlive the jail's setup) and made_name. An invalid fd when no
// node is to be made. Errors name the entry: edgeward not running as root, an owner the mapping
// does not hold, a kernel without fsopen/fsmount (5.2).
Result<UniqueFd> make_device_nodes(std::vector<DeviceNode>& devices, const IdMaps& ids);

}  // namespace edgeward::sandbox
