// Length-prefixed frames on a stream socket: a 4-byte big-endian length, then that many bytes.
// The receiver states the largest frame it accepts; a bigger length is refused before any
// payload byte is read, so a hostile peer cannot make us allocate more than that.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"

namespace edgeward::daemon {

// Pure parser over buffered bytes: the payload of the first complete frame in `buf` and how many
// bytes it used, nullopt when more bytes are needed, an error when the length exceeds `max`.
struct Frame {
  std::span<const uint8_t> payload;
  size_t consumed = 0;
};
Result<std::optional<Frame>> parse_frame(std::span<const uint8_t> buf, size_t max);

std::vector<uint8_t> make_frame(std::span<const uint8_t> payload);

// Blocking I/O on a socket (which should have SO_RCVTIMEO/SO_SNDTIMEO set). read_frame returns
// nullopt when the peer closed cleanly before the first byte of a frame.
Status write_frame(int fd, std::span<const uint8_t> payload);
Result<std::optional<std::vector<uint8_t>>> read_frame(int fd, size_t max);

}  // namespace edgeward::daemon
