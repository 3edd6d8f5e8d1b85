// Where download bytes come from: one interface for http(s):// (http_source.h), file://
// (file_source.h) and later chunked or delta sources. A source is opened at an offset with a
// hard cap on the size of the whole resource, then read in chunks until it reports the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/result.h"

namespace edgeward::ota {

struct OpenedRange {
  uint64_t start = 0;                  // the requested offset, or 0 when the source restarts from zero
  std::optional<uint64_t> total_size;  // of the whole resource, when the source knows it
  bool unsatisfiable = false;          // the source has no bytes at that offset (HTTP 416): start over
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Opens (or reopens) the resource at `offset`. `max_size` caps the whole resource: a source
  // that announces or sends more fails as soon as it passes the cap, without buffering it.
  virtual Result<OpenedRange> open(uint64_t offset, uint64_t max_size) = 0;
  // Reads up to out.size() bytes; 0 means the resource ended cleanly.
  virtual Result<size_t> read(std::span<uint8_t> out) = 0;
  // For messages: the URL or path.
  virtual std::string describe() const = 0;
};

}  // namespace edgeward::ota
