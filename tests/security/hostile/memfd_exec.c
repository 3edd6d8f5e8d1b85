/* Executing an anonymous file (memfd) filled with a program: no path to check, refused. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "hostile.h"

int main(int argc, char** argv) {
  const char* prog = argc > 1 ? argv[1] : "/bin/busybox";
  int fd = memfd_create("payload", 0);
  int in = open(prog, O_RDONLY);
  struct stat st;
  if (fd < 0 || in < 0 || fstat(in, &st) != 0 || sendfile(fd, in, NULL, st.st_size) != st.st_size) {
    puts("cannot prepare the memfd");
    return refused();
  }
  for (int how = 0; how < 2; ++how) {
    pid_t p = fork();
    if (p == 0) {
      char* av[] = {"true", NULL};
      char* env[] = {NULL};
      if (how == 0) {
        fexecve(fd, av, env);
      } else {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        execve(path, av, env);
      }
      _exit(1);
    }
    int status;
    waitpid(p, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) escaped(how == 0 ? "fexecve of a memfd" : "execve /proc/self/fd");
  }
  must_fail(-1, "memfd execution");
  return refused();
}
