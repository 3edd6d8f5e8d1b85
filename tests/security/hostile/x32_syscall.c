/* The x32 ABI: a syscall number with bit 30 set. The filter must kill it. */
#include "hostile.h"

int main(void) {
#if defined(__x86_64__)
  long rc = syscall(0x40000000L | SYS_getpid);
  printf("x32 getpid returned %ld\n", rc);
  if (rc > 0) escaped("x32 syscall ran");
  return refused();
#else
  puts("no x32 ABI on this arch");
  return refused();
#endif
}
