#include "runtime/sandbox/jail_fs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/unique_fd.h"
#include "runtime/sandbox/masked_paths.h"
#include "runtime/sandbox/sysctl.h"

namespace edgeward::sandbox {

void setup_fail(const JailSpec& s, const std::string& what, int err) {
  const std::string msg = what + ": " + std::strerror(err);
  if (write(s.error_fd, msg.data(), msg.size()) < 0) {
  }
  _exit(127);
}

void setup_must(const JailSpec& s, bool ok, const std::string& what) {
  if (!ok) setup_fail(s, what, errno);
}

namespace {

void mount_or_fail(const JailSpec& s, const char* src, const std::string& dst, const char* type, unsigned long flags,
                   const char* data) {
  setup_must(s, mount(src, dst.c_str(), type, flags, data) == 0,
             std::string("mount ") + (type ? type : src ? src : "(remount)") + " on " + dst);
}

// `dir` (absolute, in the rootfs) resolved beneath it without a symlink (mounts.h), or a failure
// naming it.
UniqueFd open_point(const JailSpec& s, const std::string& dir) {
  UniqueFd fd = open_in_rootfs(s.rootfs, dir);
  setup_must(s, fd.valid(), "rootfs " + s.rootfs + ": open " + dir + " beneath it (a symlink there is refused)");
  return fd;
}

// The sandbox's own mount points: created in the image when missing (as runc does), so no
// layout is assumed beyond a directory; a symlink in their place is refused.
void need_dir(const JailSpec& s, const std::string& dir) {
  setup_must(s, make_mount_point(s.rootfs, dir, false), "rootfs " + s.rootfs + ": create the mount point " + dir);
}

// The sandbox's own /dev (a tmpfs, filled after the config's mounts: some go below it) and /proc.
void mount_own_dev(const JailSpec& s) {
  UniqueFd at = open_point(s, "/dev");
  setup_must(s, mount("tmpfs", fd_path(at).c_str(), "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k") == 0,
             "mount tmpfs on " + s.rootfs + "/dev");
}
void mount_own_proc(const JailSpec& s) {
  UniqueFd at = open_point(s, "/proc");
  if (s.proc_fd < 0) {
    setup_must(s, mount("proc", fd_path(at).c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0,
               "mount proc on " + s.rootfs + "/proc");
    return;
  }
  setup_must(s, syscall(SYS_move_mount, s.proc_fd, "", at.get(), "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0,
             "mount the joined pid namespace's proc on " + s.rootfs + "/proc (move_mount)");
}

// An image without /tmp (a pause image) gets none; one whose /tmp is a symlink gets none either.
void mount_own_tmp(const JailSpec& s) {
  UniqueFd tmp = open_in_rootfs(s.rootfs, "/tmp");
  struct stat st {};
  if (!tmp.valid() || fstat(tmp.get(), &st) != 0 || !S_ISDIR(st.st_mode)) return;
  setup_must(s, mount("tmpfs", fd_path(tmp).c_str(), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=64m") == 0,
             "mount tmpfs on " + s.rootfs + "/tmp");
}

// The config's mounts in their order, with the sandbox's /dev and /proc where the config lists
// its own (runc mounts in config order; runtimetest checks that order in mountinfo).
// `opened`: the bind sources' /proc/self/fd paths (open_sources), or empty.
void apply_config_mounts(const JailSpec& s, const std::vector<std::string>& opened) {
  for (size_t i = 0; i <= s.mounts.size(); ++i) {
    if (i == s.proc_at && s.proc_before_dev) mount_own_proc(s);
    if (i == s.dev_at) mount_own_dev(s);
    if (i == s.proc_at && !s.proc_before_dev) mount_own_proc(s);
    if (i == s.mounts.size()) break;
    MountSpec m = s.mounts[i];
    if (!opened.empty() && !opened[i].empty()) m.source = opened[i];
    std::string failed = apply_mount(s.rootfs, m, s.plans[i]);
    if (failed.empty()) continue;
    const int err = errno;
    if (const size_t at = failed.find(m.source); at != std::string::npos) failed.replace(at, m.source.size(), s.mounts[i].source);
    setup_fail(s, failed, err);  // naming the source as configured
  }
}

// `tree`: the rootfs' mount tree from the supervisor (idmap_mount.h), moved onto the rootfs
// (s.rootfs_dir); the build then works from its root, ".". -1: a plain bind of the rootfs path.
void build_filesystem(JailSpec& s, int tree, const std::vector<std::string>& opened) {
  // The jail's namespace is its own: private. A joined one is someone else's: made a slave, as
  // runc does, so nothing mounted here propagates back to the host (and pivot_root, which refuses
  // a shared root, works), while its other mounts stay as they are.
  mount_or_fail(s, nullptr, "/", nullptr, MS_REC | (s.joined_mnt ? MS_SLAVE : MS_PRIVATE), nullptr);
  if (tree >= 0) {
    setup_must(s, syscall(SYS_move_mount, tree, "", s.rootfs_dir, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0,
               "mount the rootfs tree on " + s.rootfs + " (move_mount)");
    setup_must(s, fchdir(tree) == 0, "enter the rootfs " + s.rootfs);
    close(tree);
    close(s.rootfs_dir);
    s.rootfs = ".";
    // The tree is a clone of the host's mounts (open_tree) and shares their peer group when they
    // are shared (systemd makes "/" shared): cut it off, or the container's mounts on it would
    // appear in the host's mount table and pivot_root would refuse a shared root.
    mount_or_fail(s, nullptr, ".", nullptr, MS_REC | MS_PRIVATE, nullptr);
  } else {
    mount_or_fail(s, s.rootfs.c_str(), s.rootfs, nullptr, MS_BIND | MS_REC, nullptr);
  }
  const std::string& r = s.rootfs;
  for (const char* d : {"/dev", "/proc"}) need_dir(s, d);
  mount_own_tmp(s);
  apply_config_mounts(s, opened);  // their mount points below /dev are made while it is writable
  // The default set after the config's mounts, where runc makes its devices (a config mount at
  // pts, shm or mqueue replaces ours).
  if (auto failed = populate_dev(r, s.dev, s.fs.devices); !failed.empty()) setup_fail(s, failed, errno);
  mount_or_fail(s, nullptr, fd_path(open_point(s, "/dev")), nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC,
                "mode=755,size=64k");
  mount_or_fail(s, nullptr, r, nullptr, MS_REMOUNT | MS_BIND | (s.readonly_root ? MS_RDONLY : 0) | MS_NOSUID | MS_NODEV,
                nullptr);
  setup_must(s, chdir(r.c_str()) == 0, "chdir " + r);
  // In a joined namespace this also moves the root of its other processes whose root was its
  // root (the kernel's pivot_root does that), as under runc; the old root is detached from it.
  setup_must(s, syscall(SYS_pivot_root, ".", ".") == 0, "pivot_root into " + r);
  setup_must(s, umount2(".", MNT_DETACH) == 0, "detach the old root");
  setup_must(s, chdir("/") == 0, "chdir /");
}

// The config's sysctls (its namespaces are the sandbox's: sysctl.h), then its read-only and
// masked paths, in the sandbox's own root.
void protect_paths(const JailSpec& s) {
  std::string failed = write_sysctls(s.fs.sysctl);
  if (failed.empty()) failed = make_paths_readonly("/", s.fs.readonly_paths);
  if (failed.empty()) failed = mask_paths("/", s.fs.masked_paths);
  if (!failed.empty()) setup_fail(s, failed, errno);
}

}  // namespace

void open_sources(JailSpec& s, std::vector<std::string>& opened) {
  opened.assign(s.mounts.size(), "");
  s.rootfs_dir = open(s.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  setup_must(s, s.rootfs_dir >= 0, "open the rootfs " + s.rootfs);
  for (size_t i = 0; i < s.mounts.size(); ++i) {
    if (!(s.plans[i].flags & MS_BIND)) continue;
    const int fd = open(s.mounts[i].source.c_str(), O_PATH | O_CLOEXEC);
    setup_must(s, fd >= 0, "open the bind source " + s.mounts[i].source);
    opened[i] = "/proc/self/fd/" + std::to_string(fd);
  }
}

void build_root(JailSpec& s, int tree, const std::vector<std::string>& opened) {
  build_filesystem(s, tree, opened);
  if (s.set_hostname) setup_must(s, sethostname(s.hostname.data(), s.hostname.size()) == 0, "sethostname " + s.hostname);
  protect_paths(s);
}

}  // namespace edgeward::sandbox
