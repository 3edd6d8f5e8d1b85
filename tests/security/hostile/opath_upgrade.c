/* Re-opening an O_PATH descriptor through /proc/self/fd/N to gain access it never had (read a
 * denied file, or write a read-only one): the magic link must not be followed. */
#include <fcntl.h>
#include "hostile.h"

int main(void) {
  char p[64];
  int o = open("/etc/secret", O_PATH);
  if (o >= 0) {
    snprintf(p, sizeof p, "/proc/self/fd/%d", o);
    must_fail(open(p, O_RDONLY), "read /etc/secret through an O_PATH descriptor");
  } else {
    printf("refused: O_PATH of /etc/secret (%s)\n", strerror(errno));
  }
  int r = open("/data/hello.txt", O_RDONLY);
  snprintf(p, sizeof p, "/proc/self/fd/%d", r);
  must_fail(open(p, O_WRONLY), "write /data/hello.txt through its read descriptor");
  snprintf(p, sizeof p, "/proc/thread-self/fd/%d", r);
  must_fail(open(p, O_RDWR), "write through /proc/thread-self/fd");
  return refused();
}
