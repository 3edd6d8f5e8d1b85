/* Setuid binaries: a copied busybox made setuid in /tmp must not run (noexec, policy), no_new_privs
 * is set, and identity changes fail. */
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "hostile.h"

int main(void) {
  if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) escaped("no_new_privs is not set");
  int in = open("/bin/busybox", O_RDONLY);
  int out = open("/tmp/suid", O_CREAT | O_WRONLY, 04755);
  struct stat st;
  if (in >= 0 && out >= 0 && fstat(in, &st) == 0) sendfile(out, in, NULL, st.st_size);
  close(out);
  chmod("/tmp/suid", 04755);
  pid_t p = fork();
  if (p == 0) {
    char* argv[] = {"/tmp/suid", "true", NULL};
    execv(argv[0], argv);
    _exit(1);
  }
  int status;
  waitpid(p, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) escaped("executed a setuid copy from /tmp");
  must_fail(setuid(1000), "setuid(1000)");
  must_fail(setresgid(1000, 1000, 1000), "setresgid");
  return refused();
}
