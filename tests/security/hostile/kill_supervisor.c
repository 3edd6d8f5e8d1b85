/* Killing the supervisor: it lives outside the pid namespace, so no pid reaches it. If it did
 * die, PTRACE_O_EXITKILL would take this program down (the test sees a SIGKILL). */
#include <signal.h>
#include "hostile.h"

int main(void) {
  signal(SIGTERM, SIG_IGN);
  must_fail(kill(getppid() > 0 ? getppid() : 99999, SIGKILL), "kill the parent");
  for (pid_t p = 2; p < 4096; ++p) kill(p, SIGKILL);
  kill(-1, SIGKILL);  /* everything visible but ourselves */
  usleep(100000);
  puts("still supervised and alive");
  return refused();
}
