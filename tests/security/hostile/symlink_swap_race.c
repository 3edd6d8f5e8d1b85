/* TOCTOU on the file system: a second thread keeps swapping /tmp/d between a real directory
 * (holding a harmless "secret") and a symlink to /etc while the main thread opens
 * /tmp/d/secret. A check on one object and an open of another would read /etc/secret. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include "hostile.h"

static volatile int stop;

static void* swapper(void* arg) {
  (void)arg;
  while (!stop) {
    rename("/tmp/link", "/tmp/d");  /* /tmp/d -> /etc */
    rename("/tmp/d", "/tmp/link");
    rename("/tmp/real", "/tmp/d");  /* /tmp/d is a directory again */
    rename("/tmp/d", "/tmp/real");
  }
  return NULL;
}

int main(void) {
  mkdir("/tmp/real", 0755);
  int f = open("/tmp/real/secret", O_CREAT | O_WRONLY, 0600);
  if (f < 0 || write(f, "harmless\n", 9) != 9 || symlink("/etc", "/tmp/link") != 0) {
    escaped("cannot prepare /tmp: the test cannot check anything");
  }
  close(f);
  pthread_t t;
  pthread_create(&t, NULL, swapper, NULL);
  int opened = 0;
  for (int i = 0, n = stress_iterations(20000); i < n; ++i) {
    int fd = open("/tmp/d/secret", O_RDONLY);
    if (fd < 0) continue;
    ++opened;
    char buf[64] = {0};
    if (read(fd, buf, sizeof buf - 1) > 0 && strstr(buf, "policy")) escaped("opened /etc/secret through a symlink swap");
    close(fd);
  }
  stop = 1;
  pthread_join(t, NULL);
  printf("refused: symlink swap race (%d harmless opens)\n", opened);
  return refused();
}
