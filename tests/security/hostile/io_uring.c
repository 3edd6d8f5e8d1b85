/* io_uring runs operations the seccomp filter never sees. */
#include "hostile.h"

#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif

int main(void) {
  char params[120] = {0};
  must_fail(syscall(SYS_io_uring_setup, 8, params), "io_uring_setup");
  return refused();
}
