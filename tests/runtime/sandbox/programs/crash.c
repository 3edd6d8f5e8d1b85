/* A workload that crashes, one way per argument: null (SIGSEGV), ud2 (SIGILL), int80 (SIGSYS where
 * the kernel has IA32 emulation and the filter kills foreign ABIs, else SIGSEGV), abort (SIGABRT),
 * stack (SIGSEGV: unbounded recursion), div0 (SIGFPE; arm64 divides by zero without a trap),
 * sigbus (SIGBUS: a shared mapping of a file truncated under it). It must die of that signal at
 * once, as pid 1's child or deeper: never re-run the faulting instruction forever. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile int* volatile null_pointer; /* volatile twice: the compiler can drop neither the load nor the store */
static volatile int zero, hundred = 100;  /* volatile: a real division, not a comparison */

static int recurse(int depth) {
  volatile char frame[4096];
  frame[0] = (char)depth;
  return recurse(depth + 1) + frame[0];
}

static void truncated_mapping(void) {
  const int fd = open("/tmp/crash-sigbus", O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ftruncate(fd, 4096) != 0) {
    perror("crash: /tmp/crash-sigbus");
    exit(2);
  }
  volatile char* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED || ftruncate(fd, 0) != 0) {
    perror("crash: mmap/ftruncate");
    exit(2);
  }
  p[0] = 1;
}

int main(int argc, char** argv) {
  const char* how = argc > 1 ? argv[1] : "";
  fflush(stdout);
  if (!strcmp(how, "null")) {
    *null_pointer = 1;
  } else if (!strcmp(how, "ud2")) {
#if defined(__x86_64__)
    __asm__ volatile("ud2");
#elif defined(__aarch64__)
    __asm__ volatile("udf #0");
#endif
  } else if (!strcmp(how, "int80")) {
#if defined(__x86_64__)
    long rc;
    __asm__ volatile("int $0x80" : "=a"(rc) : "a"(20L) : "memory"); /* i386 getpid */
    printf("int 0x80 returned %ld\n", rc);
#else
    puts("no int 0x80 on this arch");
#endif
  } else if (!strcmp(how, "abort")) {
    abort();
  } else if (!strcmp(how, "stack")) {
    return recurse(0);
  } else if (!strcmp(how, "div0")) {
    printf("%d\n", hundred / zero);
  } else if (!strcmp(how, "sigbus")) {
    truncated_mapping();
  } else {
    fprintf(stderr, "usage: crash null|ud2|int80|abort|stack|div0|sigbus\n");
    return 2;
  }
  puts("crash: still alive");
  return 1;
}
