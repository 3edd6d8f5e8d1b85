/* Children created every way (fork, vfork, clone, clone with CLONE_UNTRACED) try a denied open
 * immediately, before a tracer could have attached if attachment were lazy. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include "hostile.h"

static int child(void* arg) {
  (void)arg;
  int fd = open("/etc/secret", O_RDONLY);
  _exit(fd >= 0 ? EXIT_ESCAPED : 0);
}

static char stack[65536];

int main(void) {
  for (int i = 0; i < 50; ++i) {
    pid_t p = fork();
    if (p == 0) child(NULL);
    int st;
    waitpid(p, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_ESCAPED) escaped("fork child opened /etc/secret");
    p = vfork();
    if (p == 0) child(NULL);
    waitpid(p, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_ESCAPED) escaped("vfork child opened /etc/secret");
    p = clone(child, stack + sizeof stack, CLONE_UNTRACED | SIGCHLD, NULL);
    if (p > 0) {
      waitpid(p, &st, 0);
      if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_ESCAPED) escaped("CLONE_UNTRACED child opened /etc/secret");
    }
  }
  return refused();
}
