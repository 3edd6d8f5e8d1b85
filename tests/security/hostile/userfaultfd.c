/* userfaultfd makes kernel races easy to win. */
#include <fcntl.h>
#include "hostile.h"

int main(void) {
  must_fail(syscall(SYS_userfaultfd, O_CLOEXEC), "userfaultfd");
  must_fail(open("/dev/userfaultfd", O_RDWR), "/dev/userfaultfd");
  return refused();
}
