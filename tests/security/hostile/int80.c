/* The i386 ABI through int 0x80 from a 64-bit process. The filter must kill it. */
#include "hostile.h"

int main(void) {
#if defined(__x86_64__)
  long rc;
  __asm__ volatile("int $0x80" : "=a"(rc) : "a"(20L) : "memory");  /* i386 getpid */
  printf("int 0x80 getpid returned %ld\n", rc);
  if (rc > 0) escaped("int 0x80 syscall ran");
  return refused();
#else
  puts("no int 0x80 on this arch");
  return refused();
#endif
}
