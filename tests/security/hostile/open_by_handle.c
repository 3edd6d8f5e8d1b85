/* open_by_handle_at opens files by handle, bypassing paths (the "shocker" escape). */
#include <fcntl.h>
#include "hostile.h"

int main(void) {
  struct {
    struct file_handle h;
    unsigned char bytes[128];
  } fh;
  fh.h.handle_bytes = 128;
  int mount_id;
  must_fail(name_to_handle_at(AT_FDCWD, "/etc/secret", &fh.h, &mount_id, 0), "name_to_handle_at");
  /* A forged handle for the root inode of the host's file system. */
  fh.h.handle_bytes = 8;
  fh.h.handle_type = 1;
  memset(fh.h.f_handle, 0, 8);
  fh.h.f_handle[0] = 2;
  must_fail(open_by_handle_at(AT_FDCWD, &fh.h, O_RDONLY), "open_by_handle_at");
  return refused();
}
