// One HTTP/1.1 GET and its checked, capped response (see http_exchange.h).
#include "ota/transport/http_exchange.h"

#include <cstring>

namespace edgeward::ota {
namespace {

bool parse_digits(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 19) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

std::string build_get_request(const Url& url, uint64_t offset, std::optional<uint64_t> last) {
  const bool default_port = (url.scheme == Scheme::kHttp && url.port == 80) ||
                            (url.scheme == Scheme::kHttps && url.port == 443);
  std::string host = url.ipv6 ? "[" + url.host + "]" : url.host;
  if (!default_port) host += ":" + std::to_string(url.port);
  std::string r = "GET " + url.target + " HTTP/1.1\r\nHost: " + host +
                  "\r\nUser-Agent: edgeward-ota\r\nAccept-Encoding: identity\r\nConnection: close\r\n";
  if (last) {
    r += "Range: bytes=" + std::to_string(offset) + "-" + std::to_string(*last) + "\r\n";
  } else if (offset > 0) {
    r += "Range: bytes=" + std::to_string(offset) + "-\r\n";
  }
  return r + "\r\n";
}

Result<ContentRange> parse_content_range(std::string_view v) {
  auto bad = [&] { return Error::invalid("malformed Content-Range '" + std::string(v.substr(0, 80)) + "'"); };
  if (v.substr(0, 6) != "bytes ") return bad();
  v.remove_prefix(6);
  const size_t dash = v.find('-'), slash = v.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) return bad();
  ContentRange r;
  if (!parse_digits(v.substr(0, dash), r.first) || !parse_digits(v.substr(dash + 1, slash - dash - 1), r.last)) {
    return bad();
  }
  const std::string_view total = v.substr(slash + 1);
  if (total != "*") {
    uint64_t t = 0;
    if (!parse_digits(total, t)) return bad();
    r.total = t;
  }
  if (r.last < r.first || (r.total && r.last >= *r.total)) return bad();
  return r;
}

HttpExchange::HttpExchange(std::unique_ptr<Stream> s, size_t max_header_bytes)
    : stream_(std::move(s)), parser_(max_header_bytes), buf_(kReadBufferBytes) {}

Result<std::unique_ptr<HttpExchange>> HttpExchange::start(std::unique_ptr<Stream> stream, const Url& url,
                                                          uint64_t offset, uint64_t max_size,
                                                          size_t max_header_bytes) {
  const std::string req = build_get_request(url, offset);
  EW_TRY(stream->write_all({reinterpret_cast<const uint8_t*>(req.data()), req.size()}));
  return receive(std::move(stream), offset, max_size, max_header_bytes);
}

Result<std::unique_ptr<HttpExchange>> HttpExchange::start_range(std::unique_ptr<Stream> stream, const Url& url,
                                                                uint64_t offset, uint64_t length, uint64_t max_size,
                                                                size_t max_header_bytes) {
  if (length == 0 || offset + length > max_size) return Error::internal("bad range request");
  const std::string req = build_get_request(url, offset, offset + length - 1);
  EW_TRY(stream->write_all({reinterpret_cast<const uint8_t*>(req.data()), req.size()}));
  EW_ASSIGN(auto x, receive(std::move(stream), offset, max_size, max_header_bytes));
  EW_TRY(x->judge_exact_range(offset, length));
  return x;
}

Status HttpExchange::judge_exact_range(uint64_t offset, uint64_t length) {
  const ResponseHead& h = parser_.head();
  if (h.status != 206) {
    return Error::unsupported("the server answered HTTP " + std::to_string(h.status) + " to a range request for bytes " +
                              std::to_string(offset) + "+" + std::to_string(length) + " (expected 206)");
  }
  if (!body_expected_ || *body_expected_ != length) {
    return Error::invalid("the server sends another range than bytes " + std::to_string(offset) + "+" +
                          std::to_string(length) + ": refused");
  }
  body_cap_ = length;
  return {};
}

Result<std::unique_ptr<HttpExchange>> HttpExchange::receive(std::unique_ptr<Stream> stream, uint64_t offset,
                                                            uint64_t max_size, size_t max_header_bytes) {
  std::unique_ptr<HttpExchange> x(new HttpExchange(std::move(stream), max_header_bytes));
  while (!x->parser_.head_done()) {
    if (x->eof_) return Error::io("the server closed the connection before sending a response");
    EW_TRY(x->fill());
  }
  EW_TRY(x->judge_head(offset, max_size));
  return x;
}

Status HttpExchange::judge_head(uint64_t offset, uint64_t max_size) {
  const ResponseHead& h = parser_.head();
  const std::string code = "HTTP " + std::to_string(h.status);
  if (h.status >= 300 && h.status < 400) {
    return Error::unsupported("the server redirects (" + code + ") to '" + h.location +
                              "'; redirects are not followed: use the final URL");
  }
  if (h.status == 416) {
    range_ = {offset, std::nullopt, true};
    return {};
  }
  if (h.status == 200) {
    range_.start = 0;
    range_.total_size = h.content_length;
  } else if (h.status == 206) {
    if (!h.content_range) return Error::invalid(code + " without a Content-Range header");
    EW_ASSIGN(ContentRange cr, parse_content_range(*h.content_range));
    if (cr.first != offset) {
      return Error::invalid("the server's Content-Range starts at " + std::to_string(cr.first) +
                            ", not at the requested offset " + std::to_string(offset) + ": refused");
    }
    const uint64_t len = cr.last - cr.first + 1;
    if (h.content_length && *h.content_length != len) {
      return Error::invalid("Content-Length " + std::to_string(*h.content_length) + " disagrees with Content-Range '" +
                            *h.content_range + "'");
    }
    range_.start = offset;
    range_.total_size = cr.total;
    body_expected_ = len;
  } else if (h.status == 404 || h.status == 410) {  // kNotFound: "no such file" (TUF: no newer root)
    return Error::not_found("the server answered " + code + " (no such file)");
  } else {
    return Error::io("the server answered " + code + " (expected 200 or 206)");
  }
  if (range_.start > max_size) {
    return Error::invalid("the download is capped at " + std::to_string(max_size) + " bytes but the server starts at " +
                          std::to_string(range_.start));
  }
  body_cap_ = max_size - range_.start;
  if (!body_expected_ && h.content_length) body_expected_ = h.content_length;
  if (body_expected_ && *body_expected_ > body_cap_) {
    return Error::invalid("the server announces " + std::to_string(*body_expected_) + " bytes from offset " +
                          std::to_string(range_.start) + ", more than the " + std::to_string(max_size) +
                          " bytes expected in all");
  }
  if (range_.total_size && *range_.total_size > max_size) {
    return Error::invalid("the server's resource has " + std::to_string(*range_.total_size) + " bytes, more than the " +
                          std::to_string(max_size) + " expected");
  }
  return {};
}

Status HttpExchange::fill() {
  const size_t before = pending_.size();
  if (pos_ == end_) {
    EW_ASSIGN(const size_t n, stream_->read(buf_));
    wire_bytes_ += n;
    pos_ = 0;
    end_ = n;
    if (n == 0) {
      eof_ = true;
      EW_TRY(parser_.finish(pending_));
    }
  }
  if (pos_ < end_) {
    EW_ASSIGN(const size_t used, parser_.feed(std::span(buf_).subspan(pos_, end_ - pos_), pending_));
    pos_ += used;
  }
  body_bytes_ += pending_.size() - before;
  if (parser_.head_done() && body_bytes_ > body_cap_) {
    return Error::invalid("the server sent more than the " + std::to_string(body_cap_) +
                          " body bytes expected: refused (endless or oversized response)");
  }
  return {};
}

Result<size_t> HttpExchange::read(std::span<uint8_t> out) {
  if (range_.unsatisfiable) return size_t{0};
  for (;;) {
    if (pending_pos_ < pending_.size()) {
      const size_t n = std::min(out.size(), pending_.size() - pending_pos_);
      std::memcpy(out.data(), pending_.data() + pending_pos_, n);
      pending_pos_ += n;
      if (pending_pos_ == pending_.size()) {
        pending_.clear();
        pending_pos_ = 0;
      }
      return n;
    }
    if (parser_.complete()) {
      if (body_expected_ && body_bytes_ != *body_expected_) {
        return Error::io("the response body has " + std::to_string(body_bytes_) + " bytes, the head announced " +
                         std::to_string(*body_expected_));
      }
      return size_t{0};
    }
    if (eof_) return Error::io("the server closed the connection before the end of the response body");
    EW_TRY(fill());
  }
}

}  // namespace edgeward::ota
