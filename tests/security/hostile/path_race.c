/* TOCTOU: a second thread flips the path between an allowed file and a denied one while the
 * main thread opens it; the supervisor must never let the denied file be opened. */
#include <fcntl.h>
#include "hostile.h"

static char path[64] = "/data/hello.txt";
static volatile int stop;

int main(void) {
  pthread_t t;
  struct path_flipper f = {path, &stop};
  pthread_create(&t, NULL, flip_path, &f);
  for (int i = 0, n = stress_iterations(20000); i < n; ++i) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) continue;
    char buf[64] = {0};
    if (read(fd, buf, sizeof buf - 1) > 0 && strstr(buf, "secret")) escaped("opened /etc/secret through a path race");
    close(fd);
  }
  stop = 1;
  pthread_join(t, NULL);
  return refused();
}
