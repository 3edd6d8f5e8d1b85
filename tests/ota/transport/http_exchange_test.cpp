// HttpExchange over in-memory responses: head judgement (status, Content-Range, caps), body
// decoding (Content-Length, chunked, until close) at every split point, and the request text.
#include "ota/transport/http_exchange.h"

#include <gtest/gtest.h>

#include "ota/transport/memory_stream.h"

namespace edgeward::ota {
namespace {

struct Outcome {
  bool ok = false;
  std::string error;
  std::string body;
  OpenedRange range;
};

Outcome exchange(const std::string& response, uint64_t offset, uint64_t max_size, size_t piece = 1 << 20,
                 size_t max_header = kDefaultMaxHeaderBytes) {
  Outcome o;
  auto x = HttpExchange::receive(std::make_unique<MemoryStream>(response, piece), offset, max_size, max_header);
  if (!x) {
    o.error = x.error().message;
    return o;
  }
  o.range = (*x)->range();
  uint8_t buf[7];
  for (;;) {
    auto n = (*x)->read(buf);
    if (!n) {
      o.error = n.error().message;
      return o;
    }
    if (*n == 0) break;
    o.body.append(reinterpret_cast<char*>(buf), *n);
  }
  o.ok = true;
  return o;
}

struct Case {
  const char* name;
  std::string response;
  uint64_t offset, max_size;
  const char* error;  // nullptr: must succeed with `body`
  std::string body;
};

TEST(OtaHttpExchange, Table) {
  const Case cases[] = {
      {"redirect refused", "HTTP/1.1 302 Found\r\nLocation: http://x/y\r\nContent-Length: 0\r\n\r\n", 0, 100,
       "redirects (HTTP 302) to 'http://x/y'", ""},
      {"server error", "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n", 0, 100, "answered HTTP 500", ""},
      {"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n", 0, 100, "malformed HTTP response", ""},
      {"closed before head", "HTTP/1.1 200 OK\r\nContent-Le", 0, 100, "closed the connection before", ""},
      {"empty response", "", 0, 100, "closed the connection before sending a complete response head", ""},
      {"206 without Content-Range", "HTTP/1.1 206 P\r\nContent-Length: 3\r\n\r\nabc", 5, 100, "without a Content-Range", ""},
      {"206 wrong start", "HTTP/1.1 206 P\r\nContent-Range: bytes 6-8/9\r\nContent-Length: 3\r\n\r\nabc", 5, 100,
       "starts at 6, not at the requested offset 5", ""},
      {"206 malformed range", "HTTP/1.1 206 P\r\nContent-Range: bytes 5-x/9\r\n\r\nabc", 5, 100, "malformed Content-Range", ""},
      {"206 range beyond total", "HTTP/1.1 206 P\r\nContent-Range: bytes 5-9/9\r\n\r\nabc", 5, 100, "malformed Content-Range", ""},
      {"206 length disagrees", "HTTP/1.1 206 P\r\nContent-Range: bytes 5-8/9\r\nContent-Length: 3\r\n\r\nabc", 5, 100,
       "disagrees with Content-Range", ""},
      {"duplicate Content-Range",
       "HTTP/1.1 206 P\r\nContent-Range: bytes 5-7/9\r\nContent-Range: bytes 5-7/9\r\nContent-Length: 3\r\n\r\nabc", 5, 100,
       "appears twice", ""},
      {"Content-Length over cap", "HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", 0, 100, "announces 101 bytes", ""},
      {"total over cap", "HTTP/1.1 206 P\r\nContent-Range: bytes 5-7/200\r\n\r\nabc", 5, 100, "resource has 200 bytes", ""},
      {"body past cap without length", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789A", 0, 10,
       "more than the 10 body bytes", ""},
      {"chunked past cap", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n6789AB\r\n0\r\n\r\n", 0,
       10, "more than the 10 body bytes", ""},
      {"short body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234", 0, 100, "before the end of the response body", ""},
      {"truncated chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012", 0, 100, "before the end", ""},
      {"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 0, 100, "malformed HTTP response", ""},
      {"two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 0, 100, "malformed", ""},
      {"chunked 206 short of range",
       "HTTP/1.1 206 P\r\nContent-Range: bytes 2-5/6\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n", 2, 100,
       "body has 2 bytes, the head announced 4", ""},
      {"200 with length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 0, 100, nullptr, "hello"},
      {"200 until close", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello", 0, 5, nullptr, "hello"},
      {"200 at offset restarts", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 3, 100, nullptr, "hello"},
      {"206 good", "HTTP/1.1 206 P\r\nContent-Range: bytes 3-4/5\r\nContent-Length: 2\r\n\r\nlo", 3, 5, nullptr, "lo"},
      {"206 unknown total", "HTTP/1.1 206 P\r\ncontent-range: bytes 3-4/*\r\n\r\nlo", 3, 5, nullptr, "lo"},
      {"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;ext=1\r\nlo\r\n0\r\nX-T: 1\r\n\r\n", 0,
       100, nullptr, "hello"},
      {"416", "HTTP/1.1 416 R\r\nContent-Range: bytes */5\r\nContent-Length: 0\r\n\r\n", 9, 100, nullptr, ""},
      {"bytes after the message ignored", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 200 OK\r\n", 0, 100,
       nullptr, "hi"},
  };
  for (const auto& c : cases) {
    for (size_t piece : {size_t{1}, size_t{3}, size_t{1} << 20}) {
      const Outcome o = exchange(c.response, c.offset, c.max_size, piece);
      if (c.error) {
        EXPECT_FALSE(o.ok) << c.name << " piece " << piece;
        EXPECT_NE(o.error.find(c.error), std::string::npos) << c.name << " piece " << piece << ": " << o.error;
      } else {
        EXPECT_TRUE(o.ok) << c.name << " piece " << piece << ": " << o.error;
        EXPECT_EQ(o.body, c.body) << c.name << " piece " << piece;
      }
    }
  }
}

TEST(OtaHttpExchange, RangeReportsStartAndTotal) {
  Outcome o = exchange("HTTP/1.1 206 P\r\nContent-Range: bytes 3-4/5\r\n\r\nlo", 3, 5);
  ASSERT_TRUE(o.ok) << o.error;
  EXPECT_EQ(o.range.start, 3u);
  EXPECT_EQ(o.range.total_size, 5u);
  o = exchange("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 3, 5);
  EXPECT_EQ(o.range.start, 0u);
  o = exchange("HTTP/1.1 416 R\r\n\r\n", 9, 100);
  EXPECT_TRUE(o.range.unsatisfiable);
}

TEST(OtaHttpExchange, HeadCap) {
  std::string flood = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 100; ++i) flood += "X-Flood-" + std::to_string(i) + ": " + std::string(100, 'a') + "\r\n";
  flood += "Content-Length: 0\r\n\r\n";
  Outcome o = exchange(flood, 0, 100, 1 << 20, 4096);
  EXPECT_NE(o.error.find("head is larger than 4096 bytes"), std::string::npos) << o.error;
  o = exchange(flood, 0, 100, 1 << 20, 64 * 1024);
  EXPECT_TRUE(o.ok) << o.error;
  // A head that never ends is refused once it passes the cap, not buffered.
  o = exchange("HTTP/1.1 200 OK\r\nX: " + std::string(100000, 'a'), 0, 100, 1 << 20, 4096);
  EXPECT_NE(o.error.find("head is larger than"), std::string::npos) << o.error;
}

TEST(OtaHttpExchange, RequestText) {
  Url u = parse_url("http://10.1.2.3:8080/a/b?c=d").value();
  EXPECT_EQ(build_get_request(u, 0),
            "GET /a/b?c=d HTTP/1.1\r\nHost: 10.1.2.3:8080\r\nUser-Agent: edgeward-ota\r\nAccept-Encoding: "
            "identity\r\nConnection: close\r\n\r\n");
  u = parse_url("https://ota.example/x").value();
  const std::string r = build_get_request(u, 12345);
  EXPECT_NE(r.find("Host: ota.example\r\n"), std::string::npos);
  EXPECT_NE(r.find("Range: bytes=12345-\r\n"), std::string::npos);
}

}  // namespace
}  // namespace edgeward::ota
