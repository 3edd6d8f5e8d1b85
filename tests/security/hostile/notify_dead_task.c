/* Notifications for tasks that die: children are SIGKILLed at random moments while they sit in
 * opens and stats the supervisor is answering. The supervisor must neither crash, hang nor
 * answer a dead task's call into another process; afterwards it still decides correctly. */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "hostile.h"

int main(void) {
  for (int i = 0; i < 100; ++i) {
    pid_t p = fork();
    if (p == 0) {
      for (;;) {
        struct stat st;
        int fd = open("/data/hello.txt", O_RDONLY);
        if (fd >= 0) close(fd);
        stat("/etc/passwd", &st);
      }
    }
    usleep((unsigned)(rand() % 2000));
    kill(p, SIGKILL);
    waitpid(p, NULL, 0);
  }
  int fd = open("/data/hello.txt", O_RDONLY);
  if (fd < 0) escaped("the supervisor stopped answering after dead tasks (allowed open failed)");
  close(fd);
  must_fail(open("/etc/secret", O_RDONLY), "open /etc/secret after the dead tasks");
  return refused();
}
