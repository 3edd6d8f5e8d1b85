// Plain TCP stream for http:// (IPv4 literals and "localhost"; connect through attest's
// tcp_connect with its connect timeout). Reads wait with poll() so a silent server times out.
#pragma once

#include <memory>
#include <string>

#include "attest/fileio.h"
#include "ota/transport/stream.h"

namespace edgeward::ota {

// Connects to `host`:`port` within `connect_ms`.
Result<attest::Fd> connect_tcp(const std::string& host, uint16_t port, uint32_t connect_ms);

class TcpStream : public Stream {
 public:
  TcpStream(attest::Fd fd, Deadline deadline) : fd_(std::move(fd)), deadline_(deadline) {}
  Result<size_t> read(std::span<uint8_t> out) override;
  Status write_all(std::span<const uint8_t> data) override;

 private:
  attest::Fd fd_;
  Deadline deadline_;
};

}  // namespace edgeward::ota
