/* Descriptors the supervisor opens on the workload's behalf must carry exactly the flags the
 * workload asked for: close-on-exec only when requested, O_APPEND / O_NONBLOCK as given, the
 * access mode as given. Exit 0 when all hold, 1 with a message otherwise. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int fails;

static void expect(int cond, const char* what) {
  if (!cond) {
    fprintf(stderr, "fdflags: %s\n", what);
    fails = 1;
  }
}

int main(void) {
  int a = open("/data/hello.txt", O_RDONLY | O_CLOEXEC);
  int b = open("/data/hello.txt", O_RDONLY);
  int c = open("/tmp/append", O_WRONLY | O_CREAT | O_APPEND, 0644);
  int d = open("/tmp/append", O_RDWR | O_NONBLOCK);
  expect(a >= 0 && b >= 0 && c >= 0 && d >= 0, "an open failed");
  expect(fcntl(a, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC lost");
  expect(fcntl(b, F_GETFD) == 0, "close-on-exec set without O_CLOEXEC");
  expect((fcntl(b, F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND)) == O_RDONLY, "read-only open has other flags");
  expect((fcntl(c, F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND)) == (O_WRONLY | O_APPEND), "O_APPEND lost");
  expect((fcntl(d, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) == (O_RDWR | O_NONBLOCK), "O_NONBLOCK lost");
  expect(b == a + 1, "descriptors are not the lowest free numbers");
  return fails;
}
