/* An ordinary multi-threaded program: 8 threads each open and read image files 200 times
 * (inspected calls from many threads at once) and sum what they read. Exit 0 when every
 * thread saw the expected bytes. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void* worker(void* arg) {
  long ok = 0;
  for (int i = 0; i < 200; ++i) {
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
  for (long i = 0; i < 8; ++i) pthread_create(&t[i], NULL, worker, (void*)i);
  long total = 0;
  for (int i = 0; i < 8; ++i) {
    void* r;
    pthread_join(t[i], &r);
    total += (long)r;
  }
  printf("threads: %ld of 1600 reads ok\n", total);
  return total == 1600 ? 0 : 1;
}
