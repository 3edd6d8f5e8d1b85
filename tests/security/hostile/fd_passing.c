/* Descriptor passing over unix sockets: the host test listens on an abstract socket and on a
 * path socket, ready to hand out a descriptor of a host file. Neither must be reachable. */
#include <sys/socket.h>
#include <stddef.h>
#include <sys/un.h>
#include "hostile.h"

static int try_connect(const char* name, int abstract) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  size_t len = strlen(name);
  if (len + 1 >= sizeof a.sun_path) {  /* the test gives short names; never overflow */
    close(s);
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(a.sun_path + (abstract ? 1 : 0), name, len);
  int rc = connect(s, (struct sockaddr*)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (abstract ? 1 : 0)));
  close(s);
  return rc;  /* reaching the host's listener at all is the escape */
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  must_fail(try_connect(argv[1], 1), "connect to the host's abstract socket");
  must_fail(try_connect(argv[2], 0), "connect to the host's path socket");
  /* Within the sandbox, passing works (and only passes what the sandbox already has). */
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) escaped("socketpair broke (test invalid)");
  return refused();
}
