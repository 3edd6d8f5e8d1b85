/* TOCTOU on the directory descriptor: openat(dfd, "secret") while a second thread keeps
 * dup2()ing a descriptor of /tmp (allowed, where "secret" is a harmless file) and one of /etc
 * onto dfd. The supervisor resolves the descriptor once and opens what it checked. */
#include <fcntl.h>
#include <pthread.h>
#include "hostile.h"

static int tmp_fd, etc_fd;
static volatile int stop;
enum { kDfd = 100 };

static void* swapper(void* arg) {
  (void)arg;
  while (!stop) {
    dup2(etc_fd, kDfd);
    dup2(tmp_fd, kDfd);
  }
  return NULL;
}

int main(void) {
  int f = open("/tmp/secret", O_CREAT | O_WRONLY, 0600);
  if (f < 0 || write(f, "harmless\n", 9) != 9) escaped("cannot prepare /tmp/secret: the test cannot check anything");
  close(f);
  tmp_fd = open("/tmp", O_RDONLY | O_DIRECTORY);
  etc_fd = open("/etc", O_RDONLY | O_DIRECTORY);
  if (tmp_fd < 0 || etc_fd < 0) escaped("cannot open the directories: the test cannot check anything");
  dup2(tmp_fd, kDfd);
  pthread_t t;
  pthread_create(&t, NULL, swapper, NULL);
  for (int i = 0, n = stress_iterations(20000); i < n; ++i) {
    int fd = openat(kDfd, "secret", O_RDONLY);
    if (fd < 0) continue;
    char buf[64] = {0};
    if (read(fd, buf, sizeof buf - 1) > 0 && strstr(buf, "policy")) escaped("opened /etc/secret through a dirfd race");
    close(fd);
  }
  stop = 1;
  pthread_join(t, NULL);
  return refused();
}
