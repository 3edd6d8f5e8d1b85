#include "runtime/sandbox/device_nodes.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include "common/errno_error.h"

namespace edgeward::sandbox {
namespace {

bool makes(const DeviceNode& d) { return d.type != 'p' && d.source != DeviceNode::Source::kHost; }

// A fresh tmpfs, mounted nowhere: its mount fd.
Result<UniqueFd> detached_tmpfs() {
  UniqueFd fs(static_cast<int>(syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC)));
  if (!fs.valid()) return errno_error("linux.devices: cannot make a tmpfs for the device nodes (fsopen, Linux 5.2)");
  if (syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, "mode", "0755", 0) != 0 ||
      syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, "size", "64k", 0) != 0 ||
      syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    return errno_error("linux.devices: cannot make a tmpfs for the device nodes (fsconfig)");
  }
  UniqueFd mnt(static_cast<int>(
      syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC)));
  if (!mnt.valid()) return errno_error("linux.devices: cannot make a tmpfs for the device nodes (fsmount)");
  return mnt;
}

}  // namespace

Result<UniqueFd> make_device_nodes(std::vector<DeviceNode>& devices, const IdMaps& ids) {
  UniqueFd mnt;
  for (size_t i = 0; i < devices.size(); ++i) {
    DeviceNode& d = devices[i];
    if (!makes(d)) continue;
    const std::string where = "linux.devices[" + std::to_string(i) + "] (" + d.path + "): ";
    if (geteuid() != 0 || !ids.privileged) {
      return Error{ErrorCode::kPermission, where + "its node must be made by edgeward (a user namespace cannot make "
                                           "device nodes), which needs edgeward to run as root; run it as root or leave the entry out"};
    }
    const uint32_t uid = d.uid.value_or(0), gid = d.gid.value_or(0);
    const auto host_uid = ids.host_uid(uid);
    const auto host_gid = ids.host_gid(gid);
    if (!host_uid || !host_gid) {
      return Error::invalid(where + "its owner " + std::to_string(uid) + ":" + std::to_string(gid) +
                            " is not mapped in the container's user namespace (linux.uidMappings/gidMappings)");
    }
    if (!mnt.valid()) {
      EW_ASSIGN(mnt, detached_tmpfs());
    }
    const std::string name = std::to_string(i);
    const mode_t perm = d.file_mode.value_or(0666);
    const mode_t type = d.type == 'b' ? S_IFBLK : S_IFCHR;
    if (mknodat(mnt.get(), name.c_str(), type | perm,
                makedev(static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor))) != 0) {
      return errno_error(where + "mknod");
    }
    // mknod applied the umask: the mode is set again, after the owner (chown clears set-id bits).
    if (fchownat(mnt.get(), name.c_str(), *host_uid, *host_gid, AT_SYMLINK_NOFOLLOW) != 0 ||
        fchmodat(mnt.get(), name.c_str(), perm, 0) != 0) {
      return errno_error(where + "set the owner and mode of its node");
    }
    d.made_fd = mnt.get();
    d.made_name = name;
  }
  return mnt;
}

}  // namespace edgeward::sandbox
