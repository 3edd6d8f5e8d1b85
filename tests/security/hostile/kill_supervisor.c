/* Killing the supervisor and the sandbox's init. The supervisor lives outside the pid namespace,
 * so no pid names it; pid 1 (the init, this program's parent) is the namespace's init, which
 * ignores every signal sent from inside (SIGTERM it forwards back here, where it is ignored). Had
 * either died, this program would have died with it (PTRACE_O_EXITKILL, the namespace's end): the
 * test would see a SIGKILL instead of exit 0. */
#include <signal.h>
#include "hostile.h"

int main(void) {
  signal(SIGTERM, SIG_IGN);
  const pid_t parent = getppid();
  if (parent != 1) printf("parent is %d, not the sandbox's init\n", (int)parent);
  kill(parent, SIGKILL);
  kill(1, SIGTERM);
  for (pid_t p = 1; p < 4096; ++p) {
    if (p != getpid()) kill(p, SIGKILL);
  }
  kill(-1, SIGKILL); /* everything visible but pid 1 and ourselves */
  usleep(100000);
  if (getppid() != parent) escaped("the sandbox's init died");
  puts("still supervised and alive");
  return refused();
}
