/* process_vm_writev / readv against the supervisor (invisible: outside the pid namespace)
 * and against every pid that exists inside. */
#include <sys/uio.h>
#include "hostile.h"

int main(void) {
  char buf[16] = "x";
  struct iovec local = {buf, sizeof buf}, remote = {buf, sizeof buf};
  for (pid_t p = 0; p < 64; ++p) {
    if (process_vm_writev(p, &local, 1, &remote, 1, 0) >= 0) escaped("process_vm_writev");
    if (process_vm_readv(p, &local, 1, &remote, 1, 0) >= 0) escaped("process_vm_readv");
  }
  must_fail(-1, "process_vm_writev/readv on pids 0..63");
  return refused();
}
