#include "runtime/sandbox/init.h"

#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace edgeward::sandbox {
namespace {

// The init's only seccomp filter (it never runs the workload's): the calls of its loop; any other
// call kills it, and with it the namespace.
bool confine() {
  static constexpr const char* kCalls[] = {
      "rt_sigtimedwait",  // sigwaitinfo: waiting for a signal to forward or a child to reap
      "wait4",            // waitpid: reaping the workload and every orphan
      "kill",             // forwarding a signal to the workload
      "restart_syscall",  // a stop/continue of the init interrupting its wait
      "exit_group",       // the end, with the workload's status
  };
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (!ctx) return false;
  for (const char* name : kCalls) {
    if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(name), 0) != 0) return false;
  }
  // The context is not released: free() may need a call the filter now refuses, and the
  // process ends with its loop.
  return seccomp_load(ctx) == 0;
}

int status_of(int wait_status) {
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status);
}

}  // namespace

sigset_t init_forwarded_signals() {
  sigset_t set;
  sigfillset(&set);  // without the C library's reserved ones
  // Raised only by the init's own faults: left deliverable so that a fault ends it at once.
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT}) sigdelset(&set, sig);
  return set;
}

bool is_init_invocation(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[0], kInitName) != 0) return false;
  return (argc == 2 && getpid() == 1) ||
         (argc == 3 && (std::strcmp(argv[2], kEnteredFlag) == 0 || std::strcmp(argv[2], kJoinedFlag) == 0));
}

// SIGRTMIN, not a standard signal: a workload's own SIGUSR1 forwarded later is never merged into it,
// and qemu-user maps it (it cannot map SIGRTMAX).
int init_start_signal() { return SIGRTMIN; }

void await_confined_init() {
  sigset_t start;
  sigemptyset(&start);
  sigaddset(&start, init_start_signal());
  siginfo_t info;
  // The parent: the init at pid 1 (1 on both sides), or an entered process's init outside the
  // namespace (0 on both sides: neither is visible in here).
  while (sigwaitinfo(&start, &info) != init_start_signal() || info.si_pid != getppid()) {
  }
}

void exec_init(int exe_fd, pid_t workload, const char* flag) {
  char pid_arg[16];
  std::snprintf(pid_arg, sizeof pid_arg, "%d", static_cast<int>(workload));
  char* const argv[] = {const_cast<char*>(kInitName), pid_arg, const_cast<char*>(flag),
                        nullptr};
  char* const envp[] = {nullptr};
  for (int fd = 0; fd < 3; ++fd) close(fd);  // the workload's stdio stays the workload's
  syscall(SYS_execveat, exe_fd, "", argv, envp, AT_EMPTY_PATH);
}

int init_main(int argc, char** argv) {
  char* end = nullptr;
  const long workload = argc >= 2 ? std::strtol(argv[1], &end, 10) : 0;
  if (workload <= 1 || *end != '\0') return 127;
  prctl(PR_SET_DUMPABLE, 0);  // nothing in the namespace may trace it or read /proc/1/{mem,environ,exe}
  // Not pid 1 of a joined pid namespace: the workload's orphans come here all the same.
  if (argc == 3 && std::strcmp(argv[2], kJoinedFlag) == 0 && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) _exit(127);
  // The jail blocked these before the fork (the mask survives execve), so nothing sent to the
  // init was lost while it started; here they are waited for instead of delivered.
  const sigset_t waited = init_forwarded_signals();
  sigprocmask(SIG_BLOCK, &waited, nullptr);
  if (!confine()) _exit(127);
  kill(static_cast<pid_t>(workload), init_start_signal());  // await_confined_init()
  for (;;) {
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      // _exit: no atexit handler or static destructor runs under the init's filter. The namespace's
      // other tasks die with the init (in a joined pid namespace, the supervisor kills them).
      if (pid == workload) _exit(status_of(status));
    }
    if (pid < 0 && errno == ECHILD) _exit(127);  // no child left, yet the workload was never reaped
    siginfo_t info;
    const int sig = sigwaitinfo(&waited, &info);
    if (sig > 0 && sig != SIGCHLD) kill(static_cast<pid_t>(workload), sig);
  }
}

}  // namespace edgeward::sandbox
