/* The seccomp notification listener answers the workload's own calls: holding it would let the
 * workload allow itself anything. Look for it among the descriptors and try every descriptor
 * number with the listener's ioctls. */
#include <dirent.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include "hostile.h"

int main(void) {
  DIR* d = opendir("/proc/self/fd");
  if (d) {
    struct dirent* e;
    char link[64], target[128];
    while ((e = readdir(d))) {
      snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
      ssize_t n = readlink(link, target, sizeof target - 1);
      if (n > 0) {
        target[n] = 0;
        if (strstr(target, "seccomp")) escaped("the workload holds a seccomp listener");
      }
    }
    closedir(d);
  }
  for (int fd = 0; fd < 1024; ++fd) {
    __u64 id = 0;
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0 || errno == ENOENT) {
      escaped("a descriptor answers the seccomp listener's ioctls");
    }
  }
  must_fail(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, NULL),
            "a listener of its own (seccomp NEW_LISTENER)");
  return refused();
}
