/* Attacks the TOCTOU defence itself: finds the supervisor's read-only scratch pages in its own
 * address space and tries to make them writable, unmap them or map over them. */
#include <fcntl.h>
#include <sys/mman.h>
#include "hostile.h"

int main(void) {
  /* Calls the supervisor inspects with a ptrace stop (chdir; open too in the ptrace-only mode):
   * the scratch pages exist now. */
  if (chdir("/") != 0) escaped("chdir / failed: the test cannot check anything");
  int fd = open("/data/hello.txt", O_RDONLY);
  close(fd);
  FILE* maps = fopen("/proc/self/maps", "r");
  if (!maps) {
    puts("no /proc/self/maps");
    return refused();
  }
  char line[512];
  int found = 0;
  while (fgets(line, sizeof line, maps)) {
    unsigned long lo, hi;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
    if (hi - lo != 3 * 4096 || strcmp(perms, "r--p") != 0 || strchr(line, '/')) continue;
    ++found;
    void* a = (void*)lo;
    must_fail(mprotect(a, 4096, PROT_READ | PROT_WRITE), "mprotect scratch writable");
    must_fail(mmap(a, 4096, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0,
              "mmap MAP_FIXED over scratch");
    must_fail(munmap(a, 4096), "munmap scratch");
    must_fail(mremap(a, 4096, 8192, MREMAP_MAYMOVE) == MAP_FAILED ? -1 : 0, "mremap scratch");
  }
  fclose(maps);
  if (!found) escaped("no scratch region found: the test cannot check the defence");
  return refused();
}
