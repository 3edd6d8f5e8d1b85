/* Changing the mount table: new mounts, remounting the rootfs writable, unmounting /proc. */
#include <sys/mount.h>
#include "hostile.h"

int main(void) {
  must_fail(mount("tmpfs", "/data", "tmpfs", 0, NULL), "mount tmpfs over /data");
  must_fail(mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL), "remount / writable");
  must_fail(mount("/", "/tmp", NULL, MS_BIND | MS_REC, NULL), "bind mount /");
  must_fail(umount2("/proc", MNT_DETACH), "umount /proc");
  must_fail(syscall(SYS_pivot_root, "/tmp", "/tmp"), "pivot_root");
  return refused();
}
