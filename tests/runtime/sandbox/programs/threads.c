/* An ordinary multi-threaded program: 8 threads each open and read image files 200 times
 * (stress.h may scale that down): inspected calls from many threads at once. They sum what they
 * read; exit 0 when every thread saw the expected bytes. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "stress.h"

static int rounds;

static void* worker(void* arg) {
  long ok = 0;
  for (int i = 0; i < rounds; ++i) {
    char path[64];
    snprintf(path, sizeof path, "/data/tree/d%d/e%d/f%d", (i % 8) + 1, (i % 8) + 1, (int)((long)arg % 8) + 1);
    int fd = open(path, O_RDONLY);
    if (fd < 0) continue;
    char buf[16];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n == 4) ++ok;
  }
  return (void*)ok;
}

int main(void) {
  pthread_t t[8];
  rounds = stress_iterations(200);
  for (long i = 0; i < 8; ++i) pthread_create(&t[i], NULL, worker, (void*)i);
  long total = 0;
  for (int i = 0; i < 8; ++i) {
    void* r;
    pthread_join(t[i], &r);
    total += (long)r;
  }
  printf("threads: %ld of %d reads ok\n", total, 8 * rounds);
  return total == 8 * rounds ? 0 : 1;
}
