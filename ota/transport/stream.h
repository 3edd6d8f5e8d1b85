// A byte stream to a server: the seam between HTTP (http_exchange.h) and the wire. Plain TCP
// (tcp_stream.h) and mbedTLS (tls_stream.h) implement it; tests and the fuzzer feed memory.
// Every read is bounded by the stream's read timeout and the transfer's deadline.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/result.h"

namespace edgeward::ota {

class Stream {
 public:
  virtual ~Stream() = default;
  // Reads up to out.size() bytes; 0 means the peer closed the connection cleanly.
  virtual Result<size_t> read(std::span<uint8_t> out) = 0;
  virtual Status write_all(std::span<const uint8_t> data) = 0;
};

// Read timeouts: each read waits at most `read_ms`, and no read starts past `deadline`.
struct Deadline {
  using Clock = std::chrono::steady_clock;
  uint32_t read_ms = 30000;
  Clock::time_point deadline = Clock::time_point::max();

  // Milliseconds the next read may wait (0: the transfer deadline has passed).
  uint32_t next_wait_ms() const;
};

}  // namespace edgeward::ota
