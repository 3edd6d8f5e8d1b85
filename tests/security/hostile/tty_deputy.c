/* Confused deputy: /dev/tty names the opener's controlling terminal. Opened by the supervisor
 * on the workload's behalf it would be the supervisor's terminal (the sandbox has none). */
#include <fcntl.h>
#include "hostile.h"

int main(void) {
  must_fail(open("/dev/tty", O_RDWR), "open /dev/tty");
  must_fail(open("/dev/tty", O_RDONLY | O_NONBLOCK), "open /dev/tty non-blocking");
  must_fail(openat(AT_FDCWD, "/dev/../dev/tty", O_WRONLY), "open /dev/tty by another name");
  return refused();
}
