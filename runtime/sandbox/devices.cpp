#include "runtime/sandbox/devices.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "common/text/file_text.h"
#include "common/unique_fd.h"
#include "runtime/sandbox/masked_paths.h"
#include "runtime/sandbox/mounts.h"

namespace edgeward::sandbox {
namespace {

constexpr const char* kDevices[] = {"null", "zero", "full", "random", "urandom", "tty"};

std::string describe(const DeviceNode& d) {
  return std::string(1, d.type) + " " + std::to_string(d.major) + ":" + std::to_string(d.minor);
}

// The host node at d.path, checked against d; an error message, or "" when it matches.
std::string mismatch(const DeviceNode& d, const struct stat& st) {
  if (!S_ISCHR(st.st_mode)) return "the host's " + d.path + " is not a character device";
  if (major(st.st_rdev) != static_cast<uint64_t>(d.major) || minor(st.st_rdev) != static_cast<uint64_t>(d.minor)) {
    return "the host's " + d.path + " is " + std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)) +
           ", not " + describe(d);
  }
  if (d.file_mode && (st.st_mode & 07777) != *d.file_mode) return "fileMode differs from the host node's (a bind cannot change it)";
  if (d.uid && st.st_uid != *d.uid) return "uid differs from the host node's owner (a bind cannot change it)";
  if (d.gid && st.st_gid != *d.gid) return "gid differs from the host node's group (a bind cannot change it)";
  return "";
}

bool configured(const DevSetup& s, const std::string& dst) {
  return std::find(s.config_mounts.begin(), s.config_mounts.end(), dst) != s.config_mounts.end();
}

std::string mount_fs(const std::string& dev, const char* name, const char* type, unsigned long flags, const std::string& data) {
  const std::string dst = dev + "/" + name;
  if (mkdir(dst.c_str(), 0755) != 0 && errno != EEXIST) return "create /dev/" + std::string(name);
  if (mount(type, dst.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) != 0) {
    return "mount " + std::string(type) + " on /dev/" + name;
  }
  return "";
}

// Where the jail moves the tmpfs of made nodes (device_nodes.h) while it binds them.
constexpr const char* kStaging = "/dev/.edgeward-nodes";

