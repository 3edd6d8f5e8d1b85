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
#include "runtime/sandbox/jail_fs.h"

namespace edgeward::sandbox {
namespace {

// With the tree from the supervisor (a host id range, identity.h) the jail becomes its
// namespace's root (the range's first id) before it builds anything: what it creates in the
// rootfs and in its own tmpfs mounts is then container root's. That id may not traverse the
// host's directories, so the rootfs and every bind source are opened first (jail_fs.h).
void become_namespace_root(const JailSpec& s) {
  setup_must(s, syscall(SYS_setresgid, 0, 0, 0) == 0 && syscall(SYS_setresuid, 0, 0, 0) == 0,
             "become root of the sandbox's user namespace");
}

// A joined mount namespace (joined_mount.h): the supervisor's builder has made the container's
// root there and pivoted into it, which moved this process's root too (it was the namespace's);
// `root` is that root, entered again all the same so nothing depends on that.
void enter_built_root(const JailSpec& s, int root) {
  setup_must(s, root >= 0, "receive the container's root built in the joined mount namespace");
  setup_must(s, fchdir(root) == 0 && chroot(".") == 0 && chdir("/") == 0, "enter the container's root (fchdir, chroot)");
  close(root);
}

// Enter mode: the running sandbox's namespaces, the user namespace last (joining the others
// needs this process's privileges outside it); the mount namespace brings its root along.
void enter_namespaces(const JailSpec& s) {
  for (const auto& [fd, type] : s.enter) setup_must(s, setns(fd, type) == 0, "join the sandbox's namespaces (setns)");
  setup_must(s, chdir("/") == 0, "chdir / in the sandbox");
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
  setup_must(s, prctl(PR_SET_SECUREBITS, keep ? kKeepingBits : kLockedBits) == 0, "prctl(PR_SET_SECUREBITS)");
  // NO_SETUID_FIXUP keeps the capabilities across the switch; they go right below.
  setup_must(s, switch_identity(s.identity, s.ids), "become uid " + std::to_string(s.identity.uid) + " gid " +
                                           std::to_string(s.identity.gid) + " (process.user)");
  if (keep) {
    setup_must(s, limit_bounding_set(s.capabilities.bounding), "limit the bounding set to process.capabilities.bounding");
    setup_must(s, prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == 0, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
  } else if (!s.no_new_privs) {
    CapSets only;
    only.effective = only.permitted = kFilterCap;
    setup_must(s, limit_bounding_set(0) && set_capabilities(only),
         "drop all capabilities but CAP_SYS_ADMIN (permitted, effective: to load the seccomp filters)");
  } else {
    setup_must(s, drop_all_capabilities(), "drop all capabilities");
  }
  if (s.no_new_privs) setup_must(s, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "prctl(PR_SET_NO_NEW_PRIVS)");
}

// After the fork: the init keeps no capability and always has no_new_privs, the workload its own sets.
void drop_for_init(const JailSpec& s) {
  if (s.capabilities.any()) {
    setup_must(s, prctl(PR_SET_SECUREBITS, kLockedBits) == 0, "prctl(PR_SET_SECUREBITS) of the init");
    setup_must(s, drop_all_capabilities(), "drop the init's capabilities");
  } else if (!s.no_new_privs) {  // it holds kFilterCap alone, and no CAP_SETPCAP for the bounding set (empty already)
    setup_must(s, set_capabilities(CapSets{}), "drop the init's capabilities");
  }
  setup_must(s, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "prctl(PR_SET_NO_NEW_PRIVS) of the init");
}

void take_workload_capabilities(const JailSpec& s) {
  if (!s.capabilities.any()) return;
  setup_must(s, prctl(PR_SET_SECUREBITS, kWorkloadBits) == 0, "prctl(PR_SET_SECUREBITS) of the workload");
  CapSets sets = s.capabilities;
  if (!s.no_new_privs) {  // until its execve (kFilterCap)
    sets.effective |= kFilterCap;
    sets.permitted |= kFilterCap;
  }
  setup_must(s, set_capabilities(sets), "set process.capabilities (capset, ambient)");
}

// Ready, then blocked until someone opens the FIFO for reading (`start`). The FIFO is outside the
// new root: it is reached through the O_PATH descriptor's /proc/self/fd link.
void wait_at_gate(const JailSpec& s) {
  setup_must(s, write(s.gate_ready_fd, "R\n", 2) == 2, "report ready");
  close(s.gate_ready_fd);
  const std::string link = "/proc/self/fd/" + std::to_string(s.gate_fifo_fd);
  const int fd = open(link.c_str(), O_WRONLY | O_CLOEXEC);
  setup_must(s, fd >= 0, "open the exec fifo");
  setup_must(s, write(fd, "0", 1) == 1, "write the exec fifo");
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
    if (auto cfg = s.config_filter->load(s.no_new_privs); !cfg) setup_fail(s, "linux.seccomp: " + cfg.error().message, EPERM);
  }
  // A notifying filter first (its listener is close-on-exec: the supervisor takes a copy at
  // the first traced call, the workload never has it); the ptrace-only one if it is refused.
  auto loaded = s.filter->load(s.no_new_privs);
  if (!loaded && s.fallback_filter) loaded = s.fallback_filter->load(s.no_new_privs);
  if (!loaded) setup_fail(s, loaded.error().message, EPERM);
  execvp(argv[0], argv.data());
  setup_fail(s, "execve " + s.argv[0] + " inside the rootfs", errno);
}

}  // namespace

void jail_main(const JailSpec& s) {
  const int tree = receive_go(s.sync_fd);
  if (tree == -2) _exit(127);  // the parent gave up
  close(s.sync_fd);
  // The parent has moved it into the sandbox's cgroup by now: the new namespace's root is there.
  if (s.new_cgroup_ns) setup_must(s, unshare(CLONE_NEWCGROUP) == 0, "unshare a cgroup namespace (linux.namespaces: cgroup)");
  setup_must(s, setsid() >= 0, "setsid");  // no controlling terminal: TIOCSTI cannot reach the caller's
  if (!s.enter.empty()) {
    enter_namespaces(s);
  } else if (s.joined_mnt) {
    become_namespace_root(s);
    enter_built_root(s, tree);
  } else {
    JailSpec own = s;                 // the build rewrites its rootfs path and descriptors
    std::vector<std::string> opened;  // the bind sources, opened before the jail became the namespace's root
    if (tree >= 0) {
      open_sources(own, opened);
      become_namespace_root(s);
    }
    build_root(own, tree, opened);
  }
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
  setup_must(s, chdir(s.cwd.c_str()) == 0, "chdir " + s.cwd + " inside the rootfs");
  if (s.gate_fifo_fd >= 0) wait_at_gate(s);

  reset_signal_dispositions();
  const sigset_t forwarded = init_forwarded_signals();
  sigprocmask(SIG_BLOCK, &forwarded, nullptr);
  // A raw fork, as the jail itself was made: no atfork handlers of the supervisor's libraries.
  const pid_t workload = static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, nullptr));
  setup_must(s, workload >= 0, "fork the workload");
  if (workload == 0) exec_workload(s);
  drop_for_init(s);
  exec_init(s.init_exe_fd, workload, !s.enter.empty() ? kEnteredFlag : s.joined_pid ? kJoinedFlag : nullptr);
  setup_fail(s, "execute the sandbox's init (pid 1)", errno);
}

}  // namespace edgeward::sandbox
