/* Confused deputy: the supervisor opens files for the workload, so it must open them with the
 * workload's rights. /etc/other-owner belongs to a uid not mapped into the sandbox and is mode
 * 0600: the policy allows reading /, but the kernel's permissions do not. */
#include <fcntl.h>
#include <sys/stat.h>
#include "hostile.h"

int main(void) {
  struct stat st;
  if (stat("/etc/other-owner", &st) != 0) escaped("no /etc/other-owner: the test cannot check anything");
  if (st.st_uid == 0) {
    puts("refused: /etc/other-owner belongs to the caller here (rootfs not built as root): nothing to check");
    return refused();
  }
  must_fail(open("/etc/other-owner", O_RDONLY), "read a 0600 file of another uid");
  must_fail(open("/etc/other-owner", O_WRONLY | O_APPEND), "write a 0600 file of another uid");
  return refused();
}
