/* Blocking FIFO opens are answered by helper threads of the supervisor: 24 threads open FIFOs
 * nobody reads. The supervisor must go on answering other calls (an allowed open works, a
 * denied one is refused) and must not hang; then the FIFOs are released. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include "hostile.h"

enum { kThreads = 24 };

static void* writer(void* arg) {
  char p[32];
  snprintf(p, sizeof p, "/tmp/fifo%ld", (long)arg);
  int fd = open(p, O_WRONLY);  /* blocks until main opens the read end (or EAGAIN) */
  if (fd >= 0) close(fd);
  return NULL;
}

int main(void) {
  pthread_t t[kThreads];
  char p[32];
  for (long i = 0; i < kThreads; ++i) {
    snprintf(p, sizeof p, "/tmp/fifo%ld", i);
    if (mkfifo(p, 0600) != 0) escaped("mkfifo failed: the test cannot check anything");
    pthread_create(&t[i], NULL, writer, (void*)i);
  }
  usleep(200000);
  int fd = open("/data/hello.txt", O_RDONLY);
  if (fd < 0) escaped("the supervisor stalled behind blocking FIFO opens");
  close(fd);
  must_fail(open("/etc/secret", O_RDONLY), "open /etc/secret while FIFO opens block");
  for (long i = 0; i < kThreads; ++i) {
    snprintf(p, sizeof p, "/tmp/fifo%ld", i);
    int r = open(p, O_RDONLY | O_NONBLOCK);
    if (r >= 0) close(r);
  }
  for (int i = 0; i < kThreads; ++i) pthread_join(t[i], NULL);
  return refused();
}
