/* Leaves orphans behind: a child forks 8 grandchildren and exits at once; each grandchild waits
 * until it has been re-parented, reports its new parent, and exits. pid 1 of the namespace
 * inherits them and must reap them. Exit 0 when every grandchild was re-parented to pid 1 and no
 * zombie is left in the namespace afterwards; else 10 + the number of zombies (or 1). */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kOrphans = 8 };

static int zombies(void) {
  int count = 0;
  DIR* proc = opendir("/proc");
  if (!proc) return -1;
  for (struct dirent* e; (e = readdir(proc));) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
    FILE* f = fopen(path, "r");
    if (!f) continue;
    const size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char* paren = strrchr(stat, ')');
    if (paren && paren[1] == ' ' && paren[2] == 'Z') ++count;
  }
  closedir(proc);
  return count;
}

int main(void) {
  int report[2];
  if (pipe(report) != 0) return 1;
  const pid_t child = fork();
  if (child == 0) {
    const pid_t me = getpid();
    for (int i = 0; i < kOrphans; ++i) {
      if (fork() == 0) {
        while (getppid() == me) usleep(1000);
        const pid_t parent = getppid();
        if (write(report[1], &parent, sizeof parent) != sizeof parent) _exit(1);
        _exit(0);
      }
    }
    _exit(0);
  }
  close(report[1]);
  waitpid(child, NULL, 0);
  int reparented_to_init = 0;
  pid_t parent;
  for (int i = 0; i < kOrphans && read(report[0], &parent, sizeof parent) == sizeof parent; ++i) {
    reparented_to_init += parent == 1;
  }
  printf("orphans re-parented to pid 1: %d of %d\n", reparented_to_init, kOrphans);
  int z = -1;
  for (int tries = 0; tries < 50 && (z = zombies()) != 0; ++tries) usleep(20000);
  printf("zombies left: %d\n", z);
  fflush(stdout);
  if (reparented_to_init != kOrphans || z < 0) return 1;
  return z == 0 ? 0 : 10 + z;
}
