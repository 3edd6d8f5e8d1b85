#include "runtime/sandbox/joined_mount.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/child_wait.h"
#include "common/errno_error.h"
#include "runtime/sandbox/idmap_mount.h"
#include "runtime/sandbox/jail_fs.h"

namespace edgeward::sandbox {
namespace {

bool same_namespace(int fd, const char* path) {
  struct stat a {}, b {};
  return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

// Whether pid 2 is kthreadd (its parent is pid 0: the initial pid namespace), whose mount
// namespace is the initial one for good; pid 1's may be unreadable (a protected init) or its own.
bool kernel_threads_pid() {
  UniqueFd status(open("/proc/2/status", O_RDONLY | O_CLOEXEC));
  char buf[1024] = {};
  const ssize_t n = status.valid() ? read(status.get(), buf, sizeof buf - 1) : -1;
  return n > 0 && std::strstr(buf, "\nPPid:\t0\n") != nullptr;
}

// File-system data's uid= and gid= are read in the mounter's user namespace (devpts' gid=5, a
// tmpfs' uid=): the builder's is the host's, so the container's ids are given as their host
// ids. Empty: one is not mapped (the jail's mount would fail with it too).
std::string host_ids_in_data(const std::string& data, const IdMaps& ids) {
  std::string out;
  for (size_t pos = 0; pos < data.size();) {
    const size_t end = std::min(data.find(',', pos), data.size());
    std::string opt = data.substr(pos, end - pos);
    pos = end + 1;
    const bool uid = opt.starts_with("uid="), gid = opt.starts_with("gid=");
    if (uid || gid) {
      char* rest = nullptr;
      const unsigned long id = std::strtoul(opt.c_str() + 4, &rest, 10);
      const auto host = uid ? ids.host_uid(static_cast<uint32_t>(id)) : ids.host_gid(static_cast<uint32_t>(id));
      if (!host || *rest != '\0' || id > UINT32_MAX) return "";
      opt = opt.substr(0, 4) + std::to_string(*host);
    }
    out += (out.empty() ? "" : ",") + opt;
  }
  return out;
}

// In the builder, in the jail's pid namespace (a raw fork: the supervisor may have threads).
[[noreturn]] void build(JailSpec s, int tree, int report) {
  setup_must(s, tree >= 0, "no rootfs tree to build the container's root from (edgeward must run as root)");
  std::vector<std::string> opened;
  open_sources(s, opened);  // as host root, in the joined namespace (as runc resolves them)
  const auto uid = s.ids.host_uid(0);
  const auto gid = s.ids.host_gid(0);
  if (!uid || !gid) setup_fail(s, "the container's uid 0 and gid 0 must be mapped to build its root", EINVAL);
  // Container root's ids for what it creates; the kernel drops the file-system capabilities
  // with a non-zero fsuid (CAP_DAC_OVERRIDE among them), CAP_SYS_ADMIN stays for the mounts.
  setup_must(s, syscall(SYS_setgroups, 0, nullptr) == 0, "drop the supplementary groups (setgroups)");
  syscall(SYS_setfsgid, *gid);
  syscall(SYS_setfsuid, *uid);
  setup_must(s, syscall(SYS_setfsgid, -1) == static_cast<long>(*gid) && syscall(SYS_setfsuid, -1) == static_cast<long>(*uid),
             "take container root's host ids " + std::to_string(*uid) + ":" + std::to_string(*gid) + " (setfsuid, setfsgid)");
  for (size_t i = 0; i < s.plans.size(); ++i) {
    std::string& data = s.plans[i].data;
    if (data.empty()) continue;
    data = host_ids_in_data(data, s.ids);
    if (data.empty()) setup_fail(s, "mounts: " + s.mounts[i].destination + ": a uid= or gid= of its options is not mapped", EINVAL);
  }
  if (s.dev.ids_mapped) s.dev.tty_gid = *s.ids.host_gid(5);
  build_root(s, tree, opened);
  const int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  setup_must(s, root >= 0 && send_go(report, root), "hand the container's root to the sandbox");
  _exit(0);
}

// In the first helper: the jail's namespaces, the mount one last (it changes the root through
// which /proc is reached), then the builder forked into its pid namespace; exits as it does.
[[noreturn]] void enter_and_build(pid_t jail, const JailSpec& s, int tree, int report) {
  std::vector<std::pair<int, std::string>> fds;
  for (const char* name : {"net", "ipc", "uts", "pid", "mnt"}) {
    const std::string path = "/proc/" + std::to_string(jail) + "/ns/" + name;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    setup_must(s, fd >= 0, "open the sandbox's namespace " + path);
    fds.emplace_back(fd, path);
  }
  for (const auto& [fd, path] : fds) setup_must(s, setns(fd, 0) == 0, "join the sandbox's namespace " + path + " (setns)");
  const long pid = syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  setup_must(s, pid >= 0, "fork the builder into the sandbox's pid namespace");
  if (pid == 0) build(s, tree, report);
  int status = 0;
  wait_for_child(static_cast<pid_t>(pid), &status);
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

}  // namespace

edgeward::Status joinable_mount_namespace(int fd, const std::string& path) {
  const std::string what = "linux.namespaces: the mount namespace " + path;
  if (geteuid() != 0) {
    return Error{ErrorCode::kPermission, "linux.namespaces: joining the mount namespace " + path +
                                             " needs edgeward to run as root (the container's root is built in it by host root)"};
  }
  const std::string instead = ": the container's root is pivoted into place in a joined mount namespace, which "
                              "moves the root of every process there; give one made for the container (e.g. by "
                              "`unshare --mount`), or leave the path out";
  if (same_namespace(fd, "/proc/1/ns/mnt") || (kernel_threads_pid() && same_namespace(fd, "/proc/2/ns/mnt"))) {
    return Error{ErrorCode::kPermission, what + " may not be joined: it is the host's initial mount namespace (that of "
                                                "pid 1 or of the kernel's threads)" + instead};
  }
  if (same_namespace(fd, "/proc/self/ns/mnt")) {
    return Error{ErrorCode::kPermission, what + " may not be joined: it is edgeward's own mount namespace" + instead};
  }
  UniqueFd owner(ioctl(fd, NS_GET_USERNS));
  if (!owner.valid() || !same_namespace(owner.get(), "/proc/self/ns/user")) {
    return Error::unsupported(what + " is owned by another user namespace than the host's (e.g. another container's): "
                                     "joining it is not supported; give one made by host root (e.g. by `unshare --mount`)");
  }
  return {};
}

Result<UniqueFd> build_in_mount_namespace(pid_t jail, const JailSpec& spec, int tree) {
  const std::string what = "linux.namespaces: cannot build the container's root in the joined mount namespace";
  int errs[2], pair[2];
  if (pipe2(errs, O_CLOEXEC) != 0) return errno_error(what + " (pipe2)");
  UniqueFd err_read(errs[0]), err_write(errs[1]);
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return errno_error(what + " (socketpair)");
  UniqueFd ours(pair[0]), theirs(pair[1]);
  JailSpec s = spec;
  s.error_fd = err_write.get();
  s.joined_mnt = true;
  const long helper = syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr);
  if (helper < 0) return errno_error(what + " (fork a helper)");
  if (helper == 0) enter_and_build(jail, s, tree, theirs.get());
  err_write.reset();
  theirs.reset();
  const int fd = receive_go(ours.get());  // the root, or nothing once both have exited
  UniqueFd root(fd >= 0 ? fd : -1);
  int status = 0;
  wait_for_child(static_cast<pid_t>(helper), &status);
  if (root.valid() && WIFEXITED(status) && WEXITSTATUS(status) == 0) return root;
  char text[4096];  // setup_fail writes its message at once
  const ssize_t n = read(err_read.get(), text, sizeof text);
  const std::string why = n > 0 ? std::string(text, static_cast<size_t>(n)) : "the builder ended without saying why";
  return Error::io(what + ": " + why);
}

}  // namespace edgeward::sandbox
