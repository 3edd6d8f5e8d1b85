/* Confused deputy: the supervisor writes stat results into the workload's memory. Pointing the
 * buffer at read-only memory (the program's own text) must fail with EFAULT as it does from the
 * kernel, not write through the page protection. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "hostile.h"

int main(void) {
  unsigned char* ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ro == MAP_FAILED) escaped("mmap failed: the test cannot check anything");
  long rc = syscall(SYS_newfstatat, AT_FDCWD, "/data/hello.txt", (void*)ro, 0);
  must_fail(rc, "stat into a read-only page");
  for (int i = 0; i < 4096; ++i) {
    if (ro[i]) escaped("the supervisor wrote into a read-only page");
  }
  rc = syscall(SYS_newfstatat, AT_FDCWD, "/data/hello.txt", (void*)main, 0);
  must_fail(rc, "stat into the program's text");
  return refused();
}
