/* Shared helpers of the hostile programs. Convention: exit 0 = every attempt was refused;
 * exit 3 = ESCAPED (something that must fail worked); being killed by the sandbox also counts
 * as refused (the test table says which outcome each program must get). */
#pragma once
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../runtime/sandbox/programs/stress.h"

#define EXIT_REFUSED 0
#define EXIT_ESCAPED 3

static inline void escaped(const char* what) {
  printf("ESCAPED: %s\n", what);
  fflush(stdout);
  exit(EXIT_ESCAPED);
}

/* `rc` is the result of an attempt that must fail (-1 / negative). */
static inline void must_fail(long rc, const char* what) {
  if (rc >= 0) escaped(what);
  printf("refused: %s (%s)\n", what, strerror(errno));
}

static inline int refused(void) {
  fflush(stdout);
  return EXIT_REFUSED;
}

/* TOCTOU helper: a second thread that keeps rewriting `path` between the allowed "/data/hello.txt"
 * and the denied "/etc/secret" until *stop is set. */
#include <pthread.h>

struct path_flipper {
  char* path;
  volatile int* stop;
};

static inline void* flip_path(void* arg) {
  struct path_flipper* f = (struct path_flipper*)arg;
  while (!*f->stop) {
    memcpy(f->path, "/etc/secret\0\0\0\0\0", 16);
    __asm__ volatile("" ::: "memory"); /* keep both stores */
    memcpy(f->path, "/data/hello.txt", 16);
    __asm__ volatile("" ::: "memory");
  }
  return NULL;
}
