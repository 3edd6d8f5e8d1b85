// HTTP/1.1 response parsing on top of Debian's libhttp-parser (never hand-written): bytes in,
// a checked head (status, Content-Length, Content-Range, Location) and body bytes out. It stops
// right after the head so the caller can judge it before a single body byte is accepted, and it
// refuses a head larger than `max_header_bytes`. Chunked and Content-Length bodies, and bodies
// that end when the server closes, are all the library's work.
#pragma once

#include <http_parser.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace edgeward::ota {

struct ResponseHead {
  int status = 0;
  std::optional<uint64_t> content_length;
  std::optional<std::string> content_range;
  std::string location;
  bool chunked = false;
};

class ResponseParser {
 public:
  explicit ResponseParser(size_t max_header_bytes);
  ResponseParser(const ResponseParser&) = delete;
  ResponseParser& operator=(const ResponseParser&) = delete;

  // Parses a prefix of `in` and returns how many bytes it consumed: it stops after the head
  // (head_done() turns true) and after the end of the message (complete()). Body bytes are
  // appended to `body` (never more than in.size()).
  Result<size_t> feed(std::span<const uint8_t> in, std::vector<uint8_t>& body);
  // The server closed the connection: fine only after a complete message (or a body that runs
  // until the close).
  Status finish(std::vector<uint8_t>& body);

  bool head_done() const { return head_done_; }
  bool complete() const { return complete_; }
  const ResponseHead& head() const { return head_; }

 private:
  static int on_status(http_parser* p, const char* at, size_t len);
  static int on_header_field(http_parser* p, const char* at, size_t len);
  static int on_header_value(http_parser* p, const char* at, size_t len);
  static int on_headers_complete(http_parser* p);
  static int on_body(http_parser* p, const char* at, size_t len);
  static int on_message_complete(http_parser* p);
  void commit_header();

  http_parser parser_{};
  http_parser_settings settings_{};
  size_t max_header_bytes_;
  size_t head_bytes_ = 0;
  bool head_done_ = false;
  bool complete_ = false;
  bool in_value_ = false;
  std::string field_, value_;
  std::optional<std::string> error_;  // set by a callback that refused the response
  std::vector<uint8_t>* body_ = nullptr;
  ResponseHead head_;
};

}  // namespace edgeward::ota
