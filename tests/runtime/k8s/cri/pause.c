/* The pod sandbox's process for the CRI test's pause image (built here, static, as /pause in an
 * image with nothing else: no /bin, no /tmp, like the upstream pause image). Holds the pod's
 * namespaces, reaps orphans, exits 0 on SIGTERM or SIGINT. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) { (void)sig; _exit(0); }
static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = stop;
  sigaction(SIGTERM, &sa, 0);
  sigaction(SIGINT, &sa, 0);
  sa.sa_handler = reap;
  sigaction(SIGCHLD, &sa, 0);
  for (;;) pause();
}
