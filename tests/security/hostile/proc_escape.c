/* Escapes through /proc: pid 1's root and cwd links, /proc/self/root, and kernel knobs. */
#include <fcntl.h>
#include "hostile.h"

int main(void) {
  must_fail(open("/proc/1/root/etc/secret", O_RDONLY), "/proc/1/root/etc/secret");
  must_fail(open("/proc/self/root/etc/secret", O_RDONLY), "/proc/self/root/etc/secret");
  must_fail(open("/proc/sys/kernel/core_pattern", O_WRONLY), "/proc/sys/kernel/core_pattern");
  must_fail(open("/proc/sysrq-trigger", O_WRONLY), "/proc/sysrq-trigger");
  must_fail(open("/proc/self/map_files", O_RDONLY | O_DIRECTORY), "/proc/self/map_files");
  return refused();
}
