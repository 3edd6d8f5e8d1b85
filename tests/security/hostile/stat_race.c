/* TOCTOU on the notify path: a second thread flips the path between an allowed file and a
 * denied one while the main thread stats it; a stat must never describe the denied file. */
#include <sys/stat.h>
#include "hostile.h"

static char path[64] = "/data/hello.txt";
static volatile int stop;

int main(void) {
  struct stat good;
  if (stat("/data/hello.txt", &good) != 0) escaped("cannot stat the allowed file: the test cannot check anything");
  pthread_t t;
  struct path_flipper f = {path, &stop};
  pthread_create(&t, NULL, flip_path, &f);
  for (int i = 0, n = stress_iterations(20000); i < n; ++i) {
    struct stat st;
    if (stat(path, &st) == 0 && st.st_ino != good.st_ino) escaped("stat described /etc/secret through a path race");
  }
  stop = 1;
  pthread_join(t, NULL);
  return refused();
}
