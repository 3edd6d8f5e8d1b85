#include "runtime/daemon/frame.h"

#include <sys/socket.h>

#include <cerrno>

#include "common/errno_error.h"

namespace edgeward::daemon {
namespace {

uint32_t be32(const uint8_t* p) { return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3]; }

Error too_big(uint32_t n, size_t max) {
  return Error::invalid("frame of " + std::to_string(n) + " bytes is larger than the " + std::to_string(max) +
                        " allowed");
}

// Reads exactly out.size() bytes: true when done, false when the peer closed before the first byte.
Result<bool> read_exact(int fd, std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::recv(fd, out.data() + done, out.size() - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Error::io("socket: timed out waiting for the peer");
    if (n < 0) return errno_error("socket read");
    if (n == 0 && done == 0) return false;
    if (n == 0) return Error::io("socket: the peer closed the connection in the middle of a frame");
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Result<std::optional<Frame>> parse_frame(std::span<const uint8_t> buf, size_t max) {
  if (buf.size() < 4) return std::optional<Frame>{};
  const uint32_t n = be32(buf.data());
  if (n > max) return too_big(n, max);
  if (buf.size() - 4 < n) return std::optional<Frame>{};
  return std::optional<Frame>{Frame{buf.subspan(4, n), 4 + size_t{n}}};
}

std::vector<uint8_t> make_frame(std::span<const uint8_t> payload) {
  const auto n = static_cast<uint32_t>(payload.size());
  std::vector<uint8_t> f{static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
                         static_cast<uint8_t>(n)};
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

Status write_frame(int fd, std::span<const uint8_t> payload) {
  const std::vector<uint8_t> f = make_frame(payload);
  size_t done = 0;
  while (done < f.size()) {
    const ssize_t n = ::send(fd, f.data() + done, f.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("socket write");
    done += static_cast<size_t>(n);
  }
  return {};
}

Result<std::optional<std::vector<uint8_t>>> read_frame(int fd, size_t max) {
  uint8_t len[4];
  EW_ASSIGN(const bool complete, read_exact(fd, len));
  if (!complete) return std::optional<std::vector<uint8_t>>{};
  const uint32_t n = be32(len);
  if (n > max) return too_big(n, max);
  std::vector<uint8_t> payload(n);
  EW_ASSIGN(const bool full, read_exact(fd, payload));
  if (!full && n > 0) return Error::io("socket: the peer closed the connection in the middle of a frame");
  return std::optional<std::vector<uint8_t>>{std::move(payload)};
}

}  // namespace edgeward::daemon
