/* New namespaces (unshare, clone flags) and joining others (setns). */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include "hostile.h"

static int child(void* a) {
  (void)a;
  _exit(0);
}
static char stack[65536];

int main(void) {
  must_fail(unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)");
  must_fail(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)");
  must_fail(unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)");
  must_fail(clone(child, stack + sizeof stack, CLONE_NEWUSER | SIGCHLD, NULL), "clone(CLONE_NEWUSER)");
  must_fail(clone(child, stack + sizeof stack, CLONE_NEWNS | CLONE_NEWPID | SIGCHLD, NULL), "clone(CLONE_NEWNS)");
  int fd = open("/proc/1/ns/mnt", O_RDONLY);
  must_fail(fd >= 0 ? setns(fd, 0) : -1, "setns into /proc/1/ns/mnt");
  must_fail(setns(0, CLONE_NEWNS), "setns on a plain descriptor");
  return refused();
}
