/* Ordinary unix socket use inside the sandbox, through the supervisor's address checks: a
 * stream server on /tmp reached by a relative path and through a symlink, datagrams by sendto,
 * sendmsg and sendmmsg (whose msg_len must be filled in), and an abstract name. Exit 0 when all
 * of it works, 1 with a message otherwise. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fails;
static void expect(int cond, const char* what) {
  if (!cond) {
    perror(what);
    fails = 1;
  }
}

static socklen_t addr(struct sockaddr_un* a, const char* path, int abstract) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  strcpy(a->sun_path + (abstract ? 1 : 0), path);
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + (abstract ? 1 : 1));
}

int main(void) {
  struct sockaddr_un a;
  int srv = socket(AF_UNIX, SOCK_STREAM, 0);
  expect(bind(srv, (struct sockaddr*)&a, addr(&a, "/tmp/srv.sock", 0)) == 0, "bind /tmp/srv.sock");
  expect(listen(srv, 4) == 0, "listen");
  expect(chdir("/tmp") == 0, "chdir /tmp");
  int c1 = socket(AF_UNIX, SOCK_STREAM, 0);
  expect(connect(c1, (struct sockaddr*)&a, addr(&a, "srv.sock", 0)) == 0, "connect by a relative path");
  expect(symlink("/tmp/srv.sock", "/tmp/link.sock") == 0, "symlink");
  int c2 = socket(AF_UNIX, SOCK_STREAM, 0);
  expect(connect(c2, (struct sockaddr*)&a, addr(&a, "/tmp/link.sock", 0)) == 0, "connect through a symlink");
  int p = accept(srv, NULL, NULL);
  expect(p >= 0 && write(c1, "hi", 2) == 2, "accept and write");
  char buf[8] = {0};
  expect(read(p, buf, sizeof buf) == 2 && memcmp(buf, "hi", 2) == 0, "read what was written");

  int d = socket(AF_UNIX, SOCK_DGRAM, 0);
  expect(bind(d, (struct sockaddr*)&a, addr(&a, "/tmp/d.sock", 0)) == 0, "bind /tmp/d.sock");
  int s = socket(AF_UNIX, SOCK_DGRAM, 0);
  socklen_t n = addr(&a, "/tmp/d.sock", 0);
  expect(sendto(s, "one", 3, 0, (struct sockaddr*)&a, n) == 3, "sendto");
  struct iovec iov = {"two", 3};
  struct msghdr m = {.msg_name = &a, .msg_namelen = n, .msg_iov = &iov, .msg_iovlen = 1};
  expect(sendmsg(s, &m, 0) == 3, "sendmsg");
  struct mmsghdr mm[2] = {{.msg_hdr = m}, {.msg_hdr = m}};
  int sent = sendmmsg(s, mm, 2, 0);
  expect(sent >= 1 && mm[0].msg_len == 3, "sendmmsg (msg_len of the first message)");
  for (int i = 0; i < 2 + sent; ++i) expect(recv(d, buf, sizeof buf, 0) == 3, "recv a datagram");

  int ab = socket(AF_UNIX, SOCK_STREAM, 0);
  expect(bind(ab, (struct sockaddr*)&a, addr(&a, "edgeward-abstract", 1)) == 0, "bind an abstract name");
  return fails;
}
