// ByteSource for file:// URLs and plain paths (offline tests, USB bundles): the same offset
// and cap rules as HTTP, reading the file in place.
#pragma once

#include <memory>

#include "attest/fileio.h"
#include "ota/transport/byte_source.h"

namespace edgeward::ota {

class FileSource : public ByteSource {
 public:
  explicit FileSource(std::string path) : path_(std::move(path)) {}
  Result<OpenedRange> open(uint64_t offset, uint64_t max_size) override;
  Result<size_t> read(std::span<uint8_t> out) override;
  std::string describe() const override { return "file://" + path_; }

 private:
  std::string path_;
  attest::Fd fd_;
  uint64_t pos_ = 0, end_ = 0;
};

}  // namespace edgeward::ota
