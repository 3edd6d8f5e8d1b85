/* The image is read-only: no writes, creations, renames, chmods or device nodes outside /tmp. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "hostile.h"

int main(void) {
  must_fail(open("/bin/busybox", O_WRONLY), "open /bin/busybox for writing");
  must_fail(open("/etc/new", O_CREAT | O_WRONLY, 0644), "create /etc/new");
  must_fail(rename("/data/hello.txt", "/tmp/moved"), "rename out of the image");
  must_fail(unlink("/data/hello.txt"), "unlink in the image");
  must_fail(chmod("/bin/busybox", 04755), "chmod in the image");
  must_fail(mkdir("/data/new", 0755), "mkdir in the image");
  must_fail(mknod("/tmp/sda", S_IFBLK | 0600, makedev(8, 0)), "block device node");
  must_fail(mknod("/tmp/mem", S_IFCHR | 0600, makedev(1, 1)), "/dev/mem node");
  return refused();
}
