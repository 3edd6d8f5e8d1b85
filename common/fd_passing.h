// Sending a descriptor over a unix socket (SCM_RIGHTS) with a message body.
#pragma once

#include <sys/socket.h>

#include <cstring>

namespace edgeward {

// Sends `len` bytes of `data` (at least one) with `fd` attached when fd >= 0. Returns sendmsg's
// result (-1 with errno set on failure). MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE.
inline ssize_t send_with_fd(int sock, const void* data, size_t len, int fd) {
  iovec iov{const_cast<void*>(data), len};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  return sendmsg(sock, &msg, MSG_NOSIGNAL);
}

}  // namespace edgeward
