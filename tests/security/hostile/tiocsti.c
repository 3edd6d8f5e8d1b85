/* Pushing characters into the caller's terminal input (TIOCSTI), including with high bits set
 * in the request (the kernel reads it as 32 bits). */
#include <fcntl.h>
#include <sys/ioctl.h>
#include "hostile.h"

int main(void) {
  char c = 'x';
  for (int fd = 0; fd < 3; ++fd) {
    must_fail(ioctl(fd, TIOCSTI, &c), "TIOCSTI");
    must_fail(syscall(SYS_ioctl, fd, 0x100000000UL | TIOCSTI, &c), "TIOCSTI with high bits");
  }
  int t = open("/dev/tty", O_RDWR);
  if (t >= 0) must_fail(ioctl(t, TIOCSTI, &c), "TIOCSTI on /dev/tty");
  return refused();
}
