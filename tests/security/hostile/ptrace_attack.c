/* ptrace of the supervisor (parent), of pid 1, of a sibling child, and PTRACE_TRACEME. */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include "hostile.h"

int main(void) {
  must_fail(ptrace(PTRACE_ATTACH, getppid(), 0, 0), "attach to the parent");
  must_fail(ptrace(PTRACE_SEIZE, 1, 0, 0), "seize pid 1");
  must_fail(ptrace(PTRACE_TRACEME, 0, 0, 0), "PTRACE_TRACEME");
  pid_t c = fork();
  if (c == 0) {
    pause();
    _exit(0);
  }
  must_fail(ptrace(PTRACE_ATTACH, c, 0, 0), "attach to a sibling");
  must_fail(ptrace(PTRACE_SEIZE, c, 0, 0), "seize a sibling");
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  return refused();
}
