#include "runtime/sandbox/jail.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "runtime/sandbox/idmap_mount.h"
#include "runtime/sandbox/init.h"
#include "runtime/sandbox/masked_paths.h"
#include "runtime/sandbox/sysctl.h"

namespace edgeward::sandbox {
namespace {

[[noreturn]] void fail(const JailSpec& s, const std::string& what, int err) {
  const std::string msg = what + ": " + std::strerror(err);
  if (write(s.error_fd, msg.data(), msg.size()) < 0) {
  }
  _exit(127);
}

void must(const JailSpec& s, bool ok, const std::string& what) {
  if (!ok) fail(s, what, errno);
}

void mount_or_fail(const JailSpec& s, const char* src, const std::string& dst, const char* type, unsigned long flags,
                   const char* data) {
  must(s, mount(src, dst.c_str(), type, flags, data) == 0,
       std::string("mount ") + (type ? type : src ? src : "(remount)") + " on " + dst);
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The sandbox's own mount points: created in the image when missing (as runc does), so no
// layout is assumed beyond a directory.
void need_dir(const JailSpec& s, const std::string& dir) {
  if (is_dir(s.rootfs + dir)) return;
  must(s, make_mount_point(s.rootfs, dir, false), "rootfs " + s.rootfs + ": create the mount point " + dir);
}

// The sandbox's own /dev (a tmpfs, filled after the config's mounts: some go below it) and /proc.
void mount_own_dev(const JailSpec& s) {
  mount_or_fail(s, "tmpfs", s.rootfs + "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k");
}
void mount_own_proc(const JailSpec& s) {
  if (s.proc_fd < 0) {
    mount_or_fail(s, "proc", s.rootfs + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);
    return;
  }
  const std::string at = s.rootfs + "/proc";
  must(s, syscall(SYS_move_mount, s.proc_fd, "", AT_FDCWD, at.c_str(), MOVE_MOUNT_F_EMPTY_PATH) == 0,
       "mount the joined pid namespace's proc on " + at + " (move_mount)");
}

// The config's mounts in their order, with the sandbox's /dev and /proc where the config lists
// its own (runc mounts in config order; runtimetest checks that order in mountinfo).
// `opened`: the bind sources' /proc/self/fd paths (become_namespace_root), or empty.
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
    fail(s, failed, err);  // naming the source as configured
  }
}

// With a rootfs tree from the supervisor (a host id range, identity.h) the jail becomes its
// namespace's root (the range's first id) before it builds anything: what it creates in the
// rootfs and in its own tmpfs mounts is then container root's. That id may not traverse the
// host's directories, so the rootfs and every bind source are opened first (O_PATH) and reached
// through descriptors from then on.
void become_namespace_root(JailSpec& s, std::vector<std::string>& opened) {
  opened.assign(s.mounts.size(), "");
  s.rootfs_dir = open(s.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  must(s, s.rootfs_dir >= 0, "open the rootfs " + s.rootfs);
  for (size_t i = 0; i < s.mounts.size(); ++i) {
    if (!(s.plans[i].flags & MS_BIND)) continue;
    const int fd = open(s.mounts[i].source.c_str(), O_PATH | O_CLOEXEC);
    must(s, fd >= 0, "open the bind source " + s.mounts[i].source);
    opened[i] = "/proc/self/fd/" + std::to_string(fd);
  }
  must(s, syscall(SYS_setresgid, 0, 0, 0) == 0 && syscall(SYS_setresuid, 0, 0, 0) == 0,
       "become root of the sandbox's user namespace");
}

// `tree`: the rootfs' mount tree from the supervisor (idmap_mount.h), moved onto the rootfs
// (s.rootfs_dir); the jail then works from its root, ".". -1: a plain bind of the rootfs path.
void build_filesystem(JailSpec& s, int tree, const std::vector<std::string>& opened) {
  mount_or_fail(s, nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
  if (tree >= 0) {
    must(s, syscall(SYS_move_mount, tree, "", s.rootfs_dir, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) == 0,
         "mount the rootfs tree on " + s.rootfs + " (move_mount)");
    must(s, fchdir(tree) == 0, "enter the rootfs " + s.rootfs);
    close(tree);
    close(s.rootfs_dir);
    s.rootfs = ".";
  } else {
    mount_or_fail(s, s.rootfs.c_str(), s.rootfs, nullptr, MS_BIND | MS_REC, nullptr);
  }
  const std::string& r = s.rootfs;
  for (const char* d : {"/dev", "/proc"}) need_dir(s, d);
  if (is_dir(r + "/tmp")) {  // an image without /tmp (a pause image) gets none
    mount_or_fail(s, "tmpfs", r + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=64m");
  }
  apply_config_mounts(s, opened);  // their mount points below /dev are made while it is writable
  // The default set after the config's mounts, where runc makes its devices (a config mount at
  // pts, shm or mqueue replaces ours).
  if (auto failed = populate_dev(r, s.dev, s.fs.devices); !failed.empty()) fail(s, failed, errno);
  mount_or_fail(s, nullptr, r + "/dev", nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, "mode=755,size=64k");
  mount_or_fail(s, nullptr, r, nullptr, MS_REMOUNT | MS_BIND | (s.readonly_root ? MS_RDONLY : 0) | MS_NOSUID | MS_NODEV,
                nullptr);
  must(s, chdir(r.c_str()) == 0, "chdir " + r);
  must(s, syscall(SYS_pivot_root, ".", ".") == 0, "pivot_root into " + r);
  must(s, umount2(".", MNT_DETACH) == 0, "detach the old root");
  must(s, chdir("/") == 0, "chdir /");
}

// The config's sysctls (its namespaces are the sandbox's: sysctl.h), then its read-only and
// masked paths, in the sandbox's own root.
void protect_paths(const JailSpec& s) {
  std::string failed = write_sysctls(s.fs.sysctl);
  if (failed.empty()) failed = make_paths_readonly("/", s.fs.readonly_paths);
  if (failed.empty()) failed = mask_paths("/", s.fs.masked_paths);
  if (!failed.empty()) fail(s, failed, errno);
}

// Enter mode: the running sandbox's namespaces, the user namespace last (joining the others
// needs this process's privileges outside it); the mount namespace brings its root along.
void enter_namespaces(const JailSpec& s) {
  for (const auto& [fd, type] : s.enter) must(s, setns(fd, type) == 0, "join the sandbox's namespaces (setns)");
  must(s, chdir("/") == 0, "chdir / in the sandbox");
}

// Without capabilities: NOROOT and NO_SETUID_FIXUP locked on (nothing is ever regained).
constexpr unsigned long kLockedBits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                      SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
// With process.capabilities, until the fork: the same bits, not locked yet (the workload then
// locks the kernel's ordinary rules, as under runc: capabilities.h).
constexpr unsigned long kKeepingBits = SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP | SECBIT_KEEP_CAPS_LOCKED;
constexpr unsigned long kWorkloadBits = SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;

// Without no_new_privs (process.noNewPrivileges false) the workload loads its filters with
// CAP_SYS_ADMIN of its own user namespace instead; it holds it in its effective and permitted
// sets only: never bounding, inheritable or ambient, so its execve drops it (the kernel computes
// the new permitted set from those and the file's capabilities alone).
constexpr uint64_t kFilterCap = 1ull << CAP_SYS_ADMIN;

void drop_privileges(const JailSpec& s) {
  const bool keep = s.capabilities.any();
  must(s, prctl(PR_SET_SECUREBITS, keep ? kKeepingBits : kLockedBits) == 0, "prctl(PR_SET_SECUREBITS)");
  // NO_SETUID_FIXUP keeps the capabilities across the switch; they go right below.
  must(s, switch_identity(s.identity, s.ids), "become uid " + std::to_string(s.identity.uid) + " gid " +
                                           std::to_string(s.identity.gid) + " (process.user)");
  if (keep) {
    must(s, limit_bounding_set(s.capabilities.bounding), "limit the bounding set to process.capabilities.bounding");
    must(s, prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == 0, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
  } else if (!s.no_new_privs) {
    CapSets only;
    only.effective = only.permitted = kFilterCap;
    must(s, limit_bounding_set(0) && set_capabilities(only),
         "drop all capabilities but CAP_SYS_ADMIN (permitted, effective: to load the seccomp filters)");
  } else {
    must(s, drop_all_capabilities(), "drop all capabilities");
  }
  if (s.no_new_privs) must(s, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "prctl(PR_SET_NO_NEW_PRIVS)");
}

// After the fork: the init keeps no capability and always has no_new_privs, the workload its own sets.
void drop_for_init(const JailSpec& s) {
  if (s.capabilities.any()) {
    must(s, prctl(PR_SET_SECUREBITS, kLockedBits) == 0, "prctl(PR_SET_SECUREBITS) of the init");
    must(s, drop_all_capabilities(), "drop the init's capabilities");
  } else if (!s.no_new_privs) {  // it holds kFilterCap alone, and no CAP_SETPCAP for the bounding set (empty already)
    must(s, set_capabilities(CapSets{}), "drop the init's capabilities");
  }
  must(s, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "prctl(PR_SET_NO_NEW_PRIVS) of the init");
}

void take_workload_capabilities(const JailSpec& s) {
  if (!s.capabilities.any()) return;
  must(s, prctl(PR_SET_SECUREBITS, kWorkloadBits) == 0, "prctl(PR_SET_SECUREBITS) of the workload");
  CapSets sets = s.capabilities;
  if (!s.no_new_privs) {  // until its execve (kFilterCap)
    sets.effective |= kFilterCap;
    sets.permitted |= kFilterCap;
  }
  must(s, set_capabilities(sets), "set process.capabilities (capset, ambient)");
}

// Ready, then blocked until someone opens the FIFO for reading (`start`). The FIFO is outside the
// new root: it is reached through the O_PATH descriptor's /proc/self/fd link.
void wait_at_gate(const JailSpec& s) {
  must(s, write(s.gate_ready_fd, "R\n", 2) == 2, "report ready");
  close(s.gate_ready_fd);
  const std::string link = "/proc/self/fd/" + std::to_string(s.gate_fifo_fd);
  const int fd = open(link.c_str(), O_WRONLY | O_CLOEXEC);
  must(s, fd >= 0, "open the exec fifo");
  must(s, write(fd, "0", 1) == 1, "write the exec fifo");
  close(fd);
  close(s.gate_fifo_fd);
}

// Default dispositions for every signal: the jail is a copy of the supervisor, whose handlers
// and ignored signals (SIG_IGN survives execve) are not the workload's business, and the init
// must see SIGCHLD to reap.
void reset_signal_dispositions() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, nullptr);  // the C library's reserved ones refuse
  }
}

// The forked workload: once its init is confined, empty signal mask, its seccomp filter, exec.
[[noreturn]] void exec_workload(const JailSpec& s) {
  // Its init is outside the pid namespace, or not that namespace's pid 1: nothing ends it with the init.
  if (!s.enter.empty() || s.joined_pid) prctl(PR_SET_PDEATHSIG, SIGKILL);
  await_confined_init();
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  take_workload_capabilities(s);
  if (s.umask) umask(static_cast<mode_t>(*s.umask));
  std::vector<char*> argv;
  for (const auto& a : s.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // The config's profile first (it lets the seccomp call through for ours; config_seccomp.h).
  if (s.config_filter) {
    if (auto cfg = s.config_filter->load(s.no_new_privs); !cfg) fail(s, "linux.seccomp: " + cfg.error().message, EPERM);
  }
  // A notifying filter first (its listener is close-on-exec: the supervisor takes a copy at
  // the first traced call, the workload never has it); the ptrace-only one if it is refused.
  auto loaded = s.filter->load(s.no_new_privs);
  if (!loaded && s.fallback_filter) loaded = s.fallback_filter->load(s.no_new_privs);
  if (!loaded) fail(s, loaded.error().message, EPERM);
  execvp(argv[0], argv.data());
  fail(s, "execve " + s.argv[0] + " inside the rootfs", errno);
}

}  // namespace

void jail_main(const JailSpec& s) {
  const int tree = receive_go(s.sync_fd);
  if (tree == -2) _exit(127);  // the parent gave up
  close(s.sync_fd);
  // The parent has moved it into the sandbox's cgroup by now: the new namespace's root is there.
  if (s.new_cgroup_ns) must(s, unshare(CLONE_NEWCGROUP) == 0, "unshare a cgroup namespace (linux.namespaces: cgroup)");
  must(s, setsid() >= 0, "setsid");  // no controlling terminal: TIOCSTI cannot reach the caller's
  JailSpec own = s;
  std::vector<std::string> opened;  // the bind sources, opened before the jail became the namespace's root
  if (tree >= 0) become_namespace_root(own, opened);
  if (s.enter.empty()) {
    build_filesystem(own, tree, opened);
  } else {
    enter_namespaces(s);
  }
  if (s.enter.empty() && s.set_hostname) must(s, sethostname(s.hostname.data(), s.hostname.size()) == 0, "sethostname " + s.hostname);
  if (s.enter.empty()) protect_paths(s);
  drop_privileges(s);

  // Descriptors: 0-2 are kept (the caller's stdio), the error pipe and this binary close on
  // exec, all else goes.
  for (int fd = 3; fd < 1024; ++fd) {
    if (fd != s.error_fd && fd != s.gate_ready_fd && fd != s.gate_fifo_fd && fd != s.init_exe_fd) close(fd);
  }
  // A clean environment: nothing of the caller's leaks in.
  clearenv();
  setenv("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", 1);
  setenv("HOME", "/", 1);
  for (const auto& kv : s.env) putenv(const_cast<char*>(kv.c_str()));
  must(s, chdir(s.cwd.c_str()) == 0, "chdir " + s.cwd + " inside the rootfs");
  if (s.gate_fifo_fd >= 0) wait_at_gate(s);

  reset_signal_dispositions();
  const sigset_t forwarded = init_forwarded_signals();
  sigprocmask(SIG_BLOCK, &forwarded, nullptr);
  // A raw fork, as the jail itself was made: no atfork handlers of the supervisor's libraries.
  const pid_t workload = static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  must(s, workload >= 0, "fork the workload");
  if (workload == 0) exec_workload(s);
  drop_for_init(s);
  exec_init(s.init_exe_fd, workload, !s.enter.empty() ? kEnteredFlag : s.joined_pid ? kJoinedFlag : nullptr);
  fail(s, "execute the sandbox's init (pid 1)", errno);
}

}  // namespace edgeward::sandbox
