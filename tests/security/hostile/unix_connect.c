/* Host services listening on unix sockets inside the image's tree (argv[1]: a stream socket,
 * argv[2]: a datagram socket, both under /data, which the policy makes read-only): connect,
 * sendto, sendmsg and sendmmsg to them, directly, through a symlink, and with a second thread
 * flipping the address from the workload's own socket to the host's after the check. */
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "hostile.h"

static struct sockaddr_un flip_addr;
static const char* host_stream;
static volatile int stop;

static socklen_t set(struct sockaddr_un* a, const char* path) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  strncpy(a->sun_path, path, sizeof a->sun_path - 1);
  return (socklen_t)sizeof *a;
}

static void* flipper(void* arg) {
  (void)arg;
  while (!stop) {
    strcpy(flip_addr.sun_path, host_stream);
    __asm__ volatile("" ::: "memory");
    memset(flip_addr.sun_path, 0, sizeof flip_addr.sun_path);
    strcpy(flip_addr.sun_path, "/tmp/own.sock");
    __asm__ volatile("" ::: "memory");
  }
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 3) escaped("usage: unix_connect STREAM DGRAM");
  host_stream = argv[1];
  struct sockaddr_un a;
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  must_fail(connect(s, (struct sockaddr*)&a, set(&a, argv[1])), "connect to the host's stream socket");
  must_fail(symlink(argv[1], "/tmp/l") == 0 ? connect(s, (struct sockaddr*)&a, set(&a, "/tmp/l")) : -1,
            "connect through a symlink");
  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  socklen_t n = set(&a, argv[2]);
  must_fail(sendto(d, "x", 1, 0, (struct sockaddr*)&a, n), "sendto the host's datagram socket");
  struct iovec iov = {"x", 1};
  struct msghdr m = {.msg_name = &a, .msg_namelen = n, .msg_iov = &iov, .msg_iovlen = 1};
  must_fail(sendmsg(d, &m, 0), "sendmsg to the host's datagram socket");
  struct mmsghdr mm[2] = {{.msg_hdr = m}, {.msg_hdr = m}};
  must_fail(sendmmsg(d, mm, 2, 0), "sendmmsg to the host's datagram socket");

  int own = socket(AF_UNIX, SOCK_STREAM, 0);
  if (bind(own, (struct sockaddr*)&a, set(&a, "/tmp/own.sock")) != 0 || listen(own, 64) != 0) {
    escaped("cannot listen on /tmp/own.sock: the race cannot be checked");
  }
  set(&flip_addr, "/tmp/own.sock");
  pthread_t t;
  pthread_create(&t, NULL, flipper, NULL);
  for (int i = 0, n = stress_iterations(3000); i < n; ++i) {
    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr*)&flip_addr, sizeof flip_addr) == 0) {
      struct sockaddr_un peer;
      socklen_t len = sizeof peer;
      memset(&peer, 0, sizeof peer);
      if (getpeername(c, (struct sockaddr*)&peer, &len) == 0 && strstr(peer.sun_path, "host")) {
        escaped("connected to the host's socket through an address race");
      }
      int p = accept(own, NULL, NULL);
      if (p >= 0) close(p);
    }
    close(c);
  }
  stop = 1;
  pthread_join(t, NULL);
  return refused();
}
