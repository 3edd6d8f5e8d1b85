/* The classic chroot escape (chroot into a subdirectory, then walk up). */
#include <fcntl.h>
#include <sys/stat.h>
#include "hostile.h"

int main(int argc, char** argv) {
  const char* host = argc > 1 ? argv[1] : "/etc/hostname";
  mkdir("/tmp/jail", 0755);
  must_fail(chroot("/tmp/jail"), "chroot");
  for (int i = 0; i < 30; ++i) chdir("..");
  must_fail(chroot("."), "chroot .");
  must_fail(open(host, O_RDONLY), "host file after the chroot dance");
  return refused();
}
