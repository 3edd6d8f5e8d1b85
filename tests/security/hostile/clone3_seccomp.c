/* clone3 (flags hidden in memory) and stacking a filter that would confuse the supervisor. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include "hostile.h"

int main(void) {
  struct {
    unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  } args = {.flags = 0x10000000 /* CLONE_NEWUSER */, .exit_signal = 17};
  long rc = syscall(SYS_clone3, &args, sizeof args);
  if (rc == 0) _exit(0);
  must_fail(rc, "clone3 with CLONE_NEWUSER");
  struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE)};
  struct sock_fprog prog = {1, f};
  must_fail(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog), "seccomp(SET_MODE_FILTER)");
  must_fail(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0), "prctl(PR_SET_SECCOMP)");
  return refused();
}
