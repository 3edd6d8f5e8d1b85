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
  // Opens exactly bytes [offset, offset + length) of a resource of `resource_size` bytes (chunked
  // deltas fetch pieces of a blob): the caller reads `length` bytes. The default opens at `offset`
  // and refuses a source that restarts elsewhere; HTTP asks for the bounded range and insists on
  // exactly it (206), so a server cannot send more than the piece.
  virtual Status open_range(uint64_t offset, uint64_t length, uint64_t resource_size) {
    EW_ASSIGN(OpenedRange r, open(offset, resource_size));
    if (r.unsatisfiable || r.start != offset || offset + length > resource_size) {
      return Error::io(describe() + ": cannot read bytes " + std::to_string(offset) + "+" + std::to_string(length));
    }
    return {};
  }
  // Reads up to out.size() bytes; 0 means the resource ended cleanly.
  virtual Result<size_t> read(std::span<uint8_t> out) = 0;
  // For messages: the URL or path.
  virtual std::string describe() const = 0;
};

}  // namespace edgeward::ota
