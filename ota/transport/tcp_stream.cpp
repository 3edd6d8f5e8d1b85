// Plain TCP stream (see tcp_stream.h).
#include "ota/transport/tcp_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "attest/server/tls.h"
#include "common/errno_error.h"

namespace edgeward::ota {

uint32_t Deadline::next_wait_ms() const {
  if (deadline == Clock::time_point::max()) return read_ms;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return 0;
  return left < read_ms ? static_cast<uint32_t>(left) : read_ms;
}

Result<attest::Fd> connect_tcp(const std::string& host, uint16_t port, uint32_t connect_ms) {
  auto fd = attest::tcp_connect(host + ":" + std::to_string(port), connect_ms);
  if (!fd) return Error::io(fd.error().message);
  return fd;
}

Result<size_t> TcpStream::read(std::span<uint8_t> out) {
  const uint32_t wait = deadline_.next_wait_ms();
  if (wait == 0) return Error::io("transfer deadline passed");
  pollfd p{fd_.get(), POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(wait));
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return errno_error("poll");
  if (rc == 0) return Error::io("read timed out: no data from the server for " + std::to_string(wait) + " ms");
  ssize_t n;
  do {
    n = ::recv(fd_.get(), out.data(), out.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return errno_error("recv");
  return static_cast<size_t>(n);
}

Status TcpStream::write_all(std::span<const uint8_t> data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd_.get(), data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("send");
    data = data.subspan(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace edgeward::ota
