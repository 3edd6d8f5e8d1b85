// A Stream over bytes in memory, handed out at most `piece` bytes per read (1 exercises every
// split point): drives HttpExchange without a socket in unit tests and the fuzzer.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "ota/transport/stream.h"

namespace edgeward::ota {

class MemoryStream : public Stream {
 public:
  explicit MemoryStream(std::vector<uint8_t> data, size_t piece = 1 << 20) : data_(std::move(data)), piece_(piece) {}
  explicit MemoryStream(const std::string& s, size_t piece = 1 << 20)
      : MemoryStream(std::vector<uint8_t>(s.begin(), s.end()), piece) {}

  Result<size_t> read(std::span<uint8_t> out) override {
    const size_t n = std::min({out.size(), piece_, data_.size() - pos_});
    if (n > 0) std::memcpy(out.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  Status write_all(std::span<const uint8_t> data) override {
    written_.append(reinterpret_cast<const char*>(data.data()), data.size());
    return {};
  }
  const std::string& written() const { return written_; }

 private:
  std::vector<uint8_t> data_;
  size_t piece_;
  size_t pos_ = 0;
  std::string written_;
};

}  // namespace edgeward::ota
