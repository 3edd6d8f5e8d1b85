/* The cost of one inspected call: N stat() and N open()+close() of the same file, and N
 * getppid() (not inspected) for reference. Prints nanoseconds per call on stderr. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  const int n = argc > 1 ? atoi(argv[1]) : 20000;
  const char* path = argc > 2 ? argv[2] : "/bin/busybox";
  struct stat st;
  const double t0 = now();
  for (int i = 0; i < n; ++i) stat(path, &st);
  const double t1 = now();
  for (int i = 0; i < n; ++i) close(open(path, O_RDONLY));
  const double t2 = now();
  for (int i = 0; i < n; ++i) syscall(SYS_getppid);
  const double t3 = now();
  fprintf(stderr, "pathcalls: stat %.0f ns, open+close %.0f ns, getppid %.0f ns\n", (t1 - t0) / n * 1e9,
          (t2 - t1) / n * 1e9, (t3 - t2) / n * 1e9);
  return 0;
}
