/* The supervisor confines a task to one CPU for the instant it installs an opened descriptor
 * (docs/sandbox.md, NOTIF_ADDFD): afterwards every task must have its own CPU mask back, the
 * default one and one the program chose. Exit 0 when all hold, 1 with a message otherwise. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "stress.h"

static int fails;

static void opens(void) {
  for (int i = 0, n = stress_iterations(200); i < n; ++i) {
    int fd = open("/data/hello.txt", O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "affinity: open failed\n");
      fails = 1;
      return;
    }
    close(fd);
  }
}

static void expect_mask(const cpu_set_t* want, const char* what) {
  cpu_set_t now;
  if (sched_getaffinity(0, sizeof now, &now) != 0 || !CPU_EQUAL(&now, want)) {
    fprintf(stderr, "affinity: %s: the mask changed (%d CPUs, wanted %d)\n", what, CPU_COUNT(&now), CPU_COUNT(want));
    fails = 1;
  }
}

int main(void) {
  cpu_set_t all;
  if (sched_getaffinity(0, sizeof all, &all) != 0) return 1;
  opens();
  expect_mask(&all, "default mask");
  if (CPU_COUNT(&all) >= 2) {
    cpu_set_t two_only = all;  // every CPU but the first one allowed
    for (int c = 0; c < CPU_SETSIZE; ++c) {
      if (CPU_ISSET(c, &two_only)) {
        CPU_CLR(c, &two_only);
        break;
      }
    }
    if (sched_setaffinity(0, sizeof two_only, &two_only) != 0) return 1;
    opens();
    expect_mask(&two_only, "chosen mask");
  }
  return fails;
}
