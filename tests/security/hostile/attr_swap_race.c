/* TOCTOU on the file system for calls that change an existing file (chmod, truncate): a second
 * thread keeps swapping /tmp/real between a directory (holding a writable "target") and a
 * symlink to /tmp/locked, whose "target" the policy keeps read-only. A check of one object and
 * a change of another would alter /tmp/locked/target. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include "hostile.h"

static volatile int stop;

static void* swapper(void* arg) {
  (void)arg;
  while (!stop) {
    rename("/tmp/real", "/tmp/away");  /* /tmp/real -> /tmp/locked */
    rename("/tmp/link", "/tmp/real");
    rename("/tmp/real", "/tmp/link");  /* /tmp/real is a directory again */
    rename("/tmp/away", "/tmp/real");
  }
  return NULL;
}

static void make_file(const char* path) {
  int f = open(path, O_CREAT | O_WRONLY, 0600);
  if (f < 0 || write(f, "harmless\n", 9) != 9) escaped("cannot prepare /tmp: the test cannot check anything");
  close(f);
}

int main(void) {
  /* /tmp/locked/target is read-only by policy: made elsewhere, then its directory renamed. */
  mkdir("/tmp/pre", 0755);
  make_file("/tmp/pre/target");
  if (rename("/tmp/pre", "/tmp/locked") != 0) escaped("cannot prepare /tmp/locked");
  must_fail(chmod("/tmp/locked/target", 0666), "chmod of the read-only target");
  mkdir("/tmp/real", 0755);
  make_file("/tmp/real/target");
  if (symlink("/tmp/locked", "/tmp/link") != 0) escaped("cannot prepare /tmp/link");

  pthread_t t;
  pthread_create(&t, NULL, swapper, NULL);
  int changed = 0;
  for (int i = 0, n = stress_iterations(20000); i < n; ++i) {
    if (chmod("/tmp/real/target", (i & 1) ? 0644 : 0640) == 0) ++changed;
    if (truncate("/tmp/real/target", 4) == 0) ++changed;
  }
  stop = 1;
  pthread_join(t, NULL);

  struct stat st;
  if (stat("/tmp/locked/target", &st) != 0) escaped("the read-only target vanished");
  if ((st.st_mode & 07777) != 0600) escaped("chmod changed /tmp/locked/target through a symlink swap");
  if (st.st_size != 9) escaped("truncate changed /tmp/locked/target through a symlink swap");
  printf("refused: attribute change through a symlink swap (%d harmless changes)\n", changed);
  return refused();
}
