/* getpid in a loop: calls the sandbox lets through at kernel speed (never inspected).
 * `getpid_loop N floor` first installs a seccomp filter that allows everything (one BPF
 * instruction, answered from the kernel's per-syscall cache): the floor of any seccomp sandbox,
 * i.e. the cost of the kernel's syscall entry with seccomp work pending. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int allow_all_filter(void) {
  struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {1, &allow};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
}

int main(int argc, char** argv) {
  long n = argc > 1 ? atol(argv[1]) : 10000000;
  if (argc > 2 && strcmp(argv[2], "floor") == 0 && !allow_all_filter()) {
    perror("getpid_loop: installing the allow-all filter");
    return 1;
  }
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; ++i) syscall(SYS_getpid);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
  fprintf(stderr, "getpid: %.1f ns/call\n", ns);
  return 0;
}
