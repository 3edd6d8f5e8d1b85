#include "runtime/sandbox/devices.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

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

std::string add_device(const std::string& rootfs, const DeviceNode& d) {
  if (d.path == "/dev/ptmx") return "";  // the default set's (-> pts/ptmx, the sandbox's own devpts)
  if (d.type == 'p') {
    if (!make_mount_point(rootfs, d.path.substr(0, d.path.rfind('/')), false)) return "linux.devices " + d.path + ": create its directory";
    const std::string dst = rootfs + d.path;
    if (mkfifo(dst.c_str(), d.file_mode.value_or(0666)) != 0 && errno != EEXIST) return "linux.devices " + d.path + ": mkfifo";
    if ((d.uid || d.gid) && lchown(dst.c_str(), d.uid ? *d.uid : static_cast<uid_t>(-1), d.gid ? *d.gid : static_cast<gid_t>(-1)) != 0) {
      return "linux.devices " + d.path + ": chown the FIFO";
    }
    return "";
  }
  UniqueFd host(open(d.path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!host.valid() || fstat(host.get(), &st) != 0) return "linux.devices " + d.path + ": open the host's node";
  if (!mismatch(d, st).empty()) {
    errno = EINVAL;
    return "linux.devices " + d.path + ": " + mismatch(d, st);
  }
  if (!make_mount_point(rootfs, d.path, true)) return "linux.devices " + d.path + ": create its mount point in /dev";
  const std::string dst = rootfs + d.path;
  if (mount(fd_path(host).c_str(), dst.c_str(), nullptr, MS_BIND, nullptr) != 0) return "linux.devices " + d.path + ": bind the host's node";
  return "";
}

}  // namespace

edgeward::Status check_devices(const std::vector<DeviceNode>& devices) {
  if (devices.size() > kMaxDevices) return Error::invalid("linux.devices: more than 256 devices");
  for (size_t i = 0; i < devices.size(); ++i) {
    const DeviceNode& d = devices[i];
    const std::string where = "linux.devices[" + std::to_string(i) + "]: ";
    EW_TRY(check_container_path(d.path, where + "path: "));
    if (!d.path.starts_with("/dev/")) return Error::invalid(where + "path \"" + d.path + "\" must be below /dev");
    if (d.type == 'b') {
      return Error::unsupported(where + d.path + ": block devices are not passed into the sandbox (raw access to the "
                                "host's storage); use a bind mount of a file system instead");
    }
    if (d.type == 'p') continue;
    if (d.type != 'c' && d.type != 'u') return Error::invalid(where + "type must be c, u, b or p");
    if (d.major < 0 || d.minor < 0) return Error::invalid(where + "major and minor must not be negative");
    struct stat st {};
    if (lstat(d.path.c_str(), &st) != 0) {
      return Error::unsupported(where + "the host has no " + d.path + " (" + describe(d) + "); a user namespace cannot "
                                "make device nodes, so only the host's node can be passed in");
    }
    if (auto why = mismatch(d, st); !why.empty()) {
      return Error::unsupported(where + why + "; a user namespace cannot make device nodes, so only the host's own "
                                "node can be passed in: make the entry match it");
    }
  }
  return {};
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
                      std::string("newinstance,ptmxmode=0666,mode=0620") + (setup.ids_mapped ? ",gid=5" : ""));
  }
  if (failed.empty() && !configured(setup, "/dev/shm")) {
    failed = mount_fs(dev, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=64m");
  }
  if (failed.empty() && setup.own_ipc && !configured(setup, "/dev/mqueue")) {
    failed = mount_fs(dev, "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
  }
  for (size_t i = 0; failed.empty() && i < devices.size(); ++i) failed = add_device(rootfs, devices[i]);
  return failed;
}

}  // namespace edgeward::sandbox
