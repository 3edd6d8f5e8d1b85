#include "runtime/daemon/client.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include "common/errno_error.h"
#include "runtime/daemon/frame.h"
#include "runtime/daemon/socket_address.h"

namespace edgeward::daemon {

Result<Client> Client::connect(const std::string& path) {
  EW_ASSIGN(sockaddr_un a, socket_address(path));
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return errno_error("socket");
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    const int err = errno;
    if (err == EACCES) {
      return Error{ErrorCode::kPermission, "cannot connect to the daemon at " + path +
                                               ": permission denied (run as root or as a member of the daemon's group)"};
    }
    return Error::io("cannot connect to the daemon at " + path + ": " + std::strerror(err) +
                     " (is 'edgeward daemon' running? --socket PATH picks another socket)");
  }
  const timeval tv{120, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return Client(std::move(fd), path);
}

Result<Response> Client::call(const Request& r) {
  EW_ASSIGN(auto bytes, encode_request(r));
  // A daemon that refuses a connection answers at once and closes it, so the request's write can
  // fail (EPIPE) with the refusal already waiting to be read: read it whatever the write did.
  const Status sent = write_frame(fd_.get(), bytes);
  auto read = read_frame(fd_.get(), kMaxResponseBytes);
  if (!read) return sent ? std::move(read).error() : sent.error();
  auto frame = std::move(read).value();
  if (!frame) return sent ? Error::io("the daemon closed the connection without answering") : sent.error();
  EW_ASSIGN(Response resp, decode_response(*frame));
  if (!resp.ok()) return resp.to_error();
  return resp;
}

}  // namespace edgeward::daemon
