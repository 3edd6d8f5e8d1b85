/* Symlinks out of the rootfs and onto denied files. */
#include <fcntl.h>
#include "hostile.h"

int main(int argc, char** argv) {
  const char* host = argc > 1 ? argv[1] : "/etc/hostname";
  char target[4200];
  snprintf(target, sizeof target, "../../../../../../../..%s", host);
  must_fail(symlink(target, "/tmp/up") == 0 ? open("/tmp/up", O_RDONLY) : -1, "relative symlink above the root");
  must_fail(symlink(host, "/tmp/abs") == 0 ? open("/tmp/abs", O_RDONLY) : -1, "absolute symlink to a host path");
  must_fail(symlink("/proc/1/root/etc/secret", "/tmp/magic") == 0 ? open("/tmp/magic", O_RDONLY) : -1,
            "symlink through /proc/1/root");
  must_fail(open("/data/secret-link", O_RDONLY), "image symlink to a denied file");
  must_fail(symlink("/etc", "/tmp/etc") == 0 ? open("/tmp/etc/secret", O_RDONLY) : -1, "directory symlink to /etc");
  return refused();
}
