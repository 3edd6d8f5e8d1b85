/* Never host root (runtime/sandbox/identity.h): as root, the sandbox maps its ids to an unprivileged
 * host range, so a host-root-owned file mode 0644 that the policy lets the workload write (bound
 * read-write at /host-root-file) still refuses the write: the workload is "other" to it. And
 * /proc/self/uid_map must not map any id to host id 0. argv[1]: "bound" when the file is there. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include "hostile.h"

int main(int argc, char** argv) {
  FILE* f = fopen("/proc/self/uid_map", "r");
  if (!f) {
    printf("cannot read /proc/self/uid_map (%s)\n", strerror(errno));
    return 1;
  }
  unsigned long long inside, host, size;
  while (fscanf(f, "%llu %llu %llu", &inside, &host, &size) == 3) {
    printf("uid_map: %llu %llu %llu\n", inside, host, size);
    if (host == 0) escaped("the sandbox maps an id to host uid 0");
  }
  fclose(f);
  if (argc > 1 && strcmp(argv[1], "bound") == 0) {
    must_fail(open("/host-root-file", O_WRONLY | O_CLOEXEC), "open a host-root-owned 0644 file for writing");
    must_fail(open("/host-root-file", O_RDWR | O_APPEND | O_CLOEXEC), "open a host-root-owned 0644 file to append");
    must_fail(truncate("/host-root-file", 0), "truncate a host-root-owned 0644 file");
    must_fail(chmod("/host-root-file", 0666), "chmod a host-root-owned file");
    must_fail(chown("/host-root-file", 0, 0), "chown a host-root-owned file");
    /* the supervisor's own opens are not the only way: the file is readable, as "other" */
    int fd = open("/host-root-file", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      printf("cannot even read /host-root-file (%s)\n", strerror(errno));
      return 1;
    }
    close(fd);
  }
  return refused();
}
