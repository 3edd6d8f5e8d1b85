/* /proc/<pid>/mem ignores page protections: opening it for writing must be refused (it would
 * let the workload rewrite the supervisor's read-only scratch pages). */
#include <fcntl.h>
#include "hostile.h"

int main(void) {
  must_fail(open("/proc/self/mem", O_RDWR), "/proc/self/mem");
  must_fail(open("/proc/1/mem", O_RDWR), "/proc/1/mem");
  must_fail(open("/proc/thread-self/mem", O_RDWR), "/proc/thread-self/mem");
  char p[64];
  snprintf(p, sizeof p, "/proc/%d/task/%d/mem", getpid(), getpid());
  must_fail(open(p, O_RDWR), p);
  must_fail(open("/proc/self/../self/./mem", O_RDWR), "/proc/self/../self/./mem");
  return refused();
}