std::string add_device(const std::string& rootfs, const DeviceNode& d) {
  if (d.path == "/dev/ptmx") return "";  // the default set's (-> pts/ptmx, the sandbox's own devpts)
  if (d.type == 'p') {
    if (!make_mount_point(rootfs, d.path.substr(0, d.path.rfind('/')), false)) return "linux.devices " + d.path + ": create its directory";
    const std::string dst = rootfs + d.path;
    if (mkfifo(dst.c_str(), d.file_mode.value_or(0666)) != 0 && errno != EEXIST) return "linux.devices " + d.path + ": mkfifo";
    // mkfifo applied the umask: the mode asked, exactly (runtimetest checks it).
    if (chmod(dst.c_str(), d.file_mode.value_or(0666)) != 0) return "linux.devices " + d.path + ": chmod the FIFO";
    if ((d.uid || d.gid) && lchown(dst.c_str(), d.uid ? *d.uid : static_cast<uid_t>(-1), d.gid ? *d.gid : static_cast<gid_t>(-1)) != 0) {
      return "linux.devices " + d.path + ": chown the FIFO";
    }
    return "";
  }
  const bool made = d.source != DeviceNode::Source::kHost;
  if (made && d.made_fd < 0) {
    errno = EINVAL;
    return "linux.devices " + d.path + ": its node was not made";
  }
  const std::string src = made ? rootfs + kStaging + "/" + d.made_name : d.host_path;
  UniqueFd node(open(src.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!node.valid() || fstat(node.get(), &st) != 0) return "linux.devices " + d.path + ": open the node " + src;
  if (!made && !mismatch(d, st).empty()) {  // the host's node changed since create checked it
    errno = EINVAL;
    return "linux.devices " + d.path + ": " + mismatch(d, st);
  }
  if (!make_mount_point(rootfs, d.path, true)) return "linux.devices " + d.path + ": create its mount point in /dev";
  const std::string dst = rootfs + d.path;
  if (mount(fd_path(node).c_str(), dst.c_str(), nullptr, MS_BIND, nullptr) != 0) return "linux.devices " + d.path + ": bind its node";
  if (d.source == DeviceNode::Source::kPlaceholder &&
      mount(nullptr, dst.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_NODEV | MS_NOSUID | MS_NOEXEC, nullptr) != 0) {
    const int err = errno;
    umount2(dst.c_str(), MNT_DETACH);  // never leave an openable placeholder
    errno = err;
    return "linux.devices " + d.path + ": make the placeholder node nodev";
  }
  return "";
}

// The made nodes' tmpfs (one for all entries) moved to kStaging, or "" when there is none.
std::string stage_made_nodes(const std::string& rootfs, const std::vector<DeviceNode>& devices) {
  for (const auto& d : devices) {
    if (d.made_fd < 0) continue;
    const std::string staging = rootfs + kStaging;
    if (mkdir(staging.c_str(), 0700) != 0) return "create " + staging;
    if (syscall(SYS_move_mount, d.made_fd, "", AT_FDCWD, staging.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0) {
      return "mount the made device nodes on " + staging + " (move_mount)";
    }
    return "";
  }
  return "";
}

void unstage_made_nodes(const std::string& rootfs) {
  const std::string staging = rootfs + kStaging;
  if (umount2(staging.c_str(), MNT_DETACH) == 0 || errno == EINVAL) rmdir(staging.c_str());
}

bool is_tun(const DeviceNode& d) { return d.type != 'b' && d.type != 'p' && d.major == 10 && d.minor == 200; }

// The host's node for d's device number (/sys/dev/{char,block}/M:m): "" when the host has no
// such device, else "/dev/<DEVNAME>" ("?" when it has the device but names no node for it).
std::string host_node_of(const DeviceNode& d) {
  const std::string sys = std::string("/sys/dev/") + (d.type == 'b' ? "block/" : "char/") + std::to_string(d.major) + ":" +
                          std::to_string(d.minor);
  struct stat st {};
  if (stat(sys.c_str(), &st) != 0) return "";
  const auto uevent = text::read_file(sys + "/uevent", 4096);
  if (!uevent) return "?";
  const size_t at = uevent->find("DEVNAME=");
  if (at == std::string::npos) return "?";
  const size_t end = uevent->find('\n', at);
  const std::string name = uevent->substr(at + 8, end == std::string::npos ? std::string::npos : end - at - 8);
  if (name.empty() || name.find("..") != std::string::npos) return "?";
  return "/dev/" + name;
}

bool is_node(const DeviceNode& d, const std::string& path, struct stat& st) {
  return lstat(path.c_str(), &st) == 0 && (d.type == 'b' ? S_ISBLK(st.st_mode) : S_ISCHR(st.st_mode)) &&
         major(st.st_rdev) == static_cast<uint64_t>(d.major) && minor(st.st_rdev) == static_cast<uint64_t>(d.minor);
}

// Resolves one checked entry (not a FIFO): where its node comes from.
edgeward::Status resolve_device(DeviceNode& d, const std::string& where) {
  if (d.denied) {  // as runc's devices cgroup: the node exists, opening it fails
    d.source = DeviceNode::Source::kPlaceholder;
    return {};
  }
  if (is_tun(d)) {
    d.source = DeviceNode::Source::kMade;
    return {};
  }
  struct stat st {};
  std::string host = is_node(d, d.path, st) ? d.path : host_node_of(d);
  if (host.empty()) {
    d.source = DeviceNode::Source::kPlaceholder;
    return {};
  }
  if (d.type == 'b') {
    return Error::unsupported(where + d.path + ": block devices the host has are not passed into the sandbox (raw "
                              "access to the host's storage); use a bind mount of a file system instead");
  }
  if (host == "?" || !is_node(d, host, st)) {
    return Error::unsupported(where + "the host has device " + describe(d) + " but no node for it below /dev" +
                              (host == "?" ? "" : " (" + host + ")") + "; a user namespace cannot make device nodes, so "
                              "only the host's own node can be passed in");
  }
  if (auto why = mismatch(d, st); !why.empty()) {
    return Error::unsupported(where + why + "; a user namespace cannot make device nodes, so only the host's own "
                              "node can be passed in: make the entry match it");
  }
  d.source = DeviceNode::Source::kHost;
  d.host_path = host;
  return {};
}

}  // namespace

edgeward::Status check_devices(std::vector<DeviceNode>& devices) {
  if (devices.size() > kMaxDevices) return Error::invalid("linux.devices: more than 256 devices");
  for (size_t i = 0; i < devices.size(); ++i) {
    DeviceNode& d = devices[i];
    const std::string where = "linux.devices[" + std::to_string(i) + "]: ";
    EW_TRY(check_container_path(d.path, where + "path: "));
    if (!d.path.starts_with("/dev/")) return Error::invalid(where + "path \"" + d.path + "\" must be below /dev");
    if (d.path.starts_with(std::string(kStaging) + "/") || d.path == kStaging) {
      return Error::invalid(where + "path \"" + d.path + "\" is edgeward's own (it makes its nodes there)");
    }
    if (d.type == 'p') continue;
    if (d.type != 'c' && d.type != 'u' && d.type != 'b') return Error::invalid(where + "type must be c, u, b or p");
    if (d.major < 0 || d.minor < 0 || d.major > 4095 || d.minor > 1048575) {
      return Error::invalid(where + "major must be 0..4095 and minor 0..1048575");
    }
    if (d.file_mode && (*d.file_mode & ~07777u) != 0) return Error::invalid(where + "fileMode must be permission bits (at most 07777)");
    EW_TRY(resolve_device(d, where));
  }
  return {};
}

std::vector<std::string> device_warnings(const std::vector<DeviceNode>& devices) {
  std::vector<std::string> out;
  for (size_t i = 0; i < devices.size(); ++i) {
    const DeviceNode& d = devices[i];
    if (d.type == 'p' || d.source != DeviceNode::Source::kPlaceholder) continue;
    const std::string why = d.denied ? "linux.resources.devices denies it (as the devices cgroup would refuse opening it)"
                                     : "the host has no device " + describe(d);
    out.push_back("linux.devices[" + std::to_string(i) + "]: " + d.path + ": " + why +
                  "; it is made as a node that cannot be opened (nodev), not even if a driver for it appears later");
  }
  return out;
}

std::string populate_dev(const std::string& rootfs, const DevSetup& setup, const std::vector<DeviceNode>& devices) {
  const std::string dev = rootfs + "/dev";
  for (const char* d : kDevices) {
    const std::string dst = dev + "/" + d;
    UniqueFd fd(open(dst.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0666));
    if (!fd.valid()) return "create " + dst;
    if (mount((std::string("/dev/") + d).c_str(), dst.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      unlink(dst.c_str());  // e.g. no /dev/tty on the host: leave it out
    }
  }
  for (const auto& [name, target] : {std::pair{"fd", "/proc/self/fd"}, std::pair{"stdin", "/proc/self/fd/0"},
                                     std::pair{"stdout", "/proc/self/fd/1"}, std::pair{"stderr", "/proc/self/fd/2"},
                                     std::pair{"ptmx", "pts/ptmx"}}) {
    if (symlink(target, (dev + "/" + name).c_str()) != 0) return std::string("symlink /dev/") + name;
  }
  std::string failed;
  if (failed.empty() && !configured(setup, "/dev/pts")) {
    failed = mount_fs(dev, "pts", "devpts", MS_NOSUID | MS_NOEXEC,
                      std::string("newinstance,ptmxmode=0666,mode=0620") + (setup.ids_mapped ? ",gid=" + std::to_string(setup.tty_gid) : ""));
  }
  if (failed.empty() && !configured(setup, "/dev/shm")) {
    failed = mount_fs(dev, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=64m");
  }
  if (failed.empty() && setup.own_ipc && !configured(setup, "/dev/mqueue")) {
    failed = mount_fs(dev, "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
  }
  if (failed.empty()) failed = stage_made_nodes(rootfs, devices);
  for (size_t i = 0; failed.empty() && i < devices.size(); ++i) failed = add_device(rootfs, devices[i]);
  const int err = errno;
  unstage_made_nodes(rootfs);
  errno = err;
  return failed;
}

}  // namespace edgeward::sandbox
