#include "runtime/sandbox/mounts.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "common/unique_fd.h"
#include "runtime/sandbox/copy_up.h"

namespace edgeward::sandbox {
namespace {

struct Flag {
  std::string_view name;
  bool clear;
  unsigned long flag;
};

constexpr Flag kFlags[] = {
    {"ro", false, MS_RDONLY},        {"rw", true, MS_RDONLY},          {"nosuid", false, MS_NOSUID},
    {"suid", true, MS_NOSUID},       {"nodev", false, MS_NODEV},       {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC},    {"exec", true, MS_NOEXEC},        {"noatime", false, MS_NOATIME},
    {"atime", true, MS_NOATIME},     {"relatime", false, MS_RELATIME}, {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME}, {"nodiratime", false, MS_NODIRATIME},
    {"bind", false, MS_BIND},        {"rbind", false, MS_BIND | MS_REC},
};
constexpr Flag kPropagation[] = {
    {"private", false, MS_PRIVATE},       {"rprivate", false, MS_PRIVATE | MS_REC},
    {"shared", false, MS_SHARED},         {"rshared", false, MS_SHARED | MS_REC},
    {"slave", false, MS_SLAVE},           {"rslave", false, MS_SLAVE | MS_REC},
    {"unbindable", false, MS_UNBINDABLE}, {"runbindable", false, MS_UNBINDABLE | MS_REC},
};
constexpr std::string_view kTypes[] = {"bind", "tmpfs", "sysfs", "devpts", "mqueue", "proc"};

bool is_dir(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

unsigned long locked_flags(const std::string& path) {
  struct statvfs sv {};
  if (statvfs(path.c_str(), &sv) != 0) return 0;
  unsigned long f = 0;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

unsigned long source_readonly(const std::string& path) {
  struct statvfs sv {};
  return statvfs(path.c_str(), &sv) == 0 && (sv.f_flag & ST_RDONLY) ? MS_RDONLY : 0;
}

UniqueFd open_in_rootfs(const std::string& rootfs, const std::string& path) {
  UniqueFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) return {};
  open_how how{};
  how.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  const std::string rel = path.find_first_not_of('/') == std::string::npos ? "." : path.substr(path.find_first_not_of('/'));
  return UniqueFd(static_cast<int>(syscall(SYS_openat2, root.get(), rel.c_str(), &how, sizeof how)));
}

std::string fd_path(const UniqueFd& fd) { return "/proc/self/fd/" + std::to_string(fd.get()); }

Result<MountPlan> plan_mount(const MountSpec& m) {
  const std::string where = "mounts: " + m.destination + ": ";
  if (m.destination.empty() || m.destination[0] != '/') return Error::invalid(where + "the destination must be absolute");
  if (m.destination.find("/../") != std::string::npos || m.destination.ends_with("/..")) {
    return Error::invalid(where + "the destination must not hold \"..\"");
  }
  MountPlan plan;
  for (const auto& o : m.options) {
    bool known = false;
    for (const auto& f : kFlags) {
      if (o != f.name) continue;
      plan.flags = f.clear ? plan.flags & ~f.flag : plan.flags | f.flag;
      known = true;
    }
    for (const auto& p : kPropagation) {
      if (o != p.name) continue;
      plan.propagation = p.flag;  // the last one wins
      known = true;
    }
    if (o == "tmpcopyup") plan.copy_up = known = true;
    if (!known) plan.data += (plan.data.empty() ? "" : ",") + o;
  }
  std::string type = m.type;
  if (type.empty() || plan.flags & MS_BIND) type = "bind";
  bool known_type = false;
  for (auto t : kTypes) known_type = known_type || type == t;
  if (!known_type) return Error::unsupported(where + "mount type \"" + m.type + "\" is not supported (bind, tmpfs, sysfs, devpts, mqueue)");
  if (plan.copy_up && type != "tmpfs") return Error::invalid(where + "tmpcopyup applies to tmpfs mounts only");
  if (plan.copy_up && plan.flags & MS_RDONLY) {
    return Error::unsupported(where + "tmpcopyup with ro is not supported (the copy needs a writable tmpfs); drop ro");
  }
  if (type == "bind") {
    plan.flags |= MS_BIND;
    if (m.source.empty() || m.source[0] != '/') return Error::invalid(where + "a bind mount needs an absolute source, got \"" + m.source + "\"");
    struct stat st {};
    if (stat(m.source.c_str(), &st) != 0) return Error::not_found(where + "bind source " + m.source + " does not exist");
  }
  return plan;
}

bool is_own_dev(const MountSpec& m) { return m.destination == "/dev" && m.type == "tmpfs"; }
bool is_own_proc(const MountSpec& m) { return m.destination == "/proc" || m.type == "proc"; }

bool sandbox_applies(const MountSpec& m) {
  return !is_own_dev(m) && !is_own_proc(m) && m.type != "cgroup" && m.type != "cgroup2";
}

bool mount_writable(const MountSpec& m) {
  if (m.type == "proc" || m.type == "sysfs") return false;
  bool ro = false;
  for (const auto& o : m.options) ro = o == "ro" ? true : o == "rw" ? false : ro;
  return !ro;
}

bool make_mount_point(const std::string& rootfs, const std::string& path, bool file) {
  UniqueFd dir(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return false;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    const std::string name = path.substr(pos, end - pos);
    pos = end + 1;
    if (name.empty() || name == ".") continue;
    const bool last = pos > path.size();
    if (last && file) {
      const int fd = openat(dir.get(), name.c_str(), O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd < 0) return false;
      close(fd);
      return true;
    }
    if (mkdirat(dir.get(), name.c_str(), 0755) != 0 && errno != EEXIST) return false;
    UniqueFd next(openat(dir.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) return false;  // a symlink (ELOOP / ENOTDIR) or not a directory
    dir = std::move(next);
  }
  return true;
}

namespace {

// The mount itself, on a mount point that exists; `left_out`: the kernel refused it and the
// sandbox goes without (mqueue of a joined IPC namespace). Every target is the mount point
// reopened beneath the rootfs without following a symlink (open_in_rootfs), never the path
// string: the builder of a joined mount namespace is host root there (jail_fs.h).
std::string mount_one(const std::string& rootfs, const MountSpec& m, const MountPlan& plan, bool& left_out) {
  UniqueFd point = open_in_rootfs(rootfs, m.destination);
  if (!point.valid()) return "open the mount point " + m.destination + " beneath the rootfs (a symlink on the way is refused)";
  const std::string dst = fd_path(point);
  const bool bind = plan.flags & MS_BIND;
  // nodev always (but for devpts, whose ptys are devices): the sandbox's only devices are its own
  // in /dev (devices.h), whatever a bind brings along.
  const unsigned long per_mount = (plan.flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
                                                 MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME)) |
                                  (m.type == "devpts" ? 0 : MS_NODEV);
  if (bind) {
    if (mount(m.source.c_str(), dst.c_str(), nullptr, plan.flags & (MS_BIND | MS_REC), nullptr) != 0) {
      return "bind-mount " + m.source + " on " + m.destination;
    }
    UniqueFd top = open_in_rootfs(rootfs, m.destination);  // the new mount
    if (!top.valid()) return "reopen " + m.destination + " after its bind mount";
    const std::string at = fd_path(top);
    if (mount(nullptr, at.c_str(), nullptr, MS_REMOUNT | MS_BIND | per_mount | locked_flags(at), nullptr) == 0) return "";
    // A user namespace may not change the atime mode or clear read-only of a mount it inherited
    // (the kernel locks them): the source's are kept instead of the options' (strictatime on a
    // relatime host mount), as runc does in a user namespace.
    constexpr unsigned long kAtime = MS_NOATIME | MS_RELATIME | MS_STRICTATIME | MS_NODIRATIME;
    if (errno != EPERM ||
        mount(nullptr, at.c_str(), nullptr,
              MS_REMOUNT | MS_BIND | (per_mount & ~kAtime) | locked_flags(at) | source_readonly(at), nullptr) != 0) {
      return "remount " + m.destination + " with its options";
    }
    return "";
  }
  const char* data = plan.data.empty() ? nullptr : plan.data.c_str();
  const std::string source = m.source.empty() ? m.type : m.source;
  if (mount(source.c_str(), dst.c_str(), m.type.c_str(), per_mount, data) == 0) return "";
  if (errno == EPERM && m.type == "sysfs") {  // a network namespace not the sandbox's own
    if (mount("/sys", dst.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) return "bind-mount the host's /sys on " + m.destination;
    UniqueFd top = open_in_rootfs(rootfs, m.destination);
    const std::string at = fd_path(top);
    if (!top.valid() || mount(nullptr, at.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags(at), nullptr) != 0) {
      return "remount " + m.destination + " read-only";
    }
    return "";
  }
  left_out = errno == EPERM && m.type == "mqueue";  // a joined IPC namespace: left out
  if (left_out) return "";
  return "mount " + m.type + " on " + m.destination;
}

}  // namespace

std::string apply_mount(const std::string& rootfs, const MountSpec& m, const MountPlan& plan) {
  const bool bind = plan.flags & MS_BIND;
  if (!make_mount_point(rootfs, m.destination, bind && !is_dir(m.source))) {
    return "create the mount point " + m.destination + " inside the rootfs (a symlink on the way is refused)";
  }
  UniqueFd image = plan.copy_up ? open_in_rootfs(rootfs, m.destination) : UniqueFd();  // what the tmpfs hides
  if (plan.copy_up && !image.valid()) return "tmpcopyup: open " + m.destination + " in the image";
  bool left_out = false;
  if (auto failed = mount_one(rootfs, m, plan, left_out); !failed.empty() || left_out) return failed;
  if (plan.copy_up) {
    UniqueFd tmpfs = open_in_rootfs(rootfs, m.destination);
    if (!tmpfs.valid() || !copy_tree(image.get(), tmpfs.get())) return "tmpcopyup: copy the image's " + m.destination + " into the tmpfs";
  }
  if (!plan.propagation) return "";
  UniqueFd top = open_in_rootfs(rootfs, m.destination);
  if (!top.valid() || mount(nullptr, fd_path(top).c_str(), nullptr, plan.propagation, nullptr) != 0) {
    return "set the propagation of " + m.destination;
  }
  return "";
}

}  // namespace edgeward::sandbox
