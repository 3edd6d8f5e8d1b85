// Waiting for a child process to end through signals: a handler (the monitor's, a test's) can
// interrupt waitpid with EINTR at any time, and a child left unreaped is a zombie for the life of
// the caller.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>

namespace edgeward {

// waitpid(pid, status, 0), again while a signal interrupts it: the child's pid, or -1 with errno
// set (ECHILD: not the caller's child, or reaped already; `status` is then left as it was).
inline pid_t wait_for_child(pid_t pid, int* status = nullptr) {
  pid_t got;
  do {
    got = ::waitpid(pid, status, 0);
  } while (got < 0 && errno == EINTR);
  return got;
}

// SIGKILL, then reaped: for a child that must not outlive its caller's failure path.
inline void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  wait_for_child(pid);
}

}  // namespace edgeward
