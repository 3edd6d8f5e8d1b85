/* Setuid binaries: a copied busybox made setuid in /tmp must not run (noexec, policy), no_new_privs
 * is set (not with the argument no-nnp: process.noNewPrivileges false; then it must be clear and
 * the workload must hold no capability), and identity changes fail. */
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "hostile.h"

static int holds_capabilities(void) {
  FILE* f = fopen("/proc/self/status", "r");
  if (!f) escaped("cannot read /proc/self/status to check the capabilities");
  char line[256];
  int held = 0;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "CapEff:", 7) == 0 || strncmp(line, "CapPrm:", 7) == 0) held |= strtoull(line + 7, NULL, 16) != 0;
  }
  fclose(f);
  return held;
}

int main(int argc, char** argv) {
  const int nnp_expected = !(argc > 1 && strcmp(argv[1], "no-nnp") == 0);
  if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != nnp_expected) escaped("no_new_privs is not as configured");
  if (holds_capabilities()) escaped("the workload holds capabilities (CAP_SYS_ADMIN kept for the filter?)");
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
