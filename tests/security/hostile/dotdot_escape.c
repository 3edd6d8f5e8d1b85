/* ".." walks above the rootfs: relative, absolute and after chdir, towards a host file. */
#include <fcntl.h>
#include "hostile.h"

int main(int argc, char** argv) {
  const char* host = argc > 1 ? argv[1] : "/etc/hostname";
  char p[4096];
  for (int depth = 1; depth < 20; ++depth) {
    p[0] = 0;
    for (int i = 0; i < depth; ++i) strcat(p, "../");
    strcat(p, host + 1);
    int fd = open(p, O_RDONLY);
    if (fd >= 0) escaped(p);
    snprintf(p, sizeof p, "/%s", host + 1);
  }
  for (int i = 0; i < 20; ++i) must_fail(chdir("..") == 0 && access(host + 1, F_OK) == 0 ? 0 : -1, "host file after chdir ..");
  must_fail(open(host, O_RDONLY), "the host path itself");
  return refused();
}
