/* Flooding the notification path: 16 threads hammer it with allowed and denied opens and
 * stats at once. Every denied one must stay denied and every allowed one must still work. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include "hostile.h"

static volatile int escaped_flag, failed_flag;
static int rounds;

static void* hammer(void* arg) {
  (void)arg;
  for (int i = 0; i < rounds; ++i) {
    struct stat st;
    int fd = open("/etc/secret", O_RDONLY);
    if (fd >= 0) escaped_flag = 1;
    if (stat("/etc/secret", &st) == 0) escaped_flag = 1;
    fd = open("/data/hello.txt", O_RDONLY);
    if (fd < 0) failed_flag = 1;
    else close(fd);
  }
  return NULL;
}

int main(void) {
  pthread_t t[16];
  rounds = stress_iterations(1500);
  for (int i = 0; i < 16; ++i) pthread_create(&t[i], NULL, hammer, NULL);
  for (int i = 0; i < 16; ++i) pthread_join(t[i], NULL);
  if (escaped_flag) escaped("a denied open or stat succeeded under a flood");
  if (failed_flag) escaped("an allowed open failed under a flood: the supervisor lost calls");
  printf("refused: %d denied calls under a flood\n", 16 * 2 * rounds);
  return refused();
}
