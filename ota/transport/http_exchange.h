// One HTTP/1.1 GET over a connected Stream: sends the request (the only hand-written HTTP: a
// request line and a few headers, Range: bytes=N- when resuming, Connection: close), reads the
// head through ResponseParser and judges it, then streams the body under a hard cap.
//   200          the whole resource; start is 0 (a server ignoring Range restarts the download)
//   206          Content-Range must start at the requested offset and fit the cap, else refused
//   416          reported as unsatisfiable (the caller starts over)
//   3xx          refused: redirects are not followed (name the final URL), so TLS cannot be
//                downgraded and the source cannot move behind the caller's back
//   anything else refused with the status code.
// The body is capped at max_size - start: bytes past the cap are an error at once, and memory
// use is one read buffer whatever the server sends.
#pragma once

#include <memory>
#include <vector>

#include "ota/transport/byte_source.h"
#include "ota/transport/http_response.h"
#include "ota/transport/stream.h"
#include "ota/transport/url.h"

namespace edgeward::ota {

constexpr size_t kDefaultMaxHeaderBytes = 16 * 1024;
constexpr size_t kReadBufferBytes = 16 * 1024;

// "GET /x HTTP/1.1\r\nHost: ...\r\n...\r\n\r\n"; with `last`, "Range: bytes=offset-last".
std::string build_get_request(const Url& url, uint64_t offset, std::optional<uint64_t> last = std::nullopt);

// Parses "bytes A-B/T" or "bytes A-B/*" (T as nullopt) strictly.
struct ContentRange {
  uint64_t first = 0, last = 0;
  std::optional<uint64_t> total;
};
Result<ContentRange> parse_content_range(std::string_view value);

class HttpExchange {
 public:
  // Sends the request for `url` at `offset` and reads and checks the response head.
  static Result<std::unique_ptr<HttpExchange>> start(std::unique_ptr<Stream> stream, const Url& url,
                                                     uint64_t offset, uint64_t max_size,
                                                     size_t max_header_bytes = kDefaultMaxHeaderBytes);
  // Asks for exactly [offset, offset + length) of a resource of max_size bytes: only a 206 for
  // that exact range is accepted (a 200, another range or a longer body is refused).
  static Result<std::unique_ptr<HttpExchange>> start_range(std::unique_ptr<Stream> stream, const Url& url,
                                                           uint64_t offset, uint64_t length, uint64_t max_size,
                                                           size_t max_header_bytes);
  // Runs the checks on a response already requested (what start() does after sending).
  static Result<std::unique_ptr<HttpExchange>> receive(std::unique_ptr<Stream> stream, uint64_t offset,
                                                       uint64_t max_size, size_t max_header_bytes);

  const OpenedRange& range() const { return range_; }
  const ResponseHead& head() const { return parser_.head(); }
  Result<size_t> read(std::span<uint8_t> out);
  // Bytes received from the stream so far (head and body, before decoding).
  uint64_t wire_bytes() const { return wire_bytes_; }

 private:
  HttpExchange(std::unique_ptr<Stream> s, size_t max_header_bytes);
  Status fill();
  Status judge_head(uint64_t offset, uint64_t max_size);
  Status judge_exact_range(uint64_t offset, uint64_t length);

  std::unique_ptr<Stream> stream_;
  ResponseParser parser_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0, end_ = 0;
  std::vector<uint8_t> pending_;  // decoded body bytes not yet handed out
  size_t pending_pos_ = 0;
  OpenedRange range_;
  uint64_t body_cap_ = 0;
  uint64_t body_bytes_ = 0;
  std::optional<uint64_t> body_expected_;
  uint64_t wire_bytes_ = 0;
  bool eof_ = false;
};

}  // namespace edgeward::ota
